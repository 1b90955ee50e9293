import type { SearchResult } from "@/lib/protocol";
import { splitHighlights } from "@/lib/search/highlight";

/** A result's content with its matched words in <mark>: text nodes only, never markup from the server. */
export function HighlightedText({ result }: { result: SearchResult }) {
  const parts = splitHighlights(result.message.content, result.highlights);
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

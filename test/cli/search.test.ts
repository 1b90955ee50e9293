// /search in the terminal: how the command parses and how a result prints, with and without colour.
import { describe, expect, it } from "vitest";
import type { SearchResult } from "@/lib/protocol";
import { parseInput } from "../../cli/terminal/commands";
import { formatSearchResult, roomLabel } from "../../cli/search-render";

const result = (content: string, highlights: [number, number][], room = "ops"): SearchResult => ({
  message: {
    id: 7,
    username: "alice",
    content,
    timestamp: new Date(2026, 2, 4, 9, 5).toISOString(),
    room,
    seq: 7,
    editedAt: null,
    deleted: false,
    reactions: [],
    replyTo: null,
    mentions: [],
    files: [],
  },
  highlights,
});

describe("/search", () => {
  it("parses the query as typed, or nothing for the next page", () => {
    expect(parseInput('/search deploy "rolled back" from:bob')).toEqual({
      kind: "command",
      command: { name: "search", query: 'deploy "rolled back" from:bob' },
    });
    expect(parseInput("/find x")).toEqual({ kind: "command", command: { name: "search", query: "x" } });
    expect(parseInput("/search")).toEqual({ kind: "command", command: { name: "search" } });
  });

  it("prints room, local date and time, name and the matched words between * without colour", () => {
    expect(formatSearchResult(result("we deploy today", [[3, 9]]), { me: "bob" })).toBe(
      "#ops 2026-03-04 09:05 alice: we *deploy* today",
    );
  });

  it("names a webhook's post by its bot, marked [bot], never as the member who made the hook", () => {
    const posted = result("disk full", [[0, 4]]);
    posted.message.bot = { name: "Grafana", iconUrl: null };
    expect(formatSearchResult(posted, { me: "bob" })).toBe("#ops 2026-03-04 09:05 Grafana [bot]: *disk* full");
  });

  it("marks the matched words in inverse bold with colour", () => {
    const line = formatSearchResult(result("we deploy today", [[3, 9]]), { me: "bob", color: true });
    expect(line).toContain("we \u001b[7m\u001b[1mdeploy\u001b[0m\u001b[27m today");
    expect(line).toContain("\u001b[1malice\u001b[0m");
  });

  it("sanitizes after cutting, so control sequences neither print nor shift the marks", () => {
    const content = "\u001b[31mred\u001b[0m deploy\nnext";
    const at = content.indexOf("deploy");
    expect(formatSearchResult(result(content, [[at, at + 6]]), { me: "bob" })).toBe(
      "#ops 2026-03-04 09:05 alice: red *deploy* next",
    );
  });

  it("labels a DM by the other person", () => {
    expect(roomLabel("dm:alice:bob", "Bob")).toBe("@alice");
    expect(roomLabel("general", "bob")).toBe("#general");
  });
});

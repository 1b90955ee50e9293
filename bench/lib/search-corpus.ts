// Text for the search benchmark: a vocabulary of pronounceable words (a seeded generator, so every run
// indexes the same corpus) drawn with a Zipf-like distribution (rank r with weight 1 / r^1.07, as word
// frequencies in natural text), a few of them accented so diacritic folding is exercised.
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ra",
  "su",
  "ti",
  "vo",
  "de",
  "pla",
  "stro",
  "gen",
  "mar",
  "qui",
  "zel",
  "bra",
  "cor",
  "fen",
  "dup",
  "wyn",
  "és",
  "ü",
];

/** A deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Corpus {
  /** by rank: words[0] is the most frequent */
  words: string[];
  /** a word by the Zipf distribution */
  word(): string;
  /** a message of 4 to 24 words */
  sentence(): string;
  random: () => number;
}

export function createCorpus(vocabulary = 20_000, seed = 13): Corpus {
  const random = rng(seed);
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < vocabulary) {
    const n = 1 + Math.floor(random() * 3) + (words.length > 200 ? 1 : 0);
    let w = "";
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  // cumulative Zipf weights, searched by bisection
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= vocabulary; r++) cumulative.push((total += 1 / r ** 1.07));
  const word = () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const sentence = () => {
    const n = 4 + Math.floor(random() * 21);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(word());
    return out.join(" ");
  };
  return { words, word, sentence, random };
}

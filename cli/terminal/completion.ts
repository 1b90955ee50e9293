// Tab completion on the input line (readline's completer): the /command at the start of the line, then the
// argument the command takes (a room for /join, /switch, /leave; a user for /dm, /invite), `#room` and
// `@user` anywhere, and a bare word in message text as a username. Matching is by prefix, ignoring case.

export interface CompletionSources {
  /** command names without the slash */
  commands: readonly string[];
  /** the user's rooms (not DMs) */
  rooms: readonly string[];
  /** other users, as spelled */
  users: readonly string[];
}

/** Commands whose argument is a room (`@user` works there too), or a user. */
const ROOM_COMMANDS = new Set(["join", "j", "switch", "s", "leave", "part"]);
const USER_COMMANDS = new Set(["dm", "msg", "invite"]);

const startsWith = (candidate: string, prefix: string) => candidate.toLowerCase().startsWith(prefix.toLowerCase());

/** Candidates that start with `prefix`, each written `before + name + " "`, sorted and once each. */
function matching(names: readonly string[], prefix: string, before = ""): string[] {
  const hits = new Set(names.filter((n) => startsWith(n, prefix)).map((n) => `${before}${n} `));
  return [...hits].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
}

/**
 * readline's completer: `line` is the text before the cursor; the answer is the candidates for its last
 * word and that word (which readline replaces by the candidate, or by their common prefix).
 */
export function completeLine(line: string, sources: CompletionSources): [string[], string] {
  const word = /\S*$/.exec(line)?.[0] ?? "";
  const before = line.slice(0, line.length - word.length);
  const isCommand = line.startsWith("/") && !line.startsWith("//");
  if (isCommand && before.trim() === "") return [matching(sources.commands, word.slice(1), "/"), word];
  if (word.startsWith("#")) return [matching(sources.rooms, word.slice(1), "#"), word];
  if (word.startsWith("@")) return [matching(sources.users, word.slice(1), "@"), word];
  const command = isCommand ? (before.trim().split(/\s+/)[0] ?? "").slice(1).toLowerCase() : "";
  // only the first argument of a room or user command names one
  const firstArgument = isCommand && before.trim().split(/\s+/).length === 1;
  if (firstArgument && ROOM_COMMANDS.has(command)) return [matching(sources.rooms, word), word];
  if (firstArgument && USER_COMMANDS.has(command)) return [matching(sources.users, word), word];
  return [word === "" ? [] : matching(sources.users, word), word];
}

// The reaction picker's built-in set: common emoji with the words they are found by. Plain strings in the
// bundle (no sprite sheets, no fetches), so the picker works offline and under the page's CSP.

export interface EmojiEntry {
  emoji: string;
  /** lowercase words, the first one the emoji's name */
  names: string[];
}

/** Offered first, in this order, and on the action bar's quick row. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "😮", "👀"] as const;

const e = (emoji: string, ...names: string[]): EmojiEntry => ({ emoji, names });

export const EMOJI: readonly EmojiEntry[] = [
  e("👍", "thumbs up", "+1", "yes", "like", "ok"),
  e("❤️", "heart", "love", "red"),
  e("😂", "joy", "laugh", "lol", "tears"),
  e("🎉", "party", "tada", "celebrate", "congrats"),
  e("😮", "wow", "surprised", "open mouth"),
  e("👀", "eyes", "look", "watching"),
  e("😀", "grinning", "smile", "happy"),
  e("😃", "smiley", "happy"),
  e("😄", "smile", "happy", "joy"),
  e("😁", "grin", "beaming"),
  e("😅", "sweat smile", "relief", "phew"),
  e("🤣", "rofl", "rolling", "laugh"),
  e("🙂", "slight smile", "fine"),
  e("😉", "wink"),
  e("😊", "blush", "smile", "shy"),
  e("😇", "innocent", "halo", "angel"),
  e("😍", "heart eyes", "love", "crush"),
  e("🥰", "smiling hearts", "love", "adore"),
  e("😘", "kiss", "blow kiss"),
  e("😋", "yum", "tasty", "delicious"),
  e("😜", "wink tongue", "silly", "joke"),
  e("🤪", "zany", "crazy", "goofy"),
  e("🤔", "thinking", "hmm", "wonder"),
  e("🤨", "raised eyebrow", "skeptical", "doubt"),
  e("😐", "neutral", "meh", "blank"),
  e("😶", "no mouth", "speechless", "silent"),
  e("🙄", "eye roll", "whatever"),
  e("😏", "smirk", "sly"),
  e("😬", "grimace", "awkward", "yikes"),
  e("😌", "relieved", "calm", "content"),
  e("😴", "sleeping", "tired", "zzz"),
  e("😷", "mask", "sick", "ill"),
  e("🤯", "mind blown", "exploding head", "shocked"),
  e("🥳", "partying", "birthday", "celebrate"),
  e("😎", "cool", "sunglasses"),
  e("🤓", "nerd", "geek", "glasses"),
  e("😕", "confused", "unsure"),
  e("😟", "worried", "concerned"),
  e("😢", "cry", "sad", "tear"),
  e("😭", "sob", "crying", "sad"),
  e("😱", "scream", "fear", "shocked"),
  e("😤", "triumph", "huff", "frustrated"),
  e("😡", "angry", "rage", "mad"),
  e("🥺", "pleading", "puppy eyes", "please"),
  e("🤗", "hug", "hugging"),
  e("🤫", "shush", "quiet", "secret"),
  e("🫡", "salute", "respect", "yes sir"),
  e("💀", "skull", "dead", "dying"),
  e("🤖", "robot", "bot"),
  e("👋", "wave", "hello", "hi", "bye"),
  e("👌", "ok hand", "perfect", "fine"),
  e("✌️", "victory", "peace"),
  e("🤞", "fingers crossed", "luck", "hope"),
  e("👎", "thumbs down", "-1", "no", "dislike"),
  e("👏", "clap", "applause", "bravo"),
  e("🙌", "raised hands", "hooray", "praise"),
  e("🙏", "pray", "please", "thanks", "folded hands"),
  e("💪", "muscle", "strong", "flex"),
  e("🤝", "handshake", "deal", "agree"),
  e("✍️", "writing", "note"),
  e("💯", "hundred", "100", "perfect", "score"),
  e("🔥", "fire", "hot", "lit"),
  e("✨", "sparkles", "shiny", "new"),
  e("⭐", "star", "favorite"),
  e("🌟", "glowing star", "shine"),
  e("⚡", "zap", "lightning", "fast"),
  e("💡", "bulb", "idea"),
  e("✅", "check", "done", "yes", "tick"),
  e("❌", "cross", "no", "wrong"),
  e("❓", "question", "what"),
  e("❗", "exclamation", "important"),
  e("⚠️", "warning", "caution"),
  e("🚀", "rocket", "launch", "ship"),
  e("🐛", "bug", "insect"),
  e("🛠️", "tools", "fix", "build"),
  e("📌", "pin", "pushpin"),
  e("📎", "paperclip", "attachment"),
  e("📝", "memo", "note", "write"),
  e("📅", "calendar", "date"),
  e("⏰", "alarm", "clock", "time"),
  e("🔒", "lock", "secure", "private"),
  e("🔑", "key"),
  e("💬", "speech", "comment", "chat"),
  e("📣", "megaphone", "announce"),
  e("🎯", "target", "bullseye", "goal"),
  e("🏆", "trophy", "win", "award"),
  e("🎁", "gift", "present"),
  e("🎂", "cake", "birthday"),
  e("☕", "coffee", "tea", "break"),
  e("🍕", "pizza", "food"),
  e("🍺", "beer", "cheers"),
  e("🌈", "rainbow"),
  e("☀️", "sun", "sunny"),
  e("🌙", "moon", "night"),
  e("🐱", "cat", "kitten"),
  e("🐶", "dog", "puppy"),
  e("🦄", "unicorn"),
  e("💙", "blue heart"),
  e("💚", "green heart"),
  e("💔", "broken heart", "sad"),
];

/** The set in picker order (quick reactions first); with a query, the entries one of whose words starts with it. */
export function searchEmoji(query: string): EmojiEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...EMOJI];
  return EMOJI.filter((entry) => entry.emoji === q || entry.names.some((name) => matches(name, q)));
}

/** "heart eyes" is found by "heart", "eyes" and "heart e" */
const matches = (name: string, q: string) => name.startsWith(q) || name.split(" ").some((word) => word.startsWith(q));

/** An emoji's name for labels and tooltips ("thumbs up"), or the emoji itself when it is not in the set. */
export function emojiName(emoji: string): string {
  return EMOJI.find((entry) => entry.emoji === emoji)?.names[0] ?? emoji;
}

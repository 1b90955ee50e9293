// The /command table without a terminal or a server: how submitted lines parse, and the /help it prints.
import { describe, expect, it } from "vitest";
import { helpText, parseInput } from "../../cli/terminal/commands";

/** The message of a parse error (or a note that it was not one). */
const errorOf = (parsed: ReturnType<typeof parseInput>): string =>
  parsed.kind === "error" ? parsed.message : `(not an error: ${parsed.kind})`;

describe("parseInput", () => {
  it("parses /me, and /nick with a display name (spaces kept, trimmed), alone (clears it) or refused", () => {
    expect(parseInput("/me")).toEqual({ kind: "command", command: { name: "me" } });
    expect(parseInput("/nick  Ada  Lovelace ")).toEqual({
      kind: "command",
      command: { name: "nick", displayName: "Ada  Lovelace" },
    });
    expect(parseInput("/nick")).toEqual({ kind: "command", command: { name: "nick", displayName: null } });
    expect(errorOf(parseInput(`/nick ${"x".repeat(65)}`))).toBe(
      "display name must be at most 64 characters. Usage: /nick <display name>",
    );
  });

  it("treats plain lines as messages, //text as a message starting with /, blank lines as nothing", () => {
    expect(parseInput("hello")).toEqual({ kind: "message", content: "hello" });
    expect(parseInput("  //etc/passwd is a path")).toEqual({ kind: "message", content: "  /etc/passwd is a path" });
    expect(parseInput("   ")).toEqual({ kind: "empty" });
  });

  it("parses the simple commands, case-insensitively, with aliases", () => {
    expect(parseInput("/help")).toEqual({ kind: "command", command: { name: "help" } });
    expect(parseInput("/QUIT")).toEqual({ kind: "command", command: { name: "quit" } });
    expect(parseInput("/exit")).toEqual({ kind: "command", command: { name: "quit" } });
    expect(parseInput("/logout")).toEqual({ kind: "command", command: { name: "logout" } });
    expect(parseInput(" /rooms ")).toEqual({ kind: "command", command: { name: "rooms" } });
    expect(parseInput("/who")).toEqual({ kind: "command", command: { name: "who" } });
  });

  it("parses /join and /switch with a room or @user", () => {
    expect(parseInput("/join ops")).toEqual({
      kind: "command",
      command: { name: "join", target: { kind: "room", name: "ops" } },
    });
    expect(parseInput("/j #Ops")).toEqual({
      kind: "command",
      command: { name: "join", target: { kind: "room", name: "Ops" } },
    });
    expect(parseInput("/switch @bob")).toEqual({
      kind: "command",
      command: { name: "switch", target: { kind: "dm", user: "bob" } },
    });
    expect(parseInput("/s general")).toEqual({
      kind: "command",
      command: { name: "switch", target: { kind: "room", name: "general" } },
    });
    expect(errorOf(parseInput("/join"))).toContain("Usage: /join");
    expect(parseInput("/join a b")).toMatchObject({ kind: "error" });
    expect(errorOf(parseInput("/join no.dots"))).toContain("letters, digits");
  });

  it("parses /create with --private anywhere", () => {
    expect(parseInput("/create ops")).toEqual({
      kind: "command",
      command: { name: "create", room: "ops", private: false },
    });
    expect(parseInput("/create --private hq")).toEqual({
      kind: "command",
      command: { name: "create", room: "hq", private: true },
    });
    expect(parseInput("/create #hq -p")).toEqual({
      kind: "command",
      command: { name: "create", room: "hq", private: true },
    });
    expect(errorOf(parseInput("/create hq --secret"))).toContain("Usage");
    expect(parseInput("/create")).toMatchObject({ kind: "error" });
    expect(errorOf(parseInput(`/create ${"x".repeat(41)}`))).toContain("40");
  });

  it("parses /more", () => {
    expect(parseInput("/more")).toEqual({ kind: "command", command: { name: "more" } });
    expect(parseInput("/MORE")).toEqual({ kind: "command", command: { name: "more" } });
  });

  it("parses /leave, /invite, /dm and /msg", () => {
    expect(parseInput("/leave")).toEqual({ kind: "command", command: { name: "leave" } });
    expect(parseInput("/leave #ops")).toEqual({ kind: "command", command: { name: "leave", room: "ops" } });
    expect(parseInput("/leave @bob")).toMatchObject({ kind: "error" });
    expect(parseInput("/invite bob")).toEqual({ kind: "command", command: { name: "invite", username: "bob" } });
    expect(parseInput("/invite @bob")).toEqual({ kind: "command", command: { name: "invite", username: "bob" } });
    expect(parseInput("/dm bob")).toEqual({ kind: "command", command: { name: "dm", username: "bob" } });
    expect(parseInput("/msg @bob")).toEqual({ kind: "command", command: { name: "dm", username: "bob" } });
    expect(parseInput("/dm")).toMatchObject({ kind: "error", message: "Usage: /dm <user>" });
    expect(errorOf(parseInput("/dm b"))).toContain("at least");
  });

  it("parses /edit with a number, or for your last message, keeping the text as typed", () => {
    expect(parseInput("/edit 3 fixed  it")).toEqual({
      kind: "command",
      command: { name: "edit", number: 3, content: "fixed  it" },
    });
    expect(parseInput("/edit [12] again")).toEqual({
      kind: "command",
      command: { name: "edit", number: 12, content: "again" },
    });
    expect(parseInput("/EDIT the typo, fixed")).toEqual({
      kind: "command",
      command: { name: "edit", content: "the typo, fixed" },
    });
    expect(parseInput("/edit 2024 was a year")).toMatchObject({ command: { number: 2024, content: "was a year" } });
    expect(parseInput("/edit")).toEqual({ kind: "error", message: "Usage: /edit [n] <text>" });
    expect(errorOf(parseInput("/edit 3"))).toBe("give the new text after the number. Usage: /edit [n] <text>");
    expect(errorOf(parseInput(`/edit 3 ${"x".repeat(5000)}`))).toContain("longer than");
    // 0 and negative numbers are no message numbers: the words are the text
    expect(parseInput("/edit 0 items")).toMatchObject({ command: { name: "edit", content: "0 items" } });
  });

  it("parses /delete with or without a number", () => {
    expect(parseInput("/delete")).toEqual({ kind: "command", command: { name: "delete" } });
    expect(parseInput("/del 4")).toEqual({ kind: "command", command: { name: "delete", number: 4 } });
    expect(parseInput("/delete [4]")).toEqual({ kind: "command", command: { name: "delete", number: 4 } });
    expect(errorOf(parseInput("/delete four"))).toBe("Usage: /delete [n]");
    expect(errorOf(parseInput("/delete 4 5"))).toBe("Usage: /delete [n]");
  });

  it("takes an emoji's :name:, as messages show it, for /react", () => {
    expect(parseInput("/react 3 :tada:")).toEqual({
      kind: "command",
      command: { name: "react", number: 3, emoji: "🎉" },
    });
    expect(parseInput("/react 3 :+1:")).toMatchObject({ command: { emoji: "👍" } });
    expect(parseInput("/react 3 :THUMBSUP:")).toMatchObject({ command: { emoji: "👍" } });
    expect(errorOf(parseInput("/react 3 :nosuchemoji:"))).toContain(":nosuchemoji: is not one emoji");
    expect(errorOf(parseInput("/react 3 :constructor:"))).toContain("is not one emoji");
  });

  it("parses /react with a number and one emoji (ZWJ sequences, skin tones and flags too)", () => {
    expect(parseInput("/react 3 👍")).toEqual({ kind: "command", command: { name: "react", number: 3, emoji: "👍" } });
    for (const emoji of ["👍🏽", "👩‍💻", "🇫🇷", "❤️"])
      expect(parseInput(`/react 1 ${emoji}`)).toMatchObject({ command: { emoji } });
    expect(errorOf(parseInput("/react 3 ok"))).toBe(
      "ok is not one emoji (nor an emoji's :name:). Usage: /react <n> <emoji>",
    );
    expect(errorOf(parseInput("/react 3 👍👍"))).toContain("is not one emoji");
    expect(errorOf(parseInput("/react 3 \u001b[31m👍"))).not.toContain("\u001b");
    expect(errorOf(parseInput("/react 👍"))).toBe("Usage: /react <n> <emoji>");
    expect(errorOf(parseInput("/react 3"))).toBe("Usage: /react <n> <emoji>");
    expect(errorOf(parseInput("/react 3 👍 🎉"))).toBe("Usage: /react <n> <emoji>");
  });

  it("parses /reply with a number and text", () => {
    expect(parseInput("/reply 2 sounds  good")).toEqual({
      kind: "command",
      command: { name: "reply", number: 2, content: "sounds  good" },
    });
    expect(parseInput("/re [2] ok")).toEqual({ kind: "command", command: { name: "reply", number: 2, content: "ok" } });
    expect(errorOf(parseInput("/reply 2"))).toBe("Usage: /reply <n> <text>");
    expect(errorOf(parseInput("/reply hello there"))).toBe("Usage: /reply <n> <text>");
  });

  it("reports unknown commands, sanitized", () => {
    expect(parseInput("/nope")).toEqual({
      kind: "error",
      message: "Unknown command /nope; /help lists the commands.",
    });
    expect(errorOf(parseInput("/x\u001b[2J"))).not.toContain("\u001b");
  });
});

describe("/upload", () => {
  it("takes a path (quoted when it has spaces) and an optional caption", () => {
    expect(parseInput('/upload "my file.png" look at this')).toEqual({
      kind: "command",
      command: { name: "upload", path: "my file.png", caption: "look at this" },
    });
    expect(parseInput("/up ./notes.txt")).toEqual({
      kind: "command",
      command: { name: "upload", path: "./notes.txt", caption: "" },
    });
    expect(parseInput("/upload")).toEqual({ kind: "error", message: "Usage: /upload <path> [caption]" });
  });
});

describe("/help", () => {
  it("lists every command of the table, in a column, as it always read", () => {
    expect(helpText()).toBe(
      [
        "Commands:",
        "  /rooms              your rooms and DMs (unread counts), public rooms to join",
        "  /join <room>        join a public room if needed, and go there (/j)",
        "  /switch <room>      go to one of your rooms, or to @user's DM (/s)",
        "  /create <room> [--private]   create a room (a private one: by /invite only)",
        "  /invite <user>      add someone to the current room",
        "  /leave [room]       leave the current room (not #general, not DMs)",
        "  /dm <user>          direct messages with someone (/msg)",
        "  /reply <n> <text>   reply to message [n], quoting it (/re)",
        "  /edit [n] <text>    change your message [n] (default: your last one here)",
        "  /delete [n]         delete your message [n] (default: your last one here)",
        "  /react <n> <emoji>  add an emoji (or its :name:, :tada:) to message [n], or take yours back",
        "  /who                who is in this room: online, or when last seen",
        "  /me                 your profile: display name, status",
        "  /nick <display name>   the name shown beside your username (/nick alone removes it)",
        '  /search <query>     find messages (words, "a phrase", from:user, in:room); alone: more (/find)',
        "  /upload <path> [caption]   share a file here, with an optional caption (/up); quote a path with spaces",
        "  /more               older messages of this conversation, a page at a time",
        "  /help               this list",
        "  /logout             log out of this server (forgets the saved token), quit",
        "  /quit               quit (also Ctrl-D or Ctrl-C); waits for unsent messages",
        "  //text              send a message that starts with '/'",
        "[n] beside a message names it for /reply, /edit, /delete, /react; it keeps that number until you quit.",
        "Tab completes commands, room names (#room) and usernames (@user).",
      ].join("\n"),
    );
  });

  it("parses each command it lists", () => {
    const names = [...helpText().matchAll(/^ {2}\/(\w+)/gm)].map((m) => m[1]);
    expect(names).toHaveLength(20);
    for (const name of names) {
      const parsed = parseInput(`/${name}`);
      expect(parsed.kind === "command" || (parsed.kind === "error" && parsed.message.startsWith("Usage"))).toBe(true);
    }
  });
});

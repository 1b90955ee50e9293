import { describe, expect, it } from "vitest";
import { complete, findTrigger, suggest } from "@/lib/web/autocomplete";

describe("findTrigger", () => {
  it("finds @ and # words before the caret, at the start or after a space or punctuation", () => {
    expect(findTrigger("hi @bo", 6)).toEqual({ char: "@", query: "bo", start: 3 });
    expect(findTrigger("@", 1)).toEqual({ char: "@", query: "", start: 0 });
    expect(findTrigger("see #dev", 8)).toEqual({ char: "#", query: "dev", start: 4 });
    expect(findTrigger("(@al", 4)).toEqual({ char: "@", query: "al", start: 1 });
    // the caret in the middle of a name: the part before it is the query
    expect(findTrigger("@alice", 3)).toEqual({ char: "@", query: "al", start: 0 });
  });

  it("is null in an e-mail address, after a word, for a doubled trigger, or with no trigger", () => {
    expect(findTrigger("bob@exa", 7)).toBeNull();
    expect(findTrigger("C#", 2)).toBeNull();
    expect(findTrigger("@@bo", 4)).toBeNull();
    expect(findTrigger("hello", 5)).toBeNull();
    expect(findTrigger("@bob done", 9)).toBeNull();
  });
});

describe("suggest", () => {
  const names = ["alice", "Bob", "albert", "carla", "zed"];
  it("puts prefix matches first, then substring matches, case-insensitively, up to the limit", () => {
    expect(suggest(names, "al")).toEqual(["alice", "albert"]);
    expect(suggest(names, "r")).toEqual(["albert", "carla"]);
    expect(suggest(["carla", "rob"], "r")).toEqual(["rob", "carla"]);
    expect(suggest(names, "B")).toEqual(["Bob", "albert"]);
    expect(suggest(names, "")).toEqual(names);
    expect(suggest(names, "", 2)).toEqual(["alice", "Bob"]);
    expect(suggest(names, "nobody")).toEqual([]);
  });
});

describe("complete", () => {
  it("replaces the typed word with the name and a space, keeping the rest", () => {
    expect(complete("hi @bo", { char: "@", query: "bo", start: 3 }, 6, "bob")).toEqual({ text: "hi @bob ", caret: 8 });
    expect(complete("@al there", { char: "@", query: "al", start: 0 }, 3, "alice")).toEqual({
      text: "@alice there",
      caret: 7,
    });
    // the caret inside a name: the whole name is replaced
    expect(complete("@alxx!", { char: "@", query: "al", start: 0 }, 3, "alice")).toEqual({
      text: "@alice !",
      caret: 7,
    });
    expect(complete("see #d", { char: "#", query: "d", start: 4 }, 6, "dev")).toEqual({ text: "see #dev ", caret: 9 });
  });
});

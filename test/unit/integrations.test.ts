// Pure pieces of integrations: which Host names are served, ALLOWED_HOSTS validation, a Slack body as one
// Markdown text (JSON, payload=, plain fields, curl's form-encoded JSON), and a bot's post named as the bot
// (its own message group, its push, its label) rather than as its maker.
import { describe, expect, it } from "vitest";
import { ConfigError, loadServerConfig } from "@/lib/config";
import { allowedHostNames, hostName, isHostAllowed } from "@/lib/http/host";
import { parseHookBody } from "@/lib/http/hook-routes";
import type { Message } from "@/lib/protocol";
import { hookText } from "@/lib/services/hooks";
import { pushPayload } from "@/lib/services/push";
import { authorLabel } from "@/lib/text/author";
import { continues } from "@/lib/web/message-groups";
import { unchanged } from "../helpers/message-fixture";

describe("Host names", () => {
  const allowed = ["chat.example.com", "*.corp.example"];
  it.each([
    ["localhost:8000", true],
    ["app.localhost", true],
    ["127.0.0.1:8000", true],
    ["[::1]:8000", true],
    ["192.168.1.20", true],
    ["chat.example.com", true],
    ["CHAT.EXAMPLE.COM.", true],
    ["a.corp.example", true],
    [undefined, true],
    ["corp.example", false],
    ["evil.example", false],
    ["localhost.evil.example", false],
    ["chat.example.com.evil.example", false],
    ["bad host", false],
  ])("%s → %s", (host, ok) => {
    expect(isHostAllowed(host, allowed)).toBe(ok);
  });

  it("names come from ALLOWED_HOSTS, ALLOWED_ORIGINS' hosts and HOST when it is a name", () => {
    expect(hostName("[::1]:80")).toBe("::1");
    const names = allowedHostNames({
      ALLOWED_HOSTS: ["a.example"],
      ALLOWED_ORIGINS: ["https://B.example:8443"],
      HOST: "chat.lan",
    });
    expect(names.sort()).toEqual(["a.example", "b.example", "chat.lan"]);
    expect(allowedHostNames({ ALLOWED_HOSTS: [], ALLOWED_ORIGINS: [], HOST: "0.0.0.0" })).toEqual([]);
  });

  it("ALLOWED_HOSTS is validated: names or *.names, no scheme or port", () => {
    expect(loadServerConfig({ ALLOWED_HOSTS: " Chat.Example.com , *.corp.example " }).ALLOWED_HOSTS).toEqual([
      "chat.example.com",
      "*.corp.example",
    ]);
    expect(() => loadServerConfig({ ALLOWED_HOSTS: "https://chat.example.com" })).toThrow(ConfigError);
    expect(() => loadServerConfig({ ALLOWED_HOSTS: "chat.example.com:8000" })).toThrow(/ALLOWED_HOSTS/);
  });
});

describe("a hook's body", () => {
  it("JSON, payload=, plain fields, and JSON sent as a form (curl -d without a content type)", () => {
    const form = "application/x-www-form-urlencoded";
    expect(parseHookBody("application/json", '{"text":"a"}')).toEqual({ text: "a" });
    expect(parseHookBody(null, '{"text":"a"}')).toEqual({ text: "a" });
    expect(parseHookBody(form, `payload=${encodeURIComponent('{"text":"b & c"}')}`)).toEqual({ text: "b & c" });
    expect(parseHookBody(form, "text=hi+there&username=Cron")).toEqual({ text: "hi there", username: "Cron" });
    expect(parseHookBody(form, '{"text":"d"}')).toEqual({ text: "d" });
    expect(() => parseHookBody(form, "payload=%7Bnope")).toThrow(/payload must be valid JSON/);
  });

  it("text, then each attachment's pretext, linked bold title and text (or its fallback)", () => {
    expect(
      hookText({
        text: "Alert",
        attachments: [
          { pretext: "pre", title: "T", title_link: "https://x.example/a", text: "body" },
          { fallback: "only fallback" },
          { title: "no link", title_link: "javascript:alert(1)" },
        ],
      }),
    ).toBe("Alert\npre\n**[T](https://x.example/a)**\nbody\nonly fallback\n**no link**");
  });
});

describe("a bot's post", () => {
  const at = "2026-12-06T10:00:00.000Z";
  const person: Message = { ...unchanged(1), id: 1, username: "alice", content: "hi", timestamp: at, room: "ops" };
  const bot: Message = { ...person, id: 2, bot: { name: "Grafana", iconUrl: null } };

  it("starts its own group after its maker's message, and the maker's next one starts another", () => {
    expect(continues(person, bot)).toBe(false);
    expect(continues(bot, { ...person, id: 3 })).toBe(false);
    expect(continues(bot, { ...bot, id: 3 })).toBe(true);
  });

  it("is named as the bot in pushes and labels", () => {
    expect(authorLabel(bot)).toBe("Grafana [bot]");
    expect(authorLabel(person)).toBe("alice");
    expect(pushPayload(bot).username).toBe("Grafana [bot]");
  });
});

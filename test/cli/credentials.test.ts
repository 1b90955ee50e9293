import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CREDENTIALS_FILE, CredentialStore, serverKey } from "../../cli/credentials";

const posix = process.platform !== "win32";
let root: string;
let dir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "chatterbox-credentials-"));
  dir = path.join(root, "config", "chatterbox");
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

describe("CredentialStore", () => {
  it("has nothing before anything is stored", async () => {
    expect(await new CredentialStore(dir).get("http://127.0.0.1:8000")).toBeUndefined();
  });

  it("stores the token in a 0600 file inside a 0700 directory", async () => {
    const store = new CredentialStore(dir);
    await store.set("http://127.0.0.1:8000", { token: "t-1", username: "alice" });
    expect(store.file).toBe(path.join(dir, CREDENTIALS_FILE));
    if (posix) {
      expect(await mode(store.file)).toBe(0o600);
      expect(await mode(dir)).toBe(0o700);
    }
    expect(await store.get("http://127.0.0.1:8000")).toMatchObject({ token: "t-1", username: "alice" });
    expect(await fs.readdir(dir)).toEqual([CREDENTIALS_FILE]); // no temporary files left behind
  });

  it("tightens a config directory and file that are too open", async () => {
    if (!posix) return;
    await fs.mkdir(dir, { recursive: true, mode: 0o755 });
    await fs.chmod(dir, 0o755);
    await fs.writeFile(path.join(dir, CREDENTIALS_FILE), '{"version":1,"servers":{}}', { mode: 0o644 });
    const store = new CredentialStore(dir);
    await store.set("http://a.example", { token: "x" });
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(store.file)).toBe(0o600);
  });

  it("keeps one token per server", async () => {
    const store = new CredentialStore(dir);
    await store.set("http://127.0.0.1:8000", { token: "local", username: "alice" });
    await store.set("https://chat.example.com", { token: "remote", username: "bob" });
    expect((await store.get("http://127.0.0.1:8000"))?.token).toBe("local");
    expect((await store.get("https://chat.example.com"))?.token).toBe("remote");
    expect(await store.get("http://127.0.0.1:9000")).toBeUndefined();

    await store.set("http://127.0.0.1:8000", { token: "local-2", username: "alice" });
    expect((await store.get("http://127.0.0.1:8000"))?.token).toBe("local-2");
    expect((await store.get("https://chat.example.com"))?.token).toBe("remote");
  });

  it("treats equivalent spellings of a server URL as the same server", async () => {
    expect(serverKey("http://127.0.0.1:8000/")).toBe("http://127.0.0.1:8000");
    expect(serverKey("HTTP://Chat.Example.com:443/")).toBe("http://chat.example.com:443");
    expect(serverKey("https://chat.example.com:443")).toBe("https://chat.example.com");
    const store = new CredentialStore(dir);
    await store.set("http://localhost:8000/", { token: "t" });
    expect((await store.get("http://localhost:8000"))?.token).toBe("t");
  });

  it("deletes one server's token, and only the expected one when asked", async () => {
    const store = new CredentialStore(dir);
    await store.set("http://a.example", { token: "a" });
    await store.set("http://b.example", { token: "b" });
    expect(await store.delete("http://a.example", "not-a")).toBe(false);
    expect((await store.get("http://a.example"))?.token).toBe("a");
    expect(await store.delete("http://a.example", "a")).toBe(true);
    expect(await store.get("http://a.example")).toBeUndefined();
    expect((await store.get("http://b.example"))?.token).toBe("b");
    expect(await store.delete("http://a.example")).toBe(false);
    if (posix) expect(await mode(store.file)).toBe(0o600);
  });

  it("starts over from a corrupt file instead of failing", async () => {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, CREDENTIALS_FILE), "{not json");
    const store = new CredentialStore(dir);
    expect(await store.get("http://a.example")).toBeUndefined();
    await store.set("http://a.example", { token: "a" });
    expect((await store.get("http://a.example"))?.token).toBe("a");
  });
});

// Stored login tokens: <configDir>/credentials.json, one entry per server URL, readable only by the user
// (file 0600, directory 0700). Writes go to a temporary file that is renamed over the old one.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

export const CREDENTIALS_FILE = "credentials.json";
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

const storedCredentialSchema = z.object({
  token: z.string().min(1),
  username: z.string().optional(),
  savedAt: z.string().optional(),
});
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

const credentialsFileSchema = z.object({
  version: z.literal(1).default(1),
  servers: z.record(z.string(), storedCredentialSchema).default({}),
});
type CredentialsFile = z.infer<typeof credentialsFileSchema>;

/** The key a server's token is stored under: scheme, host, port and path, without a trailing slash. */
export function serverKey(serverUrl: string): string {
  try {
    const url = new URL(serverUrl);
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return serverUrl.trim().replace(/\/+$/, "");
  }
}

const isNotFound = (err: unknown) => err instanceof Error && "code" in err && err.code === "ENOENT";

export class CredentialStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, CREDENTIALS_FILE);
  }

  async get(serverUrl: string): Promise<StoredCredential | undefined> {
    const data = await this.read();
    return data.servers[serverKey(serverUrl)];
  }

  async set(serverUrl: string, credential: { token: string; username?: string }): Promise<void> {
    const data = await this.read();
    data.servers[serverKey(serverUrl)] = { ...credential, savedAt: new Date().toISOString() };
    await this.write(data);
  }

  /**
   * Forget the server's token. With `onlyToken`, only when the stored token is that one (another process
   * may have stored a newer one meanwhile). Returns whether something was removed.
   */
  async delete(serverUrl: string, onlyToken?: string): Promise<boolean> {
    const data = await this.read();
    const key = serverKey(serverUrl);
    const current = data.servers[key];
    if (!current || (onlyToken !== undefined && current.token !== onlyToken)) return false;
    delete data.servers[key];
    await this.write(data);
    return true;
  }

  private async read(): Promise<CredentialsFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, "utf8");
    } catch (err) {
      if (isNotFound(err)) return { version: 1, servers: {} };
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { version: 1, servers: {} }; // unreadable: start over rather than refuse to run
    }
    const parsed = credentialsFileSchema.safeParse(json);
    return parsed.success ? parsed.data : { version: 1, servers: {} };
  }

  private async write(data: CredentialsFile): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    await fs.chmod(this.dir, DIR_MODE);
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await fs.writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: FILE_MODE, flag: "wx" });
      await fs.chmod(temp, FILE_MODE);
      await fs.rename(temp, this.file);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
  }
}

// Who is online, from presence events and user lists: shown in a DM's header and in /who, /rooms; the
// names known are what Tab completes.
export class Presence {
  /** lower-case username → the name as spelled, online */
  private readonly users = new Map<string, { name: string; online: boolean }>();

  learn(users: readonly { username: string; online: boolean }[]): void {
    for (const u of users) this.users.set(u.username.toLowerCase(), { name: u.username, online: u.online });
  }

  get(username: string): boolean | undefined {
    return this.users.get(username.toLowerCase())?.online;
  }

  /** Every username heard of, as spelled. */
  names(): string[] {
    return [...this.users.values()].map((u) => u.name);
  }

  /** Record a presence event; returns what was known before. */
  set(username: string, online: boolean): boolean | undefined {
    const key = username.toLowerCase();
    const was = this.users.get(key)?.online;
    this.users.set(key, { name: username, online });
    return was;
  }
}

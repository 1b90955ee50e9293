// Who is online, from presence events and user lists: shown in a DM's header and in /who, /rooms.
export class Presence {
  /** lower-case username → online */
  private readonly online = new Map<string, boolean>();

  learn(users: readonly { username: string; online: boolean }[]): void {
    for (const u of users) this.online.set(u.username.toLowerCase(), u.online);
  }

  get(username: string): boolean | undefined {
    return this.online.get(username.toLowerCase());
  }

  /** Record a presence event; returns what was known before. */
  set(username: string, online: boolean): boolean | undefined {
    const key = username.toLowerCase();
    const was = this.online.get(key);
    this.online.set(key, online);
    return was;
  }
}

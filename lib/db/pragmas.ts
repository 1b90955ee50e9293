// The settings of every connection that writes (Prisma's and the message writer's), declared once.
// WAL lets readers run beside the writer. synchronous=FULL fsyncs the WAL at every commit, so a message is on
// disk before its ack leaves: with NORMAL a power cut could lose acked messages (WAL is only synced at
// checkpoints), which breaks "acked means durable".
export const WRITER_PRAGMAS = ["journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"] as const;

/** SQLite's checkpoint inside commits (see checkpointer.ts): off while the checkpoint worker runs. */
export const autoCheckpointPragma = (on: boolean): string => `wal_autocheckpoint = ${on ? 1000 : 0}`;

/** What a write connection really runs with, read back from SQLite (DataLayer.pragmas). */
export interface EffectivePragmas {
  /** lower case, as SQLite reports it: "wal" */
  journalMode: string;
  /** by name: "OFF", "NORMAL", "FULL" or "EXTRA" */
  synchronous: string;
  foreignKeys: boolean;
}

/** SQLite answers `PRAGMA synchronous` with a number */
export const synchronousName = (level: number): string => ["OFF", "NORMAL", "FULL", "EXTRA"][level] ?? String(level);

/** What PostgreSQL's connections commit with, read back (SHOW): an ack follows a durable commit only with both "on". */
export interface PgDurability {
  fsync: string;
  synchronousCommit: string;
}

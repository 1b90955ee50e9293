// What message-writer.ts and its thread (writer-thread.ts) say to each other. Everything crosses threads by
// structured clone: plain objects, arrays and Dates.
import type { FaultSpec } from "../config";
import type { WriteOp, WriteResult } from "./message-batch";
import type { EffectivePragmas } from "./pragmas";

export interface WriterData {
  databasePath: string;
  /** test-only crash points (lib/fault.ts), made again on the thread */
  fault: FaultSpec | undefined;
}

export type WriterRequest =
  | { kind: "batch"; id: number; ops: WriteOp[] }
  | { kind: "autoCheckpoint"; on: boolean }
  | { kind: "pragmas"; id: number }
  | { kind: "close" };

export type WriterReply =
  | { id: number; results: WriteResult[]; seconds: number }
  | { id: number; error: { message: string; code: string } }
  | { id: number; pragmas: EffectivePragmas }
  /** the thread opened its connection (id 0) */
  | { id: number; ready: true };

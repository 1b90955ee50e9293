// The message writer's thread: runs each batch message-writer.ts sends as one transaction (message-batch.ts)
// and answers with the results. The commit's fsync blocks this thread only; the event loop goes on serving
// sockets meanwhile, and the acks still leave only after the answer, so after the fsync.
import { parentPort, workerData } from "node:worker_threads";
import { createFaults } from "../fault";
import { openMessageBatches } from "./message-batch";
import type { WriterData, WriterReply, WriterRequest } from "./writer-protocol";

const port = parentPort!;
const { databasePath, fault } = workerData as WriterData;
const batches = open();

function open() {
  try {
    return openMessageBatches(databasePath, createFaults(fault));
  } catch (err) {
    // better-sqlite3's errors lose their message crossing to the main thread: a plain Error keeps it
    throw new Error(`the message writer could not open ${databasePath}: ${errorText(err).message}`);
  }
}

function errorText(err: unknown): { message: string; code: string } {
  const e = err as { message?: unknown; code?: unknown };
  const message = typeof e.message === "string" ? e.message : String(err);
  return { message, code: typeof e.code === "string" ? e.code : "" };
}

function answer(request: WriterRequest): WriterReply | undefined {
  switch (request.kind) {
    case "batch": {
      const started = performance.now();
      try {
        const results = batches.write(request.ops);
        return { id: request.id, results, seconds: (performance.now() - started) / 1000 };
      } catch (err) {
        return { id: request.id, error: errorText(err) };
      }
    }
    case "autoCheckpoint":
      batches.autoCheckpoint(request.on);
      return undefined;
    case "pragmas":
      return { id: request.id, pragmas: batches.pragmas() };
    case "close":
      batches.close();
      port.close();
      return undefined;
  }
}

port.on("message", (request: WriterRequest) => {
  const reply = answer(request);
  if (reply) port.postMessage(reply);
});
port.postMessage({ id: 0, ready: true } satisfies WriterReply);

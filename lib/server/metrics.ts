// GET /metrics (SPEC.md "Integrations"): Prometheus text from prom-client. One registry per server, so that
// several servers in one process (tests) never mix their series. Counts are read when scraped (connections,
// online users, database size, the protective cut-offs) or bumped by domain events; only the ack and commit
// timings are observed on the way, one histogram bucket increment each.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ChatEvents } from "../services/events";
import type { Counters } from "./counters";

export interface MetricsSources {
  events: ChatEvents;
  counters: Counters;
  connections(): { socketio: number; ws: number };
  onlineUsers(): number;
  /** bytes queued in this process for sockets (not yet taken by the kernel), and how many sockets have some */
  backlog(): { sockets: number; bytes: number };
  storageBytes(): Promise<number>;
}

export interface Metrics {
  registry: Registry;
  /** a socket.io request answered: seconds from its arrival to its ack */
  observeAck: (seconds: number) => void;
  /** a group commit: operations in it and seconds its transaction (with the fsync) took */
  observeCommit: (size: number, seconds: number) => void;
  /** binds what is read at scrape time; called once the server parts exist */
  bind: (sources: MetricsSources) => void;
}

const ACK_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500];

/** A counter that mirrors a plain number the server keeps (Counters), as its increase since the last scrape. */
function mirrored(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      this.inc(now - seen);
      seen = now;
    },
  });
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // event-loop lag, heap, GC, CPU, file descriptors
  const ack = new Histogram({
    name: "chatterbox_socket_ack_seconds",
    help: "socket.io requests (sends, message actions, pages, search) from arrival to ack",
    buckets: ACK_BUCKETS,
    registers: [registry],
  });
  const batch = new Histogram({
    name: "chatterbox_commit_batch_operations",
    help: "operations (messages, edits, deletes, reactions) per group commit",
    buckets: BATCH_BUCKETS,
    registers: [registry],
  });
  const commit = new Histogram({
    name: "chatterbox_commit_seconds",
    help: "time of one group commit's transaction, fsync included",
    buckets: ACK_BUCKETS,
    registers: [registry],
  });

  return {
    registry,
    observeAck: (seconds) => ack.observe(seconds),
    observeCommit: (size, seconds) => {
      batch.observe(size);
      commit.observe(seconds);
    },
    bind: (src) => {
      const messages = new Counter({
        name: "chatterbox_messages_total",
        help: "messages stored",
        registers: [registry],
      });
      const changes = new Counter({
        name: "chatterbox_message_changes_total",
        help: "edits, deletes and reaction changes stored",
        registers: [registry],
      });
      // this process's own (scaled out, each process counts what it stored; Prometheus sums them)
      src.events.originated.on("message:created", () => messages.inc());
      src.events.originated.on("message:updated", () => changes.inc());
      new Gauge({
        name: "chatterbox_connections",
        help: "open realtime connections by transport",
        labelNames: ["transport"],
        registers: [registry],
        collect() {
          const open = src.connections();
          this.set({ transport: "socketio" }, open.socketio);
          this.set({ transport: "ws" }, open.ws);
        },
      });
      // a backlog that keeps growing is a slow consumer on its way to being cut off (SLOW_CLIENT_MAX_BYTES);
      // one pass over the sockets per scrape serves both gauges
      let backlogNow: { sockets: number; bytes: number } | undefined;
      const backlog = () => {
        if (!backlogNow) {
          backlogNow = src.backlog();
          setImmediate(() => (backlogNow = undefined));
        }
        return backlogNow;
      };
      new Gauge({
        name: "chatterbox_outbound_backlog_bytes",
        help: "bytes queued in this process for realtime sockets whose kernel buffers are full",
        registers: [registry],
        collect() {
          this.set(backlog().bytes);
        },
      });
      new Gauge({
        name: "chatterbox_sockets_with_backlog",
        help: "realtime sockets with bytes queued in this process (their kernel buffers are full)",
        registers: [registry],
        collect() {
          this.set(backlog().sockets);
        },
      });
      new Gauge({
        name: "chatterbox_online_users",
        help: "users with at least one open socket (or within the grace period after their last one)",
        registers: [registry],
        collect() {
          this.set(src.onlineUsers());
        },
      });
      new Gauge({
        name: "chatterbox_database_bytes",
        help: "size of the database on disk (SQLite: the file and its write-ahead log)",
        registers: [registry],
        async collect() {
          this.set(await src.storageBytes());
        },
      });
      const c = src.counters;
      mirrored(
        registry,
        "chatterbox_slow_clients_disconnected_total",
        "sockets cut off as slow consumers",
        () => c.slowClientsDisconnected,
      );
      mirrored(
        registry,
        "chatterbox_sockets_over_user_cap_total",
        "sockets closed past MAX_SOCKETS_PER_USER",
        () => c.socketsOverUserCap,
      );
      mirrored(
        registry,
        "chatterbox_connections_refused_total",
        "connections answered 503 past MAX_CONNECTIONS",
        () => c.connectionsRefused,
      );
    },
  };
}

// Sizes of each run. `full` is the sizes; `quick` fits in under five minutes on two cores;
// `tiny` is the smoke test's (seconds, shape only — its numbers mean nothing).
export type ProfileName = "full" | "quick" | "tiny";

export interface Profile {
  name: ProfileName;
  latency: {
    clients: number;
    rooms: number;
    /** the rate the pinned numbers are measured at */
    ratePerSec: number;
    /** rates of the latency-against-load curve (includes ratePerSec) */
    sweep: number[];
    stepSeconds: number;
    warmupSeconds: number;
  };
  fanout: {
    rooms: number;
    membersPerRoom: number;
    startRate: number;
    factor: number;
    maxSteps: number;
    /** extra steps halving the gap between the last passing and the first failing rate */
    bisectSteps: number;
    stepSeconds: number;
    p99LimitMs: number;
  };
  /** rounds × roundSeconds of Chatterbox, alternating with as many raw SQLite rounds */
  persist: { senders: number; rounds: number; roundSeconds: number };
  /** settleMs: wait after connecting before the GC + RSS reading */
  idle: { connections: number; users: number; settleMs: number };
  /** throughNext: also time REST pages through the real server.ts (when a Next build exists) */
  history: { rows: number; queries: number; throughNext: boolean };
  login: {
    users: number;
    concurrency: number;
    seconds: number;
    bgRooms: number;
    bgMembersPerRoom: number;
    bgRatePerSec: number;
  };
  coldStart: { runs: number; realServerRuns: number };
  /** the latency layout, measured without and with `stalled` sockets that stop reading (issue 18) */
  slow: {
    clients: number;
    rooms: number;
    ratePerSec: number;
    stalled: number;
    /** 16 KB messages per second into the stalled sockets' room (and, without them, into an empty one) */
    sinkRatePerSec: number;
    stepSeconds: number;
    warmupSeconds: number;
  };
  /** messages seeded (Zipf text) from `users` in `rooms`; `queries` of each of the four kinds */
  search: { rows: number; users: number; rooms: number; queries: number };
  /** issue 17's "latency at 10×": one rate, the raw ws server after */
  latencyScale: { clients: number; rooms: number; ratePerSec: number; stepSeconds: number; warmupSeconds: number };
  /** issue 17's C100K: idle connections held by helper processes (`perHolder` each), then messages among the active ones */
  c100k: {
    connections: number;
    /** the idle connections' users (sockets are spread over them) */
    users: number;
    perHolder: number;
    rooms: number;
    membersPerRoom: number;
    ratePerSec: number;
    stepSeconds: number;
  };
  /** one process against two over PostgreSQL + Redis (issue 15): latency, overload deliveries, persist on PostgreSQL */
  cluster: {
    clients: number;
    rooms: number;
    ratePerSec: number;
    stepSeconds: number;
    warmupSeconds: number;
    floodRatePerSec: number;
    floodSeconds: number;
    persistSenders: number;
    persistRounds: number;
    persistRoundSeconds: number;
  };
  /** full-scale numbers this profile scaled down from (said in the report) */
  scaledDown: string[];
}

const FULL: Profile = {
  name: "full",
  latency: {
    clients: 1000,
    rooms: 100,
    ratePerSec: 200,
    sweep: [50, 100, 200, 400, 800],
    stepSeconds: 10,
    warmupSeconds: 2,
  },
  fanout: {
    rooms: 10,
    membersPerRoom: 100,
    startRate: 20,
    factor: 1.5,
    maxSteps: 14,
    bisectSteps: 2,
    stepSeconds: 5,
    p99LimitMs: 50,
  },
  persist: { senders: 200, rounds: 10, roundSeconds: 1 },
  idle: { connections: 10_000, users: 10, settleMs: 2000 },
  history: { rows: 1_000_000, queries: 1000, throughNext: true },
  login: { users: 500, concurrency: 32, seconds: 10, bgRooms: 10, bgMembersPerRoom: 10, bgRatePerSec: 100 },
  coldStart: { runs: 3, realServerRuns: 3 },
  slow: {
    clients: 1000,
    rooms: 100,
    ratePerSec: 200,
    stalled: 100,
    sinkRatePerSec: 100,
    stepSeconds: 10,
    warmupSeconds: 2,
  },
  search: { rows: 1_000_000, users: 1000, rooms: 100, queries: 500 },
  latencyScale: { clients: 10_000, rooms: 1000, ratePerSec: 2000, stepSeconds: 10, warmupSeconds: 2 },
  c100k: {
    connections: 100_000,
    users: 1000,
    perHolder: 15_000,
    rooms: 100,
    membersPerRoom: 10,
    ratePerSec: 100,
    stepSeconds: 10,
  },
  cluster: {
    clients: 1000,
    rooms: 100,
    ratePerSec: 200,
    stepSeconds: 10,
    warmupSeconds: 2,
    floodRatePerSec: 2000,
    floodSeconds: 5,
    persistSenders: 200,
    persistRounds: 5,
    persistRoundSeconds: 2,
  },
  scaledDown: [],
};

const QUICK: Profile = {
  name: "quick",
  latency: { ...FULL.latency, sweep: [100, 200, 400], stepSeconds: 3, warmupSeconds: 1 },
  // from 340 msg/s: the steps below it pass on any machine, and took half of the scenario
  fanout: { ...FULL.fanout, rooms: 5, startRate: 340, stepSeconds: 2, bisectSteps: 1 },
  persist: { senders: 100, rounds: 4, roundSeconds: 1 },
  idle: { connections: 2000, users: 10, settleMs: 1500 },
  history: { rows: 1_000_000, queries: 500, throughNext: true },
  login: { ...FULL.login, users: 200, seconds: 5 },
  coldStart: { runs: 3, realServerRuns: 2 },
  slow: { ...FULL.slow, stepSeconds: 4, warmupSeconds: 1 },
  search: { ...FULL.search, rows: 200_000, queries: 200 },
  latencyScale: { clients: 3000, rooms: 300, ratePerSec: 600, stepSeconds: 3, warmupSeconds: 1 },
  // 5 s, not shorter: a few long pauses set its p99 (26.8-53.4 ms at 5 s, 55.8 ms at 4 s today), and each
  // weighs more in a shorter step
  c100k: { ...FULL.c100k, connections: 20_000, stepSeconds: 5 },
  cluster: {
    ...FULL.cluster,
    stepSeconds: 4,
    warmupSeconds: 1,
    floodSeconds: 2,
    persistRounds: 3,
    persistRoundSeconds: 1,
  },
  scaledDown: [
    "latencyScale: 3,000 clients in 300 rooms at 600 msg/s (full: 10,000, 1,000, 2,000)",
    "c100k: 20,000 idle connections, 5 s of messages (full: 100,000, 10 s)",
    "cluster: 4 s latency step, 2 s overload, 3 × 1 s persist rounds (full: 10 s, 5 s, 5 × 2 s)",
    "search: 200,000 messages, 200 queries of each kind (full: 1,000,000 and 500)",
    "fanout: 5 rooms × 100 members (full: 10 × 100)",
    "idle: 2,000 connections (full: 10,000)",
    "history: 500 queries of each kind (full: 1,000)",
    "shorter steps: latency 3 s per rate, latencyScale 3 s, fanout 2 s per step, persist 4 × 1 s rounds, login storm 5 s, slow 4 s",
    "fewer steps: latency at 100, 200 and 400 msg/s (full: from 50), fanout's ramp from 340 msg/s (full: 20)",
  ],
};

const TINY: Profile = {
  name: "tiny",
  latency: { clients: 20, rooms: 4, ratePerSec: 20, sweep: [20, 40], stepSeconds: 0.5, warmupSeconds: 0.2 },
  fanout: { ...FULL.fanout, rooms: 2, membersPerRoom: 10, maxSteps: 2, bisectSteps: 0, stepSeconds: 0.5 },
  persist: { senders: 10, rounds: 2, roundSeconds: 0.25 },
  idle: { connections: 300, users: 3, settleMs: 200 },
  history: { rows: 2000, queries: 20, throughNext: false },
  login: { users: 10, concurrency: 2, seconds: 0.5, bgRooms: 2, bgMembersPerRoom: 5, bgRatePerSec: 20 },
  coldStart: { runs: 1, realServerRuns: 0 },
  slow: { clients: 20, rooms: 4, ratePerSec: 20, stalled: 4, sinkRatePerSec: 50, stepSeconds: 0.5, warmupSeconds: 0.2 },
  search: { rows: 500, users: 10, rooms: 2, queries: 5 },
  latencyScale: { clients: 40, rooms: 4, ratePerSec: 40, stepSeconds: 0.5, warmupSeconds: 0.2 },
  c100k: { connections: 200, users: 3, perHolder: 120, rooms: 2, membersPerRoom: 5, ratePerSec: 20, stepSeconds: 0.5 },
  cluster: {
    clients: 20,
    rooms: 4,
    ratePerSec: 20,
    stepSeconds: 0.5,
    warmupSeconds: 0.2,
    floodRatePerSec: 100,
    floodSeconds: 0.5,
    persistSenders: 4,
    persistRounds: 1,
    persistRoundSeconds: 0.25,
  },
  scaledDown: ["tiny: every scenario at toy size, for the smoke test only; the numbers mean nothing"],
};

export const PROFILES: Record<ProfileName, Profile> = { full: FULL, quick: QUICK, tiny: TINY };

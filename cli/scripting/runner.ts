// How a subcommand hands its exit code to main: `run(() => work())` awaits the work and records its code;
// a thrown error is mapped by main (exit-codes.ts).
export type Runner = (work: () => Promise<number>) => Promise<void>;

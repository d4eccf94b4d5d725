/**
 * Undoing what a bench started (servers, child processes, databases, folders) on success, error and Ctrl-C alike.
 */

/** Undo actions run last-in first-out, once each, on success, error or interrupt. */
export class Cleanup {
  private readonly actions: { run: () => Promise<unknown>; done: boolean }[] = [];

  constructor(private readonly onError: (message: string) => void) {}

  /** Registers `action`; the returned function runs it now (once) instead of at the end. */
  add(action: () => Promise<unknown>): () => Promise<void> {
    const entry = { run: action, done: false };
    this.actions.push(entry);
    return async () => {
      if (entry.done) return;
      entry.done = true;
      await entry.run();
    };
  }

  async run(): Promise<void> {
    for (const entry of [...this.actions].reverse()) {
      if (entry.done) continue;
      entry.done = true;
      await entry.run().catch((error: Error) => this.onError(`cleanup: ${error.message}`));
    }
  }
}

/**
 * Runs `bench` with a {@link Cleanup} that runs when it ends, or at the first SIGINT/SIGTERM (exit code 130). An
 * error is printed and sets exit code 1, unless it came from an interrupt: processes going away then is no news.
 */
export function runBench(bench: (cleanup: Cleanup) => Promise<void>, progress: (message: string) => void): void {
  const cleanup = new Cleanup(progress);
  let interrupted = false;
  // `on`, not `once`: Ctrl-C reaches the bench twice (from the terminal and relayed by npm and tsx), and a second
  // signal with no listener would end the process before the PostgreSQL server is stopped.
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    progress(`${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  bench(cleanup)
    .finally(() => cleanup.run())
    .catch((error: unknown) => {
      if (!interrupted) console.error(error);
      process.exitCode = 1;
    });
}

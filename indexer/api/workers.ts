/**
 * `--workers N`: N API processes serving one port through `node:cluster`, so the API uses more than one core
 * (JavaScript runs on one thread a process). Each worker is a whole API server on the shared PostgreSQL database:
 * sessions, nonces and the audit log live in the database, and the session key is shared, so any worker serves
 * any request. The primary only starts, watches and stops them.
 */
import cluster from "node:cluster";
import type { Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import type { Logger } from "../ops";

/** Whether this process is the primary of a `--workers` run (the workers run the ordinary command). */
export function isWorkersPrimary(workers: number): boolean {
  return workers > 1 && cluster.isPrimary;
}

/**
 * Forks `count` workers and waits: a signal stops them all (exit 0 once each stopped cleanly); a worker that ends
 * on its own (it could not listen, or failed) stops the others too (exit 1), for the supervisor to restart.
 */
export async function superviseWorkers(count: number, env: NodeJS.ProcessEnv, logger: Logger): Promise<number> {
  // One key for every worker, so a token one signed is valid on all; never logged or printed.
  const sessionSecret = env.DXL_API_SESSION_SECRET ?? randomBytes(32).toString("hex");
  const workers = Array.from({ length: count }, () => cluster.fork({ DXL_API_SESSION_SECRET: sessionSecret }));
  logger.info({ workers: count }, "api workers started");
  let isStopping = false;
  const exits = workers.map(
    (worker) =>
      new Promise<number>((resolve) =>
        worker.once("exit", (code, signal) => {
          if (!isStopping) logger.error({ pid: worker.process.pid, code, signal }, "an api worker ended; stopping");
          resolve(code ?? 1);
        }),
      ),
  );
  const signalled = new Promise<string>((resolve) => {
    process.on("SIGINT", () => resolve("SIGINT"));
    process.on("SIGTERM", () => resolve("SIGTERM"));
  });
  const outcome = await Promise.race([signalled, Promise.race(exits).then(() => null)]);
  isStopping = true;
  stopAll(workers);
  const codes = await Promise.all(exits);
  logger.info({ signal: outcome }, "api workers stopped");
  return outcome !== null && codes.every((code) => code === 0) ? 0 : 1;
}

function stopAll(workers: Worker[]): void {
  for (const worker of workers) if (!worker.isDead()) worker.process.kill("SIGTERM");
}

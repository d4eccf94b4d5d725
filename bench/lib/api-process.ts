/**
 * The GraphQL API as `npm run api` runs it, in a child process of the bench: its CPU time is then its own, apart
 * from the load generator's.
 */
import { spawnScript } from "./processes";
import type { BenchProcess } from "./processes";

/** A running API child process. */
export interface BenchApi extends BenchProcess {
  /** The base URL (`/auth/*` live under it). */
  url: string;
  graphqlUrl: string;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts `node --import tsx indexer/api/main.ts` with `workers` processes on `databaseUrl` and a free port;
 * resolves once every one listens (they share the port).
 */
export async function startBenchApi(databaseUrl: string, workers: number): Promise<BenchApi> {
  const args = ["--database-url", databaseUrl, "--port", "0", "--workers", String(workers)];
  const api = spawnScript("indexer/api/main.ts", args);
  try {
    let listening = 0;
    const isLastListening = (line: Record<string, unknown>) => line.msg === "api listening" && ++listening === workers;
    const { fields } = await api.waitFor(isLastListening, START_TIMEOUT_MS);
    return { pid: api.pid, stop: api.stop, url: String(fields.url), graphqlUrl: String(fields.graphql_url) };
  } catch (error) {
    await api.stop();
    throw error;
  }
}

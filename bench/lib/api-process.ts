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
 * Starts `node --import tsx indexer/api/main.ts` on `databaseUrl` and a free port, with `args` besides; resolves
 * once it listens.
 */
export async function startBenchApi(databaseUrl: string, args: string[] = []): Promise<BenchApi> {
  const api = spawnScript("indexer/api/main.ts", ["--database-url", databaseUrl, "--port", "0", ...args]);
  try {
    const { fields } = await api.waitFor((line) => line.msg === "api listening", START_TIMEOUT_MS);
    return { pid: api.pid, stop: api.stop, url: String(fields.url), graphqlUrl: String(fields.graphql_url) };
  } catch (error) {
    await api.stop();
    throw error;
  }
}

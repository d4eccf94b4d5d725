import path from "node:path";
import { parseArgs } from "node:util";
import type { Finality } from "./sync";

/** The indexer's whole configuration, validated. */
export interface IndexerConfig {
  rpcUrl: string;
  /** PostgreSQL connection URL; null for the embedded PGlite database in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** The deployment record; null to use `<deploymentsDir>/<chainId>.json` once the chain id is known. */
  deploymentsFile: string | null;
  deploymentsDir: string;
  /** Overrides the deployment record's start block. */
  startBlock: number | null;
  finality: Finality;
  pollIntervalMs: number;
  /** The most blocks one `eth_getLogs` asks for. */
  batchSize: number;
  /** The most events one transaction writes (a denser range is written in parts ending at block boundaries). */
  writeSize: number;
  /** Where /healthz, /readyz and /metrics listen; port null turns them off, 0 picks a free port. */
  opsHost: string;
  opsPort: number | null;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
}

/** One or more configuration values are wrong: each problem on its own line, naming the setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** A setting: its command-line flag, its environment variable, its default. */
interface Setting {
  flag: string;
  env: string;
  fallback: string | null;
  help: string;
}

export const SETTINGS = {
  rpcUrl: { flag: "rpc-url", env: "DXL_RPC_URL", fallback: "http://127.0.0.1:8545", help: "JSON-RPC URL of the node" },
  databaseUrl: { flag: "database-url", env: "DXL_DATABASE_URL", fallback: null, help: "PostgreSQL URL (else PGlite)" },
  dataDir: { flag: "data-dir", env: "DXL_DATA_DIR", fallback: ".dxl/db", help: "PGlite data folder" },
  deploymentsFile: { flag: "deployments", env: "DXL_DEPLOYMENTS_FILE", fallback: null, help: "deployment record" },
  deploymentsDir: {
    flag: "deployments-dir",
    env: "DXL_DEPLOYMENTS_DIR",
    fallback: "deployments",
    help: "folder of <chainId>.json records",
  },
  startBlock: { flag: "start-block", env: "DXL_START_BLOCK", fallback: null, help: "first block to index" },
  finality: {
    flag: "finality",
    env: "DXL_FINALITY",
    fallback: "confirmations:12",
    help: "instant, or confirmations:N",
  },
  pollIntervalMs: { flag: "poll-interval", env: "DXL_POLL_INTERVAL_MS", fallback: "250", help: "head poll (ms)" },
  batchSize: { flag: "batch-size", env: "DXL_BATCH_SIZE", fallback: "2000", help: "most blocks per eth_getLogs" },
  writeSize: { flag: "write-size", env: "DXL_WRITE_SIZE", fallback: "2000", help: "most events per transaction" },
  opsHost: { flag: "ops-host", env: "DXL_OPS_HOST", fallback: "127.0.0.1", help: "health/metrics host" },
  opsPort: { flag: "ops-port", env: "DXL_OPS_PORT", fallback: "9464", help: "health/metrics port, or off" },
  logLevel: { flag: "log-level", env: "DXL_LOG_LEVEL", fallback: "info", help: "pino log level" },
} satisfies Record<keyof IndexerConfig, Setting>;

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

type Raw = Record<keyof IndexerConfig, string | null>;

/** Reads flags (`--rpc-url URL`) over environment variables over defaults, and validates every value. */
export function loadIndexerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): IndexerConfig {
  const raw = readRaw(argv, env);
  const problems: string[] = [];
  const check = <T>(key: keyof IndexerConfig, parse: (value: string) => T): T => {
    try {
      return parse(raw[key]!);
    } catch (error) {
      problems.push(`${describe(key)}: ${(error as Error).message}`);
      return undefined as T;
    }
  };
  const config: IndexerConfig = {
    rpcUrl: check("rpcUrl", (value) => httpUrl(value)),
    databaseUrl: raw.databaseUrl === null ? null : check("databaseUrl", postgresUrl),
    dataDir: path.resolve(raw.dataDir!),
    deploymentsFile: raw.deploymentsFile === null ? null : path.resolve(raw.deploymentsFile),
    deploymentsDir: path.resolve(raw.deploymentsDir!),
    startBlock: raw.startBlock === null ? null : check("startBlock", (value) => integer(value, 0)),
    finality: check("finality", finality),
    pollIntervalMs: check("pollIntervalMs", (value) => integer(value, 10)),
    batchSize: check("batchSize", (value) => integer(value, 1)),
    writeSize: check("writeSize", (value) => integer(value, 1)),
    opsHost: raw.opsHost!,
    opsPort: raw.opsPort === "off" ? null : check("opsPort", (value) => integer(value, 0, 65_535)),
    logLevel: check("logLevel", (value) => oneOf(value, LOG_LEVELS)),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The usage text, generated from the settings so it cannot drift from them. */
export function usage(): string {
  const lines = Object.values(SETTINGS).map(
    (setting: Setting) =>
      `  --${setting.flag.padEnd(16)} ${setting.env.padEnd(22)} ${setting.help}` +
      (setting.fallback === null ? "" : ` (default ${setting.fallback})`),
  );
  return ["usage: npm run indexer -- [options]", "  flag               environment", ...lines].join("\n");
}

function readRaw(argv: readonly string[], env: NodeJS.ProcessEnv): Raw {
  const options = Object.fromEntries(
    Object.values(SETTINGS).map((setting: Setting) => [setting.flag, { type: "string" as const }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const entries = (Object.entries(SETTINGS) as [keyof IndexerConfig, Setting][]).map(([key, setting]) => {
    const fromEnv = env[setting.env] === "" ? undefined : env[setting.env];
    return [key, (values[setting.flag] as string | undefined) ?? fromEnv ?? setting.fallback];
  });
  return Object.fromEntries(entries) as Raw;
}

function describe(key: keyof IndexerConfig): string {
  const setting: Setting = SETTINGS[key];
  return `--${setting.flag} / ${setting.env}`;
}

function integer(value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw new Error(`expected a whole number, got "${value}"`);
  const number = Number(value);
  if (number < min || number > max) throw new Error(`expected a number from ${min} to ${max}, got ${value}`);
  return number;
}

function finality(value: string): Finality {
  if (value === "instant") return { kind: "instant" };
  const match = /^confirmations:(\d+)$/.exec(value);
  if (!match) throw new Error(`expected "instant" or "confirmations:N", got "${value}"`);
  return { kind: "confirmations", depth: Number(match[1]) };
}

function httpUrl(value: string): string {
  const url = parseUrl(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`expected an http(s) URL`);
  return value;
}

function postgresUrl(value: string): string {
  const url = parseUrl(value);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw new Error("expected a postgres:// URL");
  return value;
}

/** Parses a URL without ever echoing it: it may carry a password. */
function parseUrl(value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new Error("not a valid URL");
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`expected one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

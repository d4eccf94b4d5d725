/**
 * The API server's configuration: flags over environment variables over defaults, every value validated, each
 * problem naming its flag and variable. The database, node and log settings are the indexer's own (same flags,
 * same variables, validated by `loadIndexerConfig`), so both commands read one deployment's settings alike; the
 * indexer's other flags are accepted only with `--with-indexer`, which runs the indexer in this process.
 */
import { parseArgs } from "node:util";
import { ConfigError, loadIndexerConfig, SETTINGS as INDEXER_SETTINGS } from "../config";
import type { IndexerConfig } from "../config";

export { ConfigError } from "../config";

/** The API's whole configuration, validated. */
export interface ApiConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The EIP-4361 domain sign-in messages must name; null for `host:port` as bound. */
  domain: string | null;
  /** HMAC key of session tokens; null for a random one per process (sessions end when it restarts). */
  sessionSecret: string | null;
  tokenLifetimeSeconds: number;
  nonceLifetimeSeconds: number;
  /** Megabytes of query results kept for the current index version; 0 keeps none. */
  responseCacheMb: number;
  /** API processes sharing the port (PostgreSQL only, no in-process indexer). */
  workers: number;
  /** `--open`: no sign-in, everything visible; development only. */
  open: boolean;
  /** The node contract wallets' signatures are checked against (ERC-1271), and the in-process indexer's. */
  rpcUrl: string;
  /** PostgreSQL connection URL; null for the embedded PGlite database in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  logLevel: IndexerConfig["logLevel"];
  /** The indexer to run in this process (`--with-indexer`), sharing the database; null otherwise. */
  indexer: IndexerConfig | null;
}

/** A setting of the API's own: its flag (null for an environment variable only), variable and default. */
interface Setting {
  flag: string | null;
  env: string;
  fallback: string | null;
  help: string;
}

export const API_SETTINGS = {
  host: { flag: "host", env: "DXL_API_HOST", fallback: "127.0.0.1", help: "address to listen on" },
  port: { flag: "port", env: "DXL_API_PORT", fallback: "4000", help: "port to listen on (0: any free port)" },
  domain: { flag: "domain", env: "DXL_API_DOMAIN", fallback: null, help: "sign-in domain (default host:port)" },
  // No flag: a command line is visible to every user of the machine.
  sessionSecret: { flag: null, env: "DXL_API_SESSION_SECRET", fallback: null, help: "token key, >= 32 bytes" },
  tokenLifetimeSeconds: {
    flag: "token-lifetime",
    env: "DXL_API_TOKEN_LIFETIME",
    fallback: "3600",
    help: "session lifetime (s)",
  },
  nonceLifetimeSeconds: {
    flag: "nonce-lifetime",
    env: "DXL_API_NONCE_LIFETIME",
    fallback: "300",
    help: "sign-in nonce lifetime (s)",
  },
  responseCacheMb: {
    flag: "response-cache-mb",
    env: "DXL_API_RESPONSE_CACHE_MB",
    fallback: "64",
    help: "query results kept per index version (MB, 0: off)",
  },
  workers: {
    flag: "workers",
    env: "DXL_API_WORKERS",
    fallback: "1",
    help: "API processes sharing the port (PostgreSQL only)",
  },
} satisfies Record<string, Setting>;

/** Switches: flags only, so an environment left over from elsewhere never turns one on. */
const SWITCHES = {
  open: "open development mode: no sign-in, everything visible",
  "with-indexer": "run the indexer in this process, on the same database",
} as const;

/** The indexer settings the API itself uses, whether or not the indexer runs in this process. */
const SHARED_SETTINGS = ["rpcUrl", "databaseUrl", "dataDir", "logLevel"] as const;

type IndexerKey = keyof typeof INDEXER_SETTINGS;
type ApiKey = keyof typeof API_SETTINGS;

const INDEXER_ONLY = (Object.keys(INDEXER_SETTINGS) as IndexerKey[]).filter(
  (key) => !(SHARED_SETTINGS as readonly string[]).includes(key),
);

const MAX_LIFETIME_SECONDS = 7 * 86_400;
const MAX_WORKERS = 64;
const MIN_SECRET_BYTES = 32;

/** Reads and validates the API's configuration; a ConfigError listing every problem otherwise. */
export function loadApiConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ApiConfig {
  const { values, indexerArgs } = readFlags(argv);
  const problems: string[] = [];
  const withIndexer = values["with-indexer"] === true;
  if (!withIndexer) problems.push(...indexerOnlyFlagsGiven(values));
  const raw = (key: ApiKey): string | null => rawValue(API_SETTINGS[key], values, env);
  const check = <T>(key: ApiKey, parse: (value: string) => T): T => {
    try {
      return parse(raw(key)!);
    } catch (error) {
      problems.push(`${describe(API_SETTINGS[key])}: ${(error as Error).message}`);
      return undefined as T;
    }
  };
  const config = {
    host: check("host", nonEmpty),
    port: check("port", (value) => wholeNumber(value, 0, 65_535)),
    domain: raw("domain") === null ? null : check("domain", authority),
    sessionSecret: raw("sessionSecret") === null ? null : check("sessionSecret", secret),
    tokenLifetimeSeconds: check("tokenLifetimeSeconds", (value) => wholeNumber(value, 60, MAX_LIFETIME_SECONDS)),
    nonceLifetimeSeconds: check("nonceLifetimeSeconds", (value) => wholeNumber(value, 10, 3_600)),
    responseCacheMb: check("responseCacheMb", (value) => wholeNumber(value, 0, 4_096)),
    workers: check("workers", (value) => wholeNumber(value, 1, MAX_WORKERS)),
    open: values.open === true,
  };
  const indexer = loadIndexerSettings(indexerArgs, env, problems);
  if (config.workers > 1) problems.push(...workersProblems(withIndexer, indexer?.databaseUrl ?? null));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...config,
    rpcUrl: indexer!.rpcUrl,
    databaseUrl: indexer!.databaseUrl,
    dataDir: indexer!.dataDir,
    logLevel: indexer!.logLevel,
    indexer: withIndexer ? indexer : null,
  };
}

/** Why more than one worker cannot run: PGlite and the in-process indexer belong to one process. */
function workersProblems(withIndexer: boolean, databaseUrl: string | null): string[] {
  const setting = describe(API_SETTINGS.workers);
  return [
    withIndexer && `${setting}: above 1 cannot run the indexer in-process (run \`npm run indexer\` beside them)`,
    databaseUrl === null && `${setting}: above 1 needs a PostgreSQL --database-url (PGlite admits one process)`,
  ].filter((problem): problem is string => problem !== false);
}

/** The usage text, generated from the settings so it cannot drift from them. */
export function apiUsage(): string {
  const line = (flag: string, env: string, help: string, fallback: string | null) =>
    `  ${flag.padEnd(18)} ${env.padEnd(24)} ${help}` + (fallback === null ? "" : ` (default ${fallback})`);
  const own = Object.values(API_SETTINGS).map((setting: Setting) =>
    line(setting.flag ? `--${setting.flag}` : "", setting.env, setting.help, setting.fallback),
  );
  const switches = Object.entries(SWITCHES).map(([flag, help]) => line(`--${flag}`, "", help, null));
  const shared = SHARED_SETTINGS.map((key) => {
    const setting = INDEXER_SETTINGS[key];
    return line(`--${setting.flag}`, setting.env, setting.help, setting.fallback);
  });
  return [
    "usage: npm run api -- [options]",
    "  flag               environment",
    ...own,
    ...switches,
    ...shared,
    `  with --with-indexer, also the indexer's: ${INDEXER_ONLY.map((key) => `--${INDEXER_SETTINGS[key].flag}`).join(" ")}`,
    "  (the in-process indexer's own health port is off unless --ops-port or DXL_OPS_PORT is given)",
  ].join("\n");
}

/** Parses every flag either command knows; unknown ones and missing values are errors naming the flag. */
function readFlags(argv: readonly string[]) {
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const setting of Object.values(API_SETTINGS) as Setting[]) {
    if (setting.flag) options[setting.flag] = { type: "string" };
  }
  for (const flag of Object.keys(SWITCHES)) options[flag] = { type: "boolean" };
  for (const setting of Object.values(INDEXER_SETTINGS)) options[setting.flag] = { type: "string" };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const indexerArgs = Object.values(INDEXER_SETTINGS).flatMap(({ flag }) =>
    typeof values[flag] === "string" ? [`--${flag}`, values[flag] as string] : [],
  );
  return { values, indexerArgs };
}

/** The indexer's settings validated by the indexer's own loader, its problems added to ours. */
function loadIndexerSettings(args: string[], env: NodeJS.ProcessEnv, problems: string[]): IndexerConfig | null {
  // In this process /healthz, /readyz and /metrics are the API's; the indexer's own port is opt-in.
  const indexerEnv = { ...env, [INDEXER_SETTINGS.opsPort.env]: env[INDEXER_SETTINGS.opsPort.env] || "off" };
  try {
    return loadIndexerConfig(args, indexerEnv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return null;
  }
}

/** Indexer-only flags mean nothing without an indexer: saying so beats ignoring them. */
function indexerOnlyFlagsGiven(values: Record<string, unknown>): string[] {
  return INDEXER_ONLY.filter((key) => values[INDEXER_SETTINGS[key].flag] !== undefined).map(
    (key) => `--${INDEXER_SETTINGS[key].flag}: applies only with --with-indexer`,
  );
}

function rawValue(setting: Setting, values: Record<string, unknown>, env: NodeJS.ProcessEnv): string | null {
  const fromFlag = setting.flag ? (values[setting.flag] as string | undefined) : undefined;
  const fromEnv = env[setting.env] === "" ? undefined : env[setting.env];
  return fromFlag ?? fromEnv ?? setting.fallback;
}

function describe(setting: Setting): string {
  return setting.flag ? `--${setting.flag} / ${setting.env}` : setting.env;
}

function nonEmpty(value: string): string {
  if (value.trim() === "") throw new Error("must not be empty");
  return value;
}

function wholeNumber(value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new Error(`expected a whole number, got "${value}"`);
  const number = Number(value);
  if (number < min || number > max) throw new Error(`expected a number from ${min} to ${max}, got ${value}`);
  return number;
}

/** An RFC 3986 authority, `host[:port]`, as EIP-4361 messages carry it: no scheme, path or credentials. */
function authority(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(`http://${value}`);
  } catch {
    // reported below
  }
  const isAuthority = url !== null && /^[^/?#@\s]+$/.test(value) && url.pathname === "/";
  if (!isAuthority) throw new Error(`expected host or host:port, got "${value}"`);
  return value;
}

/** Long enough that it cannot be guessed; the value itself is never echoed. */
function secret(value: string): string {
  const bytes = Buffer.byteLength(value);
  if (bytes < MIN_SECRET_BYTES) throw new Error(`expected at least ${MIN_SECRET_BYTES} bytes, got ${bytes}`);
  return value;
}

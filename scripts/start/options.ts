/**
 * `npm start`'s settings: flags over environment variables over defaults, each checked, each problem naming its
 * flag and variable. Everything `npm start` keeps lives under the state folder (`.dxl/` by default).
 */
import path from "node:path";
import { parseArgs } from "node:util";

export interface StartOptions {
  /** Delete the state folder first and start over. */
  fresh: boolean;
  /** Seed of the demo scenario: the same seed gives the same records, roots and ids on a fresh chain. */
  seed: number;
  /** Records generated and attested across the scenario's sources. */
  records: number;
  /** Where the chain's state, the deployment record, the scenario's files and the index live. */
  stateDir: string;
  /** A node to use instead of starting the local one (DXL_RPC_URL); null starts Anvil on `chainPort`. */
  rpcUrl: string | null;
  chainPort: number;
  apiPort: number;
}

/** One or more bad settings, one line each. */
export class StartOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "StartOptionsError";
  }
}

interface Setting {
  flag: string;
  env: string;
  fallback: string;
  help: string;
}

export const START_SETTINGS = {
  seed: { flag: "seed", env: "DXL_SEED", fallback: "1", help: "scenario seed" },
  records: { flag: "records", env: "DXL_SEED_RECORDS", fallback: "40000", help: "records attested by the scenario" },
  stateDir: { flag: "state-dir", env: "DXL_STATE_DIR", fallback: ".dxl", help: "folder of everything kept" },
  chainPort: { flag: "chain-port", env: "DXL_CHAIN_PORT", fallback: "8545", help: "port of the local chain" },
  apiPort: { flag: "api-port", env: "DXL_API_PORT", fallback: "4000", help: "port of the API (0: any free port)" },
} satisfies Record<string, Setting>;

type Key = keyof typeof START_SETTINGS;

/** Reads and checks the settings; a StartOptionsError listing every problem otherwise. */
export function readStartOptions(argv: readonly string[], env: NodeJS.ProcessEnv): StartOptions {
  const values = readFlags(argv);
  const problems: string[] = [];
  const check = (key: Key, min: number, max: number): number => {
    const setting: Setting = START_SETTINGS[key];
    const text = (values[setting.flag] as string | undefined) ?? env[setting.env] ?? setting.fallback;
    if (/^\d+$/.test(text) && Number(text) >= min && Number(text) <= max) return Number(text);
    problems.push(`--${setting.flag} / ${setting.env}: expected a whole number from ${min} to ${max}, got "${text}"`);
    return min;
  };
  const options: StartOptions = {
    fresh: values.fresh === true,
    seed: check("seed", 0, 2 ** 31),
    records: check("records", 100, 2_000_000),
    stateDir: path.resolve(
      (values[START_SETTINGS.stateDir.flag] as string | undefined) ??
        env[START_SETTINGS.stateDir.env] ??
        START_SETTINGS.stateDir.fallback,
    ),
    rpcUrl: env.DXL_RPC_URL || null,
    chainPort: check("chainPort", 1, 65_535),
    apiPort: check("apiPort", 0, 65_535),
  };
  if (problems.length > 0) throw new StartOptionsError(problems);
  return options;
}

/** The usage text, from the settings. */
export function startUsage(): string {
  const line = (flag: string, env: string, help: string) => `  ${flag.padEnd(14)} ${env.padEnd(18)} ${help}`;
  return [
    "usage: npm start [-- options]",
    line("--fresh", "", "delete the state folder and start over"),
    ...Object.values(START_SETTINGS).map((setting: Setting) =>
      line(`--${setting.flag}`, setting.env, `${setting.help} (default ${setting.fallback})`),
    ),
    line("", "DXL_RPC_URL", "use this node instead of starting Anvil (its dev accounts must be funded)"),
  ].join("\n");
}

function readFlags(argv: readonly string[]): Record<string, string | boolean | undefined> {
  const options: Record<string, { type: "string" | "boolean" }> = { fresh: { type: "boolean" } };
  for (const setting of Object.values(START_SETTINGS) as Setting[]) options[setting.flag] = { type: "string" };
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new StartOptionsError([(error as Error).message]);
  }
}

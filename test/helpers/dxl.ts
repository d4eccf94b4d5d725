import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { HDNodeWallet, Mnemonic } from "ethers";
import { REPOSITORY_ROOT } from "./node";

/** What a `dxl` run printed and how it ended. */
export interface DxlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The settings dxl reads from the environment, kept out of the child's unless a test sets them. */
const DXL_VARIABLES = [
  "DXL_RPC_URL",
  "DXL_DEPLOYMENTS_DIR",
  "DXL_PRIVATE_KEY",
  "DXL_KEYSTORE",
  "DXL_KEYSTORE_PASSWORD",
  "DXL_DEBUG",
];

const DEV_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");

/** The private key of the `index`-th development account every local node funds. */
export function devKey(index: number): string {
  return HDNodeWallet.fromMnemonic(DEV_MNEMONIC, `m/44'/60'/0'/0/${index}`).privateKey;
}

/** Starts `scripts/dxl/main.ts` as an operator runs it (`node --import tsx`), with only `env`'s dxl settings. */
export function spawnDxl(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !DXL_VARIABLES.includes(name)));
  return spawn(process.execPath, ["--import", "tsx", "scripts/dxl/main.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...inherited, ...env },
  });
}

/** Runs `dxl args…` to its end. */
export async function runDxl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DxlRun> {
  const child = spawnDxl(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { code, stdout, stderr };
}

/** Runs `dxl args… --json`, expects success, and returns the parsed result. */
export async function runDxlJson(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const run = await runDxl([...args, "--json"], env);
  if (run.code !== 0) throw new Error(`dxl ${args.join(" ")} exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { answersJsonRpc } from "../../scripts/start/local-chain";

export const REPOSITORY_ROOT = path.resolve(__dirname, "../..");

/** A JSON-RPC node running as its own process on a loopback port. */
export interface NodeProcess {
  url: string;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `hardhat node` on a free loopback port and waits until it answers JSON-RPC. */
export async function startHardhatNode(): Promise<NodeProcess> {
  return startNode("hardhat", (port) => ["node", "--hostname", "127.0.0.1", "--port", String(port)]);
}

/** Starts Anvil, a second JSON-RPC implementation, with Hardhat's chain id; both fund the same development accounts. */
export async function startAnvil(): Promise<NodeProcess> {
  return startNode("anvil", (port) => [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--chain-id",
    "31337",
    "--silent",
  ]);
}

async function startNode(binary: string, argumentsFor: (port: number) => string[]): Promise<NodeProcess> {
  const port = await freePort();
  const child = spawn(path.join(REPOSITORY_ROOT, "node_modules/.bin", binary), argumentsFor(port), {
    cwd: REPOSITORY_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return waitForNode(child, `http://127.0.0.1:${port}`);
}

async function waitForNode(child: ChildProcess, url: string, timeoutMs = 60_000): Promise<NodeProcess> {
  let output = "";
  child.stdout?.on("data", (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr?.on("data", (chunk) => (output = (output + chunk).slice(-4000)));
  const stop = () => stopProcess(child);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}: ${output}`);
    if (await answersJsonRpc(url)) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`node at ${url} did not answer within ${timeoutMs} ms: ${output}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

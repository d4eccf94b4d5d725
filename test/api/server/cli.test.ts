import { spawn } from "node:child_process";
import { expect } from "chai";
import { API_SETTINGS } from "../../../indexer/api/config";
import { SETTINGS as INDEXER_SETTINGS } from "../../../indexer/config";
import { deployOnNode } from "../../helpers/activity";
import type { Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import { shareWithChildProcesses } from "../../helpers/indexer";
import type { SharedTestDatabase } from "../../helpers/indexer";
import { REPOSITORY_ROOT, startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";
import { fetchAnswer, postJson } from "./client";

/** The API command as an operator runs it, in its own process, and what it printed. */
interface ApiProcess {
  /** stdout's JSON log lines, parsed. */
  logLines: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<number | null>;
  /** The first log line with this `msg`; rejects if the process ends first or after 60 s. */
  logLine(msg: string): Promise<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

/** Every setting's variable, kept out of the child's environment so only the test configures it. */
const SETTING_VARIABLES = new Set(
  [...Object.values(API_SETTINGS), ...Object.values(INDEXER_SETTINGS)].map((s) => s.env),
);

/** Starts `indexer/api/main.ts` with `args` (`node --import tsx`, so a signal reaches the process itself). */
function spawnApi(args: string[], env: NodeJS.ProcessEnv = {}): ApiProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTING_VARIABLES.has(name)));
  const child = spawn(process.execPath, ["--import", "tsx", "indexer/api/main.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logLines: Record<string, unknown>[] = [];
  let stderr = "";
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith("{")) logLines.push(JSON.parse(line));
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  void exited.then(() => (hasExited = true));

  async function logLine(msg: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const line = logLines.find((candidate) => candidate.msg === msg);
      if (line) return line;
      if (hasExited || Date.now() > deadline) throw new Error(`no "${msg}" log line: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const stop = () => {
    if (!hasExited) child.kill("SIGTERM");
    return exited;
  };
  return { logLines, stderr: () => stderr, exited, logLine, stop };
}

/** Waits until the process has written `count` log lines with this `msg`; returns them. */
async function logLines(run: ApiProcess, msg: string, count: number): Promise<Record<string, unknown>[]> {
  await run.logLine(msg);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const lines = run.logLines.filter((line) => line.msg === msg);
    if (lines.length >= count) return lines;
    if (Date.now() > deadline) throw new Error(`only ${lines.length} "${msg}" log lines: ${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls `url` until it answers 200; rejects after 60 s with the last answer. */
async function answersOk(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = "";
  while (Date.now() < deadline) {
    const answer = await fetchAnswer(url);
    if (answer.status === 200) return;
    last = answer.text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered 200: ${last}`);
}

describe("the API command: refusing bad configuration", function () {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [["--port", "http"], {}, /^dxl api: --port \/ DXL_API_PORT: expected a whole number, got "http"\n$/],
    [["--rpc-uri", "http://127.0.0.1:8545"], {}, /^dxl api: .*--rpc-uri/],
    [["--batch-size", "10"], {}, /^dxl api: --batch-size: applies only with --with-indexer\n$/],
    [[], { DXL_API_SESSION_SECRET: "hunter2" }, /^dxl api: DXL_API_SESSION_SECRET: expected at least 32 bytes/],
  ];
  for (const [args, env, message] of cases) {
    it(`should exit with 2, naming the setting, on ${args.join(" ") || Object.keys(env)}`, async function () {
      const run = spawnApi(args, env);
      expect(await run.exited).to.equal(2);
      expect(run.stderr()).to.match(message);
      expect(run.stderr()).not.to.include("hunter2");
    });
  }
});

for (const target of databaseTargets()) {
  describe(`the API command (${target.name})`, function () {
    let chain: NodeProcess;
    let deployment: Deployment;
    let shared: SharedTestDatabase;
    let run: ApiProcess | undefined;

    before(async function () {
      chain = await startHardhatNode();
      deployment = await deployOnNode(chain.url);
    });

    beforeEach(async function () {
      shared = await shareWithChildProcesses(await target.open());
    });

    afterEach(async function () {
      await run?.stop();
      run = undefined;
      await shared?.close();
    });

    after(async function () {
      deployment?.provider.destroy();
      await chain?.stop();
    });

    it("should warn on start in --open mode, serve, and exit 0 on SIGTERM", async function () {
      run = spawnApi(["--open", "--port", "0", ...shared.args]);
      const warning = await run.logLine(
        "open development mode: no sign-in, every request sees everything; never serve real data like this",
      );
      expect(warning.level).to.equal("warn");
      const { url } = (await run.logLine("api listening")) as { url: string };
      expect((await fetchAnswer(new URL("/healthz", url).href)).status).to.equal(200);
      // Nobody migrated this fresh database: the API says so rather than pretend to be ready.
      const readiness = await fetchAnswer(new URL("/readyz", url).href);
      expect(readiness.body).to.deep.equal({ status: "not ready", reason: "migrations not applied: 1, 2" });
      expect(await run.stop()).to.equal(0);
    });

    if (target.name === "PostgreSQL") {
      it("should serve one port from --workers 2 processes and stop them all on SIGTERM", async function () {
        run = spawnApi(["--workers", "2", "--open", "--port", "0", ...shared.args]);
        const listening = await logLines(run, "api listening", 2);
        const [first, second] = listening as { pid: number; url: string }[];
        expect(first.pid).not.to.equal(second.pid);
        expect(first.url).to.equal(second.url);
        for (let i = 0; i < 4; i++)
          expect((await fetchAnswer(new URL("/healthz", first.url).href)).status).to.equal(200);
        expect(await run.stop()).to.equal(0);
        expect(run.logLines.filter((line) => line.msg === "api stopped")).to.have.length(2);
        expect(run.logLines.map((line) => line.msg)).to.include("api workers stopped");
      });
    }

    it("should index in-process with --with-indexer, become ready and serve what it indexed", async function () {
      run = spawnApi(
        [
          "--with-indexer",
          "--port",
          "0",
          "--rpc-url",
          chain.url,
          "--deployments",
          deployment.deploymentsFile,
          "--finality",
          "instant",
          "--poll-interval",
          "50",
          ...shared.args,
        ],
        { DXL_API_SESSION_SECRET: "a-session-secret-of-at-least-32-bytes" },
      );
      const { url } = (await run.logLine("api listening")) as { url: string };
      await answersOk(new URL("/readyz", url).href);
      const answer = await postJson(new URL("/graphql", url).href, { query: "{ indexerStatus { chainId } }" });
      expect(answer.body).to.deep.equal({ data: { indexerStatus: { chainId: 31337 } } });
      expect(run.logLines.some((line) => line.level === "warn")).to.equal(false);
      expect(await run.stop()).to.equal(0);
      expect(run.logLines.map((line) => line.msg)).to.include("api stopped");
    });
  });
}

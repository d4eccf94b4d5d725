import net from "node:net";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { SETTINGS } from "../../indexer/config";
import { deployOnNode } from "../helpers/activity";
import type { Deployment } from "../helpers/activity";
import { databaseTargets } from "../helpers/databases";
import { killIndexerProcess, shareWithChildProcesses, spawnIndexer } from "../helpers/indexer";
import type { IndexerProcess, SharedTestDatabase } from "../helpers/indexer";
import { freePort, startHardhatNode } from "../helpers/node";
import type { NodeProcess } from "../helpers/node";

/** What a run that was refused left behind. */
interface Refusal {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Whether the PGlite folder it was given exists afterwards: a refused start must not create it. */
  createdDataDir: boolean;
}

describe("the indexer command", function () {
  let chain: NodeProcess;
  let deployment: Deployment;
  let scratch: string;

  before(async function () {
    chain = await startHardhatNode();
    deployment = await deployOnNode(chain.url);
    scratch = await mkdtemp(path.join(os.tmpdir(), "dxl-cli-"));
  });

  after(async function () {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    deployment?.provider.destroy();
    await chain?.stop();
  });

  /** Runs the command to its end with a PGlite folder of its own, which must not exist before. */
  async function runRefused(args: string[]): Promise<Refusal> {
    const dataDir = path.join(await mkdtemp(path.join(scratch, "run-")), "db");
    const run = spawnIndexer(["--data-dir", dataDir, "--ops-port", "off", ...args]);
    const { code } = await ended(run);
    return { code, stdout: run.stdout(), stderr: run.stderr(), createdDataDir: existsSync(dataDir) };
  }

  /** One line on stderr, `dxl indexer: ` and the reason (so no stack trace), the exit code, and nothing created. */
  function expectRefusal(refusal: Refusal, code: number, reason: RegExp): void {
    expect(refusal.stderr.split("\n").filter(Boolean), refusal.stderr).to.have.length(1);
    expect(refusal.stderr).to.match(/^dxl indexer: /);
    expect(refusal.stderr).to.match(reason);
    expect(refusal.code, refusal.stderr).to.equal(code);
    expect(refusal.createdDataDir).to.equal(false);
  }

  describe("refusing to start", function () {
    it("names both chains when the deployment record is of another chain than the node", async function () {
      const record = path.join(scratch, "other-chain.json");
      await writeFile(record, JSON.stringify({ ...deployment.record, chainId: 1 }));
      const refusal = await runRefused(["--rpc-url", chain.url, "--deployments", record]);
      expectRefusal(
        refusal,
        1,
        /the deployment record .*other-chain\.json is of chain 1, but the node is chain 31337\n$/,
      );
    });

    it("names the missing deployment record", async function () {
      const record = path.join(scratch, "missing.json");
      const refusal = await runRefused(["--rpc-url", chain.url, "--deployments", record]);
      expectRefusal(refusal, 1, new RegExp(`no deployment record at ${escape(record)} \\(chain 31337\\)`));
    });

    it("names the node it cannot reach", async function () {
      const port = await freePort();
      const refusal = await runRefused([
        "--rpc-url",
        `http://127.0.0.1:${port}`,
        "--deployments",
        deployment.deploymentsFile,
      ]);
      expectRefusal(refusal, 1, new RegExp(`cannot reach the node at http://127\\.0\\.0\\.1:${port}/`));
    });

    it("names the ops port it cannot bind, before writing anything", async function () {
      const holder = net.createServer();
      await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
      const { port } = holder.address() as net.AddressInfo;
      try {
        const refusal = await runRefused([
          "--rpc-url",
          chain.url,
          "--deployments",
          deployment.deploymentsFile,
          "--ops-port",
          String(port),
        ]);
        expectRefusal(
          refusal,
          1,
          new RegExp(`cannot serve /healthz, /readyz and /metrics on 127\\.0\\.0\\.1:${port} \\(--ops-host/--ops-port`),
        );
      } finally {
        holder.close();
      }
    });

    it("names the database server it cannot reach by host and port, never printing the password", async function () {
      const port = await freePort();
      const refusal = await runRefused([
        "--rpc-url",
        chain.url,
        "--deployments",
        deployment.deploymentsFile,
        "--database-url",
        `postgres://user:secretpw@127.0.0.1:${port}/db`,
      ]);
      expectRefusal(refusal, 1, new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port}/db is unavailable`));
      expect(refusal.stderr + refusal.stdout).not.to.include("secretpw");
    });

    const badValues: [keyof typeof SETTINGS, string][] = [
      ["finality", "eventually"],
      ["pollIntervalMs", "5"],
      ["databaseUrl", "mysql://user:secretpw@127.0.0.1/db"],
    ];
    for (const [setting, value] of badValues) {
      const { flag, env } = SETTINGS[setting];
      it(`exits with 2, naming --${flag}, on --${flag} ${value}`, async function () {
        const refusal = await runRefused(["--rpc-url", chain.url, `--${flag}`, value]);
        expectRefusal(refusal, 2, new RegExp(`^dxl indexer: --${flag} / ${env}: `));
        expect(refusal.stderr).not.to.include("secretpw");
      });
    }

    it("exits with 2, naming the flag, on a flag it does not know", async function () {
      const refusal = await runRefused(["--rpc-uri", chain.url]);
      expectRefusal(refusal, 2, /--rpc-uri/);
    });
  });

  it("prints its usage, every flag included, with --help and exits 0", async function () {
    const run = spawnIndexer(["--help"]);
    expect(await ended(run)).to.deep.equal({ code: 0, signal: null });
    expect(run.stdout()).to.match(/^usage: npm run indexer -- \[options\]/);
    for (const { flag, env } of Object.values(SETTINGS)) {
      expect(run.stdout()).to.include(`--${flag}`).and.to.include(env);
    }
    expect(run.stderr()).to.equal("");
  });

  describe("running", function () {
    let database: SharedTestDatabase;
    let run: IndexerProcess | undefined;

    beforeEach(async function () {
      database = await shareWithChildProcesses(await databaseTargets()[0].open());
    });

    afterEach(async function () {
      await killIndexerProcess(run);
      await database?.close();
    });

    function start(): IndexerProcess {
      run = spawnIndexer([
        "--rpc-url",
        chain.url,
        "--deployments",
        deployment.deploymentsFile,
        ...database.args,
        "--ops-port",
        "0",
        "--poll-interval",
        "50",
      ]);
      return run;
    }

    it("stops on SIGTERM with exit code 0 and logs that it stopped", async function () {
      const indexer = start();
      await indexer.logLine("following the head");
      indexer.child.kill("SIGTERM");
      expect(await indexer.exited, indexer.stderr()).to.deep.equal({ code: 0, signal: null });
      const messages = indexer.logLines.map((line) => line.msg);
      expect(messages.slice(-2)).to.deep.equal(["stopping after the open batch", "indexer stopped"]);
      expect(indexer.logLines.find((line) => line.msg === "stopping after the open batch")).to.include({
        signal: "SIGTERM",
      });
      expect(indexer.stderr()).to.equal("");
    });

    it("serves /readyz, 200 once caught up, and /metrics on the port --ops-port 0 picked", async function () {
      const indexer = start();
      const started = await indexer.logLine("indexer started");
      expect(started.ops_url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const opsUrl = String(started.ops_url);
      const head = await deployment.provider.getBlockNumber();

      const deadline = Date.now() + 60_000;
      let readiness = await fetch(new URL("readyz", opsUrl));
      while (readiness.status !== 200) {
        expect(readiness.status).to.equal(503);
        if (Date.now() > deadline) throw new Error(`not ready within a minute: ${await readiness.text()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        readiness = await fetch(new URL("readyz", opsUrl));
      }
      expect(await readiness.json()).to.deep.equal({
        status: "ready",
        head_block: head,
        indexed_block: head,
        lag_blocks: 0,
      });

      const metrics = await fetch(new URL("metrics", opsUrl));
      expect(metrics.status).to.equal(200);
      expect(await metrics.text()).to.match(new RegExp(`^dxl_indexer_indexed_block ${head}$`, "m"));
    });
  });
});

/** Waits for `run` to end by itself; one still running after `timeoutMs` is killed and fails the test. */
async function ended(run: IndexerProcess, timeoutMs = 60_000) {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref());
  const end = await Promise.race([run.exited, timeout]);
  if (end) return end;
  await killIndexerProcess(run);
  throw new Error(`the indexer was still running after ${timeoutMs} ms: ${run.stderr()}`);
}

/** `text` as a literal inside a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

import { expect } from "chai";
import { attestInBulk, deployOnNode, driveEveryEvent } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import { mulberry32 } from "../../helpers/fault-proxy";
import {
  freshIndexChecksums,
  indexChecksums,
  killIndexerProcess,
  shareWithChildProcesses,
  spawnIndexer,
} from "../../helpers/indexer";
import type { IndexerProcess, SharedTestDatabase } from "../../helpers/indexer";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

/** Kills per database target: 20 in the regular run, DXL_CRASH_RUNS=100 for the long one. */
const RUNS = wholeNumber("DXL_CRASH_RUNS", 20, 1);
/** Seeds the kill moments and the events produced; it is in the test's title, so a failure can be replayed. */
const SEED = wholeNumber("DXL_CRASH_SEED", 20_240_611, 0);
/** The earliest kill after the process is spawned. */
const EARLIEST_KILL_MS = 200;
/** The latest kill after the indexer reported "indexer started": batches are being written by then. */
const LATEST_KILL_AFTER_START_MS = 1_000;
/** Between two transactions of the background production. */
const PAUSE_BETWEEN_TRANSACTIONS_MS = 50;
/** The start-up time assumed until a child reports its own (module loading, opening the database: ~3 s). */
const ASSUMED_STARTUP_MS = 3_000;

/** When one kill struck: before the indexer reported that it started (start-up, migrations), or after. */
interface Kill {
  run: number;
  phase: "start-up" | "running";
  afterSpawnMs: number;
}

describe("indexer process killed with SIGKILL (hardhat node)", function () {
  let chain: NodeProcess;
  let deployment: Deployment;
  let activity: Activity;
  let database: SharedTestDatabase | undefined;
  /** The indexer process of the moment, killed after a failure so that it stops writing. */
  let current: IndexerProcess | undefined;
  const spawn = (args: string[]) => (current = spawnIndexer(args));

  before(async function () {
    chain = await startHardhatNode();
    deployment = await deployOnNode(chain.url);
    activity = await driveEveryEvent(deployment);
  });

  afterEach(async function () {
    await killIndexerProcess(current);
    await database?.close();
    database = undefined;
  });

  after(async function () {
    deployment?.provider.destroy();
    await chain?.stop();
  });

  for (const target of databaseTargets()) {
    it(`loses nothing and stores nothing twice on ${target.name} over ${RUNS} kills at seeded moments (seed ${SEED})`, async function () {
      this.timeout(120_000 + RUNS * 10_000);
      database = await shareWithChildProcesses(await target.open());
      // Two streams, so the kill schedule depends on the seed alone and not on how much was produced meanwhile.
      const random = mulberry32(SEED);
      const production = startProducing(deployment, activity, mulberry32(SEED ^ 0x5eed));
      // The default finality (12 confirmations), as operators run it: a restart must then resume with the blocks
      // still in doubt kept for reorganization checks, the harder case; on an automining node it costs no more.
      const args = [
        "--rpc-url",
        chain.url,
        "--deployments",
        deployment.deploymentsFile,
        ...database.args,
        "--poll-interval",
        "50",
        "--ops-port",
        "0",
      ];
      const kills: Kill[] = [];
      try {
        let startupMs = ASSUMED_STARTUP_MS;
        for (let run = 0; run < RUNS; run++) {
          // Every other kill during start-up (modules, database, migrations), the others while batches are written.
          const anchor = run % 2 === 0 ? "spawn" : "started";
          const afterMs =
            anchor === "spawn"
              ? EARLIEST_KILL_MS + random() * Math.max(0, startupMs - EARLIEST_KILL_MS)
              : random() * LATEST_KILL_AFTER_START_MS;
          const { phase, afterSpawnMs, startedAfterMs } = await killAt(spawn(args), anchor, afterMs, run);
          kills.push({ run, phase, afterSpawnMs });
          startupMs = startedAfterMs ?? startupMs;
        }
      } finally {
        await production.stop();
      }
      const head = await deployment.provider.getBlockNumber();

      const last = spawn(args);
      await untilIndexed(last, head);
      last.child.kill("SIGTERM");
      expect(await last.exited, last.stderr()).to.deep.equal({ code: 0, signal: null });
      expect(last.logLines.map((line) => line.msg)).to.include("indexer stopped");

      const replay = `seed ${SEED}, kills ${JSON.stringify(kills)}`;
      // The kills timed from the spawn must have struck before start-up ended, at least once.
      expect(new Set(kills.map((kill) => kill.phase)).size, replay).to.equal(Math.min(RUNS, 2));
      await expectEveryLogOnce(deployment, database, head, replay);
      expect(await database.read(indexChecksums), replay).to.deep.equal(
        await freshIndexChecksums(target, chain.url, deployment.deploymentsFile, head),
      );
    });
  }
});

/** Each log of the suite's contracts up to `head` is stored once, and nothing else is. */
async function expectEveryLogOnce(
  deployment: Deployment,
  database: SharedTestDatabase,
  head: number,
  replay: string,
): Promise<void> {
  const addresses = Object.values(deployment.record.contracts).map((entry) => entry!.address);
  const logs = await deployment.provider.getLogs({ address: addresses, fromBlock: 0, toBlock: head });
  const rows = await database.read((db) =>
    db.query<{ position: string }>("SELECT block_hash || '#' || log_index AS position FROM events"),
  );
  const onChain = new Set(logs.map((log) => `${log.blockHash}#${log.index}`));
  const stored = rows.map((row) => row.position);
  const storedOnce = new Set(stored);
  const lost = [...onChain].filter((position) => !storedOnce.has(position));
  const seen = new Set<string>();
  const twice = stored.filter((position) => {
    if (seen.has(position)) return true;
    seen.add(position);
    return false;
  });
  const foreign = stored.filter((position) => !onChain.has(position));
  const examples = JSON.stringify({ lost: lost.slice(0, 3), twice: twice.slice(0, 3), foreign: foreign.slice(0, 3) });
  expect(
    { lost: lost.length, twice: twice.length, foreign: foreign.length },
    `events as block hash#log index, e.g. ${examples}; ${replay}`,
  ).to.deep.equal({ lost: 0, twice: 0, foreign: 0 });
}

/**
 * SIGKILLs `child` `afterMs` after it was spawned, or after it reported "indexer started"; fails if it ended by
 * itself before (a crash that left the index unusable shows here). Returns when the kill struck.
 */
async function killAt(child: IndexerProcess, anchor: "spawn" | "started", afterMs: number, run: number) {
  const spawnedAt = Date.now();
  let killed = false;
  const exitedEarly = child.exited.then(() => {
    if (killed) return;
    throw new Error(`run ${run}: the indexer exited by itself before its kill: ${child.stderr()}${child.stdout()}`);
  });
  if (anchor === "started") await Promise.race([child.logLine("indexer started"), exitedEarly]);
  await Promise.race([new Promise((resolve) => setTimeout(resolve, afterMs)), exitedEarly]);
  const killedAfterMs = Date.now() - spawnedAt;
  killed = true;
  child.child.kill("SIGKILL");
  expect(await child.exited).to.deep.equal({ code: null, signal: "SIGKILL" });
  const started = child.logLines.find((line) => line.msg === "indexer started");
  const startedAfterMs = started ? Date.parse(String(started.time)) - spawnedAt : null;
  return { phase: started ? ("running" as const) : ("start-up" as const), afterSpawnMs: killedAfterMs, startedAfterMs };
}

/** Waits, a minute at most, until the child's /readyz reports `block` indexed. */
async function untilIndexed(child: IndexerProcess, block: number, timeoutMs = 60_000): Promise<void> {
  const { ops_url: opsUrl } = await child.logLine("indexer started");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`the indexer exited while catching up: ${child.stderr()}`);
    const readiness = (await (await fetch(new URL("readyz", String(opsUrl)))).json()) as { indexed_block: number };
    if (readiness.indexed_block >= block) return;
    if (Date.now() > deadline)
      throw new Error(`block ${block} not indexed in ${timeoutMs} ms: ${JSON.stringify(readiness)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Sends transactions one after another until stopped: attestation batches of seeded sizes, and between them role
 * changes, nonce increases and suspensions, so projections are updated as well as inserted while the indexer dies.
 */
function startProducing(deployment: Deployment, activity: Activity, random: () => number) {
  const { suite, signers, addresses } = deployment;
  const temporary = activity.organizations.temporary;
  let stopped = false;
  const steps = [
    (round: number) =>
      attestInBulk(deployment, activity.sources.callRecords, 1, 1 + Math.floor(random() * 20), `crash-${round}`),
    (round: number) =>
      mined(
        suite.consortium.connect(signers.bureauAdmin).setMemberRoles(addresses.supervisor, round % 2 ? 0b1100 : 0b1000),
      ),
    async () => {
      const nonce = await suite.accessGrants.nonces(addresses.supervisor);
      await mined(suite.accessGrants.connect(signers.supervisor).increaseNonce(nonce + 1n));
    },
    async () => {
      const governance = suite.consortium.connect(signers.governance);
      const isActive = await suite.consortium.isOrganizationActive(temporary);
      await mined(isActive ? governance.suspendOrganization(temporary) : governance.reinstateOrganization(temporary));
    },
  ];
  const producing = (async () => {
    for (let round = 0; !stopped; round++) {
      for (const step of steps) {
        await step(round);
        // A steady trickle rather than a flood, so the node leaves the indexer processes their share of the CPU.
        await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_TRANSACTIONS_MS));
      }
    }
  })();
  producing.catch(() => undefined); // surfaces in stop()
  return {
    /** Ends after the transaction in flight; rethrows what made production fail. */
    stop: async () => {
      stopped = true;
      await producing;
    },
  };
}

async function mined(sent: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await sent).wait();
}

function wholeNumber(name: string, fallback: number, min: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new Error(`${name} must be a whole number from ${min}, got "${value}"`);
  }
  return Number(value);
}

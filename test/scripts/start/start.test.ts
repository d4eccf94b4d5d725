import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { caseRefOf } from "../../../scripts/lib/access-request";
import { readScenarioSummary, SCENARIO_ACCOUNT_INDEXES } from "../../../scripts/lib/scenario";
import type { ScenarioAccountName } from "../../../scripts/lib/scenario";
import { devKey, runDxl, runDxlJson, spawnDxl } from "../../helpers/dxl";
import { freePort, REPOSITORY_ROOT, startHardhatNode } from "../../helpers/node";

/** `npm start` as a newcomer runs it, in its own process, and what it printed. */
export interface StartProcess {
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the output once it includes `text`; rejects if the process ends first or after 3 minutes. */
  printed(text: string): Promise<string>;
  signal(name: NodeJS.Signals): Promise<number | null>;
}

/** Starts `scripts/start/main.ts` (what `npm start` runs after compiling) with `args`. */
export function spawnStart(args: string[], env: NodeJS.ProcessEnv = {}): StartProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start/main.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DXL_RPC_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  return {
    output: () => output,
    exited,
    async printed(text) {
      const deadline = Date.now() + 180_000;
      while (!output.includes(text)) {
        if (hasExited || Date.now() > deadline) throw new Error(`never printed "${text}":\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return output;
    },
    signal(name) {
      if (!hasExited) child.kill(name);
      return exited;
    },
  };
}

/** Where the banner says GraphQL is, and the demo analyst's session token. */
export function bannerFacts(output: string): { graphqlUrl: string; token: string } {
  const graphqlUrl = /GraphiQL\s+(\S+)/.exec(output)?.[1];
  const token = /"Authorization": "Bearer ([^"]+)"/.exec(output)?.[1];
  if (!graphqlUrl || !token) throw new Error(`no GraphiQL URL or token in:\n${output}`);
  return { graphqlUrl, token };
}

async function graphql(url: string, token: string, query: string, variables: object = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, never>; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
  return body.data!;
}

const TRAIL = "query Trail($caseRef: Bytes!) { caseTrail(caseRef: $caseRef) { step request { id } } }";

/** A scenario actor's settings for dxl: the started chain, the kept deployment record, the actor's dev key. */
function actorEnv(stateDir: string, chainUrl: string, actor: ScenarioAccountName): NodeJS.ProcessEnv {
  return {
    DXL_RPC_URL: chainUrl,
    DXL_DEPLOYMENTS_DIR: path.join(stateDir, "deployments"),
    DXL_PRIVATE_KEY: devKey(SCENARIO_ACCOUNT_INDEXES[actor]),
  };
}

/**
 * A new case, as its people run it with dxl on the started system: the lead investigator signs a request to a
 * file, the relay submits it, the duty supervisor endorses, the telecom steward approves and delivers three
 * records of an attested batch, the investigator acknowledges, and an evidence bundle is written.
 */
async function runNewCaseThroughDxl(
  stateDir: string,
  chainUrl: string,
  relay: { process?: ChildProcessWithoutNullStreams },
): Promise<{ caseNumber: string; bundle: string }> {
  const scenarioDir = path.join(stateDir, "scenario");
  const summary = readScenarioSummary(scenarioDir)!;
  const source = summary.sources.find((candidate) => candidate.holder === "telecom" && candidate.endorsementRequired)!;
  const attestation = summary.attestations.find((candidate) => candidate.id === source.attestationIds[0])!;
  const dxl = (actor: ScenarioAccountName, ...args: string[]) => runDxlJson(args, actorEnv(stateDir, chainUrl, actor));
  const caseNumber = `E2E-${Date.now()}`;
  const signedFile = path.join(stateDir, "request.json");
  const { requestId } = await dxl(
    "leadInvestigator",
    ...["request", "--source", source.sourceId, "--case", caseNumber, "--scope", "first three records"],
    ...["--purpose", "1", "--max-deliveries", "2", "--out", signedFile],
  );
  const relayed = await startRelay(actorEnv(stateDir, chainUrl, "relayer"), relay);
  const accepted = await fetch(`${relayed}/requests`, { method: "POST", body: fs.readFileSync(signedFile, "utf8") });
  expect(accepted.status, await accepted.clone().text()).to.equal(201);
  await dxl("dutySupervisor", "endorse", String(requestId));
  await dxl("telecomSteward", "approve", String(requestId));
  const records = fs.readFileSync(path.join(scenarioDir, attestation.recordsFile), "utf8").split("\n").slice(0, 3);
  const payload = path.join(stateDir, "payload.ndjson");
  fs.writeFileSync(payload, `${records.join("\n")}\n`);
  const proofs = path.join(scenarioDir, attestation.proofsFile);
  const packageFile = path.join(stateDir, "delivery.json");
  const delivered = await dxl(
    "telecomSteward",
    ...["deliver", payload, "--request", String(requestId), "--attestation", String(attestation.id)],
    ...["--proofs", proofs, "--out", packageFile],
  );
  await dxl("leadInvestigator", "ack", String(delivered.deliveryId));
  const bundle = path.join(stateDir, "bundle.json");
  const built = await runDxl(
    ["evidence", caseNumber, "--out", bundle, "--package", packageFile],
    actorEnv(stateDir, chainUrl, "auditor"),
  );
  expect(built.code, built.stderr).to.equal(0);
  return { caseNumber, bundle };
}

/** Starts `dxl relay` as the relayer; resolves to its URL. */
async function startRelay(env: NodeJS.ProcessEnv, relay: { process?: ChildProcessWithoutNullStreams }) {
  const child = spawnDxl(["relay", "--port", "0"], env);
  relay.process = child;
  let stdout = "";
  return new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /relay listening on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once("close", (code) => reject(new Error(`the relay exited with ${code}: ${stdout}`)));
  });
}

/** A copy of the bundle with the first delivered record altered. */
function tamperedBundle(file: string): string {
  const bundle = JSON.parse(fs.readFileSync(file, "utf8"));
  const record = bundle.deliveryPackages[0].records[0];
  record.record = { ...record.record, tampered: true };
  const tampered = file.replace(/\.json$/, ".tampered.json");
  fs.writeFileSync(tampered, JSON.stringify(bundle));
  return tampered;
}

const COUNTS = `query Counts($caseRef: Bytes!) {
  organizations { totalCount }
  dataSources { totalCount }
  attestations { totalCount }
  accessRequests { totalCount }
  deliveries { totalCount }
  caseTrail(caseRef: $caseRef) { step }
}`;

describe("npm start", function () {
  let stateDir: string;
  let chainPort: number;

  before(async function () {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-start-"));
    chainPort = await freePort();
  });

  after(function () {
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const startArgs = () => ["--state-dir", stateDir, "--chain-port", String(chainPort), "--api-port", "0"];

  /** The scenario's counts through GraphQL, as the summary the seeding wrote has them. */
  async function expectScenarioVisible(output: string): Promise<void> {
    const summary = readScenarioSummary(path.join(stateDir, "scenario"))!;
    const { graphqlUrl, token } = bannerFacts(output);
    const longestCase = summary.cases.find((each) => output.includes(each.caseRef))!;
    const data = await graphql(graphqlUrl, token, COUNTS, { caseRef: longestCase.caseRef });
    expect(data).to.deep.include({
      organizations: { totalCount: summary.counts.organizations },
      dataSources: { totalCount: summary.counts.sources },
      attestations: { totalCount: summary.counts.attestations },
      accessRequests: { totalCount: summary.counts.requests },
      deliveries: { totalCount: summary.counts.deliveries },
    });
    const steps = (data.caseTrail as { step: string }[]).map((entry) => entry.step);
    expect(steps).to.include.members(["REQUESTED", "APPROVED", "DELIVERED", "ACKNOWLEDGED"]);
  }

  it("should start from nothing, seed and serve the scenario, and stop cleanly on Ctrl-C", async function () {
    const run = spawnStart([...startArgs(), "--records", "2000"]);
    const output = await run.printed("Ctrl-C stops everything");
    expect(output).to.include("deploying the contract suite");
    expect(output).to.include("seeding the demo scenario: seed 1, 2,000 records");
    await expectScenarioVisible(output);
    expect(await run.signal("SIGINT")).to.equal(0);
    expect(run.output()).to.include("stopped; npm start resumes from here");
  });

  it("should resume the same chain, deployment, scenario and index on a second start", async function () {
    const run = spawnStart(startArgs());
    const output = await run.printed("Ctrl-C stops everything");
    expect(output).to.include("resuming the local chain");
    expect(output).to.include("the suite is deployed");
    expect(output).to.include("the scenario is seeded (seed 1");
    expect(output).not.to.include("seeding the demo scenario");
    await expectScenarioVisible(output);
    expect(await run.signal("SIGTERM")).to.equal(0);
  });

  it("should carry a new case through the dxl commands into the case trail and a verifiable evidence bundle", async function () {
    const run = spawnStart(startArgs());
    const output = await run.printed("Ctrl-C stops everything");
    const relay = { process: undefined as ChildProcessWithoutNullStreams | undefined };
    try {
      const flow = await runNewCaseThroughDxl(stateDir, `http://127.0.0.1:${chainPort}`, relay);
      const { graphqlUrl, token } = bannerFacts(output);
      const trail = await graphql(graphqlUrl, token, TRAIL, { caseRef: caseRefOf(flow.caseNumber) });
      const steps = (trail.caseTrail as { step: string; request: { id: string } }[]).map((entry) => entry.step);
      expect(steps).to.deep.equal(["REQUESTED", "ENDORSED", "APPROVED", "DELIVERED", "ACKNOWLEDGED"]);
      const verified = await runDxl(["evidence", "verify", flow.bundle, "--rpc-url", `http://127.0.0.1:${chainPort}`]);
      expect(verified.code, verified.stderr + verified.stdout).to.equal(0);
      const tampered = tamperedBundle(flow.bundle);
      const refused = await runDxl(["evidence", "verify", tampered]);
      expect(refused.code).to.equal(1);
      expect(refused.stdout + refused.stderr).to.match(/record|digest|proof/i);
    } finally {
      relay.process?.kill("SIGTERM");
      expect(await run.signal("SIGINT")).to.equal(0);
    }
  });

  it("should start over with --fresh: a new chain, deployment and scenario", async function () {
    const run = spawnStart([...startArgs(), "--fresh", "--records", "2000", "--seed", "2"]);
    const output = await run.printed("Ctrl-C stops everything");
    expect(output).to.include("starting the local chain");
    expect(output).to.include("deploying the contract suite");
    expect(output).to.include("seeding the demo scenario: seed 2, 2,000 records");
    await expectScenarioVisible(output);
    expect(await run.signal("SIGINT")).to.equal(0);
  });

  it("should refuse a chain port another node holds, with one line and exit code 1", async function () {
    const node = await startHardhatNode();
    try {
      const port = new URL(node.url).port;
      const run = spawnStart(["--state-dir", stateDir, "--chain-port", port, "--api-port", "0"]);
      expect(await run.exited).to.equal(1);
      expect(run.output()).to.match(/npm start: a node already answers on http:\/\/127\.0\.0\.1:\d+: stop it/);
    } finally {
      await node.stop();
    }
  });

  it("should refuse a bad setting with exit code 2, naming it", async function () {
    const run = spawnStart(["--records", "ten"]);
    expect(await run.exited).to.equal(2);
    expect(run.output()).to.match(/npm start: --records \/ DXL_SEED_RECORDS: expected a whole number/);
  });
});

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { readScenarioSummary } from "../../../scripts/lib/scenario";
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

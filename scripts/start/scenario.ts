/**
 * The demo scenario as `npm start` uses it: seeded once on a fresh deployment (scripts/lib/scenario), read back
 * from its summary on every later start, and turned into what the banner shows.
 */
import path from "node:path";
import { connectSuite } from "../lib/deployment";
import { readProofsFile } from "../lib/merkle";
import { readScenarioSummary, scenarioAccounts, seedScenario } from "../lib/scenario";
import type { ScenarioSummary } from "../lib/scenario";
import type { ScenarioView } from "./banner";
import type { SeedContext } from "./system";

/** Seeds the scenario unless an earlier start did; returns the banner's view of it. */
export async function seedOrResumeScenario(context: SeedContext): Promise<ScenarioView> {
  const kept = readScenarioSummary(context.scenarioDir);
  if (kept) {
    context.progress(`the scenario is seeded (seed ${kept.seed}, ${path.join(context.scenarioDir, "summary.json")})`);
    return viewOf(kept, context.scenarioDir);
  }
  const { options, provider } = context;
  context.progress(
    `seeding the demo scenario: seed ${options.seed}, ${options.records.toLocaleString("en-US")} records`,
  );
  const summary = await seedScenario({
    provider,
    suite: connectSuite(context.deployment, provider),
    accounts: scenarioAccounts(provider),
    seed: options.seed,
    totalRecords: options.records,
    dataDir: context.scenarioDir,
    onProgress: ({ message }) => context.progress(`  ${message}`),
  });
  return viewOf(summary, context.scenarioDir);
}

async function viewOf(summary: ScenarioSummary, scenarioDir: string): Promise<ScenarioView> {
  const { counts } = summary;
  return {
    seed: summary.seed,
    counts: {
      organizations: counts.organizations,
      members: counts.members,
      sources: counts.sources,
      attestations: counts.attestations,
      records: counts.records,
      cases: counts.cases,
      "access requests": counts.requests,
      deliveries: counts.deliveries,
    },
    analyst: analystOf(summary),
    exampleCase: exampleCaseOf(summary),
    exampleHolder: exampleHolderOf(summary),
    exampleRecord: await exampleRecordOf(summary, scenarioDir),
  };
}

/** The oversight office's auditor: reads every case. */
function analystOf(summary: ScenarioSummary): ScenarioView["analyst"] {
  for (const organization of summary.organizations) {
    const auditor = organization.members.find((member) => member.roles.includes("AUDITOR"));
    if (organization.kind === "OVERSIGHT" && auditor)
      return { account: auditor.address, organization: organization.name };
  }
  throw new Error("the scenario has no oversight auditor");
}

/** The case with the most requests that were delivered on: the longest trail. */
function exampleCaseOf(summary: ScenarioSummary): ScenarioView["exampleCase"] {
  const steps = (requests: ScenarioSummary["cases"][number]["requests"]) =>
    requests.reduce((total, request) => total + 1 + request.deliveryIds.length, 0);
  const [longest] = [...summary.cases].sort((a, b) => steps(b.requests) - steps(a.requests));
  return { number: longest.caseNumber, caseRef: longest.caseRef };
}

/** The holder of a pending request (the first holder when none is pending). */
function exampleHolderOf(summary: ScenarioSummary): ScenarioView["exampleHolder"] {
  const pending = summary.cases
    .flatMap((each) => each.requests)
    .find((request) => request.expected.status === "PENDING");
  const sourceName = pending?.source ?? summary.sources[0].name;
  const source = summary.sources.find((candidate) => candidate.name === sourceName)!;
  const holder = summary.organizations.find((organization) => organization.id === source.organizationId)!;
  return { id: String(holder.id), name: holder.name };
}

/** Record 0 of the first attested batch, with its proof, from the batch's proofs file. */
async function exampleRecordOf(summary: ScenarioSummary, scenarioDir: string): Promise<ScenarioView["exampleRecord"]> {
  const attestation = summary.attestations[0];
  const { records } = await readProofsFile(path.join(scenarioDir, attestation.proofsFile));
  for await (const record of records) {
    return {
      attestationId: String(attestation.id),
      index: String(record.index),
      digest: record.digest,
      proof: record.proof,
    };
  }
  throw new Error(`the proofs file of attestation ${attestation.id} holds no record`);
}

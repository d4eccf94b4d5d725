/**
 * Step 5: the cases. Every request of `CASES` is built from the scenario's start instant, submitted (by its
 * requester, or signed and relayed), endorsed, decided, delivered and acknowledged, or revoked, as its plan says,
 * one step after the other, so every id comes out the same for the same seed and start.
 */
import fs from "node:fs";
import path from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import type { TypedDataDomain } from "ethers";
import { canonicalJson } from "../merkle";
import { Acknowledgement } from "../suite-values";
import type { AttestedBatch } from "./attest-batches";
import { CASES } from "./cases";
import type { CasePlan, DeliveryPlan, RequestPlan } from "./cases";
import type { ScenarioContext } from "./context";
import { chooseTarget, recordDelivery } from "./deliveries";
import type { RequestTarget } from "./deliveries";
import { stewardOf } from "./organizations";
import { stream } from "./random";
import type { Random } from "./random";
import { isoInstant } from "./source-plan";
import { sourceSummaryNamed } from "./summary";
import type { CaseOutcome, DeliverySummary, RequestOutcome, RequestScope, SourceSummary } from "./summary";
import { caseRefOf } from "../access-request";
import { requestIdOf, signAccessRequest, signEndorsement } from "./typed-data";
import type { AccessRequestValues } from "./typed-data";

const DAY = 86_400;

/** What running the cases needs besides the context. */
export interface RunCasesOptions {
  context: ScenarioContext;
  domain: TypedDataDomain;
  /** The scenario's start: every request's window opens here, and its signatures hold for a day from it. */
  start: number;
  batches: readonly AttestedBatch[];
  sources: readonly SourceSummary[];
}

/** The state kept while the cases run: nonces and delivery ids are counted here, not read back. */
interface Counters {
  random: Random;
  nonces: Map<string, number>;
  nextDeliveryId: number;
  deliveries: DeliverySummary[];
}

/**
 * Runs every case; each request's `expected` is left for {@link withExpectedStatuses}, once the clock has moved.
 * @returns the cases and the deliveries, in the order they happened.
 */
export async function runCases(run: RunCasesOptions): Promise<{ cases: CaseOutcome[]; deliveries: DeliverySummary[] }> {
  const counters: Counters = {
    random: stream(run.context.seed, "cases"),
    nonces: new Map(),
    nextDeliveryId: Number(await run.context.suite.accessGrants.deliveryCount()) + 1,
    deliveries: [],
  };
  const firstCaseNumber = counters.random.between(100, 899);
  const cases: CaseOutcome[] = [];
  for (const [index, plan] of CASES.entries()) {
    cases.push(await runCase(run, counters, plan, `PSB-2026-${String(firstCaseNumber + index).padStart(4, "0")}`));
  }
  const requestCount = cases.reduce((total, each) => total + each.requests.length, 0);
  run.context.report(
    "cases",
    `${cases.length} cases, ${requestCount} requests, ${counters.deliveries.length} deliveries`,
  );
  return { cases, deliveries: counters.deliveries };
}

async function runCase(
  run: RunCasesOptions,
  counters: Counters,
  plan: CasePlan,
  caseNumber: string,
): Promise<CaseOutcome> {
  const caseRef = caseRefOf(caseNumber);
  const directory = path.join(run.context.dataDir, "deliveries", caseNumber);
  fs.mkdirSync(directory, { recursive: true });
  const requests: RequestOutcome[] = [];
  for (const request of plan.requests) {
    requests.push(await runRequest(run, counters, request, { caseRef, directory }));
  }
  return { caseNumber, caseRef, title: plan.title, requests };
}

async function runRequest(
  run: RunCasesOptions,
  counters: Counters,
  plan: RequestPlan,
  inCase: { caseRef: string; directory: string },
): Promise<RequestOutcome> {
  const sourceBatches = run.batches.filter((batch) => batch.source.name === plan.source);
  const target = chooseTarget(counters.random, sourceBatches);
  const scope = scopeOf(plan, target, sourceBatches);
  const request = await buildRequest(run, counters, plan, { caseRef: inCase.caseRef, scope });
  const requestId = requestIdOf(run.domain, request);
  await submit(run, plan, request);
  await endorse(run, plan, request, requestId);
  await decide(run, plan, requestId);
  const deliveryIds = await deliver(run, counters, plan, { requestId, target, directory: inCase.directory });
  await revoke(run, plan, requestId);
  return {
    key: plan.key,
    requestId,
    source: plan.source,
    requester: plan.requester,
    submission: plan.submission,
    endorsement: plan.endorsement?.submission ?? "none",
    decision: plan.decision,
    revokedBy: plan.revocation?.by ?? null,
    purpose: plan.purpose,
    scope,
    scopeHash: request.scopeHash,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    maxDeliveries: request.maxDeliveries,
    deliveryIds,
  };
}

/** What the request asks for: the target's records of the whole period the source's batches cover. */
function scopeOf(plan: RequestPlan, target: RequestTarget, sourceBatches: readonly AttestedBatch[]): RequestScope {
  return {
    source: plan.source,
    field: target.field,
    value: target.value,
    from: isoInstant(sourceBatches[0].period.start),
    to: isoInstant(sourceBatches[sourceBatches.length - 1].period.end),
  };
}

async function buildRequest(
  run: RunCasesOptions,
  counters: Counters,
  plan: RequestPlan,
  about: { caseRef: string; scope: RequestScope },
): Promise<AccessRequestValues> {
  const requester = run.context.addresses[plan.requester];
  return {
    requester,
    sourceId: sourceSummaryNamed(run.sources, plan.source).sourceId,
    caseRef: about.caseRef,
    scopeHash: keccak256(toUtf8Bytes(canonicalJson(about.scope))),
    purpose: plan.purpose,
    notBefore: run.start,
    notAfter: run.start + plan.windowDays * DAY,
    maxDeliveries: plan.maxDeliveries,
    nonce: await takeNonce(run, counters, requester),
    deadline: run.start + DAY,
  };
}

/** The requester's next request nonce: read from the chain at its first request, counted after. */
async function takeNonce(run: RunCasesOptions, counters: Counters, requester: string): Promise<number> {
  const nonce = counters.nonces.get(requester) ?? Number(await run.context.suite.accessGrants.nonces(requester));
  counters.nonces.set(requester, nonce + 1);
  return nonce;
}

async function submit(run: RunCasesOptions, plan: RequestPlan, request: AccessRequestValues): Promise<void> {
  const { accounts, sender, suite } = run.context;
  if (plan.submission === "direct") {
    await sender.send(suite.accessGrants.connect(accounts[plan.requester]).submitRequest(request, sender.call));
    return;
  }
  const signature = await signAccessRequest(accounts[plan.requester], run.domain, request);
  await sender.send(suite.accessGrants.connect(accounts.relayer).submitSignedRequest(request, signature, sender.call));
}

async function endorse(run: RunCasesOptions, plan: RequestPlan, request: AccessRequestValues, requestId: string) {
  if (!plan.endorsement) return;
  const { accounts, sender, suite } = run.context;
  const supervisor = accounts[plan.endorsement.supervisor];
  if (plan.endorsement.submission === "direct") {
    await sender.send(suite.accessGrants.connect(supervisor).endorse(requestId, sender.call));
    return;
  }
  const { endorsement, signature } = await signEndorsement(supervisor, run.domain, request, run.start + DAY);
  await sender.send(
    suite.accessGrants.connect(accounts.relayer).endorseBySignature(endorsement, signature, sender.call),
  );
}

async function decide(run: RunCasesOptions, plan: RequestPlan, requestId: string): Promise<void> {
  if (plan.decision === "none") return;
  const { accounts, sender, suite } = run.context;
  const steward = suite.accessGrants.connect(accounts[stewardOfSource(run, plan.source)]);
  await sender.send(
    plan.decision === "approved"
      ? steward.approve(requestId, sender.call)
      : steward.reject(requestId, plan.rejectionReasonCode ?? 0, sender.call),
  );
}

/** Records the plan's deliveries, each acknowledged as planned (or left unanswered). */
async function deliver(
  run: RunCasesOptions,
  counters: Counters,
  plan: RequestPlan,
  grant: { requestId: string; target: RequestTarget; directory: string },
): Promise<number[]> {
  const deliveryIds: number[] = [];
  for (const [index, deliveryPlan] of plan.deliveries.entries()) {
    const delivery = { ...grant, deliveryId: counters.nextDeliveryId++, deliveryNumber: index + 1 };
    const recorded = await recordDelivery(run.context, delivery, grant.target, stewardOfSource(run, plan.source));
    const summary = await acknowledge(run, plan, recorded, deliveryPlan);
    counters.deliveries.push(summary);
    deliveryIds.push(summary.id);
  }
  return deliveryIds;
}

/** The requester answers a delivery as planned, or leaves it unanswered. */
async function acknowledge(
  run: RunCasesOptions,
  plan: RequestPlan,
  delivery: DeliverySummary,
  answer: DeliveryPlan,
): Promise<DeliverySummary> {
  if (answer.acknowledgement === "NONE") return delivery;
  const { accounts, sender, suite } = run.context;
  const acknowledgement = Acknowledgement[answer.acknowledgement];
  await sender.send(
    suite.accessGrants
      .connect(accounts[plan.requester])
      .acknowledgeDelivery(delivery.id, acknowledgement, answer.reasonCode, sender.call),
  );
  return { ...delivery, acknowledgement: answer.acknowledgement, reasonCode: answer.reasonCode };
}

async function revoke(run: RunCasesOptions, plan: RequestPlan, requestId: string): Promise<void> {
  if (!plan.revocation) return;
  const { accounts, sender, suite } = run.context;
  await sender.send(
    suite.accessGrants.connect(accounts[plan.revocation.by]).revoke(requestId, plan.revocation.reasonCode, sender.call),
  );
}

/** The steward of the source's holder: who decides on requests for it and delivers. */
function stewardOfSource(run: RunCasesOptions, sourceName: string) {
  return stewardOf(sourceSummaryNamed(run.sources, sourceName).holder);
}

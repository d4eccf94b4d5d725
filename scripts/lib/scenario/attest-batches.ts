/**
 * Step 4: each holder's steward attests its batches, several to a transaction (`attestBatch`), each linked to its
 * source's previous attestation. Attestation ids are sequential on chain; the batches go out one transaction after
 * the other in a fixed order, so the same scenario gets the same ids on a fresh suite.
 */
import type { IAttestationRegistry } from "../../../typechain-types";
import { fileUri, relativeToDataDir } from "./context";
import type { ScenarioContext } from "./context";
import { stewardOf } from "./organizations";
import type { RecordBatch } from "./record-batches";
import { sourceSummaryNamed } from "./summary";
import type { AttestationSummary, SourceSummary } from "./summary";

/** The most batches one `attestBatch` transaction carries (about 4 million gas). */
const BATCHES_PER_TRANSACTION = 16;

/** An attested batch: the batch and its attestation id. */
export interface AttestedBatch extends RecordBatch {
  attestationId: number;
}

/**
 * Attests `batches` in order, a holder's consecutive batches together, and fills each source summary's record
 * count and attestation ids.
 * @returns the batches with their ids, and the attestations' summaries, in the same order.
 */
export async function attestBatches(
  context: ScenarioContext,
  batches: readonly RecordBatch[],
  sources: readonly SourceSummary[],
): Promise<{ attested: AttestedBatch[]; attestations: AttestationSummary[] }> {
  const firstId = Number(await context.suite.attestations.attestationCount()) + 1;
  const heads = new Map<string, number>(); // source name → its latest attestation id
  const attestations = batches.map((batch, index) =>
    summarize(context, batch, firstId + index, sourceSummaryNamed(sources, batch.source.name), heads),
  );
  for (const group of holderGroups(batches.map((batch, index) => ({ batch, attestation: attestations[index] })))) {
    await sendAttestations(context, group);
  }
  for (const attestation of attestations) {
    const source = sourceSummaryNamed(sources, attestation.source);
    source.recordCount += attestation.recordCount;
    source.attestationIds.push(attestation.id);
  }
  context.report("attestations", `${attestations.length} batches attested`);
  const attested = batches.map((batch, index) => ({ ...batch, attestationId: attestations[index].id }));
  return { attested, attestations };
}

/** A batch and its attestation, as sent. */
interface PlannedAttestation {
  batch: RecordBatch;
  attestation: AttestationSummary;
}

/** Consecutive attestations of one holder, cut at {@link BATCHES_PER_TRANSACTION}: one transaction each. */
function holderGroups(planned: readonly PlannedAttestation[]): PlannedAttestation[][] {
  const groups: PlannedAttestation[][] = [];
  for (const item of planned) {
    const current = groups.at(-1);
    const isSameHolder = current?.[0].batch.source.holder === item.batch.source.holder;
    if (current && isSameHolder && current.length < BATCHES_PER_TRANSACTION) current.push(item);
    else groups.push([item]);
  }
  return groups;
}

async function sendAttestations(context: ScenarioContext, group: readonly PlannedAttestation[]): Promise<void> {
  const steward = context.accounts[stewardOf(group[0].batch.source.holder)];
  const requests: IAttestationRegistry.AttestationRequestStruct[] = group.map(({ batch, attestation }) => ({
    sourceId: attestation.sourceId,
    merkleRoot: attestation.merkleRoot,
    recordCount: attestation.recordCount,
    periodStart: attestation.periodStart,
    periodEnd: attestation.periodEnd,
    previousAttestationId: attestation.previousAttestationId,
    dataURI: fileUri(batch.recordsFile),
  }));
  await context.sender.send(
    context.suite.attestations.connect(steward).attestBatch(requests, context.sender.attestations(requests.length)),
  );
}

function summarize(
  context: ScenarioContext,
  batch: RecordBatch,
  id: number,
  source: SourceSummary,
  heads: Map<string, number>,
): AttestationSummary {
  const previousAttestationId = heads.get(source.name) ?? 0;
  heads.set(source.name, id);
  return {
    id,
    source: source.name,
    sourceId: source.sourceId,
    merkleRoot: batch.tree.root,
    recordCount: batch.records.length,
    periodStart: batch.period.start,
    periodEnd: batch.period.end,
    previousAttestationId,
    recordsFile: relativeToDataDir(context, batch.recordsFile),
    proofsFile: relativeToDataDir(context, batch.proofsFile),
  };
}

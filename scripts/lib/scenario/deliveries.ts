/**
 * Deliveries: what a holder hands over under a grant is the records of one attested batch that match the
 * request's scope, as NDJSON, with the proofs file of exactly those records, so the receiver can check each
 * record against the attestation on chain. The payload hash recorded on chain is `dxl deliver`'s: keccak256 of
 * the canonical JSON of the delivered records array (scripts/lib/delivery.ts).
 */
import path from "node:path";
import { payloadHashOf } from "../delivery";
import { writeProofsFile } from "../merkle";
import type { ScenarioAccountName } from "./accounts";
import type { AttestedBatch } from "./attest-batches";
import { relativeToDataDir } from "./context";
import type { ScenarioContext } from "./context";
import { writeRecordsFile } from "./record-batches";
import type { Random } from "./random";
import type { DeliverySummary } from "./summary";

/** The most records one delivery hands over. */
const MAX_PAYLOAD_RECORDS = 25;
/** How many records are looked at when choosing whom a request is about. */
const TARGET_CANDIDATES = 400;

/**
 * Whom a request is about (the value of the source's subject field), and the batches holding their records:
 * delivery n under the grant draws from the n-th of them (round again when there are fewer).
 */
export interface RequestTarget {
  field: string;
  value: string;
  batches: AttestedBatch[];
}

/** A payload written to disk, ready to be recorded. */
interface Payload {
  /** The delivered records' indexes in their batch, ascending. */
  indexes: number[];
  payloadHash: string;
  recordsFile: string;
  proofsFile: string;
}

/**
 * Chooses whom a request is about: the subject seen most often among the subjects of random records of the
 * source (the first seen, on a tie), so an investigation is about someone the source knows well.
 */
export function chooseTarget(random: Random, sourceBatches: readonly AttestedBatch[]): RequestTarget {
  const field = sourceBatches[0].source.subjectField;
  const sightings = new Map<string, number>();
  for (let candidate = 0; candidate < TARGET_CANDIDATES; candidate++) {
    const value = String(random.pick(random.pick(sourceBatches).records)[field]);
    sightings.set(value, (sightings.get(value) ?? 0) + 1);
  }
  const [value] = [...sightings].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  const batches = sourceBatches.filter((batch) => matchingIndexes(batch, field, value).length > 0);
  return { field, value, batches };
}

/**
 * Writes the payload of delivery `deliveryNumber` (from 1) under a grant, records it with the holder's steward and
 * returns it; the acknowledgement comes later.
 */
export async function recordDelivery(
  context: ScenarioContext,
  delivery: { requestId: string; deliveryId: number; deliveryNumber: number; directory: string },
  target: RequestTarget,
  steward: ScenarioAccountName,
): Promise<DeliverySummary> {
  const batch = target.batches[(delivery.deliveryNumber - 1) % target.batches.length];
  const payload = await writePayload(path.join(delivery.directory, `delivery-${delivery.deliveryId}`), batch, target);
  await context.sender.send(
    context.suite.accessGrants
      .connect(context.accounts[steward])
      .recordDelivery(
        delivery.requestId,
        batch.attestationId,
        payload.payloadHash,
        payload.indexes.length,
        context.sender.call,
      ),
  );
  return {
    id: delivery.deliveryId,
    requestId: delivery.requestId,
    attestationId: batch.attestationId,
    recordCount: payload.indexes.length,
    payloadHash: payload.payloadHash,
    recordsFile: relativeToDataDir(context, payload.recordsFile),
    proofsFile: relativeToDataDir(context, payload.proofsFile),
    acknowledgement: "NONE",
    reasonCode: 0,
  };
}

async function writePayload(basePath: string, batch: AttestedBatch, target: RequestTarget): Promise<Payload> {
  const indexes = matchingIndexes(batch, target.field, target.value).slice(0, MAX_PAYLOAD_RECORDS);
  const recordsFile = `${basePath}.ndjson`;
  const proofsFile = `${basePath}.proofs.ndjson`;
  const records = indexes.map((index) => batch.records[index]);
  await Promise.all([writeRecordsFile(recordsFile, records), writeProofsFile(batch.tree, proofsFile, indexes)]);
  return { indexes, payloadHash: payloadHashOf(records), recordsFile, proofsFile };
}

/** The indexes, ascending, of the batch's records whose `field` is `value`. */
function matchingIndexes(batch: AttestedBatch, field: string, value: string): number[] {
  const indexes: number[] = [];
  batch.records.forEach((record, index) => {
    if (String(record[field]) === value) indexes.push(index);
  });
  return indexes;
}

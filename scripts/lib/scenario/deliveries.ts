/**
 * Deliveries: what a holder hands over under a grant is the records of one attested batch that match the
 * request's scope, as NDJSON, with the proofs file of exactly those records, so the receiver can check each
 * record against the attestation on chain. The payload hash recorded on chain is keccak256 of the records file.
 */
import path from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
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
const TARGET_CANDIDATES = 50;

/** Whom a request is about (the value of the source's subject field), and the batches holding their records. */
export interface RequestTarget {
  field: string;
  value: string;
  batches: AttestedBatch[];
}

/** A payload written to disk, ready to be recorded. */
interface Payload {
  batch: AttestedBatch;
  indexes: number[];
  payloadHash: string;
  recordsFile: string;
  proofsFile: string;
}

/**
 * Chooses whom a request is about: the subject of a random record of the source, preferring one whose records
 * span as many batches as the request has deliveries, so each delivery can draw from another batch.
 */
export function chooseTarget(
  random: Random,
  sourceBatches: readonly AttestedBatch[],
  deliveryCount: number,
): RequestTarget {
  const field = sourceBatches[0].source.subjectField;
  let target: RequestTarget | undefined;
  for (let candidate = 0; candidate < TARGET_CANDIDATES; candidate++) {
    const batch = random.pick(sourceBatches);
    const value = String(random.pick(batch.records)[field]);
    target = { field, value, batches: sourceBatches.filter((each) => matchingIndexes(each, field, value).length > 0) };
    if (target.batches.length >= deliveryCount) break;
  }
  return target!;
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
  const [text] = await Promise.all([
    writeRecordsFile(
      recordsFile,
      indexes.map((index) => batch.records[index]),
    ),
    writeProofsFile(batch.tree, proofsFile, indexes),
  ]);
  return { batch, indexes, payloadHash: keccak256(toUtf8Bytes(text)), recordsFile, proofsFile };
}

/** The indexes, ascending, of the batch's records whose `field` is `value`. */
function matchingIndexes(batch: AttestedBatch, field: string, value: string): number[] {
  const indexes: number[] = [];
  batch.records.forEach((record, index) => {
    if (String(record[field]) === value) indexes.push(index);
  });
  return indexes;
}

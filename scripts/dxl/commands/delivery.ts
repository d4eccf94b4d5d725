/**
 * `dxl deliver` records a hand-over under a grant (payload hash: see `scripts/lib/delivery.ts`) and writes the
 * delivery package; `dxl ack` accepts or disputes a delivery as its receiver.
 */
import path from "node:path";
import type { Command } from "commander";
import {
  DELIVERY_PACKAGE_FORMAT,
  payloadHashOf,
  proveRecords,
  readPayloadRecords,
  writeDeliveryPackage,
} from "../../lib/delivery";
import { Acknowledgement } from "../../lib/suite-values";
import { eventsIn, sendChecked } from "../../lib/transactions";
import { openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { DxlError } from "../errors";
import { parseBytes32, smallNumber, wholeNumber } from "../parse";
import { reportTransaction } from "../report";

interface DeliverOptions extends ConnectionOptions {
  request: string;
  attestation: bigint;
  proofs: string;
  out?: string;
}

interface AckOptions extends ConnectionOptions {
  dispute?: boolean;
  reason: number;
}

/** Registers `dxl deliver` and `dxl ack`. */
export function registerDeliveryCommands(program: Command): void {
  withSignerOptions(
    program
      .command("deliver")
      .description("record a delivery under a grant and write its delivery package (the holder's DATA_STEWARD)")
      .argument("<payload>", "the records handed over: a JSON array, {records: […]}, or NDJSON")
      .requiredOption("--request <requestId>", "the grant delivered under", parseBytes32)
      .requiredOption("--attestation <attestationId>", "the attestation the records were drawn from", wholeNumber(64))
      .requiredOption("--proofs <file>", "the attestation's proofs file (written by dxl attest)")
      .option("--out <file>", "where to write the delivery package (default: <payload>.delivery-<id>.json)"),
  ).action(deliver);
  withSignerOptions(
    program
      .command("ack")
      .description("acknowledge a delivery as its receiver: accept it, or --dispute it")
      .argument("<deliveryId>", "the delivery", wholeNumber(64))
      .option("--dispute", "dispute the delivery instead of accepting it")
      .option("--reason <code>", "reason code of a dispute (0-65535)", smallNumber(65_535), 0),
  ).action(acknowledge);
}

async function deliver(payloadFile: string, options: DeliverOptions): Promise<void> {
  const records = await readPayloadRecords(payloadFile);
  const payloadHash = payloadHashOf(records);
  const context = await openSigningSuite(options);
  const attestation = await context.suite.attestations.getAttestation(options.attestation);
  const { header, proven } = await proveRecords(records, options.proofs);
  if (header.root !== attestation.merkleRoot.toLowerCase()) {
    throw new DxlError(
      `${options.proofs} is for root ${header.root}, but attestation ${options.attestation} attests ${attestation.merkleRoot}`,
    );
  }
  const { accessGrants } = context.suite;
  const { receipt } = await sendChecked(
    accessGrants.recordDelivery,
    options.request,
    options.attestation,
    payloadHash,
    records.length,
  );
  const deliveryId = eventsIn(receipt, accessGrants, "DeliveryRecorded")[0].args.deliveryId as bigint;
  const out = options.out ?? defaultPackageFile(payloadFile, deliveryId);
  await writeDeliveryPackage(out, {
    format: DELIVERY_PACKAGE_FORMAT,
    chainId: context.network.chainId,
    accessGrants: await accessGrants.getAddress(),
    requestId: options.request,
    deliveryId: deliveryId.toString(),
    attestationId: options.attestation.toString(),
    root: header.root,
    payloadHash,
    transactionHash: receipt.hash,
    records: proven,
  });
  const summary = `delivery ${deliveryId}: ${records.length} records, payload ${payloadHash}, package ${out}`;
  reportTransaction(context.output, receipt, summary, { deliveryId, payloadHash, recordCount: records.length, out });
}

function defaultPackageFile(payloadFile: string, deliveryId: bigint): string {
  const { dir, name } = path.parse(payloadFile);
  return path.join(dir, `${name}.delivery-${deliveryId}.json`);
}

async function acknowledge(deliveryId: bigint, options: AckOptions): Promise<void> {
  if (!options.dispute && options.reason !== 0) throw new DxlError("--reason goes with --dispute");
  const { suite, output } = await openSigningSuite(options);
  const acknowledgement = options.dispute ? Acknowledgement.DISPUTED : Acknowledgement.ACCEPTED;
  const { receipt } = await sendChecked(
    suite.accessGrants.acknowledgeDelivery,
    deliveryId,
    acknowledgement,
    options.reason,
  );
  const verdict = options.dispute ? `disputed (reason ${options.reason})` : "accepted";
  reportTransaction(output, receipt, `delivery ${deliveryId} ${verdict}`, {
    deliveryId,
    acknowledgement: options.dispute ? "DISPUTED" : "ACCEPTED",
    reasonCode: options.reason,
  });
}

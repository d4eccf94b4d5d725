/**
 * Checks of the bundle's delivery packages: each names a delivery of the bundle, drawn from an attestation of the
 * bundle with the package's root; each record's digest is keccak256 of its canonical JSON and its proof leads to
 * that root; the records hash to the delivery's payload hash and number its record count.
 */
import { recordDigestHex, verifyRecordProof } from "../merkle";
import type { AttestationEvidence, DeliveryEvidence, EvidenceBundle } from "./bundle-format";
import { check, checkAsync, sameHex } from "./checks";
import type { EvidenceCheck, Outcome } from "./checks";
import { deliveryPayloadHash } from "./delivery-package";
import type { DeliveredRecord, DeliveryPackage } from "./delivery-package";

/** Every check of every delivery package of `bundle`. */
export async function verifyDeliveryPackages(bundle: EvidenceBundle): Promise<EvidenceCheck[]> {
  const checks = await Promise.all(
    bundle.deliveryPackages.map((deliveryPackage) => verifyPackage(bundle, deliveryPackage)),
  );
  return checks.flat();
}

async function verifyPackage(bundle: EvidenceBundle, deliveryPackage: DeliveryPackage): Promise<EvidenceCheck[]> {
  const label = `delivery ${deliveryPackage.deliveryId}`;
  const delivery = deliveryOf(bundle, deliveryPackage);
  const attestation = bundle.attestations.find(
    (candidate) => candidate.attestationId === deliveryPackage.attestationId,
  );
  const drawnFrom = check(`${label}: the package is of a delivery of the bundle, drawn from an attested root`, () =>
    packageFits(deliveryPackage, delivery, attestation),
  );
  if (drawnFrom.status === "failed" || !delivery || !attestation) return [drawnFrom];
  return [
    drawnFrom,
    check(`${label}: the records hash to the payload hash and number the record count`, () =>
      payloadFits(deliveryPackage, delivery),
    ),
    ...(await Promise.all(deliveryPackage.records.map((record) => verifyRecord(label, record, attestation)))),
  ];
}

function deliveryOf(bundle: EvidenceBundle, deliveryPackage: DeliveryPackage): DeliveryEvidence | undefined {
  const request = bundle.requests.find((candidate) => sameHex(candidate.requestId, deliveryPackage.requestId));
  return request?.deliveries.find((delivery) => delivery.deliveryId === deliveryPackage.deliveryId);
}

function packageFits(
  deliveryPackage: DeliveryPackage,
  delivery: DeliveryEvidence | undefined,
  attestation: AttestationEvidence | undefined,
): Outcome {
  if (!delivery)
    return `request ${deliveryPackage.requestId} has no delivery ${deliveryPackage.deliveryId} in the bundle`;
  if (delivery.attestationId !== deliveryPackage.attestationId) {
    return `the package draws from attestation ${deliveryPackage.attestationId}, the delivery from ${delivery.attestationId}`;
  }
  if (!attestation) return `attestation ${deliveryPackage.attestationId} is not in the bundle`;
  if (!sameHex(attestation.root, deliveryPackage.root)) {
    return `the package's root ${deliveryPackage.root} is not attestation ${attestation.attestationId}'s ${attestation.root}`;
  }
  return undefined;
}

function payloadFits(deliveryPackage: DeliveryPackage, delivery: DeliveryEvidence): Outcome {
  const payloadHash = deliveryPayloadHash(deliveryPackage.records.map(({ record }) => record));
  if (!sameHex(payloadHash, delivery.payloadHash)) {
    return `the records hash to ${payloadHash}, not the delivery's payload hash ${delivery.payloadHash}`;
  }
  if (String(deliveryPackage.records.length) !== delivery.recordCount) {
    return `the package holds ${deliveryPackage.records.length} records, the delivery ${delivery.recordCount}`;
  }
  return undefined;
}

async function verifyRecord(label: string, delivered: DeliveredRecord, attestation: AttestationEvidence) {
  return checkAsync(`${label}: record ${delivered.index} is in attestation ${attestation.attestationId}`, async () => {
    const digest = await recordDigestHex(delivered.record);
    if (!sameHex(digest, delivered.digest)) {
      return `the record's canonical JSON hashes to ${digest}, not its stated digest ${delivered.digest}`;
    }
    const isIncluded = await verifyRecordProof(attestation.root, delivered);
    return isIncluded
      ? undefined
      : `its proof does not lead from (index, digest) to the attested root ${attestation.root}`;
  });
}

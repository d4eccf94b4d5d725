/**
 * Evidence bundles (issue 5): build, from the chain alone, the proof of a case's or a request's trail — requests,
 * signatures, endorsements, decisions, deliveries with their records' Merkle proofs, acknowledgements,
 * revocations, and the transactions, receipts and block headers behind them — and verify it offline or against a
 * node. The only door to `scripts/lib/evidence/`.
 */
export { buildEvidenceBundle, EvidenceError, EvidenceSubjectNotFoundError } from "./build-bundle";
export type { BuildEvidenceOptions } from "./build-bundle";
export { verifyEvidenceBundle } from "./verify-bundle";
export type { VerifyEvidenceOptions } from "./verify-bundle";
export { failedChecks } from "./checks";
export type { CheckStatus, EvidenceCheck } from "./checks";
export { EVIDENCE_FORMAT } from "./bundle-format";
export type * from "./bundle-format";
export {
  createDeliveryPackage,
  DELIVERY_PACKAGE_FORMAT,
  DeliveryPackageError,
  deliveryPayloadHash,
  parseDeliveryPackage,
} from "./delivery-package";
export type { DeliveredRecord, DeliveryPackage } from "./delivery-package";
export { blockHashOf, BlockHeaderError } from "./block-header";
export {
  ACCESS_REQUEST_TYPES,
  accessGrantsDomain,
  accessRequestStructHash,
  ENDORSEMENT_TYPES,
  endorsementDigestOf,
  requestIdOf,
} from "./typed-data";

/**
 * The evidence bundle of a case or a request, format `dxl-evidence-v1`: everything needed to show, without
 * trusting the indexer or the node, who asked for what, who endorsed and decided, what was delivered and
 * acknowledged, and that each of those steps is a log of a transaction in a block of the chain.
 *
 * Every number that may exceed 2^53 (ids, nonces, timestamps, reason codes) is a decimal string; hashes,
 * addresses, signatures and raw transactions are 0x-hex. Steps name their log by `{ transactionHash, logIndex }`;
 * `transactions` holds each such transaction signed, with its receipt, and `blocks` the header of each block with
 * all its transactions and receipts (what its transactions and receipts roots commit to).
 *
 * ```
 * { format: "dxl-evidence-v1", chainId, contracts: { AccessGrants, AttestationRegistry }, startBlock,
 *   subject: { caseRef } | { requestId },
 *   attestations: [{ attestationId, sourceId, root, recordCount, attester, recorded, revocation? }],
 *   requests: [{ requestId, values, submitter, signature, submitted,
 *                endorsements: [{ supervisor, bySignature, submitter, signed?, logged }],
 *                decision?, deliveries: [{ deliveryId, …, acknowledgement? }], revocations: [...] }],
 *   deliveryPackages: [DeliveryPackage],
 *   transactions: { [hash]: { from, signed, receipt } },
 *   blocks: { [hash]: { header, transactions: [signed…], receipts: [encoded…] } } }
 * ```
 */
import type { DeliveryPackage } from "./delivery-package";

export const EVIDENCE_FORMAT = "dxl-evidence-v1";

/** Where a step was logged: the transaction and the log's index in its block. */
export interface LogReference {
  transactionHash: string;
  logIndex: number;
}

/** The AccessRequest as signed (EIP-712 values; numbers as decimal strings). */
export interface AccessRequestValues {
  requester: string;
  sourceId: string;
  caseRef: string;
  scopeHash: string;
  purpose: string;
  notBefore: string;
  notAfter: string;
  maxDeliveries: string;
  nonce: string;
  deadline: string;
}

/** A supervisor's signed Endorsement, as relayed to `endorseBySignature`. */
export interface SignedEndorsement {
  requestHash: string;
  supervisor: string;
  deadline: string;
  signature: string;
}

export interface AttestationEvidence {
  attestationId: string;
  sourceId: string;
  root: string;
  recordCount: string;
  attester: string;
  recorded: LogReference;
  revocation?: { reason: string; revoker: string; logged: LogReference };
}

export interface EndorsementEvidence {
  supervisor: string;
  bySignature: boolean;
  submitter: string;
  /** The signed Endorsement, read from the transaction's calldata, when it was given by signature. */
  signed?: SignedEndorsement;
  logged: LogReference;
}

export interface DecisionEvidence {
  outcome: "approved" | "rejected";
  steward: string;
  /** The rejection's reason code; absent for an approval. */
  reasonCode?: string;
  logged: LogReference;
}

export interface AcknowledgementEvidence {
  outcome: "accepted" | "disputed";
  requester: string;
  reasonCode: string;
  logged: LogReference;
}

export interface DeliveryEvidence {
  deliveryId: string;
  attestationId: string;
  payloadHash: string;
  recordCount: string;
  deliveryNumber: string;
  steward: string;
  logged: LogReference;
  acknowledgement?: AcknowledgementEvidence;
}

export interface RevocationEvidence {
  revoker: string;
  reasonCode: string;
  /** The status the request had: `PENDING` or `APPROVED`. */
  previousStatus: string;
  logged: LogReference;
}

export interface RequestEvidence {
  /** The request's EIP-712 digest under the AccessGrants domain. */
  requestId: string;
  values: AccessRequestValues;
  /** Who sent the submitting transaction: the requester, or a relayer. */
  submitter: string;
  /** The requester's signature, read from `submitSignedRequest` calldata; null when submitted directly. */
  signature: string | null;
  submitted: LogReference;
  endorsements: EndorsementEvidence[];
  decision?: DecisionEvidence;
  deliveries: DeliveryEvidence[];
  revocations: RevocationEvidence[];
}

/** A transaction of the bundle: the signed serialization (EIP-2718 bytes), its sender and its receipt. */
export interface TransactionEvidence {
  from: string;
  signed: string;
  /** The receipt as the node's `eth_getTransactionReceipt` returned it (hex quantities). */
  receipt: RpcReceipt;
}

/** A receipt in JSON-RPC form. */
export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  from: string;
  to: string | null;
  status: string;
  cumulativeGasUsed: string;
  gasUsed: string;
  logsBloom: string;
  type: string;
  logs: RpcLog[];
  [field: string]: unknown;
}

/** A log in JSON-RPC form. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
  transactionHash: string;
  blockHash: string;
  blockNumber: string;
  [field: string]: unknown;
}

/** A block header in JSON-RPC form: every header field the node returned, without the transaction list. */
export type BlockHeader = Record<string, string>;

/**
 * A block of the bundle: its header, and what its `transactionsRoot` and `receiptsRoot` commit to — every
 * transaction of the block signed, and every receipt in its consensus encoding, in block order — so each bundled
 * transaction and receipt is bound to the block hash.
 */
export interface BlockEvidence {
  header: BlockHeader;
  transactions: string[];
  receipts: string[];
}

/** What a bundle is about. */
export type EvidenceSubject = { caseRef: string } | { requestId: string };

export interface EvidenceBundle {
  format: typeof EVIDENCE_FORMAT;
  chainId: number;
  contracts: { AccessGrants: string; AttestationRegistry: string };
  /** The deployment's first block: where the chain's logs were read from, and are read again to check completeness. */
  startBlock: number;
  subject: EvidenceSubject;
  attestations: AttestationEvidence[];
  requests: RequestEvidence[];
  deliveryPackages: DeliveryPackage[];
  transactions: Record<string, TransactionEvidence>;
  blocks: Record<string, BlockEvidence>;
}

/**
 * Checks of the bundle's transactions and blocks: each signed transaction hashes to its hash and recovers to its
 * sender on the bundle's chain, each receipt is that transaction's, succeeded and lies in a block of the bundle,
 * and each block header hashes to its block hash.
 */
import { Transaction } from "ethers";
import { blockHashOf } from "./block-header";
import type { BlockHeader, EvidenceBundle, TransactionEvidence } from "./bundle-format";
import { check, sameHex, short } from "./checks";
import type { EvidenceCheck, Outcome } from "./checks";

/** Every check of every transaction and block header of `bundle`. */
export function verifyTransactions(bundle: EvidenceBundle): EvidenceCheck[] {
  return [
    ...Object.entries(bundle.transactions).flatMap(([hash, transaction]) =>
      verifyTransaction(bundle, hash, transaction),
    ),
    ...Object.entries(bundle.blocks).map(([hash, header]) => verifyBlockHeader(hash, header)),
  ];
}

function verifyTransaction(bundle: EvidenceBundle, hash: string, evidence: TransactionEvidence): EvidenceCheck[] {
  const label = `transaction ${short(hash)}`;
  return [
    check(`${label}: the signed transaction hashes to its hash`, () => {
      const transaction = decodeSigned(evidence.signed);
      return sameHex(transaction.hash, hash)
        ? undefined
        : `the signed transaction hashes to ${transaction.hash}, not ${hash}`;
    }),
    check(`${label}: signed by its sender on chain ${bundle.chainId}`, () => signedBySender(bundle, evidence)),
    check(`${label}: the receipt is its receipt, successful, in a block of the bundle`, () =>
      receiptFits(bundle, hash, evidence),
    ),
  ];
}

function signedBySender(bundle: EvidenceBundle, evidence: TransactionEvidence): Outcome {
  const transaction = decodeSigned(evidence.signed);
  if (!sameHex(transaction.from, evidence.from)) {
    return `the signature recovers to ${transaction.from}, not the stated sender ${evidence.from}`;
  }
  if (!sameHex(evidence.receipt.from, evidence.from)) {
    return `the receipt's sender is ${evidence.receipt.from}, not ${evidence.from}`;
  }
  if (transaction.type !== 0 && transaction.chainId !== BigInt(bundle.chainId)) {
    return `the transaction is signed for chain ${transaction.chainId}, not ${bundle.chainId}`;
  }
  return undefined;
}

/** The transaction a signed serialization holds; throws, naming the problem, when it does not decode. */
function decodeSigned(signed: string): Transaction {
  try {
    return Transaction.from(signed);
  } catch (error) {
    throw new Error(
      `the signed transaction does not decode: ${(error as { shortMessage?: string }).shortMessage ?? error}`,
    );
  }
}

function receiptFits(bundle: EvidenceBundle, hash: string, evidence: TransactionEvidence): Outcome {
  const { receipt } = evidence;
  if (!sameHex(receipt.transactionHash, hash)) return `the receipt is of transaction ${receipt.transactionHash}`;
  if (Number(receipt.status) !== 1) return `the transaction failed (status ${receipt.status})`;
  if (!sameHex(receipt.to, decodeSigned(evidence.signed).to)) {
    return `the receipt's recipient ${receipt.to} is not the transaction's`;
  }
  const header = bundle.blocks[receipt.blockHash.toLowerCase()];
  if (!header) return `its block ${receipt.blockHash} is not in the bundle`;
  if (BigInt(header.number) !== BigInt(receipt.blockNumber)) {
    return `the receipt puts it in block ${BigInt(receipt.blockNumber)}, but block ${receipt.blockHash} is number ${BigInt(header.number)}`;
  }
  const strayLog = receipt.logs.find(
    (log) => !sameHex(log.transactionHash, hash) || !sameHex(log.blockHash, receipt.blockHash),
  );
  return strayLog
    ? `log ${Number(strayLog.logIndex)} of its receipt belongs to another transaction or block`
    : undefined;
}

function verifyBlockHeader(hash: string, header: BlockHeader): EvidenceCheck {
  return check(`block ${BigInt(header.number ?? 0)} (${short(hash)}): the header hashes to its block hash`, () => {
    if (header.hash !== undefined && !sameHex(header.hash, hash)) return `the header says hash ${header.hash}`;
    const computed = blockHashOf(header);
    return sameHex(computed, hash) ? undefined : `the header's fields hash to ${computed}, not ${hash}`;
  });
}

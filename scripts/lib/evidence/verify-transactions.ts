/**
 * Checks of the bundle's transactions and blocks: each signed transaction hashes to its hash and recovers to its
 * sender on the bundle's chain, each receipt is that transaction's, succeeded and lies in a block of the bundle
 * whose transactions and receipts tries hold both, and each block header hashes to its block hash.
 */
import { Transaction } from "ethers";
import { blockHashOf } from "./block-header";
import type { BlockEvidence, EvidenceBundle, TransactionEvidence } from "./bundle-format";
import { check, sameHex, short } from "./checks";
import type { EvidenceCheck, Outcome } from "./checks";
import { orderedTrieRoot } from "./ordered-trie";
import { encodeReceipt } from "./receipt-encoding";

/** Every check of every transaction and block header of `bundle`. */
export function verifyTransactions(bundle: EvidenceBundle): EvidenceCheck[] {
  return [
    ...Object.entries(bundle.transactions).flatMap(([hash, transaction]) =>
      verifyTransaction(bundle, hash, transaction),
    ),
    ...Object.entries(bundle.blocks).flatMap(([hash, block]) => verifyBlock(hash, block)),
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
    check(`${label}: its block's tries hold it and its receipt`, () => committedByBlock(bundle, evidence)),
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
  const header = bundle.blocks[receipt.blockHash.toLowerCase()]?.header;
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

/** The bundled transaction and receipt are those the block lists at the receipt's transaction index. */
function committedByBlock(bundle: EvidenceBundle, evidence: TransactionEvidence): Outcome {
  const { receipt } = evidence;
  const block = bundle.blocks[receipt.blockHash.toLowerCase()];
  if (!block) return `its block ${receipt.blockHash} is not in the bundle`;
  const position = Number(receipt.transactionIndex);
  if (!sameHex(block.transactions[position], evidence.signed)) {
    return `the block's transaction ${position} is not this signed transaction`;
  }
  if (!sameHex(block.receipts[position], encodeReceipt(receipt))) {
    return `the block's receipt ${position} is not this receipt (its status, gas, bloom or logs differ)`;
  }
  return undefined;
}

function verifyBlock(hash: string, block: BlockEvidence): EvidenceCheck[] {
  const label = `block ${BigInt(block.header.number ?? 0)} (${short(hash)})`;
  return [
    check(`${label}: the header hashes to its block hash`, () => {
      if (block.header.hash !== undefined && !sameHex(block.header.hash, hash)) {
        return `the header says hash ${block.header.hash}`;
      }
      const computed = blockHashOf(block.header);
      return sameHex(computed, hash) ? undefined : `the header's fields hash to ${computed}, not ${hash}`;
    }),
    check(`${label}: its transactions and receipts make the header's roots`, () => {
      const transactionsRoot = orderedTrieRoot(block.transactions);
      if (!sameHex(transactionsRoot, block.header.transactionsRoot)) {
        return `its transactions make root ${transactionsRoot}, the header's transactionsRoot is ${block.header.transactionsRoot}`;
      }
      const receiptsRoot = orderedTrieRoot(block.receipts);
      return sameHex(receiptsRoot, block.header.receiptsRoot)
        ? undefined
        : `its receipts make root ${receiptsRoot}, the header's receiptsRoot is ${block.header.receiptsRoot}`;
    }),
  ];
}

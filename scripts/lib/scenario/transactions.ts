/**
 * Sending the scenario's transactions fast. Gas and fees are given up front, so no call waits for an estimate;
 * each signer counts its own nonces (NonceManager), so none waits for a nonce query; and a send waits only for the
 * node to accept it. On a development node that mines every transaction as it arrives (Hardhat's and Anvil's
 * automine), an accepted transaction is already in a block and a reverted one is refused with its error, so the
 * next step, whoever signs it, sees its effects.
 */
import type { Provider, TransactionResponse } from "ethers";

/** Gas and fee fields given with every transaction. */
export interface TransactionOverrides {
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** The gas an ordinary scenario call is given: several times what the costliest one uses. */
const CALL_GAS_LIMIT = 1_000_000n;
/** The gas one batch of an `attestBatch` call is given: the first of a source costs about 190,000. */
const ATTESTATION_GAS = 250_000n;

/** Sends the scenario's transactions and counts them. */
export class TransactionSender {
  private sentCount = 0;
  private lastSent: TransactionResponse | undefined;

  private constructor(private readonly fees: Omit<TransactionOverrides, "gasLimit">) {}

  /** A sender paying four times the node's current base fee, so a rising base fee never stalls a transaction. */
  static async create(provider: Provider): Promise<TransactionSender> {
    const fees = await provider.getFeeData();
    if (fees.maxFeePerGas === null || fees.maxPriorityFeePerGas === null) {
      throw new Error("the node reports no EIP-1559 fees; the scenario needs a London-or-later development chain");
    }
    return new TransactionSender({
      maxFeePerGas: fees.maxFeePerGas * 4n,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
  }

  /** Overrides for an ordinary call. */
  get call(): TransactionOverrides {
    return { ...this.fees, gasLimit: CALL_GAS_LIMIT };
  }

  /** Overrides for an `attestBatch` of `batchCount` batches. */
  attestations(batchCount: number): TransactionOverrides {
    return { ...this.fees, gasLimit: ATTESTATION_GAS * BigInt(batchCount) + CALL_GAS_LIMIT };
  }

  /** Waits until the node accepted `transaction` (on automine: mined it), and counts it. */
  async send<T extends TransactionResponse>(transaction: Promise<T>): Promise<T> {
    const response = await transaction;
    this.sentCount += 1;
    this.lastSent = response;
    return response;
  }

  /** How many transactions were sent. */
  get count(): number {
    return this.sentCount;
  }

  /** Waits for the receipt of the last transaction sent: on an automining node, that of every one before it too. */
  async settle(): Promise<void> {
    const receipt = await this.lastSent?.wait();
    if (this.lastSent && !receipt) throw new Error(`transaction ${this.lastSent.hash} has no receipt`);
  }
}

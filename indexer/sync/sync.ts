import type { BlockHeader, ChainReader, LogBatch, LogRangeReader } from "../chain";
import type { Decoder, WatchedContract } from "../decode";
import type { IndexerStatus, SyncObserver } from "../ops/types";
import type { Checkpoint, IndexStore } from "../store";
import { DeploymentMismatchError, ReorgBeyondFinalityError } from "./errors";
import { confirmationsOf, finalizedBlockAt } from "./finality";
import type { Finality } from "./finality";
import { findCommonAncestor, inconsistencyOf } from "./reorg";
import type { CommonAncestor } from "./reorg";

export interface SyncOptions {
  chainId: number;
  contracts: readonly WatchedContract[];
  /** The first block that can hold the suite's events (its deployment block). */
  startBlock: number;
  finality: Finality;
  pollIntervalMs: number;
}

export interface SyncDependencies {
  reader: ChainReader;
  ranges: LogRangeReader;
  store: IndexStore;
  decoder: Decoder;
  observer: SyncObserver;
  /** Told of each fault the loop rides out (it retries after `delayMs`); fatal errors are thrown instead. */
  onTransientError(error: Error, delayMs: number): void;
  /** Whether the loop may retry after `error` (an RPC or database outage) or must stop. */
  isTransient(error: unknown): boolean;
}

export interface Sync {
  /** Backfills, then follows the head until `signal` aborts (after the open batch) or a fatal error is thrown. */
  run(signal: AbortSignal): Promise<void>;
  status(): IndexerStatus;
}

const MAX_FAULT_DELAY_MS = 10_000;

/** Creates the sync loop: chain → decode → store, one transaction per batch, reorganizations rolled back. */
export function createSync(deps: SyncDependencies, options: SyncOptions): Sync {
  const addresses = options.contracts.map(({ address }) => address.toLowerCase());
  const confirmations = confirmationsOf(options.finality);
  const status: IndexerStatus = {
    chainId: options.chainId,
    headBlock: null,
    indexedBlock: null,
    confirmations,
    following: false,
    stoppedBy: null,
  };
  let indexed: CommonAncestor | null = null;
  let finalized = options.startBlock - 1;

  async function resume(): Promise<void> {
    const checkpoint = await deps.store.loadCheckpoint(options.chainId);
    if (!checkpoint) return;
    if (checkpoint.contracts.join() !== addresses.join())
      throw new DeploymentMismatchError(checkpoint.contracts, addresses);
    indexed = { number: checkpoint.blockNumber, hash: checkpoint.blockHash };
    finalized = checkpoint.finalizedBlock;
    status.indexedBlock = checkpoint.blockNumber;
    deps.observer.onResume(checkpoint.blockNumber);
  }

  /** One step: roll back a reorganization, or index the next range; false when there was nothing to do. */
  async function step(): Promise<boolean> {
    const head = await deps.reader.headNumber();
    status.headBlock = head;
    deps.observer.onHead(head);
    if (indexed && !(await isCanonical(indexed, head))) {
      await rollBack(head);
      return true;
    }
    const from = (indexed?.number ?? options.startBlock - 1) + 1;
    if (from > head) return false;
    const batch = await deps.ranges.next({ fromBlock: from, toBlock: head, addresses });
    await indexBatch(batch, head);
    return true;
  }

  async function isCanonical(block: CommonAncestor, head: number): Promise<boolean> {
    if (block.number > head) return false;
    const [current] = await deps.reader.headers([block.number]);
    return current.hash === block.hash;
  }

  async function rollBack(head: number): Promise<void> {
    const from = indexed!.number;
    const stored = await deps.store.storedBlocks(options.chainId, Math.max(0, finalized));
    const ancestor = await findCommonAncestor(deps.reader, stored, head);
    if (!ancestor || ancestor.number < finalized) {
      throw new ReorgBeyondFinalityError(from, finalized, ancestor?.number ?? null);
    }
    await deps.store.rollbackTo(options.chainId, ancestor, finalized);
    indexed = ancestor;
    status.indexedBlock = ancestor.number;
    deps.observer.onReorg({ detectedAt: from, commonAncestor: ancestor.number, depth: from - ancestor.number });
  }

  async function indexBatch(batch: LogBatch, head: number): Promise<void> {
    const started = Date.now();
    const headers = await fetchHeaders(batch, head);
    const inconsistency = inconsistencyOf(headers, batch.logs, indexed);
    if (inconsistency) return; // the chain moved while the range was read; the next step looks again
    const tip = headers.get(batch.toBlock)!;
    finalized = finalizedBlockAt(options.finality, head, batch.toBlock, finalized);
    const events = batch.logs.map((log) => deps.decoder.decode(log));
    const checkpoint: Checkpoint = {
      blockNumber: tip.number,
      blockHash: tip.hash,
      finalizedBlock: finalized,
      contracts: addresses,
    };
    await deps.store.writeBatch({ chainId: options.chainId, events, blocks: [...headers.values()], checkpoint });
    indexed = { number: tip.number, hash: tip.hash };
    status.indexedBlock = tip.number;
    deps.observer.onBatch({
      fromBlock: batch.fromBlock,
      toBlock: batch.toBlock,
      events: events.length,
      undecoded: events.filter((event) => event.eventName === null).length,
      durationMs: Date.now() - started,
    });
  }

  /** Headers of the blocks with logs, of every block still in doubt, of the range's ends. */
  async function fetchHeaders(batch: LogBatch, head: number): Promise<Map<number, BlockHeader>> {
    const numbers = new Set([batch.fromBlock, batch.toBlock, ...batch.logs.map((log) => log.blockNumber)]);
    if (confirmations > 0) {
      for (let number = Math.max(batch.fromBlock, head - confirmations + 1); number <= batch.toBlock; number++) {
        numbers.add(number);
      }
    }
    const sorted = [...numbers].sort((a, b) => a - b);
    const headers = await deps.reader.headers(sorted);
    return new Map(headers.map((header) => [header.number, header]));
  }

  async function run(signal: AbortSignal): Promise<void> {
    try {
      await resume();
      let faults = 0;
      while (!signal.aborted) {
        try {
          const progressed = await step();
          faults = 0;
          if (!progressed) {
            markFollowing();
            await sleep(options.pollIntervalMs, signal);
          } else if (status.indexedBlock !== null && status.indexedBlock >= (status.headBlock ?? 0)) {
            markFollowing();
          }
        } catch (error) {
          if (!deps.isTransient(error)) throw error;
          const delayMs = Math.min(MAX_FAULT_DELAY_MS, options.pollIntervalMs * 2 ** faults++);
          deps.onTransientError(error as Error, delayMs);
          await sleep(delayMs, signal);
        }
      }
    } catch (error) {
      status.stoppedBy = (error as Error).message;
      throw error;
    }
  }

  function markFollowing(): void {
    if (status.following) return;
    status.following = true;
    deps.observer.onFollowing();
  }

  return { run, status: () => ({ ...status }) };
}

/** Waits `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

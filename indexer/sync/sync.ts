import type { BlockHeader, ChainReader, LogBatch, LogRangeReader } from "../chain";
import type { DecodedLog, Decoder, WatchedContract } from "../decode";
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
  /**
   * Events one transaction writes at most, so memory stays bounded however dense a range is: a range with more is
   * written in parts that end at block boundaries (a single block's events are never split).
   */
  maxEventsPerWrite: number;
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

/** A range ready to write: its logs decoded and the headers it keeps fetched. */
interface PreparedRange {
  batch: LogBatch;
  headers: Map<number, BlockHeader>;
  events: DecodedLog[];
  /** The head the range was read under. */
  head: number;
}

/** A part of a prepared range that one transaction writes. */
interface WritePart {
  fromBlock: number;
  toBlock: number;
  events: DecodedLog[];
  blocks: BlockHeader[];
}

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

  /** The next range, read and decoded while the previous one was being written; null once it is stale. */
  let prefetched: { fromBlock: number; range: Promise<PreparedRange> } | null = null;

  /** One step: roll back a reorganization, or index the next range; false when there was nothing to do. */
  async function step(): Promise<boolean> {
    const head = await deps.reader.headNumber();
    status.headBlock = head;
    deps.observer.onHead(head);
    if (indexed && !(await isCanonical(indexed, head))) {
      prefetched = null;
      await rollBack(head);
      return true;
    }
    const from = (indexed?.number ?? options.startBlock - 1) + 1;
    if (from > head) return false;
    const ahead = prefetched?.fromBlock === from ? prefetched.range : null;
    prefetched = null;
    const range = await (ahead ?? prepare(from, head));
    // Reading and decoding the next range overlaps the database's work on this one.
    if (range.batch.toBlock < head) prefetch(range.batch.toBlock + 1, head);
    await write(range);
    return true;
  }

  function prefetch(fromBlock: number, head: number): void {
    const range = prepare(fromBlock, head);
    range.catch(() => undefined); // its error surfaces when the next step awaits it, or never if it goes unused
    prefetched = { fromBlock, range };
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

  async function prepare(fromBlock: number, head: number): Promise<PreparedRange> {
    const batch = await deps.ranges.next({ fromBlock, toBlock: head, addresses });
    const headers = await fetchHeaders(batch, head);
    const events = batch.logs.map((log) => deps.decoder.decode(log));
    return { batch, headers, events, head };
  }

  /** Writes the range in parts of at most `maxEventsPerWrite` events, each with its checkpoint. */
  async function write(range: PreparedRange): Promise<void> {
    const inconsistency = inconsistencyOf(range.headers, range.batch.logs, indexed);
    if (inconsistency) return; // the chain moved while the range was read; the next step looks again
    for (const part of partsOf(range, options.maxEventsPerWrite)) {
      const started = Date.now();
      const tip = range.headers.get(part.toBlock)!;
      finalized = finalizedBlockAt(options.finality, range.head, part.toBlock, finalized);
      const checkpoint: Checkpoint = {
        blockNumber: tip.number,
        blockHash: tip.hash,
        finalizedBlock: finalized,
        contracts: addresses,
      };
      await deps.store.writeBatch({ chainId: options.chainId, events: part.events, blocks: part.blocks, checkpoint });
      indexed = { number: tip.number, hash: tip.hash };
      status.indexedBlock = tip.number;
      deps.observer.onBatch({
        fromBlock: part.fromBlock,
        toBlock: part.toBlock,
        events: part.events.length,
        undecoded: part.events.filter((event) => event.eventName === null).length,
        durationMs: Date.now() - started,
      });
    }
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

/**
 * Splits a range into parts of at most `maxEvents` events that end at block boundaries: each part ends at the
 * block of its last event (whose header is kept), the last part at the range's end. A block with more events
 * than `maxEvents` is one part of its own.
 */
export function partsOf(range: Omit<PreparedRange, "head">, maxEvents: number): WritePart[] {
  const { batch, events } = range;
  const ends: number[] = [];
  let count = 0;
  for (let index = 0; index < events.length; index++) {
    count += 1;
    const block = events[index].log.blockNumber;
    const nextBlock = events[index + 1]?.log.blockNumber;
    if (count >= maxEvents && nextBlock !== undefined && nextBlock !== block) {
      ends.push(block);
      count = 0;
    }
  }
  ends.push(batch.toBlock);
  const headers = [...range.headers.values()].sort((a, b) => a.number - b.number);
  let fromBlock = batch.fromBlock;
  return ends.map((toBlock) => {
    const part: WritePart = {
      fromBlock,
      toBlock,
      events: events.filter((event) => event.log.blockNumber >= fromBlock && event.log.blockNumber <= toBlock),
      blocks: headers.filter((header) => header.number >= fromBlock && header.number <= toBlock),
    };
    fromBlock = toBlock + 1;
    return part;
  });
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

/** What the operations layer (logs, progress, metrics, health endpoints) is told by the sync layer. */

/** A snapshot of the indexer's position, read by the health endpoints and the metrics. */
export interface IndexerStatus {
  chainId: number;
  /** The chain head last seen; null before the first poll. */
  headBlock: number | null;
  /** The last block whose events are committed; null before the first batch. */
  indexedBlock: number | null;
  /** Blocks of doubt: 0 for instant finality. */
  confirmations: number;
  /** True once backfill reached the head and the indexer follows it. */
  following: boolean;
  /** The fatal error that stopped the indexer, if any. */
  stoppedBy: string | null;
}

/** One committed batch: its inclusive block range, its events (undecoded ones included) and how long it took. */
export interface BatchReport {
  fromBlock: number;
  toBlock: number;
  events: number;
  undecoded: number;
  durationMs: number;
}

/** One rolled-back reorganization: the indexed block that was orphaned, the block kept, and the blocks undone. */
export interface ReorgReport {
  detectedAt: number;
  commonAncestor: number;
  depth: number;
}

/** Events of the sync loop that operations count, log and display. */
export interface SyncObserver {
  /** The index resumed from a checkpoint: `indexedBlock` is already committed. */
  onResume(indexedBlock: number): void;
  onHead(head: number): void;
  onBatch(batch: BatchReport): void;
  onReorg(reorg: ReorgReport): void;
  onFollowing(): void;
}

import type { BlockHeader } from "../chain";
import type { DecodedLog } from "../decode";
import type { Database, SqlExecutor } from "./database";
import { migrate } from "./migrate";
import { createTouchedSubjects, refreshProjections } from "./projections";

/** Where indexing stands: the last block committed and the last one considered final. */
export interface Checkpoint {
  blockNumber: number;
  blockHash: string;
  finalizedBlock: number;
  /** Lower-cased addresses of the contracts indexed. */
  contracts: string[];
}

/** A block by number and hash. */
export interface BlockRef {
  number: number;
  hash: string;
}

/** One batch of the sync loop: the logs of a block range, the headers it keeps, and where it leaves the index. */
export interface IndexedBatch {
  chainId: number;
  events: readonly DecodedLog[];
  /** Headers to keep: blocks with events, blocks that may still be reorganized, and the checkpoint block. */
  blocks: readonly BlockHeader[];
  checkpoint: Checkpoint;
}

/** The database as the sync loop sees it. */
export interface IndexStore {
  loadCheckpoint(chainId: number): Promise<Checkpoint | null>;
  /** Writes events, projections, headers and checkpoint in one transaction; re-delivered events are ignored. */
  writeBatch(batch: IndexedBatch): Promise<void>;
  /** Stored headers from `fromBlock` up, highest first: what reorganization detection compares with the chain. */
  storedBlocks(chainId: number, fromBlock: number): Promise<BlockHeader[]>;
  /** Removes everything above `ancestor` and recomputes what it touched; the checkpoint moves to `ancestor`. */
  rollbackTo(chainId: number, ancestor: BlockRef, finalizedBlock: number): Promise<{ removedEvents: number }>;
}

const EVENT_COLUMNS = [
  "chain_id",
  "block_number",
  "block_hash",
  "block_timestamp",
  "transaction_hash",
  "transaction_index",
  "log_index",
  "contract_address",
  "contract_name",
  "event_name",
  "subject",
  "args",
  "topics",
  "data",
] as const;

/** Opens the index on a database, applying pending migrations first. */
export async function createIndexStore(database: Database): Promise<IndexStore> {
  await migrate(database);
  const statistics = createStatisticsKeeper(database);
  return {
    loadCheckpoint: (chainId) => loadCheckpoint(database, chainId),
    writeBatch: async (batch) => {
      await database.transaction((tx) => writeBatch(tx, batch));
      await statistics.afterWriting(batch.events.length);
    },
    storedBlocks: (chainId, fromBlock) => storedBlocks(database, chainId, fromBlock),
    rollbackTo: (chainId, ancestor, finalizedBlock) =>
      database.transaction((tx) => rollbackTo(tx, chainId, ancestor, finalizedBlock)),
  };
}

/**
 * Events written before the planner first learns the size of `events`; then again each time it doubles (the
 * planner scales its row estimates by the table's current size in between).
 */
const ANALYZE_AFTER_EVENTS = 10_000;

/**
 * Keeps the planner's statistics of `events` current. PGlite has no autovacuum: without them, refreshing one
 * projection row scans every event (seconds at 100k events) instead of using the subject index.
 */
function createStatisticsKeeper(database: Database) {
  let unanalyzed = ANALYZE_AFTER_EVENTS;
  let analyzedCount = 0;
  return {
    async afterWriting(events: number): Promise<void> {
      unanalyzed += events;
      if (unanalyzed < Math.max(ANALYZE_AFTER_EVENTS, analyzedCount)) return;
      await database.exec("ANALYZE events (chain_id, block_number, subject, event_name)");
      analyzedCount += unanalyzed;
      unanalyzed = 0;
    },
  };
}

async function loadCheckpoint(db: SqlExecutor, chainId: number): Promise<Checkpoint | null> {
  const [row] = await db.query<{
    block_number: string;
    block_hash: string;
    finalized_block: string;
    contracts: unknown;
  }>("SELECT block_number, block_hash, finalized_block, contracts FROM checkpoint WHERE chain_id = $1", [chainId]);
  if (!row) return null;
  return {
    blockNumber: Number(row.block_number),
    blockHash: row.block_hash,
    finalizedBlock: Number(row.finalized_block),
    // jsonb arrives parsed from both engines; a string only if a driver was configured otherwise
    contracts: (typeof row.contracts === "string" ? JSON.parse(row.contracts) : row.contracts) as string[],
  };
}

async function writeBatch(tx: SqlExecutor, batch: IndexedBatch): Promise<void> {
  await createTouchedSubjects(tx);
  if (batch.events.length > 0) {
    await insertEvents(tx, batch);
    const subjects = [...new Set(batch.events.map((event) => event.subject).filter((subject) => subject !== null))];
    await tx.query("INSERT INTO touched_subjects SELECT unnest($1::text[])", [subjects]);
    await tx.exec("ANALYZE touched_subjects");
    await refreshProjections(tx);
  }
  await upsertBlocks(tx, batch.chainId, batch.blocks);
  await saveCheckpoint(tx, batch.chainId, batch.checkpoint);
}

/**
 * Copies the batch's events into `events`. Straight in when the index holds nothing of the batch's blocks (the
 * normal case: rollbacks remove whole blocks); through a staging table that drops the events already stored when
 * a range is delivered again, since COPY itself cannot skip a duplicate key.
 */
async function insertEvents(tx: SqlExecutor, batch: IndexedBatch): Promise<void> {
  const timestamps = new Map(batch.blocks.map((block) => [block.number, block.timestamp]));
  const rows = batch.events.map((event) => eventRow(batch.chainId, event, timestamps));
  const blockNumbers = batch.events.map((event) => event.log.blockNumber);
  const [{ stored }] = await tx.query<{ stored: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM events WHERE chain_id = $1 AND block_number BETWEEN $2 AND $3) AS stored",
    [batch.chainId, Math.min(...blockNumbers), Math.max(...blockNumbers)],
  );
  if (!stored) return tx.copyRows("events", EVENT_COLUMNS, rows);
  await tx.exec("CREATE TEMPORARY TABLE events_staging (LIKE events) ON COMMIT DROP");
  await tx.copyRows("events_staging", EVENT_COLUMNS, rows);
  await tx.exec("INSERT INTO events SELECT * FROM events_staging ON CONFLICT DO NOTHING");
}

function eventRow(chainId: number, event: DecodedLog, timestamps: Map<number, number>): (string | null)[] {
  const { log } = event;
  const timestamp = timestamps.get(log.blockNumber);
  if (timestamp === undefined) throw new Error(`no header was fetched for block ${log.blockNumber} of an event`);
  return [
    String(chainId),
    String(log.blockNumber),
    log.blockHash,
    String(timestamp),
    log.transactionHash,
    String(log.transactionIndex),
    String(log.logIndex),
    log.address.toLowerCase(),
    event.contractName,
    event.eventName,
    event.subject,
    event.args === null ? null : JSON.stringify(event.args),
    JSON.stringify(log.topics),
    log.data,
  ];
}

async function upsertBlocks(tx: SqlExecutor, chainId: number, blocks: readonly BlockHeader[]): Promise<void> {
  if (blocks.length === 0) return;
  const values = blocks.map(
    (_, index) => `($1, $${index * 4 + 2}, $${index * 4 + 3}, $${index * 4 + 4}, $${index * 4 + 5})`,
  );
  const params = blocks.flatMap((block) => [block.number, block.hash, block.parentHash, block.timestamp]);
  await tx.query(
    `INSERT INTO blocks (chain_id, block_number, block_hash, parent_hash, block_timestamp) VALUES ${values.join(", ")}
     ON CONFLICT (chain_id, block_number) DO UPDATE
       SET block_hash = excluded.block_hash, parent_hash = excluded.parent_hash,
           block_timestamp = excluded.block_timestamp`,
    [chainId, ...params],
  );
}

async function saveCheckpoint(tx: SqlExecutor, chainId: number, checkpoint: Checkpoint): Promise<void> {
  await tx.query(
    `INSERT INTO checkpoint (chain_id, block_number, block_hash, finalized_block, contracts, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (chain_id) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash,
       finalized_block = excluded.finalized_block, contracts = excluded.contracts, updated_at = now()`,
    [
      chainId,
      checkpoint.blockNumber,
      checkpoint.blockHash,
      checkpoint.finalizedBlock,
      JSON.stringify(checkpoint.contracts),
    ],
  );
}

async function storedBlocks(db: SqlExecutor, chainId: number, fromBlock: number): Promise<BlockHeader[]> {
  const rows = await db.query<{
    block_number: string;
    block_hash: string;
    parent_hash: string;
    block_timestamp: string;
  }>(
    `SELECT block_number, block_hash, parent_hash, block_timestamp FROM blocks
     WHERE chain_id = $1 AND block_number >= $2 ORDER BY block_number DESC`,
    [chainId, fromBlock],
  );
  return rows.map((row) => ({
    number: Number(row.block_number),
    hash: row.block_hash,
    parentHash: row.parent_hash,
    timestamp: Number(row.block_timestamp),
  }));
}

async function rollbackTo(
  tx: SqlExecutor,
  chainId: number,
  ancestor: BlockRef,
  finalizedBlock: number,
): Promise<{ removedEvents: number }> {
  await createTouchedSubjects(tx);
  const above = [chainId, ancestor.number];
  await tx.query(
    `INSERT INTO touched_subjects SELECT DISTINCT subject FROM events
     WHERE chain_id = $1 AND block_number > $2 AND subject IS NOT NULL`,
    above,
  );
  const [removed] = await tx.query<{ count: string }>(
    `WITH removed AS (DELETE FROM events WHERE chain_id = $1 AND block_number > $2 RETURNING 1)
     SELECT count(*) AS count FROM removed`,
    above,
  );
  await tx.query("DELETE FROM blocks WHERE chain_id = $1 AND block_number > $2", above);
  await refreshProjections(tx);
  await tx.query(
    `UPDATE checkpoint SET block_number = $2, block_hash = $3, finalized_block = $4, updated_at = now()
     WHERE chain_id = $1`,
    [chainId, ancestor.number, ancestor.hash, finalizedBlock],
  );
  return { removedEvents: Number(removed.count) };
}

/**
 * Fills an index with the bench's ledger through the indexer's own store: `writeBatch` with the blocks' headers and
 * a checkpoint, a few thousand events a transaction, so events and projections are exactly what indexing that
 * chain would leave. The next batch is built while the database writes the previous one.
 */
import { performance } from "node:perf_hooks";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { ACCESS_REQUESTS } from "../../../indexer/api/data/tables";
import { createIndexStore } from "../../../indexer/store";
import type { Database, IndexedBatch } from "../../../indexer/store";
import { format } from "../report";
import { CHAIN_ID, suiteAddresses } from "./chain";
import { createConsortium } from "./consortium";
import { createBlockEncoder } from "./encoder";
import type { EncodedBlock } from "./encoder";
import type { LedgerBlock } from "./events";
import { ledgerBlocks } from "./timeline";
import type { LedgerScale } from "./timeline";

export interface FillOptions extends LedgerScale {
  /** The bench's signing account, made an AUDITOR of the oversight office. */
  auditor: string;
  /** Events per `writeBatch` (at block boundaries). */
  writeSize: number;
}

/** What the fill wrote and how long it took. */
export interface Fill {
  seconds: number;
  events: number;
  batches: number;
  /** Rows of the index's tables, by table. */
  rows: Record<string, number>;
  /** Access requests by the status the API reports, as of the last block. */
  statuses: Record<string, number>;
}

/** Blocks encoded between two yields to the event loop, so the previous batch's statements keep flowing. */
const BLOCKS_PER_TURN = 25;
const PROGRESS_INTERVAL_MS = 10_000;
const COUNTED_TABLES = ["events", "attestations", "access_requests", "deliveries", "revocations", "blocks"];

/** Writes the whole ledger into `database` (migrating it first), then vacuums and analyzes it. */
export async function fillLedger(
  database: Database,
  options: FillOptions,
  progress: (message: string) => void,
): Promise<Fill> {
  const started = performance.now();
  const consortium = createConsortium(options.auditor);
  const addresses = suiteAddresses(consortium.governance);
  const store = await createIndexStore(database);
  const encode = createBlockEncoder(addresses);
  const blocks = ledgerBlocks(consortium, addresses, options);
  const contracts = Object.values(addresses);
  let writing: Promise<void> = Promise.resolve();
  let events = 0;
  let batches = 0;
  let reported = performance.now();
  for (;;) {
    const encoded = await encodeBatch(blocks, encode, options.writeSize);
    if (encoded.length === 0) break;
    await writing;
    writing = store.writeBatch(indexedBatch(encoded, contracts));
    // Handled here, thrown at the next `await writing`: a failed write must not count as an unhandled rejection.
    writing.catch(() => undefined);
    events += encoded.reduce((sum, block) => sum + block.events.length, 0);
    batches += 1;
    if (performance.now() - reported > PROGRESS_INTERVAL_MS) {
      reported = performance.now();
      const seconds = (reported - started) / 1000;
      progress(`  ${format(events)} events in ${seconds.toFixed(0)} s (${format(Math.round(events / seconds))}/s)`);
    }
  }
  await writing;
  progress("  VACUUM ANALYZE");
  await database.exec("VACUUM ANALYZE");
  const seconds = (performance.now() - started) / 1000;
  return { seconds, events, batches, rows: await countRows(database), statuses: await countStatuses(database) };
}

/** The next blocks holding at least `writeSize` events (fewer at the end; none when the ledger is done). */
async function encodeBatch(
  blocks: Iterator<LedgerBlock>,
  encode: (block: LedgerBlock) => EncodedBlock,
  writeSize: number,
): Promise<EncodedBlock[]> {
  const encoded: EncodedBlock[] = [];
  let events = 0;
  while (events < writeSize) {
    const next = blocks.next();
    if (next.done) break;
    const block = encode(next.value);
    encoded.push(block);
    events += block.events.length;
    if (encoded.length % BLOCKS_PER_TURN === 0) await yieldToEventLoop();
  }
  return encoded;
}

/** The blocks as one batch of the sync loop: every header kept, the checkpoint at the last block, final. */
function indexedBatch(blocks: EncodedBlock[], contracts: string[]): IndexedBatch {
  const last = blocks.at(-1)!.header;
  return {
    chainId: CHAIN_ID,
    events: blocks.flatMap((block) => block.events),
    blocks: blocks.map((block) => block.header),
    checkpoint: { blockNumber: last.number, blockHash: last.hash, finalizedBlock: last.number, contracts },
  };
}

async function countRows(database: Database): Promise<Record<string, number>> {
  const counts = COUNTED_TABLES.map(
    (table) => `SELECT '${table}' AS "table", count(*)::integer AS count FROM ${table}`,
  );
  const rows = await database.query<{ table: string; count: number }>(counts.join(" UNION ALL "));
  return Object.fromEntries(rows.map((row) => [row.table, row.count]));
}

/** Requests by the status the API computes, through the API's own definition of it. */
async function countStatuses(database: Database): Promise<Record<string, number>> {
  const rows = await database.query<{ status: string; count: number }>(
    `SELECT t.current_status AS status, count(*)::integer AS count FROM ${ACCESS_REQUESTS.from}
     GROUP BY 1 ORDER BY 2 DESC`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

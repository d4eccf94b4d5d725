/** Where the indexer stands, from its checkpoint and the header of the checkpoint block. */
import type { SqlExecutor } from "../../store";

export interface IndexerStatusFigures {
  chainId: number | null;
  indexedBlock: string | null;
  indexedBlockTime: Date | null;
  finalizedBlock: string | null;
  headBlock: string | null;
  lagBlocks: string | null;
  lagSeconds: number | null;
}

/**
 * The status at `nowMs`. The head comes from the indexer process when it runs beside the API (`head`); the
 * database alone cannot know how far the chain has moved, so without it the head and the block lag are null.
 */
export async function loadIndexerStatus(
  db: SqlExecutor,
  head: number | null,
  nowMs = Date.now(),
): Promise<IndexerStatusFigures> {
  const [checkpoint] = await db.query<{
    chainId: number;
    indexedBlock: string;
    finalizedBlock: string;
    blockTimestamp: string | null;
  }>(
    `SELECT c.chain_id AS "chainId", c.block_number AS "indexedBlock", c.finalized_block AS "finalizedBlock",
       b.block_timestamp AS "blockTimestamp"
     FROM checkpoint c LEFT JOIN blocks b ON b.chain_id = c.chain_id AND b.block_number = c.block_number
     ORDER BY c.chain_id LIMIT 1`,
  );
  const blockTime = checkpoint?.blockTimestamp == null ? null : Number(checkpoint.blockTimestamp);
  const indexed = checkpoint ? Number(checkpoint.indexedBlock) : null;
  return {
    chainId: checkpoint?.chainId ?? null,
    indexedBlock: checkpoint?.indexedBlock ?? null,
    indexedBlockTime: blockTime === null ? null : new Date(blockTime * 1000),
    finalizedBlock: checkpoint?.finalizedBlock ?? null,
    headBlock: head === null ? null : String(head),
    lagBlocks: head === null || indexed === null ? null : String(Math.max(0, head - indexed)),
    lagSeconds: blockTime === null ? null : Math.max(0, nowMs / 1000 - blockTime),
  };
}

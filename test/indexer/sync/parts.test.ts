import { expect } from "chai";
import type { BlockHeader, RawLog } from "../../../indexer/chain";
import type { DecodedLog } from "../../../indexer/decode";
import { partsOf } from "../../../indexer/sync/sync";

const header = (number: number): BlockHeader => ({
  number,
  hash: `0x${number.toString(16).padStart(64, "0")}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, "0")}`,
  timestamp: 1_700_000_000 + number,
});

/** A range from `fromBlock` to `toBlock` with `counts[block]` events in each block listed. */
function rangeOf(fromBlock: number, toBlock: number, counts: Record<number, number>) {
  const events: DecodedLog[] = Object.entries(counts).flatMap(([block, count]) =>
    Array.from({ length: count }, (_, logIndex) => ({
      log: { blockNumber: Number(block), logIndex } as RawLog,
      contractName: "AttestationRegistry" as const,
      eventName: "AttestationRecorded",
      args: {},
      subject: null,
    })),
  );
  const numbers = new Set([fromBlock, toBlock, ...Object.keys(counts).map(Number)]);
  const headers = new Map([...numbers].map((number) => [number, header(number)]));
  return { batch: { fromBlock, toBlock, logs: events.map((event) => event.log) }, headers, events };
}

const shape = (parts: ReturnType<typeof partsOf>) =>
  parts.map((part) => ({
    fromBlock: part.fromBlock,
    toBlock: part.toBlock,
    events: part.events.map((event) => `${event.log.blockNumber}.${event.log.logIndex}`).join(" "),
    blocks: part.blocks.map((block) => block.number),
  }));

describe("sync: writing a range in parts", function () {
  it("should write a range within the limit in one part to the range's end", function () {
    expect(shape(partsOf(rangeOf(10, 20, { 12: 2, 15: 1 }), 5))).to.deep.equal([
      { fromBlock: 10, toBlock: 20, events: "12.0 12.1 15.0", blocks: [10, 12, 15, 20] },
    ]);
  });

  it("should write a range without events in one part", function () {
    expect(shape(partsOf(rangeOf(10, 20, {}), 5))).to.deep.equal([
      { fromBlock: 10, toBlock: 20, events: "", blocks: [10, 20] },
    ]);
  });

  it("should cut after the block where the limit is reached, never inside a block", function () {
    expect(shape(partsOf(rangeOf(10, 20, { 11: 2, 12: 2, 14: 1, 16: 3 }), 3))).to.deep.equal([
      { fromBlock: 10, toBlock: 12, events: "11.0 11.1 12.0 12.1", blocks: [10, 11, 12] },
      { fromBlock: 13, toBlock: 20, events: "14.0 16.0 16.1 16.2", blocks: [14, 16, 20] },
    ]);
  });

  it("should give a block with more events than the limit a part of its own", function () {
    expect(shape(partsOf(rangeOf(10, 13, { 11: 1, 12: 5, 13: 1 }), 2))).to.deep.equal([
      { fromBlock: 10, toBlock: 12, events: "11.0 12.0 12.1 12.2 12.3 12.4", blocks: [10, 11, 12] },
      { fromBlock: 13, toBlock: 13, events: "13.0", blocks: [13] },
    ]);
  });

  it("should end the last part at the range's end when the last block with events is full", function () {
    expect(shape(partsOf(rangeOf(10, 20, { 11: 2, 18: 2 }), 2))).to.deep.equal([
      { fromBlock: 10, toBlock: 11, events: "11.0 11.1", blocks: [10, 11] },
      { fromBlock: 12, toBlock: 20, events: "18.0 18.1", blocks: [18, 20] },
    ]);
  });
});

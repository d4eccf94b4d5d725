import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import fc from "fast-check";
import { createLogRangeReader, parseRangeHint } from "../../../indexer/chain/adaptive-range";
import { RangeTooLargeError, RpcError } from "../../../indexer/chain/types";
import type { ChainReader, LogFilter, RawLog } from "../../../indexer/chain/types";

chai.use(chaiAsPromised);

const ADDRESSES = ["0x5fbdb2315678afecb367f032d93f642f64180aa3"];

/** A chain of `logsPerBlock(n)` logs in block n, behind a provider that refuses what `refuse` returns a message for. */
function fakeReader(logsPerBlock: (block: number) => number, refuse: (filter: LogFilter) => string | undefined) {
  const asked: [number, number][] = [];
  const unused = () => Promise.reject(new Error("not used by the range reader"));
  const reader: ChainReader = {
    chainId: unused,
    headNumber: unused,
    headers: unused,
    async logs(filter) {
      asked.push([filter.fromBlock, filter.toBlock]);
      const refusal = refuse(filter);
      if (refusal) throw new RangeTooLargeError(filter.fromBlock, filter.toBlock, refusal);
      return logsBetween(filter.fromBlock, filter.toBlock, logsPerBlock);
    },
  };
  return { reader, asked };
}

function logsBetween(fromBlock: number, toBlock: number, logsPerBlock: (block: number) => number): RawLog[] {
  const logs: RawLog[] = [];
  for (let block = fromBlock; block <= toBlock; block++) {
    for (let logIndex = 0; logIndex < logsPerBlock(block); logIndex++) {
      const hash = `0x${block.toString(16).padStart(64, "0")}`;
      logs.push({
        blockNumber: block,
        blockHash: hash,
        transactionHash: hash,
        transactionIndex: 0,
        logIndex,
        address: ADDRESSES[0],
        topics: [],
        data: "0x",
      });
    }
  }
  return logs;
}

const span = (filter: LogFilter) => filter.toBlock - filter.fromBlock + 1;
const never = () => undefined;
const noLogs = () => 0;

describe("adaptive log range reader", () => {
  describe("range sizes", () => {
    it("should ask for the current range size from fromBlock, clipped at toBlock", async () => {
      const { reader, asked } = fakeReader(() => 1, never);
      const ranges = createLogRangeReader(reader, { initialRange: 10, targetLogsPerRange: 10 });
      const first = await ranges.next({ fromBlock: 5, toBlock: 100, addresses: ADDRESSES });
      const last = await ranges.next({ fromBlock: 95, toBlock: 100, addresses: ADDRESSES });
      expect(asked).to.deep.equal([
        [5, 14],
        [95, 100],
      ]);
      expect(first).to.deep.include({ fromBlock: 5, toBlock: 14 });
      expect(first.logs.map((log) => log.blockNumber)).to.deep.equal([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
      expect(last).to.deep.include({ fromBlock: 95, toBlock: 100 });
    });

    it("should double the range while logs are sparse, up to maxRange", async () => {
      const { reader } = fakeReader(noLogs, never);
      const ranges = createLogRangeReader(reader, { initialRange: 100, maxRange: 500, targetLogsPerRange: 10 });
      const sizes = [];
      for (let from = 0; sizes.length < 5;) {
        sizes.push(ranges.rangeSize);
        from = (await ranges.next({ fromBlock: from, toBlock: 1_000_000, addresses: ADDRESSES })).toBlock + 1;
      }
      expect(sizes).to.deep.equal([100, 200, 400, 500, 500]);
    });

    it("should not grow a range that toBlock cut short", async () => {
      const { reader } = fakeReader(noLogs, never);
      const ranges = createLogRangeReader(reader, { initialRange: 100, targetLogsPerRange: 10 });
      await ranges.next({ fromBlock: 0, toBlock: 9, addresses: ADDRESSES });
      expect(ranges.rangeSize).to.equal(100);
    });

    it("should shrink a dense range toward the target and keep a range near the target", async () => {
      const { reader } = fakeReader(() => 10, never);
      const ranges = createLogRangeReader(reader, { initialRange: 100, targetLogsPerRange: 50 });
      await ranges.next({ fromBlock: 0, toBlock: 1_000, addresses: ADDRESSES });
      expect(ranges.rangeSize).to.equal(5);
      await ranges.next({ fromBlock: 100, toBlock: 1_000, addresses: ADDRESSES });
      expect(ranges.rangeSize).to.equal(5);
    });
  });

  describe("refusals", () => {
    it("should halve a refused range until the provider accepts it, and return that range's logs", async () => {
      const { reader, asked } = fakeReader(
        () => 1,
        (filter) => (span(filter) > 20 ? "block range is too wide" : undefined),
      );
      const ranges = createLogRangeReader(reader, { initialRange: 100, targetLogsPerRange: 20 });
      const batch = await ranges.next({ fromBlock: 0, toBlock: 1_000, addresses: ADDRESSES });
      expect(asked).to.deep.equal([
        [0, 99],
        [0, 49],
        [0, 24],
        [0, 11],
      ]);
      expect(batch).to.deep.include({ fromBlock: 0, toBlock: 11 });
      expect(batch.logs).to.have.length(12);
    });

    it("should rethrow when even a single block is refused", async () => {
      const { reader, asked } = fakeReader(
        () => 1,
        () => "query returned more than 10000 results",
      );
      const ranges = createLogRangeReader(reader, { initialRange: 4 });
      await expect(ranges.next({ fromBlock: 7, toBlock: 100, addresses: ADDRESSES }))
        .to.be.rejectedWith(RangeTooLargeError)
        .and.eventually.include({ fromBlock: 7, toBlock: 7 });
      expect(asked).to.deep.equal([
        [7, 10],
        [7, 8],
        [7, 7],
      ]);
    });

    it("should never go below minRange, and rethrow when a range of minRange is refused", async () => {
      const { reader, asked } = fakeReader(
        () => 1,
        () => "range too large",
      );
      const ranges = createLogRangeReader(reader, { initialRange: 40, minRange: 15 });
      await expect(ranges.next({ fromBlock: 0, toBlock: 100, addresses: ADDRESSES })).to.be.rejectedWith(
        RangeTooLargeError,
      );
      expect(asked).to.deep.equal([
        [0, 39],
        [0, 19],
        [0, 14],
      ]);
    });

    it("should rethrow any other error at once", async () => {
      const failure = new RpcError("eth_getLogs", "HTTP 500 (attempt 8 of 8)");
      const reader: ChainReader = { ...fakeReader(noLogs, never).reader, logs: () => Promise.reject(failure) };
      const ranges = createLogRangeReader(reader, { initialRange: 64 });
      await expect(ranges.next({ fromBlock: 0, toBlock: 100, addresses: ADDRESSES })).to.be.rejectedWith(failure);
      expect(ranges.rangeSize).to.equal(64);
    });

    it("should jump to the block range a provider suggests", async () => {
      const { reader, asked } = fakeReader(noLogs, (filter) =>
        span(filter) > 7
          ? "query returned more than 10000 results. Try with this block range [0x64, 0x6a]."
          : undefined,
      );
      const ranges = createLogRangeReader(reader, { initialRange: 1_000 });
      await ranges.next({ fromBlock: 100, toBlock: 5_000, addresses: ADDRESSES });
      expect(asked).to.deep.equal([
        [100, 1_099],
        [100, 106],
      ]);
    });

    it("should keep a provider's stated maximum as a ceiling for later growth", async () => {
      const { reader, asked } = fakeReader(noLogs, (filter) =>
        span(filter) > 300 ? "exceed maximum block range: 300" : undefined,
      );
      const ranges = createLogRangeReader(reader, { initialRange: 1_000, targetLogsPerRange: 10 });
      let from = 0;
      for (let call = 0; call < 3; call++) {
        from = (await ranges.next({ fromBlock: from, toBlock: 100_000, addresses: ADDRESSES })).toBlock + 1;
      }
      expect(asked).to.deep.equal([
        [0, 999],
        [0, 299],
        [300, 599],
        [600, 899],
      ]);
    });

    it("should stop growing near a result limit the provider named", async () => {
      const { reader, asked } = fakeReader(
        () => 1,
        (filter) => (span(filter) > 100 ? "query returned more than 100 results" : undefined),
      );
      const ranges = createLogRangeReader(reader, { initialRange: 300, targetLogsPerRange: 1_000 });
      await ranges.next({ fromBlock: 0, toBlock: 10_000, addresses: ADDRESSES });
      expect(asked).to.deep.equal([
        [0, 299],
        [0, 149],
        [0, 74],
      ]);
      // 75 logs are sparse for a target of 1000, but not for the target of 50 the limit of 100 implies.
      expect(ranges.rangeSize).to.equal(75);
    });

    it("should read every block once and every log, whatever the density and the provider limit", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.nat(30), { minLength: 1, maxLength: 300 }),
          fc.integer({ min: 1, max: 64 }),
          fc.integer({ min: 1, max: 256 }),
          fc.integer({ min: 1, max: 100 }),
          async (density, blockLimit, initialRange, targetLogsPerRange) => {
            const logsPerBlock = (block: number) => density[block];
            const { reader } = fakeReader(logsPerBlock, (filter) =>
              span(filter) > blockLimit ? "block range is too wide" : undefined,
            );
            const ranges = createLogRangeReader(reader, { initialRange, maxRange: 256, targetLogsPerRange });
            const toBlock = density.length - 1;
            const logs: RawLog[] = [];
            for (let from = 0; from <= toBlock;) {
              const batch = await ranges.next({ fromBlock: from, toBlock, addresses: ADDRESSES });
              expect(batch.fromBlock).to.equal(from);
              expect(batch.toBlock).to.be.within(from, toBlock);
              logs.push(...batch.logs);
              from = batch.toBlock + 1;
            }
            expect(logs).to.deep.equal(logsBetween(0, toBlock, logsPerBlock));
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe("arguments", () => {
    it("should reject options that cannot work, naming the field", () => {
      const { reader } = fakeReader(noLogs, never);
      expect(() => createLogRangeReader(reader, { minRange: 0 })).to.throw(RangeError, /minRange/);
      expect(() => createLogRangeReader(reader, { targetLogsPerRange: 1.5 })).to.throw(
        RangeError,
        /targetLogsPerRange/,
      );
      expect(() => createLogRangeReader(reader, { initialRange: 20, maxRange: 10 })).to.throw(RangeError, /maxRange/);
    });

    it("should default the first range to maxRange when maxRange is below the default", () => {
      const { reader } = fakeReader(noLogs, never);
      expect(createLogRangeReader(reader, { maxRange: 50 }).rangeSize).to.equal(50);
    });

    it("should reject a filter whose fromBlock is after its toBlock", async () => {
      const { reader, asked } = fakeReader(noLogs, never);
      const ranges = createLogRangeReader(reader);
      await expect(ranges.next({ fromBlock: 10, toBlock: 9, addresses: ADDRESSES })).to.be.rejectedWith(RangeError);
      expect(asked).to.be.empty;
    });
  });

  describe("parseRangeHint", () => {
    const cases: [string, ReturnType<typeof parseRangeHint>][] = [
      [
        "query returned more than 10000 results. Try with this block range [0x1B4, 0x1c1].",
        { suggestedRange: 14, resultLimit: 10_000 },
      ],
      [
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on " +
          "the response size, or you can request any block range with a cap of 10K logs in the response. Based on " +
          "your parameters, this block range should work: [0x0, 0x1f3]",
        { suggestedRange: 500 },
      ],
      ["exceed maximum block range: 5000", { maxRange: 5_000 }],
      ["eth_getLogs is limited to a 10,000 range", { maxRange: 10_000 }],
      ["query returned more than 10k results", { resultLimit: 10_000 }],
      ["block range is too wide", {}],
      ["try with this block range [0x9, 0x2]", {}],
    ];
    for (const [message, hint] of cases) {
      it(`should read ${JSON.stringify(hint)} from "${message.slice(0, 48)}…"`, () => {
        expect(parseRangeHint(message)).to.deep.equal(hint);
      });
    }
  });
});

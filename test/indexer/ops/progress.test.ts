import { Writable } from "node:stream";
import { expect } from "chai";
import { createLogger } from "../../../indexer/ops/logger";
import {
  createProgressReporter,
  etaSecondsOf,
  formatDuration,
  slideWindow,
  throughputOf,
} from "../../../indexer/ops/progress";
import type { ProgressReporter, ProgressReporterOptions, ProgressSample } from "../../../indexer/ops/progress";

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A reporter on a clock the test moves, with the log lines it wrote, parsed. */
function reporterWithClock(options: Partial<ProgressReporterOptions> = {}) {
  const lines: LogLine[] = [];
  const clock = { now: 0 };
  const logger = createLogger({
    level: "info",
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const reporter = createProgressReporter({ logger, isTTY: false, now: () => clock.now, ...options });
  const linesSaying = (msg: string) => lines.filter((line) => line.msg === msg);
  return { reporter, lines, clock, linesSaying };
}

/** A batch of `events` events over blocks `fromBlock`–`toBlock`. */
function batch(fromBlock: number, toBlock: number, events = 0) {
  return { fromBlock, toBlock, events, undecoded: 0, durationMs: 10 };
}

/** A writable that says it is a terminal and keeps what is written to it. */
function fakeTerminal(): { stream: NodeJS.WritableStream; output: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream: Object.assign(stream, { isTTY: true, columns: 200 }), output: () => chunks.join("") };
}

describe("indexer operations: progress", function () {
  describe("rates over a sliding window", function () {
    const sample = (at: number, blocks: number, events = 0): ProgressSample => ({ at, blocks, events });

    it("should keep the samples of the window and the last one before it as the baseline", function () {
      let samples: ProgressSample[] = [];
      for (const at of [0, 10_000, 20_000, 25_000, 30_000]) samples = slideWindow(samples, sample(at, at), 10_000);
      expect(samples.map((kept) => kept.at)).to.deep.equal([20_000, 25_000, 30_000]);
    });

    it("should measure blocks and events per second between the oldest and newest samples", function () {
      expect(throughputOf([sample(1_000, 100, 40), sample(5_000, 300, 240)])).to.deep.equal({
        blocksPerSecond: 50,
        eventsPerSecond: 50,
      });
    });

    it("should have no rate before the window spans any time", function () {
      expect(throughputOf([])).to.be.null;
      expect(throughputOf([sample(1_000, 100)])).to.be.null;
      expect(throughputOf([sample(1_000, 100), sample(1_000, 200)])).to.be.null;
    });

    it("should estimate the seconds left, rounded up, and none without progress", function () {
      expect(etaSecondsOf(900, 50)).to.equal(18);
      expect(etaSecondsOf(901, 50)).to.equal(19);
      expect(etaSecondsOf(0, null)).to.equal(0);
      expect(etaSecondsOf(100, 0)).to.be.null;
      expect(etaSecondsOf(100, null)).to.be.null;
    });

    it("should format durations for a human", function () {
      expect(formatDuration(null)).to.equal("?");
      expect(formatDuration(42)).to.equal("42s");
      expect(formatDuration(185)).to.equal("3m 05s");
      expect(formatDuration(7_620)).to.equal("2h 07m");
    });
  });

  describe("progress lines (not a terminal)", function () {
    it("should log the position, the rates and the time left", function () {
      const { reporter, clock, linesSaying } = reporterWithClock();
      reporter.onHead(1_000);
      clock.now = 2_000;
      reporter.onBatch(batch(1, 100, 50));
      expect(linesSaying("backfill progress")).to.have.length(1);
      expect(linesSaying("backfill progress")[0]).to.include({
        level: "info",
        indexed_block: 100,
        head_block: 1_000,
        blocks_per_second: 50,
        events_per_second: 25,
        eta_seconds: 18,
      });
    });

    it("should log at most once per interval", function () {
      const { reporter, clock, linesSaying } = reporterWithClock({ logIntervalMs: 10_000 });
      reporter.onHead(1_000);
      for (const [at, from] of [
        [1_000, 1],
        [5_000, 101],
        [10_999, 201],
        [11_000, 301],
        [15_000, 401],
      ]) {
        clock.now = at;
        reporter.onBatch(batch(from, from + 99));
      }
      expect(linesSaying("backfill progress").map((line) => line.indexed_block)).to.deep.equal([100, 400]);
    });

    it("should follow the current speed rather than the average since start", function () {
      const { reporter, clock, linesSaying } = reporterWithClock({ logIntervalMs: 0, windowMs: 10_000 });
      reporter.onHead(10_000);
      for (const [at, from, to] of [
        [10_000, 1, 1_000],
        [20_000, 1_001, 1_100],
        [30_000, 1_101, 1_200],
      ]) {
        clock.now = at;
        reporter.onBatch(batch(from, to));
      }
      const rates = linesSaying("backfill progress").map((line) => line.blocks_per_second);
      // The averages since start would be 100, 55 and 40.
      expect(rates).to.deep.equal([100, 10, 10]);
      expect(linesSaying("backfill progress")[2].eta_seconds).to.equal(880);
    });

    it("should log unknown rates as null when no head was seen to start the clock", function () {
      const { reporter, linesSaying } = reporterWithClock();
      reporter.onBatch(batch(1, 100));
      expect(linesSaying("backfill progress")[0]).to.include({
        indexed_block: 100,
        head_block: 100,
        blocks_per_second: null,
        events_per_second: null,
        eta_seconds: 0,
      });
    });

    it("should log once that it follows the head, then no more progress", function () {
      const { reporter, clock, linesSaying } = reporterWithClock({ logIntervalMs: 0 });
      reporter.onHead(100);
      clock.now = 1_000;
      reporter.onBatch(batch(1, 100));
      reporter.onFollowing();
      reporter.onFollowing();
      clock.now = 2_000;
      reporter.onHead(101);
      reporter.onBatch(batch(101, 101));
      expect(linesSaying("backfill progress")).to.have.length(1);
      expect(linesSaying("following the head")).to.have.length(1);
      expect(linesSaying("following the head")[0]).to.include({ level: "info", head_block: 100, indexed_block: 100 });
    });

    it("should warn of a reorganization with its common ancestor and depth", function () {
      const { reporter, linesSaying } = reporterWithClock();
      reporter.onReorg({ detectedAt: 120, commonAncestor: 115, depth: 5 });
      expect(linesSaying("chain reorganization rolled back")[0]).to.include({
        level: "warn",
        detected_at: 120,
        common_ancestor: 115,
        depth: 5,
      });
    });
  });

  describe("progress bar (a terminal)", function () {
    let reporter: ProgressReporter | undefined;

    afterEach(function () {
      reporter?.stop();
    });

    it("should draw the share of this backfill done, the rates and the time left, and log no progress lines", function () {
      const terminal = fakeTerminal();
      const run = reporterWithClock({ isTTY: true, stream: terminal.stream });
      reporter = run.reporter;
      reporter.onHead(1_500);
      run.clock.now = 5_000;
      reporter.onBatch(batch(501, 750, 100));
      expect(terminal.output()).to.include("25%");
      expect(terminal.output()).to.include("250/1000 blocks");
      expect(terminal.output()).to.include("50.0 blocks/s | 20.0 events/s | ETA 15s");
      expect(run.linesSaying("backfill progress")).to.be.empty;
    });

    it("should stop the bar at the head and say so in the log", function () {
      const terminal = fakeTerminal();
      const run = reporterWithClock({ isTTY: true, stream: terminal.stream });
      reporter = run.reporter;
      reporter.onHead(1_000);
      run.clock.now = 1_000;
      reporter.onBatch(batch(1, 400));
      reporter.onBatch(batch(401, 1_000));
      reporter.onFollowing();
      const drawn = terminal.output();
      expect(drawn).to.include("100%");
      reporter.onBatch(batch(1_001, 1_010));
      expect(terminal.output()).to.equal(drawn);
      expect(run.linesSaying("following the head")).to.have.length(1);
    });

    it("should draw nothing when the output is not a terminal", function () {
      const terminal = fakeTerminal();
      const run = reporterWithClock({ isTTY: false, stream: terminal.stream });
      reporter = run.reporter;
      reporter.onHead(1_000);
      reporter.onBatch(batch(1, 400));
      expect(terminal.output()).to.equal("");
      expect(run.linesSaying("backfill progress")).to.have.length(1);
    });
  });
});

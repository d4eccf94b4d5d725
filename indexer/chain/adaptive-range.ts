/**
 * Sizes `eth_getLogs` block ranges: halves a range the provider refuses (or takes the provider's own suggestion),
 * doubles it while logs are sparse, and shrinks it toward a target where they are dense.
 */
import { RangeTooLargeError } from "./types";
import type { ChainReader, LogBatch, LogFilter, LogRangeReader } from "./types";

export interface LogRangeOptions {
  /** Blocks asked for by the first call; by default 1000 or `maxRange` if smaller. */
  initialRange?: number;
  /** Never fewer blocks than this; a range of this size that is refused is an error. */
  minRange?: number;
  /** Never more blocks than this. */
  maxRange?: number;
  /** Logs one call should return: enough to amortize the round trip, few enough to stay under provider caps. */
  targetLogsPerRange?: number;
}

/** What a provider's refusal says about the range it would accept. */
export interface RangeHint {
  /** A range the provider proposes for this query ("try with this block range [0x1, 0x2]"). */
  suggestedRange?: number;
  /** A range the provider never exceeds ("exceed maximum block range: 5000"). */
  maxRange?: number;
  /** Logs the provider returns at most per call ("query returned more than 10000 results"). */
  resultLimit?: number;
}

const DEFAULTS: Required<LogRangeOptions> = {
  initialRange: 1_000,
  minRange: 1,
  maxRange: 10_000,
  targetLogsPerRange: 1_000,
};

/** Creates a reader that keeps its range size across calls, so each call starts from what worked last. */
export function createLogRangeReader(reader: ChainReader, options: LogRangeOptions = {}): LogRangeReader {
  const settings = validated(options);
  let size = settings.initialRange;
  let maxRange = settings.maxRange;
  let target = settings.targetLogsPerRange;
  const clamp = (blocks: number) => Math.max(settings.minRange, Math.min(maxRange, blocks));

  /** Learns the provider's limits from its refusal and returns the size to try next. */
  function afterRefusal(error: RangeTooLargeError, span: number): number {
    const hint = parseRangeHint(error.message);
    if (hint.maxRange !== undefined) maxRange = Math.max(settings.minRange, Math.min(maxRange, hint.maxRange));
    if (hint.resultLimit !== undefined) target = Math.max(1, Math.min(target, Math.floor(hint.resultLimit / 2)));
    const proposal = hint.suggestedRange ?? hint.maxRange;
    return clamp(proposal !== undefined && proposal < span ? proposal : Math.floor(span / 2));
  }

  /** Doubles a full range whose logs were sparse; scales a range whose logs were dense down to the target. */
  function afterSuccess(span: number, logCount: number): number {
    if (logCount > 2 * target) return clamp(Math.floor((span * target) / logCount));
    if (logCount < target / 2 && span === size) return clamp(size * 2);
    return size;
  }

  return {
    get rangeSize() {
      return size;
    },
    async next(filter: LogFilter): Promise<LogBatch> {
      if (filter.fromBlock > filter.toBlock) {
        throw new RangeError(`fromBlock ${filter.fromBlock} is after toBlock ${filter.toBlock}`);
      }
      for (;;) {
        const toBlock = Math.min(filter.toBlock, filter.fromBlock + size - 1);
        const span = toBlock - filter.fromBlock + 1;
        try {
          const logs = await reader.logs({ ...filter, toBlock });
          size = afterSuccess(span, logs.length);
          return { fromBlock: filter.fromBlock, toBlock, logs };
        } catch (error) {
          if (!(error instanceof RangeTooLargeError) || span <= settings.minRange) throw error;
          size = afterRefusal(error, span);
        }
      }
    },
  };
}

/** Reads the limits a provider states in its refusal; providers word them differently, so every field is optional. */
export function parseRangeHint(message: string): RangeHint {
  const bracket = /\[\s*(0x[0-9a-f]+|\d+)\s*,\s*(0x[0-9a-f]+|\d+)\s*\]/i.exec(message);
  const suggestedRange = bracket ? Number(bracket[2]) - Number(bracket[1]) + 1 : undefined;
  const maxRange =
    count(/maximum block range(?: of| is)?:?\s*(\d[\d,]*k?)/i, message) ??
    count(/limited to an? (\d[\d,]*k?) (?:block )?range/i, message);
  const resultLimit = count(/more than (\d[\d,]*k?) results/i, message);
  return {
    ...(suggestedRange !== undefined && suggestedRange >= 1 && { suggestedRange }),
    ...(maxRange !== undefined && { maxRange }),
    ...(resultLimit !== undefined && { resultLimit }),
  };
}

/** The number a pattern captures, read as providers write it: "10,000", "10000", "10k". */
function count(pattern: RegExp, message: string): number | undefined {
  const match = pattern.exec(message);
  if (!match) return undefined;
  const digits = match[1].replace(/,/g, "");
  const value = /k$/i.test(digits) ? Number(digits.slice(0, -1)) * 1000 : Number(digits);
  return value >= 1 ? value : undefined;
}

/** Options with defaults, checked so that a bad configuration fails at start with the field named. */
function validated(options: LogRangeOptions): Required<LogRangeOptions> {
  const maxRange = options.maxRange ?? DEFAULTS.maxRange;
  const settings: Required<LogRangeOptions> = {
    minRange: options.minRange ?? DEFAULTS.minRange,
    initialRange: options.initialRange ?? Math.min(DEFAULTS.initialRange, maxRange),
    maxRange,
    targetLogsPerRange: options.targetLogsPerRange ?? DEFAULTS.targetLogsPerRange,
  };
  for (const [key, value] of Object.entries(settings)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${key} must be a positive integer: ${value}`);
  }
  if (settings.minRange > settings.initialRange || settings.initialRange > settings.maxRange) {
    const { minRange, initialRange, maxRange } = settings;
    throw new RangeError(`need minRange ≤ initialRange ≤ maxRange: ${minRange}, ${initialRange}, ${maxRange}`);
  }
  return settings;
}

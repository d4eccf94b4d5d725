/**
 * Synthetic telecom call detail records for `bench:merkle`: what an operator attests, drawn from a seeded generator
 * so the same options give the same records, and so the same Merkle root, on every run.
 */
import { createRandom } from "./ledger/random";
import type { Random } from "./ledger/random";

/** One call detail record, as an operator's export would carry it. */
export interface CallRecord {
  recordId: string;
  type: "voice" | "sms" | "data";
  direction: "outgoing" | "incoming";
  msisdn: string;
  imsi: string;
  otherParty: string | null;
  cellId: number;
  locationAreaCode: number;
  cellSite: string;
  startTime: string;
  durationSeconds: number;
  dataVolumeKb: number;
  isRoaming: boolean;
}

/** The records' subscribers: a fixed pool, so each one makes many calls as real subscribers do. */
const SUBSCRIBER_POOL_SIZE = 50_000;
const DISTRICTS = ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"] as const;
/** The batch covers one day from this instant; records are spread over it in order. */
const BATCH_START_MS = Date.UTC(2026, 2, 1);
const DAY_MS = 86_400_000;

interface Subscriber {
  msisdn: string;
  imsi: string;
}

/** Yields `count` records in start-time order, the same ones for the same seed. */
export function* callRecords(count: number, seed: number): Generator<CallRecord> {
  const random = createRandom(seed);
  const subscribers = Array.from({ length: SUBSCRIBER_POOL_SIZE }, () => drawSubscriber(random));
  for (let index = 0; index < count; index++) yield drawRecord(random, subscribers, index, count);
}

function drawSubscriber(random: Random): Subscriber {
  return {
    msisdn: `+86${random.pick(["138", "139", "150", "186"])}${digits(random, 8)}`,
    imsi: `46000${digits(random, 10)}`,
  };
}

function drawRecord(random: Random, subscribers: Subscriber[], index: number, count: number): CallRecord {
  const subscriber = random.pick(subscribers);
  const type = random.chance(0.6) ? "voice" : random.chance(0.5) ? "sms" : "data";
  const startMs = BATCH_START_MS + Math.floor((index / count) * DAY_MS) + random.between(0, 999);
  const cellId = random.between(10_000, 65_535);
  return {
    recordId: `CDR-20260301-${String(index).padStart(9, "0")}`,
    type,
    direction: random.chance(0.5) ? "outgoing" : "incoming",
    msisdn: subscriber.msisdn,
    imsi: subscriber.imsi,
    otherParty: type === "data" ? null : random.pick(subscribers).msisdn,
    cellId,
    locationAreaCode: random.between(1, 65_535),
    cellSite: `${random.pick(DISTRICTS)}-${cellId % 400}`,
    startTime: new Date(startMs).toISOString(),
    durationSeconds: type === "voice" ? random.between(1, 3_600) : type === "data" ? random.between(1, 7_200) : 0,
    dataVolumeKb: type === "data" ? random.between(1, 500_000) : 0,
    isRoaming: random.chance(0.03),
  };
}

function digits(random: Random, length: number): string {
  let text = "";
  for (let position = 0; position < length; position++) text += String(random.between(0, 9));
  return text;
}

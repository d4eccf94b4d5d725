/** The telecom operator's sources: its subscribers, their call records, and where their phones were seen. */
import { date, flag, instant, integer, decimal, oneOf, PATTERNS, recordSchema, text } from "../json-schema";
import { DISTRICTS } from "../population";
import { isoDate, isoInstant, momentIn, residentOf } from "../source-plan";
import type { RecordContext, SourcePlan } from "../source-plan";

const SCHEMA_BASE = "https://metro-telecom.example/schemas";
const DAY = 86_400;

/** The operator's subscriber register: one record per SIM, with the handset last seen with it. */
export const subscribers: SourcePlan = {
  name: "subscribers",
  holder: "telecom",
  sensitivity: 1,
  endorsementRequired: false,
  share: 0.05,
  isRegister: true,
  subjectField: "msisdn",
  schema: recordSchema(`${SCHEMA_BASE}/subscribers.json`, "Subscriber", "A SIM subscription of Metro Telecom.", {
    subscriberId: text("the operator's subscriber number"),
    msisdn: text("the phone number, E.164", PATTERNS.msisdn),
    imsi: text("the SIM's identity", PATTERNS.imsi),
    imei: text("the handset last seen with the SIM", PATTERNS.imei),
    plan: oneOf("the tariff plan", ["prepaid", "postpaid", "business"]),
    status: oneOf("the subscription's status", ["active", "suspended"]),
    activatedOn: date("the day the subscription started"),
    district: oneOf("the district of the billing address", DISTRICTS),
  }),
  drawRecord(context) {
    const resident = residentOf(context, true);
    const { random, period } = context;
    return {
      subscriberId: resident.subscriberId,
      msisdn: resident.msisdn,
      imsi: resident.imsi,
      imei: resident.imei,
      plan: random.pick(["prepaid", "postpaid", "postpaid", "business"]),
      status: random.chance(0.97) ? "active" : "suspended",
      activatedOn: isoDate(period.start - random.between(30, 3_650) * DAY),
      district: resident.district,
    };
  },
};

/** Call detail records: who called or texted whom, when, for how long, through which cell. */
export const callRecords: SourcePlan = {
  name: "call-records",
  holder: "telecom",
  sensitivity: 2,
  endorsementRequired: true,
  share: 0.4,
  isRegister: false,
  subjectField: "msisdn",
  schema: recordSchema(`${SCHEMA_BASE}/call-records.json`, "Call detail record", "A call or SMS of a subscriber.", {
    recordId: text("the record's id in the operator's billing system"),
    type: oneOf("what was exchanged", ["voice", "sms"]),
    direction: oneOf("seen from the subscriber", ["outgoing", "incoming"]),
    msisdn: text("the subscriber's number", PATTERNS.msisdn),
    imsi: text("the subscriber's SIM", PATTERNS.imsi),
    imei: text("the subscriber's handset", PATTERNS.imei),
    otherParty: text("the other party's number", PATTERNS.msisdn),
    cellId: integer("the serving cell", 0),
    startTime: instant("when the call started"),
    durationSeconds: integer("the call's length (0 for an SMS)", 0, 14_400),
    isRoaming: flag("whether the subscriber was roaming"),
  }),
  drawRecord(context) {
    const resident = residentOf(context, false);
    const { random, population } = context;
    const type = random.chance(0.7) ? "voice" : "sms";
    return {
      recordId: `CDR-${String(context.sourceIndex).padStart(10, "0")}`,
      type,
      direction: random.chance(0.5) ? "outgoing" : "incoming",
      msisdn: resident.msisdn,
      imsi: resident.imsi,
      imei: resident.imei,
      otherParty: random.pick(population.residents).msisdn,
      cellId: random.pick(population.cells).cellId,
      startTime: isoInstant(momentIn(context)),
      durationSeconds: type === "voice" ? callDuration(context) : 0,
      isRoaming: random.chance(0.02),
    };
  },
};

/** Location updates: the cell, and so the place, where a phone was seen. */
export const cellLocations: SourcePlan = {
  name: "cell-locations",
  holder: "telecom",
  sensitivity: 2,
  endorsementRequired: true,
  share: 0.2,
  isRegister: false,
  subjectField: "msisdn",
  schema: recordSchema(`${SCHEMA_BASE}/cell-locations.json`, "Cell location", "A phone seen by a cell.", {
    recordId: text("the location update's id"),
    msisdn: text("the subscriber's number", PATTERNS.msisdn),
    imsi: text("the subscriber's SIM", PATTERNS.imsi),
    cellId: integer("the cell that saw the phone", 0),
    locationAreaCode: integer("the cell's location area", 0, 65_535),
    latitude: decimal("the cell site's latitude (WGS 84)", -90, 90),
    longitude: decimal("the cell site's longitude (WGS 84)", -180, 180),
    event: oneOf("why the phone reported", ["attach", "handover", "periodic-update", "detach"]),
    observedAt: instant("when the phone was seen"),
  }),
  drawRecord(context) {
    const resident = residentOf(context, false);
    const cell = context.random.pick(context.population.cells);
    return {
      recordId: `LOC-${String(context.sourceIndex).padStart(10, "0")}`,
      msisdn: resident.msisdn,
      imsi: resident.imsi,
      cellId: cell.cellId,
      locationAreaCode: cell.locationAreaCode,
      latitude: cell.latitude,
      longitude: cell.longitude,
      event: context.random.pick(["attach", "handover", "handover", "periodic-update", "periodic-update", "detach"]),
      observedAt: isoInstant(momentIn(context)),
    };
  },
};

/** Most calls are short, a few are long. */
function callDuration({ random }: RecordContext): number {
  return random.chance(0.8) ? random.between(5, 300) : random.between(301, 3_600);
}

/**
 * The utilities' sources, alike for water and power: each serves households through a metered account and reads
 * the meters. One description makes both pairs of sources; only names, units and scales differ.
 */
import { date, decimal, instant, oneOf, recordSchema, text } from "../json-schema";
import type { OrganizationKey } from "../organizations";
import { DISTRICTS, roundTo } from "../population";
import type { Resident } from "../population";
import { isoDate, isoInstant, momentIn, residentOf } from "../source-plan";
import type { SourcePlan } from "../source-plan";

const DAY = 86_400;

/** What tells one utility's sources from the other's. */
interface Utility {
  holder: OrganizationKey;
  /** `water` or `power`: the sources' name prefix. */
  service: string;
  schemaBase: string;
  accountPrefix: string;
  unit: string;
  meterOf(resident: Resident): string;
  /** The most a household uses between two readings. */
  maxConsumption: number;
}

const WATER: Utility = {
  holder: "water",
  service: "water",
  schemaBase: "https://water.city.example/schemas",
  accountPrefix: "WA",
  unit: "m3",
  meterOf: (resident) => resident.waterMeterId,
  maxConsumption: 40,
};

const POWER: Utility = {
  holder: "power",
  service: "power",
  schemaBase: "https://power.city.example/schemas",
  accountPrefix: "PA",
  unit: "kWh",
  meterOf: (resident) => resident.powerMeterId,
  maxConsumption: 900,
};

/** A household's account number at `utility`. */
function utilityAccountOf(utility: Utility, resident: Resident): string {
  return `${utility.accountPrefix}-${resident.householdId.slice(3)}`;
}

/** The utility's register of metered household accounts. */
function accountsOf(utility: Utility): SourcePlan {
  return {
    name: `${utility.service}-accounts`,
    holder: utility.holder,
    sensitivity: 1,
    endorsementRequired: false,
    share: 0.025,
    isRegister: true,
    subjectField: "utilityAccount",
    schema: recordSchema(
      `${utility.schemaBase}/${utility.service}-accounts.json`,
      "Utility account",
      `A household's metered ${utility.service} supply.`,
      {
        utilityAccount: text("the supply account's number"),
        customerId: text("the household's customer number"),
        meterId: text("the meter installed"),
        district: oneOf("the district of the supply address", DISTRICTS),
        tariff: oneOf("the tariff", ["residential", "commercial"]),
        since: date("the day the supply started"),
        status: oneOf("the supply's status", ["active", "disconnected"]),
      },
    ),
    drawRecord(context) {
      const resident = residentOf(context, true);
      const { random, period } = context;
      return {
        utilityAccount: utilityAccountOf(utility, resident),
        customerId: resident.householdId,
        meterId: utility.meterOf(resident),
        district: resident.district,
        tariff: random.chance(0.92) ? "residential" : "commercial",
        since: isoDate(period.start - random.between(30, 7_000) * DAY),
        status: random.chance(0.98) ? "active" : "disconnected",
      };
    },
  };
}

/** The utility's meter readings: what each household used between two readings. */
function readingsOf(utility: Utility): SourcePlan {
  return {
    name: `${utility.service}-readings`,
    holder: utility.holder,
    sensitivity: 1,
    endorsementRequired: false,
    share: 0.05,
    isRegister: false,
    subjectField: "meterId",
    schema: recordSchema(
      `${utility.schemaBase}/${utility.service}-readings.json`,
      "Meter reading",
      `A ${utility.service} meter read, and the consumption since the previous read.`,
      {
        readingId: text("the reading's id"),
        utilityAccount: text("the supply account"),
        meterId: text("the meter read"),
        readAt: instant("when the meter was read"),
        meterReading: decimal(`the meter's index, ${utility.unit}`, 0, 1e9),
        consumption: decimal(`used since the previous read, ${utility.unit}`, 0, 1e6),
        unit: oneOf("the unit of both figures", [utility.unit]),
        readingType: oneOf("how the figure was obtained", ["actual", "estimated", "smart-meter"]),
      },
    ),
    drawRecord(context) {
      const resident = residentOf(context, false);
      const { random } = context;
      return {
        readingId: `${utility.accountPrefix}R-${String(context.sourceIndex).padStart(9, "0")}`,
        utilityAccount: utilityAccountOf(utility, resident),
        meterId: utility.meterOf(resident),
        readAt: isoInstant(momentIn(context)),
        meterReading: roundTo(random.next() * utility.maxConsumption * 400, 1),
        consumption: roundTo(random.next() * utility.maxConsumption, 2),
        unit: utility.unit,
        readingType: random.pick(["smart-meter", "smart-meter", "actual", "estimated"]),
      };
    },
  };
}

/** The water utility's account register and meter readings. */
export const waterSources: SourcePlan[] = [accountsOf(WATER), readingsOf(WATER)];

/** The power utility's account register and meter readings. */
export const powerSources: SourcePlan[] = [accountsOf(POWER), readingsOf(POWER)];

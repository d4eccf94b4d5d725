/**
 * What a data source of the scenario is: who holds it, how sensitive it is, its schema, and how its records are
 * drawn. The sources themselves are in `sources/`, one file per kind of holder.
 */
import type { Json } from "../merkle";
import type { JsonSchema } from "./json-schema";
import type { OrganizationKey } from "./organizations";
import type { Population, Resident } from "./population";
import type { Random } from "./random";

/** A JSON record, as attested. */
export type ScenarioRecord = { [field: string]: Json };

/** The span of time one attested batch covers, in unix seconds (`start` included, `end` not). */
export interface Period {
  start: number;
  end: number;
}

/** What drawing one record needs. */
export interface RecordContext {
  random: Random;
  population: Population;
  /** The record's position among all records of its source, from 0. */
  sourceIndex: number;
  /** The period of the batch the record belongs to: its times fall inside. */
  period: Period;
}

/** A data source as the scenario registers and fills it. */
export interface SourcePlan {
  /** The source's registered name, unique within its holder (`call-records`). */
  name: string;
  holder: OrganizationKey;
  /** Sensitivity tier 0 (public) to 3 (secret); tiers 2 and 3 always need a supervisor's endorsement. */
  sensitivity: 0 | 1 | 2 | 3;
  endorsementRequired: boolean;
  /** The part of the scenario's records that are this source's (the parts of all sources add up to 1). */
  share: number;
  /**
   * Whether the source lists who the holder serves (one record per resident, at most as many records as
   * residents) rather than what happened (any number of records).
   */
  isRegister: boolean;
  schema: JsonSchema;
  /** The field an access request's scope selects records by (`msisdn`, `debitAccount`…). */
  subjectField: string;
  /** Draws one record. */
  drawRecord(context: RecordContext): ScenarioRecord;
}

/** RFC 3339 text of a unix time in seconds, in UTC, without milliseconds. */
export function isoInstant(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

/** The calendar date (UTC) of a unix time in seconds. */
export function isoDate(seconds: number): string {
  return isoInstant(seconds).slice(0, 10);
}

/** A moment inside `period`, drawn evenly. */
export function momentIn(context: RecordContext): number {
  return context.random.between(context.period.start, context.period.end - 1);
}

/** The part of event records that are about one of the population's frequent residents. */
const FREQUENT_RESIDENT_SHARE = 0.1;

/**
 * The resident a register record describes (the `sourceIndex`-th), or the one an event record is about: now and
 * then a frequent resident, otherwise anyone.
 */
export function residentOf(context: RecordContext, isRegister: boolean): Resident {
  const { residents, frequentResidents } = context.population;
  if (isRegister) return residents[context.sourceIndex % residents.length];
  const isFrequent = context.random.chance(FREQUENT_RESIDENT_SHARE);
  return context.random.pick(isFrequent ? frequentResidents : residents);
}

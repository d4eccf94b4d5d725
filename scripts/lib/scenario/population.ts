/**
 * The synthetic city the records describe: residents, each with a phone, a bank account and a household's
 * utility accounts, and the operator's radio cells. Every source draws from the same residents, so a phone number
 * in a call record is a subscriber, and a transfer's account is an account: the data links up as real data does.
 */
import { drawIban, drawImei, drawImsi, drawMsisdn } from "./identifiers";
import { stream } from "./random";

/** One resident, through the identifiers each holder knows them by. */
export interface Resident {
  /** Telecom subscriber number, bank customer number, utility customer number: one per holder. */
  subscriberId: string;
  customerId: string;
  householdId: string;
  msisdn: string;
  imsi: string;
  imei: string;
  iban: string;
  waterMeterId: string;
  powerMeterId: string;
  district: string;
}

/** A radio cell of the operator, where a phone is seen. */
export interface Cell {
  cellId: number;
  locationAreaCode: number;
  latitude: number;
  longitude: number;
  district: string;
}

/** The residents and cells of the scenario's city. */
export interface Population {
  residents: readonly Resident[];
  /**
   * A few residents who call, pay and use far more than the others (a share of all event records): whom the
   * cases end up being about, so a delivery hands over more than a record or two.
   */
  frequentResidents: readonly Resident[];
  cells: readonly Cell[];
}

/** The city's districts. */
export const DISTRICTS = ["Shangcheng", "Gongshu", "Xihu", "Binjiang", "Xiaoshan", "Yuhang"] as const;

/** The city's centre and the spread of its cells around it, in degrees. */
const CITY_CENTRE = { latitude: 30.2741, longitude: 120.1551 };
const CELL_SPREAD_DEGREES = 0.12;
const CELL_COUNT = 400;
const FREQUENT_RESIDENT_COUNT = 12;
/** The bank's code inside its account numbers. */
export const BANK_CODE = "6102";

/** The residents (`residentCount` of them) and cells of the city of `seed`. */
export function createPopulation(seed: number, residentCount: number): Population {
  const random = stream(seed, "population");
  const residents = Array.from({ length: residentCount }, (_, index) => ({
    subscriberId: `SUB-${String(100_000 + index)}`,
    customerId: `CUST-${String(500_000 + index)}`,
    householdId: `HH-${String(200_000 + index)}`,
    msisdn: drawMsisdn(random),
    imsi: drawImsi(random),
    imei: drawImei(random),
    iban: drawIban(random, BANK_CODE),
    waterMeterId: `WM-${random.digits(8)}`,
    powerMeterId: `EM-${random.digits(10)}`,
    district: random.pick(DISTRICTS),
  }));
  const frequentResidents = Array.from({ length: FREQUENT_RESIDENT_COUNT }, () => random.pick(residents));
  return { residents, frequentResidents, cells: createCells(seed) };
}

function createCells(seed: number): Cell[] {
  const random = stream(seed, "cells");
  const offset = () => (random.next() * 2 - 1) * CELL_SPREAD_DEGREES;
  return Array.from({ length: CELL_COUNT }, (_, index) => ({
    cellId: 20_000 + index * 7,
    locationAreaCode: 4_100 + (index % 16),
    latitude: roundTo(CITY_CENTRE.latitude + offset(), 6),
    longitude: roundTo(CITY_CENTRE.longitude + offset(), 6),
    district: random.pick(DISTRICTS),
  }));
}

/** `value` rounded to `decimals` places: coordinates and amounts as a system would store them. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

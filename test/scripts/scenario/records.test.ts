import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import { verifyProofsFile } from "../../../scripts/lib/merkle";
import type { Json } from "../../../scripts/lib/merkle";
import { generateRecordBatches, recordCountOf } from "../../../scripts/lib/scenario/record-batches";
import type { RecordBatch } from "../../../scripts/lib/scenario/record-batches";
import { SOURCES } from "../../../scripts/lib/scenario/sources";

const VOLUME = { totalRecords: 4_000, recordsPerBatch: 300 };

type Schema = { [keyword: string]: Json };

/** Why `value` does not fit the field's schema (the keywords the scenario's schemas use), or undefined. */
function misfit(value: Json, schema: Schema): string | undefined {
  if (schema.anyOf) {
    const fits = (schema.anyOf as Schema[]).some((option) => misfit(value, option) === undefined);
    return fits ? undefined : "fits none of anyOf";
  }
  const checks: [boolean, string][] = [
    [schema.type === "null" && value !== null, "not null"],
    [schema.type === "string" && typeof value !== "string", "not a string"],
    [schema.type === "boolean" && typeof value !== "boolean", "not a boolean"],
    [schema.type === "integer" && !Number.isInteger(value), "not an integer"],
    [schema.type === "number" && typeof value !== "number", "not a number"],
    [typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(String(value)), "misses its pattern"],
    [Array.isArray(schema.enum) && !schema.enum.includes(value), "not one of its values"],
    [typeof schema.minimum === "number" && (value as number) < schema.minimum, "below its minimum"],
    [typeof schema.maximum === "number" && (value as number) > schema.maximum, "above its maximum"],
    [schema.format === "date-time" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(value)), "not a UTC instant"],
    [schema.format === "date" && !/^\d{4}-\d\d-\d\d$/.test(String(value)), "not a date"],
  ];
  return checks.find(([fails]) => fails)?.[1];
}

/** Whether `digits` (the check digit last) passes the Luhn check. */
function passesLuhn(digits: string): boolean {
  const sum = [...digits].reverse().reduce((total, digit, position) => {
    const value = Number(digit) * (position % 2 === 1 ? 2 : 1);
    return total + (value > 9 ? value - 9 : value);
  }, 0);
  return sum % 10 === 0;
}

/** Whether an IBAN-form number passes the ISO 7064 mod 97-10 check. */
function passesIbanCheck(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (letter) =>
    String(letter.charCodeAt(0) - 55),
  );
  return [...rearranged].reduce((remainder, digit) => (remainder * 10 + Number(digit)) % 97, 0) === 1;
}

describe("scenario records", function () {
  this.timeout(60_000);
  const directories: string[] = [];

  async function generate(seed: number): Promise<RecordBatch[]> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-scenario-records-"));
    directories.push(dataDir);
    return generateRecordBatches({ seed, dataDir, report: () => undefined }, VOLUME);
  }

  let batches: RecordBatch[];
  before(async () => {
    batches = await generate(7);
  });

  after(() => {
    for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
  });

  it("should draw the same roots for the same seed and other roots for another", async () => {
    const roots = (of: RecordBatch[]) => of.map((batch) => batch.tree.root);
    expect(roots(await generate(7))).to.deep.equal(roots(batches));
    const otherRoots = roots(await generate(8));
    expect(otherRoots.filter((root) => roots(batches).includes(root))).to.be.empty;
  });

  it("should give each source its share of the records, in batches of consecutive days", () => {
    for (const source of SOURCES) {
      const own = batches.filter((batch) => batch.source === source);
      const count = own.reduce((total, batch) => total + batch.records.length, 0);
      expect(count, source.name).to.equal(recordCountOf(source, VOLUME.totalRecords));
      own.slice(1).forEach((batch, index) => expect(batch.period.start).to.equal(own[index].period.end));
    }
  });

  it("should draw records that have exactly their schema's fields, each fitting its schema", () => {
    for (const batch of batches) {
      const { properties, required } = batch.source.schema as {
        properties: Record<string, Schema>;
        required: string[];
      };
      for (const record of batch.records) {
        expect(Object.keys(record).sort()).to.deep.equal([...required].sort());
        for (const [field, schema] of Object.entries(properties)) {
          expect(misfit(record[field], schema), `${batch.source.name}.${field} = ${record[field]}`).to.be.undefined;
        }
      }
    }
  });

  it("should draw handset identities with Luhn check digits and account numbers with IBAN check digits", () => {
    const recordsOf = (name: string) => batches.filter((batch) => batch.source.name === name)[0].records;
    for (const record of recordsOf("subscribers")) expect(passesLuhn(String(record.imei))).to.be.true;
    for (const record of recordsOf("accounts")) expect(passesIbanCheck(String(record.accountNumber))).to.be.true;
  });

  it("should write each batch as canonical NDJSON with a proofs file that verifies against its root", async () => {
    for (const batch of batches.slice(0, 3)) {
      const lines = fs.readFileSync(batch.recordsFile, "utf8").trimEnd().split("\n");
      expect(lines).to.have.lengthOf(batch.records.length);
      expect(keccak256(toUtf8Bytes(lines[0]))).to.equal(batch.tree.digest(0));
      const { header, verifiedRecords } = await verifyProofsFile(batch.proofsFile);
      expect(header.root).to.equal(batch.tree.root);
      expect(verifiedRecords).to.equal(batch.records.length);
    }
  });
});

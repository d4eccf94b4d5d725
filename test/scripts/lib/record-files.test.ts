import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { readRecordLines } from "../../../scripts/lib/record-files";
import type { RecordFileFormat } from "../../../scripts/lib/record-files";

describe("record files", function () {
  let directory: string;

  before(() => (directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-record-files-"))));
  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  async function read(name: string, format: RecordFileFormat, text: string) {
    const file = path.join(directory, name);
    fs.writeFileSync(file, text);
    const items = [];
    for await (const item of readRecordLines(file, format)) items.push(item);
    return items;
  }

  it("should read CSV values as strings, with RFC 4180 quotes, CRLF endings and blank lines skipped", async function () {
    const items = await read("quoted.csv", "csv", 'a,b,c\r\n1,"x, ""y""",\r\n\r\n"",2,3\r\n');
    expect(items).to.deep.equal([
      { line: 2, record: { a: "1", b: 'x, "y"', c: "" } },
      { line: 4, record: { a: "", b: "2", c: "3" } },
    ]);
  });

  it("should name each bad CSV line and go on reading", async function () {
    const items = await read("bad.csv", "csv", 'a,b\n1\n1,2,3\n"1"x,2\n1,a"b\n"open,2\n5,6\n');
    expect(items).to.deep.equal([
      { line: 2, problem: "expected 2 fields, found 1" },
      { line: 3, problem: "expected 2 fields, found 3" },
      { line: 4, problem: "unexpected text after the closing quote at column 4" },
      { line: 5, problem: "a quote inside an unquoted field at column 3" },
      { line: 6, problem: "a quoted field opened at column 1 does not close on its line" },
      { line: 7, record: { a: "5", b: "6" } },
    ]);
  });

  it("should refuse a CSV header that names a column twice", async function () {
    const items = await read("twice.csv", "csv", "a,a\n1,2\n");
    expect(items[0]).to.deep.equal({ line: 1, problem: 'the header names the column "a" twice' });
  });

  it("should read NDJSON objects and name lines that are not JSON objects", async function () {
    const items = await read("calls.ndjson", "ndjson", '{"a":1}\n\n"text"\n{"a":\n{"a":2}');
    expect(items.map((item) => item.line)).to.deep.equal([1, 3, 4, 5]);
    expect(items[1]).to.deep.equal({ line: 3, problem: "a record must be a JSON object" });
    expect((items[2] as { problem: string }).problem).to.match(/^not JSON/);
    expect(items[3]).to.deep.equal({ line: 5, record: { a: 2 } });
  });
});

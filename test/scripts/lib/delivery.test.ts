import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { keccak256, toUtf8Bytes } from "ethers";
import { PayloadError, payloadHashOf, proveRecords, readPayloadRecords } from "../../../scripts/lib/delivery";
import { buildRecordTree, canonicalJson, verifyRecordProof, writeProofsFile } from "../../../scripts/lib/merkle";
import { recordDigest } from "../../helpers/merkle";

chai.use(chaiAsPromised);

describe("deliveries", function () {
  const batch = [{ call: 1 }, { call: 2 }, { call: 1 }, { call: 3 }];
  let directory: string;
  let proofsFile: string;
  let root: string;

  before(async function () {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-delivery-"));
    proofsFile = path.join(directory, "batch.proofs.ndjson");
    const tree = await buildRecordTree(batch.map(recordDigest));
    root = tree.root;
    await writeProofsFile(tree, proofsFile);
  });

  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  it("should hash the canonical JSON of the records array, in payload order", function () {
    const records = [{ b: 2, a: 1 }, { c: [3] }];
    expect(payloadHashOf(records)).to.equal(keccak256(toUtf8Bytes('[{"a":1,"b":2},{"c":[3]}]')));
    expect(payloadHashOf(records)).to.equal(keccak256(toUtf8Bytes(canonicalJson(records))));
    expect(payloadHashOf([...records].reverse())).to.not.equal(payloadHashOf(records));
  });

  it("should find each record's index and proof, identical records taking successive indexes", async function () {
    const { header, proven } = await proveRecords([{ call: 3 }, { call: 1 }, { call: 1 }], proofsFile);
    expect(header.root).to.equal(root);
    expect(proven.map((entry) => entry.index)).to.deep.equal([3, 0, 2]);
    for (const entry of proven) expect(await verifyRecordProof(root, entry)).to.equal(true);
  });

  it("should name a payload record the batch does not hold", async function () {
    await expect(proveRecords([{ call: 2 }, { call: 9 }], proofsFile)).to.be.rejectedWith(
      PayloadError,
      `payload record 1 (digest ${recordDigest({ call: 9 })}) is not in the batch of ${proofsFile}`,
    );
  });

  it("should read a payload as an array, a {records} object or NDJSON", async function () {
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(directory, name), text);
      return path.join(directory, name);
    };
    expect(await readPayloadRecords(write("a.json", "[1,2]"))).to.deep.equal([1, 2]);
    expect(await readPayloadRecords(write("b.json", '{"records":[{"x":1}]}'))).to.deep.equal([{ x: 1 }]);
    expect(await readPayloadRecords(write("c.ndjson", '{"x":1}\n\n{"x":2}\n'))).to.deep.equal([{ x: 1 }, { x: 2 }]);
    await expect(readPayloadRecords(write("d.json", '{"rows":[]}'))).to.be.rejectedWith(
      PayloadError,
      'a "records" array',
    );
  });
});

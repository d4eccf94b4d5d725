import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import {
  buildRecordTree,
  PROOFS_FILE_FORMAT,
  ProofsFileError,
  readProofsFile,
  verifyProofsFile,
  writeProofsFile,
} from "../../../scripts/lib/merkle";
import type { ProofsFileRecord } from "../../../scripts/lib/merkle";
import { randomDigests } from "../../helpers/merkle";

chai.use(chaiAsPromised);

describe("proofs files", function () {
  this.timeout(30_000);
  let folder: string;
  let fileNumber = 0;
  const nextFile = () => path.join(folder, `proofs-${++fileNumber}.ndjson`);

  before(async function () {
    folder = await mkdtemp(path.join(os.tmpdir(), "dxl-merkle-proofs-"));
  });

  after(async function () {
    await rm(folder, { recursive: true, force: true });
  });

  async function readAll(file: string) {
    const { header, records } = await readProofsFile(file);
    const read: ProofsFileRecord[] = [];
    for await (const record of records) read.push(record);
    return { header, records: read };
  }

  it("should write a header line and one line per record that read back as the tree's proofs", async function () {
    const digests = randomDigests(11);
    const tree = await buildRecordTree(digests);
    const file = nextFile();
    await writeProofsFile(tree, file);
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines).to.have.length(13);
    expect(lines.at(-1)).to.equal("");
    expect(JSON.parse(lines[0])).to.deep.equal({
      format: PROOFS_FILE_FORMAT,
      leafEncoding: ["uint256", "bytes32"],
      root: tree.root,
      recordCount: 11,
    });
    const { header, records } = await readAll(file);
    expect(header.root).to.equal(tree.root);
    expect(records.map((record) => record.index)).to.deep.equal([...Array(11).keys()]);
    for (const { index, digest, proof } of records) {
      expect(digest).to.equal(digests[index]);
      expect(proof).to.deep.equal(tree.proof(index));
      expect(StandardMerkleTree.verify(header.root, ["uint256", "bytes32"], [index, digest], proof)).to.be.true;
    }
    expect(await verifyProofsFile(file)).to.deep.equal({ header, verifiedRecords: 11 });
  });

  it("should write only the records asked for", async function () {
    const tree = await buildRecordTree(randomDigests(20));
    const file = nextFile();
    await writeProofsFile(tree, file, [2, 3, 19]);
    const { header, records } = await readAll(file);
    expect(header.recordCount).to.equal(20);
    expect(records.map((record) => record.index)).to.deep.equal([2, 3, 19]);
    expect((await verifyProofsFile(file)).verifiedRecords).to.equal(3);
  });

  it("should refuse indexes that do not ascend", async function () {
    const tree = await buildRecordTree(randomDigests(5));
    await expect(writeProofsFile(tree, nextFile(), [3, 1])).to.be.rejectedWith(
      RangeError,
      "proofs file indexes must ascend without repeats: 1 after 3",
    );
  });

  it("should let a reader stop early", async function () {
    const tree = await buildRecordTree(randomDigests(50));
    const file = nextFile();
    await writeProofsFile(tree, file);
    const { records } = await readProofsFile(file);
    for await (const record of records) {
      expect(record.index).to.equal(0);
      break;
    }
  });

  describe("bad files", function () {
    async function fileWith(lines: string[]): Promise<string> {
      const file = nextFile();
      await writeFile(file, lines.map((line) => `${line}\n`).join(""));
      return file;
    }

    async function validLines(count: number): Promise<string[]> {
      const tree = await buildRecordTree(randomDigests(count));
      const file = nextFile();
      await writeProofsFile(tree, file);
      return (await readFile(file, "utf8")).trimEnd().split("\n");
    }

    async function expectProblem(lines: string[], line: number, problem: string): Promise<void> {
      const rejection = expect(verifyProofsFile(await fileWith(lines))).to.be.rejectedWith(ProofsFileError, problem);
      const error = (await rejection) as unknown as ProofsFileError;
      expect(error.line).to.equal(line);
    }

    it("should name the line of a proof that does not lead to the root", async function () {
      const lines = await validLines(4);
      const record = JSON.parse(lines[3]) as ProofsFileRecord;
      record.digest = `0x${"00".repeat(32)}`;
      lines[3] = JSON.stringify(record);
      await expectProblem(lines, 4, `record ${record.index}'s proof does not lead to the root`);
    });

    it("should refuse a bad header", async function () {
      const [header, ...records] = await validLines(2);
      const fields = JSON.parse(header) as Record<string, unknown>;
      await expectProblem([], 1, "the file is empty");
      await expectProblem(["{"], 1, "not JSON");
      await expectProblem([JSON.stringify({ ...fields, format: "x" }), ...records], 1, "format must be");
      await expectProblem([JSON.stringify({ ...fields, recordCount: 0 }), ...records], 1, "recordCount must be");
      await expectProblem([JSON.stringify({ ...fields, root: "0x00" }), ...records], 1, "root must be 0x");
      await expectProblem([JSON.stringify({ ...fields, leafEncoding: ["uint256"] }), ...records], 1, "leafEncoding");
    });

    it("should refuse bad record lines", async function () {
      const [header, first, second] = await validLines(3);
      const record = JSON.parse(first) as Record<string, unknown>;
      await expectProblem(
        [header, JSON.stringify({ ...record, index: 3 })],
        2,
        "index must be a whole number from 0 to 2",
      );
      await expectProblem([header, JSON.stringify({ ...record, proof: "0x" })], 2, "proof must be an array");
      await expectProblem([header, JSON.stringify({ ...record, proof: ["0x1"] })], 2, "proof[0] must be 0x");
      await expectProblem([header, "[]"], 2, "must be a JSON object");
      await expectProblem([header, second, first], 3, "index 0 does not ascend (after 1)");
    });
  });
});

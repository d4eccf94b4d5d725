import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import {
  buildRecordTree,
  fromStandardDump,
  readStandardDump,
  toStandardDump,
  writeStandardDump,
} from "../../../scripts/lib/merkle";
import { randomDigests, recordTree } from "../../helpers/merkle";

chai.use(chaiAsPromised);

describe("standard-v1 dumps", function () {
  this.timeout(30_000);
  let folder: string;

  before(async function () {
    folder = await mkdtemp(path.join(os.tmpdir(), "dxl-merkle-dump-"));
  });

  after(async function () {
    await rm(folder, { recursive: true, force: true });
  });

  it("should be loaded by StandardMerkleTree.load, which then proves and verifies every record", async function () {
    const digests = randomDigests(13);
    const ours = await buildRecordTree(digests);
    const loaded = StandardMerkleTree.load(toStandardDump(ours));
    expect(loaded.root).to.equal(ours.root);
    for (const [index, value] of loaded.entries()) {
      expect(value).to.deep.equal([String(index), digests[index]]);
      const proof = loaded.getProof(index);
      expect(proof).to.deep.equal(ours.proof(index));
      expect(StandardMerkleTree.verify(ours.root, ["uint256", "bytes32"], value, proof)).to.be.true;
    }
  });

  it("should write to a file the same JSON as the dump object, which StandardMerkleTree.load accepts", async function () {
    const ours = await buildRecordTree(randomDigests(9));
    const file = path.join(folder, "written.json");
    await writeStandardDump(ours, file);
    const text = await readFile(file, "utf8");
    expect(text).to.equal(JSON.stringify(toStandardDump(ours)));
    expect(StandardMerkleTree.load(JSON.parse(text)).root).to.equal(ours.root);
  });

  it("should read back its own file as the same tree", async function () {
    const digests = randomDigests(10);
    const ours = await buildRecordTree(digests);
    const file = path.join(folder, "round-trip.json");
    await writeStandardDump(ours, file);
    const read = await readStandardDump(file);
    expect(read.root).to.equal(ours.root);
    for (let index = 0; index < digests.length; index++) expect(read.proof(index)).to.deep.equal(ours.proof(index));
  });

  it("should read a dump made by @openzeppelin/merkle-tree from values [decimal index, digest]", async function () {
    const digests = randomDigests(7);
    const theirs = StandardMerkleTree.of(
      digests.map((digest, index) => [String(index), digest]),
      ["uint256", "bytes32"],
    );
    const file = path.join(folder, "theirs.json");
    await writeFile(file, JSON.stringify(theirs.dump()));
    const read = await readStandardDump(file);
    expect(read.root).to.equal(theirs.root);
    expect(read.proof(3)).to.deep.equal(theirs.getProof(3));
  });

  describe("bad dumps", function () {
    async function dumpOf(count: number) {
      return toStandardDump(await buildRecordTree(randomDigests(count)));
    }

    it("should refuse another format or leaf encoding", async function () {
      const dump = await dumpOf(2);
      await expect(fromStandardDump({ ...dump, format: "simple-v1" })).to.be.rejectedWith(
        TypeError,
        'a dump\'s format must be "standard-v1", not "simple-v1"',
      );
      await expect(fromStandardDump({ ...dump, leafEncoding: ["address", "uint256"] })).to.be.rejectedWith(
        TypeError,
        'leaf encoding is ["uint256","bytes32"], not ["address","uint256"]',
      );
      await expect(fromStandardDump(null)).to.be.rejectedWith(TypeError, "format must be");
    });

    it("should refuse values that are not [index, digest] in record order", async function () {
      const dump = await dumpOf(3);
      const swapped = { ...dump, values: [dump.values[1], dump.values[0], dump.values[2]] };
      await expect(fromStandardDump(swapped)).to.be.rejectedWith(TypeError, "values[0] must hold [0, digest]");
      const badDigest = structuredClone(dump);
      badDigest.values[2].value[1] = "0x12";
      await expect(fromStandardDump(badDigest)).to.be.rejectedWith(TypeError, "values[2]'s digest must be 0x");
    });

    it("should refuse a tree that is not the tree of its values", async function () {
      const dump = await dumpOf(4);
      const tampered = structuredClone(dump);
      tampered.tree[2] = `0x${"ab".repeat(32)}`;
      await expect(fromStandardDump(tampered)).to.be.rejectedWith(TypeError, "the dump's node 2 is not the tree");
      const short = { ...dump, tree: dump.tree.slice(1) };
      await expect(fromStandardDump(short)).to.be.rejectedWith(TypeError, "the dump has 6 nodes; 4 records make 7");
      const moved = structuredClone(dump);
      moved.values[0].treeIndex = moved.values[1].treeIndex;
      await expect(fromStandardDump(moved)).to.be.rejectedWith(TypeError, "values[0].treeIndex is not where record 0");
    });
  });

  it("should agree with the tests' OpenZeppelin helper on the same batch", async function () {
    const digests = randomDigests(5);
    expect(toStandardDump(await buildRecordTree(digests)).tree).to.deep.equal(recordTree(digests).dump().tree);
  });
});

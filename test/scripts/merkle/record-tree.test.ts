import { randomBytes } from "node:crypto";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import fc from "fast-check";
import { buildRecordTree, MAX_RECORDS, RECORD_LEAF_ENCODING } from "../../../scripts/lib/merkle";
import { sortedLeafOrder } from "../../../scripts/lib/merkle/leaf-order";
import { randomDigests, recordLeafHash, recordTree } from "../../helpers/merkle";

chai.use(chaiAsPromised);

/** fast-check digests: 32 random bytes as 0x-hex. */
const digestArbitrary = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => `0x${Buffer.from(bytes).toString("hex")}`);

/** Asserts that our tree of `digests` has OpenZeppelin's root, leaf hashes, tree indexes and every proof. */
async function expectSameAsOpenZeppelin(digests: string[]): Promise<void> {
  const ours = await buildRecordTree(digests);
  const theirs = recordTree(digests);
  expect(ours.root).to.equal(theirs.root);
  expect(ours.recordCount).to.equal(digests.length);
  const dumped = theirs.dump();
  expect(ours.nodeCount).to.equal(dumped.tree.length);
  for (let index = 0; index < digests.length; index++) {
    expect(ours.proof(index), `proof of record ${index}`).to.deep.equal(theirs.getProof(index));
    expect(ours.leafTreeIndex(index)).to.equal(dumped.values[index].treeIndex);
    expect(ours.leafHash(index)).to.equal(recordLeafHash(BigInt(index), digests[index]));
    expect(ours.digest(index)).to.equal(digests[index]);
  }
}

describe("buildRecordTree", function () {
  this.timeout(30_000);

  it("should use the leaf encoding of DESIGN.md", function () {
    expect(RECORD_LEAF_ENCODING).to.deep.equal(["uint256", "bytes32"]);
  });

  for (const size of [1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 100]) {
    it(`should build OpenZeppelin's tree for ${size} record${size === 1 ? "" : "s"}, root and every proof`, async function () {
      await expectSameAsOpenZeppelin(randomDigests(size));
    });
  }

  it("should build OpenZeppelin's tree for random batches", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(digestArbitrary, { minLength: 1, maxLength: 70 }), expectSameAsOpenZeppelin),
      { numRuns: 40 },
    );
  });

  it("should build the same tree from a repeated digest as OpenZeppelin (the index keeps leaves apart)", async function () {
    const [digest] = randomDigests(1);
    await expectSameAsOpenZeppelin([digest, digest, digest, digest, digest]);
  });

  it("should take digests packed, as bytes, as hex, or streamed", async function () {
    const digests = randomDigests(6);
    const root = recordTree(digests).root;
    const bytes = digests.map((digest) => Buffer.from(digest.slice(2), "hex"));
    async function* streamed() {
      yield* bytes;
    }
    expect((await buildRecordTree(Buffer.concat(bytes))).root).to.equal(root);
    expect((await buildRecordTree(bytes)).root).to.equal(root);
    expect((await buildRecordTree(streamed())).root).to.equal(root);
    expect((await buildRecordTree(digests.map((digest) => digest.toUpperCase().replace("0X", "0x")))).root).to.equal(
      root,
    );
  });

  it("should copy packed digests, so the caller can reuse its array", async function () {
    const packed = randomBytes(3 * 32);
    const tree = await buildRecordTree(packed);
    const root = tree.root;
    packed.fill(0);
    expect(tree.root).to.equal(root);
    expect(tree.digest(0)).to.not.equal(`0x${"00".repeat(32)}`);
  });

  describe("bad input", function () {
    it("should refuse an empty batch", async function () {
      await expect(buildRecordTree([])).to.be.rejectedWith(RangeError, "a batch needs at least one record");
      await expect(buildRecordTree(new Uint8Array(0))).to.be.rejectedWith(RangeError, "at least one record");
    });

    it("should refuse packed digests that are not whole 32-byte digests", async function () {
      await expect(buildRecordTree(new Uint8Array(33))).to.be.rejectedWith(
        TypeError,
        "packed digests must be a multiple of 32 bytes, not 33",
      );
    });

    it("should name the digest that is not 32 bytes or 64 hex digits", async function () {
      const [good] = randomDigests(1);
      await expect(buildRecordTree([good, "0x1234"])).to.be.rejectedWith(
        TypeError,
        'digest 1 must be 0x and 64 hex digits, not "0x1234"',
      );
      await expect(buildRecordTree([good, good, new Uint8Array(31)])).to.be.rejectedWith(
        TypeError,
        "digest 2 must be 32 bytes",
      );
      await expect(buildRecordTree([good.slice(2)])).to.be.rejectedWith(TypeError, "digest 0 must be 0x and 64 hex");
    });

    it("should refuse more records than the limit", async function () {
      // Untouched zero pages: the allocation costs address space, not memory.
      const packed = new Uint8Array((MAX_RECORDS + 1) * 32);
      await expect(buildRecordTree(packed)).to.be.rejectedWith(
        RangeError,
        `a batch of ${MAX_RECORDS + 1} records is over the limit of ${MAX_RECORDS}`,
      );
    });
  });

  describe("proofs", function () {
    it("should give an empty proof for a batch of one", async function () {
      const tree = await buildRecordTree(randomDigests(1));
      expect(tree.proof(0)).to.deep.equal([]);
      expect(tree.root).to.equal(tree.leafHash(0));
    });

    it("should refuse a record index outside the batch", async function () {
      const tree = await buildRecordTree(randomDigests(3));
      expect(() => tree.proof(3)).to.throw(RangeError, "record index 3 is not in the batch (0 to 2)");
      expect(() => tree.proof(-1)).to.throw(RangeError, "record index -1");
      expect(() => tree.digest(1.5)).to.throw(RangeError, "record index 1.5");
      expect(() => tree.node(5)).to.throw(RangeError, "tree index 5 is not in the tree (0 to 4)");
    });
  });
});

describe("sortedLeafOrder", function () {
  /** Record indexes sorted by full hash, the slow way. */
  function referenceOrder(leafHashes: Uint8Array): number[] {
    const hashOf = (index: number) => Buffer.from(leafHashes.subarray(index * 32, index * 32 + 32));
    return Array.from({ length: leafHashes.length / 32 }, (_, index) => index).sort((a, b) =>
      Buffer.compare(hashOf(a), hashOf(b)),
    );
  }

  it("should order hashes that share their first four bytes by the rest", function () {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(0, 0xffffffff, 0x80000000, 7), fc.uint8Array({ minLength: 28, maxLength: 28 })),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        (leaves) => {
          const leafHashes = new Uint8Array(leaves.length * 32);
          leaves.forEach(([prefix, rest], index) => {
            new DataView(leafHashes.buffer).setUint32(index * 32, prefix);
            leafHashes.set(rest, index * 32 + 4);
          });
          expect(Array.from(sortedLeafOrder(leafHashes))).to.deep.equal(referenceOrder(leafHashes));
        },
      ),
      { numRuns: 200 },
    );
  });
});

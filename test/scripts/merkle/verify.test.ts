import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import fc from "fast-check";
import {
  buildRecordTree,
  processProof,
  recordLeafHash,
  rootOfRecordProof,
  verifyRecordProof,
} from "../../../scripts/lib/merkle";
import { randomDigests, recordLeafHash as openZeppelinLeafHash, recordTree, rootFromProof } from "../../helpers/merkle";

chai.use(chaiAsPromised);

describe("verifying record proofs", function () {
  this.timeout(30_000);

  it("should accept every proof made by @openzeppelin/merkle-tree", async function () {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (count) => {
        const digests = randomDigests(count);
        const theirs = recordTree(digests);
        for (let index = 0; index < count; index++) {
          const proof = theirs.getProof(index);
          expect(await verifyRecordProof(theirs.root, { index, digest: digests[index], proof })).to.be.true;
        }
      }),
      { numRuns: 15 },
    );
  });

  it("should compute leaf hashes and roots as the tests' ethers reference does", async function () {
    const digests = randomDigests(9);
    const tree = await buildRecordTree(digests);
    const leaf = await recordLeafHash(4, digests[4]);
    expect(leaf).to.equal(openZeppelinLeafHash(4n, digests[4]));
    expect(await processProof(leaf, tree.proof(4))).to.equal(rootFromProof(leaf, tree.proof(4)));
    expect(await rootOfRecordProof({ index: 4, digest: digests[4], proof: tree.proof(4) })).to.equal(tree.root);
  });

  it("should take 32-byte values as bytes too", async function () {
    const digests = randomDigests(3);
    const tree = await buildRecordTree(digests);
    const bytes = (hex: string) => Buffer.from(hex.slice(2), "hex");
    const proof = tree.proof(1).map(bytes);
    expect(await verifyRecordProof(bytes(tree.root), { index: 1, digest: bytes(digests[1]), proof })).to.be.true;
  });

  it("should reject a proof for another index, another digest, a changed sibling or another root", async function () {
    const digests = randomDigests(8);
    const tree = await buildRecordTree(digests);
    const proof = tree.proof(5);
    const changed = [...proof];
    changed[1] = `0x${"11".repeat(32)}`;
    expect(await verifyRecordProof(tree.root, { index: 5, digest: digests[5], proof })).to.be.true;
    expect(await verifyRecordProof(tree.root, { index: 6, digest: digests[5], proof })).to.be.false;
    expect(await verifyRecordProof(tree.root, { index: 5, digest: digests[4], proof })).to.be.false;
    expect(await verifyRecordProof(tree.root, { index: 5, digest: digests[5], proof: changed })).to.be.false;
    expect(await verifyRecordProof(tree.root, { index: 5, digest: digests[5], proof: proof.slice(1) })).to.be.false;
    const otherRoot = (await buildRecordTree(randomDigests(8))).root;
    expect(await verifyRecordProof(otherRoot, { index: 5, digest: digests[5], proof })).to.be.false;
  });

  it("should refuse malformed input with errors that name it", async function () {
    const [digest] = randomDigests(1);
    await expect(recordLeafHash(-1, digest)).to.be.rejectedWith(RangeError, "a record index must be a whole number");
    await expect(recordLeafHash(2 ** 32, digest)).to.be.rejectedWith(RangeError, "from 0 to 4294967295");
    await expect(recordLeafHash(0, "0xabc")).to.be.rejectedWith(TypeError, "digest must be 0x and 64 hex digits");
    await expect(processProof(digest, [digest, "nope"])).to.be.rejectedWith(TypeError, "proof[1] must be 0x");
    await expect(verifyRecordProof("0x", { index: 0, digest, proof: [] })).to.be.rejectedWith(TypeError, "root must");
  });
});

import { expect } from "chai";
import { id } from "ethers";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture, TreeBatch } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { expectErrorCode, query, run } from "../helpers/graphql";
import { RecordVerification } from "../helpers/suite";

const VERIFY = `query ($attestationId: BigInt!, $index: BigInt!, $digest: Bytes!, $proof: [Bytes!]!) {
  verifyRecord(attestationId: $attestationId, index: $index, digest: $digest, proof: $proof) {
    valid reason attestation { id revoked }
  }
}`;

interface Check {
  attestationId: bigint;
  index: bigint;
  digest: string;
  proof: string[];
}

/** Record `index` of `batch` with its genuine digest and proof. */
function genuine(batch: TreeBatch, index: number): Check {
  return {
    attestationId: batch.attestationId,
    index: BigInt(index),
    digest: batch.digests[index],
    proof: batch.tree.getProof(index),
  };
}

for (const target of databaseTargets()) {
  describe(`GraphQL record verification (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    async function verify(check: Check) {
      const variables = { ...check, attestationId: String(check.attestationId), index: String(check.index) };
      return (await query(fixture, "investigator", VERIFY, variables)).verifyRecord;
    }

    /** What AttestationRegistry.verifyRecord answers on chain for the same inputs: the API must agree. */
    async function onChain(check: Check): Promise<bigint> {
      const { attestations } = fixture.deployment.suite;
      return attestations.verifyRecord(check.attestationId, check.index, check.digest, check.proof);
    }

    it("accepts every record of a batch with its StandardMerkleTree proof, as the contract does", async function () {
      const { records } = fixture;
      for (let index = 0; index < records.digests.length; index++) {
        const check = genuine(records, index);
        expect(await verify(check)).to.deep.equal({
          valid: true,
          reason: null,
          attestation: { id: String(records.attestationId), revoked: false },
        });
        expect(await onChain(check)).to.equal(BigInt(RecordVerification.VALID));
      }
    });

    it("rejects a forged digest, a proof of another record and a proof against another batch", async function () {
      const { records, transfersAttestationId } = fixture;
      const forged = { ...genuine(records, 3), digest: id("a record that was never attested") };
      const swapped = { ...genuine(records, 3), proof: records.tree.getProof(4) };
      const elsewhere = { ...genuine(records, 1), attestationId: transfersAttestationId };
      for (const check of [forged, swapped, elsewhere]) {
        expect(await verify(check)).to.deep.include({ valid: false, reason: "PROOF_MISMATCH" });
        expect(await onChain(check)).to.equal(BigInt(RecordVerification.INVALID));
      }
    });

    it("rejects an index at or beyond the record count, even with a matching proof", async function () {
      const { records } = fixture;
      const beyond = { ...genuine(records, 0), index: 8n };
      expect(await verify(beyond)).to.deep.include({ valid: false, reason: "INDEX_OUT_OF_RANGE" });
      expect(await onChain(beyond)).to.equal(BigInt(RecordVerification.INVALID));
      expect(await verify({ ...beyond, index: -1n })).to.deep.include({ valid: false, reason: "INDEX_OUT_OF_RANGE" });
    });

    it("reports a genuine record of a revoked batch as REVOKED, and a forged one as a mismatch", async function () {
      const { revokedRecords } = fixture;
      const check = genuine(revokedRecords, 2);
      expect(await verify(check)).to.deep.equal({
        valid: false,
        reason: "REVOKED",
        attestation: { id: String(revokedRecords.attestationId), revoked: true },
      });
      expect(await onChain(check)).to.equal(BigInt(RecordVerification.REVOKED));
      expect(await verify({ ...check, digest: id("forged") })).to.deep.include({ reason: "PROOF_MISMATCH" });
    });

    it("answers UNKNOWN_ATTESTATION without an attestation for an id never attested", async function () {
      expect(await verify({ ...genuine(fixture.records, 0), attestationId: 10_000n })).to.deep.equal({
        valid: false,
        reason: "UNKNOWN_ATTESTATION",
        attestation: null,
      });
    });

    it("refuses a digest or proof element that is not 32 bytes with BAD_USER_INPUT", async function () {
      const check = genuine(fixture.records, 0);
      const variables = { ...check, attestationId: String(check.attestationId), index: "0" };
      expectErrorCode(await run(fixture, "investigator", VERIFY, { ...variables, digest: "0x1234" }), "BAD_USER_INPUT");
      const shortProof = [...check.proof.slice(1), "0xabcd"];
      expectErrorCode(
        await run(fixture, "investigator", VERIFY, { ...variables, proof: shortProof }),
        "BAD_USER_INPUT",
      );
    });
  });
}

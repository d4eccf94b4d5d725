import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { keccak256, toUtf8Bytes } from "ethers";
import fc from "fast-check";
import {
  CanonicalJsonError,
  canonicalJson,
  createRecordDigester,
  digestRecords,
  recordDigestHex,
} from "../../../scripts/lib/merkle";
import { toHex32 } from "../../../scripts/lib/merkle/hex";

chai.use(chaiAsPromised);

describe("record digests", function () {
  this.timeout(30_000);

  it("should be keccak256 of the UTF-8 bytes of the canonical JSON", async function () {
    const record = { "€": "😀", a: 1 };
    // {"a":1,"€":"😀"} written out byte by byte: € is e2 82 ac, 😀 is f0 9f 98 80.
    const bytes = Buffer.from("7b2261223a312c22e282ac223a22f09f9880227d", "hex");
    expect(canonicalJson(record)).to.equal(bytes.toString("utf8"));
    expect(await recordDigestHex(record)).to.equal(keccak256(bytes));
  });

  it("should equal ethers' keccak256 of the canonical text for any JSON record", async function () {
    const digester = await createRecordDigester();
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (record) => {
        expect(toHex32(digester.digest(record))).to.equal(keccak256(toUtf8Bytes(canonicalJson(record))));
      }),
      { numRuns: 100 },
    );
  });

  it("should not depend on the order members were written in", async function () {
    expect(await recordDigestHex({ imsi: "460001234567890", cellId: 42 })).to.equal(
      await recordDigestHex({ cellId: 42, imsi: "460001234567890" }),
    );
  });

  it("should pack the digests of a batch in record order, from a sync or an async source", async function () {
    const records = [{ n: 1 }, { n: 2 }, { n: 3 }];
    async function* streamed() {
      yield* records;
    }
    const packed = await digestRecords(records);
    expect(packed).to.have.length(3 * 32);
    for (const [index, record] of records.entries()) {
      expect(toHex32(packed, index * 32)).to.equal(await recordDigestHex(record));
    }
    expect(Buffer.from(await digestRecords(streamed())).equals(Buffer.from(packed))).to.be.true;
  });

  it("should name the record and the field that has no JSON form", async function () {
    const records = [{ duration: 1 }, { duration: 2 }, { duration: Infinity }];
    await expect(digestRecords(records)).to.be.rejectedWith(
      CanonicalJsonError,
      "records[2].duration: the number Infinity has no JSON form",
    );
  });
});

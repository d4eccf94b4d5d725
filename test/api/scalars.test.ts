import { expect } from "chai";
import { getAddress } from "ethers";
import { parseValue } from "graphql";
import { AddressScalar, BigIntScalar, BytesScalar, DateTimeScalar, JsonScalar } from "../../indexer/api/scalars";

const ACCOUNT = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

describe("GraphQL scalars", function () {
  describe("BigInt", function () {
    it("reads decimal strings and integer literals as canonical decimal strings, beyond 2^53", function () {
      expect(BigIntScalar.parseValue("0009007199254740993")).to.equal("9007199254740993");
      expect(BigIntScalar.parseValue(42)).to.equal("42");
      expect(BigIntScalar.parseLiteral(parseValue("12345678901234567890"))).to.equal("12345678901234567890");
      expect(BigIntScalar.serialize("18446744073709551615")).to.equal("18446744073709551615");
    });

    it("refuses fractions, hex, unsafe numbers and words", function () {
      for (const value of ["1.5", "0x10", 2 ** 60, 1.5, "ten", ""]) {
        expect(() => BigIntScalar.parseValue(value), String(value)).to.throw(/BigInt expects/);
      }
    });
  });

  describe("Bytes", function () {
    it("reads even-length 0x hex, lower-cased", function () {
      expect(BytesScalar.parseValue("0xABcd")).to.equal("0xabcd");
      expect(BytesScalar.parseValue("0x")).to.equal("0x");
    });

    it("refuses odd lengths, missing prefixes and non-hex digits", function () {
      for (const value of ["0xabc", "abcd", "0xzz", 12]) expect(() => BytesScalar.parseValue(value)).to.throw(/Bytes/);
    });
  });

  describe("Address", function () {
    it("accepts lower-case, upper-case and correctly checksummed spellings, lower-cased", function () {
      for (const spelling of [ACCOUNT, ACCOUNT.toUpperCase().replace("0X", "0x"), getAddress(ACCOUNT)]) {
        expect(AddressScalar.parseValue(spelling)).to.equal(ACCOUNT);
      }
    });

    it("refuses a mixed-case spelling with a wrong checksum, and wrong lengths", function () {
      const flipCase = (letter: string) =>
        letter === letter.toUpperCase() ? letter.toLowerCase() : letter.toUpperCase();
      const miscased = getAddress(ACCOUNT).replace(/[a-f]/i, flipCase);
      expect(() => AddressScalar.parseValue(miscased)).to.throw(/checksum/);
      expect(() => AddressScalar.parseValue(ACCOUNT.slice(0, 40))).to.throw(/20-byte/);
    });
  });

  describe("DateTime", function () {
    it("reads ISO instants with a zone and writes UTC ISO strings", function () {
      expect(DateTimeScalar.parseValue("2024-02-29T23:30:00+08:00")).to.deep.equal(new Date("2024-02-29T15:30:00Z"));
      expect(DateTimeScalar.serialize(new Date(Date.UTC(2024, 0, 31, 12)))).to.equal("2024-01-31T12:00:00.000Z");
    });

    it("refuses times without a zone, invalid months and numbers", function () {
      for (const value of ["2024-01-31T12:00:00", "2024-13-01T00:00:00Z", "yesterday", 1_700_000_000]) {
        expect(() => DateTimeScalar.parseValue(value), String(value)).to.throw(/DateTime expects/);
      }
    });
  });

  describe("JSON", function () {
    it("passes values through and reads object literals", function () {
      expect(JsonScalar.serialize({ a: ["1", 2] })).to.deep.equal({ a: ["1", 2] });
      expect(JsonScalar.parseLiteral(parseValue(`{ a: [1, "x"], b: null }`))).to.deep.equal({ a: [1, "x"], b: null });
    });
  });
});

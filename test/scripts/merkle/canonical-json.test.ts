import { expect } from "chai";
import fc from "fast-check";
import { CanonicalJsonError, canonicalJson } from "../../../scripts/lib/merkle";

/** The IEEE 754 double whose bits are the 16 hex digits `bits`. */
function doubleFromBits(bits: string): number {
  return Buffer.from(bits, "hex").readDoubleBE(0);
}

describe("canonicalJson (RFC 8785)", function () {
  this.timeout(30_000);

  describe("RFC 8785 examples", function () {
    it("should canonicalize the example of section 3.2.2 (numbers, literals, string escapes)", function () {
      const input = JSON.parse(String.raw`{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }`);
      expect(canonicalJson(input)).to.equal(
        String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
      );
    });

    it("should sort members by UTF-16 code units as in section 3.2.3", function () {
      const input = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
      };
      expect(canonicalJson(input)).to.equal(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
          '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });

    it("should write the numbers of appendix B as ECMAScript does", function () {
      const cases: [string, string][] = [
        ["0000000000000000", "0"],
        ["8000000000000000", "0"],
        ["0000000000000001", "5e-324"],
        ["8000000000000001", "-5e-324"],
        ["7fefffffffffffff", "1.7976931348623157e+308"],
        ["ffefffffffffffff", "-1.7976931348623157e+308"],
        ["4340000000000000", "9007199254740992"],
        ["c340000000000000", "-9007199254740992"],
        ["4430000000000000", "295147905179352830000"],
        ["44b52d02c7e14af5", "9.999999999999997e+22"],
        ["44b52d02c7e14af6", "1e+23"],
        ["44b52d02c7e14af7", "1.0000000000000001e+23"],
        ["444b1ae4d6e2ef4e", "999999999999999700000"],
        ["444b1ae4d6e2ef4f", "999999999999999900000"],
        ["444b1ae4d6e2ef50", "1e+21"],
        ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
        ["3eb0c6f7a0b5ed8d", "0.000001"],
        ["41b3de4355555553", "333333333.3333332"],
        ["41b3de4355555554", "333333333.33333325"],
        ["41b3de4355555555", "333333333.3333333"],
        ["41b3de4355555556", "333333333.3333334"],
        ["41b3de4355555557", "333333333.33333343"],
        ["becbf647612f3696", "-0.0000033333333333333333"],
        ["43143ff3c1cb0959", "1424953923781206.2"],
      ];
      for (const [bits, text] of cases) expect(canonicalJson(doubleFromBits(bits)), bits).to.equal(text);
    });

    it("should refuse the NaN and Infinity of appendix B", function () {
      expect(() => canonicalJson(doubleFromBits("7fffffffffffffff"))).to.throw(CanonicalJsonError, "NaN");
      expect(() => canonicalJson(doubleFromBits("7ff0000000000000"))).to.throw(CanonicalJsonError, "Infinity");
    });
  });

  describe("serialization", function () {
    it("should write 1e21 and above in exponent form and below it in full", function () {
      expect(canonicalJson([1e21, 1e20, 123e-20, 0.1])).to.equal("[1e+21,100000000000000000000,1.23e-18,0.1]");
    });

    it("should write -0 as 0", function () {
      expect(canonicalJson({ zero: -0 })).to.equal('{"zero":0}');
    });

    it("should escape control characters, quote and backslash, and nothing else", function () {
      expect(canonicalJson('\u0000\u0001\b\t\n\u000b\f\r\u001f"\\/\u007f\u2028')).to.equal(
        String.raw`"\u0000\u0001\b\t\n\u000b\f\r\u001f\"\\/` + "\u007f\u2028" + '"',
      );
    });

    it("should write any well-formed string as JSON.stringify does", function () {
      const nasty = fc.constantFrom('"', "\\", "/", "\u0000", "\u001f", "\u007f", "\u2028", "😀", "é", "a");
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: nasty })), (text) => {
          expect(canonicalJson(text)).to.equal(JSON.stringify(text));
        }),
        { numRuns: 300 },
      );
    });

    it("should keep non-ASCII text as it is, astral characters included", function () {
      expect(canonicalJson({ name: "Zoë 张伟 😀" })).to.equal('{"name":"Zoë 张伟 😀"}');
    });

    it("should sort nested members and keep array order", function () {
      expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: { d: null, c: true } })).to.equal(
        '{"a":{"c":true,"d":null},"b":[3,{"a":2,"z":1}]}',
      );
    });

    it("should read back as the same data and canonicalize to the same text again", function () {
      fc.assert(
        fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
          const text = canonicalJson(value);
          expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(value)));
          expect(canonicalJson(JSON.parse(text))).to.equal(text);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe("values with no canonical form", function () {
    class CallRecord {
      msisdn = "+8613800000000";
    }
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const cases: [string, unknown, string, RegExp][] = [
      ["NaN", { duration: NaN }, "$.duration", /the number NaN has no JSON form/],
      ["Infinity", [1, -Infinity], "$[1]", /the number -Infinity has no JSON form/],
      ["undefined", { cell: undefined }, "$.cell", /undefined has no JSON form/],
      ["a function", { call: () => 1 }, "$.call", /a function has no JSON form/],
      ["a symbol", [Symbol("x")], "$[0]", /a symbol has no JSON form/],
      ["a bigint", { amount: 10n }, "$.amount", /the bigint 10n has no JSON form/],
      ["a Date", { start: new Date(0) }, "$.start", /a Date is not a plain object/],
      ["a Map", new Map(), "$", /a Map is not a plain object/],
      ["a class instance", { record: new CallRecord() }, "$.record", /a CallRecord is not a plain object/],
      ["a Buffer", { bytes: Buffer.from("ab") }, "$.bytes", /a Buffer is not a plain object/],
      ["a lone surrogate", { text: "ok \ud800" }, "$.text", /lone surrogate U\+D800 at offset 3/],
      ["a lone surrogate in a name", { "\udc00": 1 }, '$["\\udc00"]', /lone surrogate U\+DC00/],
      ["a sparse array", { cells: [1, , 3] }, "$.cells[1]", /a hole in a sparse array/], // eslint-disable-line no-sparse-arrays
      ["a circular reference", circular, "$.self", /a circular reference/],
      ["a member named by a symbol", { [Symbol("x")]: 1 }, "$", /a member named by a symbol/],
    ];
    for (const [name, value, path, message] of cases) {
      it(`should refuse ${name}, naming where it is`, function () {
        let thrown: unknown;
        try {
          canonicalJson(value);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).to.be.instanceOf(CanonicalJsonError);
        expect((thrown as CanonicalJsonError).path).to.equal(path);
        expect((thrown as CanonicalJsonError).message).to.match(message);
      });
    }

    it("should accept the same object twice when it is not its own ancestor", function () {
      const shared = { cell: 7 };
      expect(canonicalJson({ a: shared, b: shared })).to.equal('{"a":{"cell":7},"b":{"cell":7}}');
    });

    it("should accept an object without a prototype", function () {
      const record = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
      expect(canonicalJson(record)).to.equal('{"a":2,"b":1}');
    });
  });
});

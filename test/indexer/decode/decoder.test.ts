import { expect } from "chai";
import { createDecoder } from "../../../indexer/decode";
import type { RawLog } from "../../../indexer/chain";
import { Consortium__factory } from "../../../typechain-types";

const CONSORTIUM = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const consortium = Consortium__factory.createInterface();

function logOf(topics: string[], data: string, address = CONSORTIUM): RawLog {
  return {
    blockNumber: 7,
    blockHash: "0x" + "ab".repeat(32),
    transactionHash: "0x" + "cd".repeat(32),
    transactionIndex: 0,
    logIndex: 3,
    address,
    topics,
    data,
  };
}

describe("indexer decoding: the suite's decoder", function () {
  let undecodable: { log: RawLog; reason: string }[];
  let decoder: ReturnType<typeof createDecoder>;

  beforeEach(function () {
    undecodable = [];
    decoder = createDecoder([{ name: "Consortium", address: CONSORTIUM }], (log, reason) =>
      undecodable.push({ log, reason }),
    );
  });

  it("should decode a suite event by its contract and topic, with its subject", function () {
    const { topics, data } = consortium.encodeEventLog("OrganizationRegistered", [12n, 3, "Water Co", "ipfs://m"]);
    const decoded = decoder.decode(logOf(topics, data, CONSORTIUM.toUpperCase().replace("0X", "0x")));
    expect(decoded).to.deep.include({
      contractName: "Consortium",
      eventName: "OrganizationRegistered",
      args: { organizationId: "12", kind: "3", name: "Water Co", metadataURI: "ipfs://m" },
      subject: "organization:12",
    });
    expect(undecodable).to.be.empty;
  });

  it("should keep a log of an unknown topic raw and report it", function () {
    const log = logOf(["0x" + "11".repeat(32)], "0x");
    const decoded = decoder.decode(log);
    expect(decoded).to.deep.equal({ log, contractName: "Consortium", eventName: null, args: null, subject: null });
    expect(undecodable).to.deep.equal([{ log, reason: `no event of the ABI has topic 0x${"11".repeat(32)}` }]);
  });

  it("should keep a log with no topic raw and report it", function () {
    const decoded = decoder.decode(logOf([], "0x"));
    expect(decoded.eventName).to.equal(null);
    expect(undecodable[0].reason).to.equal("no event of the ABI has topic (none)");
  });

  it("should keep a malformed log of a known event raw, naming the event and the fault", function () {
    const { topics, data } = consortium.encodeEventLog("OrganizationRegistered", [12n, 3, "Water Co", "ipfs://m"]);
    const decoded = decoder.decode(logOf(topics, data.slice(0, 66)));
    expect(decoded.args).to.equal(null);
    expect(undecodable[0].reason).to.match(/^OrganizationRegistered: a word at byte 32 is past the end of 32 bytes/);
  });

  it("should refuse a log of an address it does not watch", function () {
    const { topics, data } = consortium.encodeEventLog("OrganizationSuspended", [1n, CONSORTIUM]);
    expect(() => decoder.decode(logOf(topics, data, "0x" + "99".repeat(20)))).to.throw(/unwatched address 0x9999/);
  });
});

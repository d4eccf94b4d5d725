import { expect } from "chai";
import { Interface } from "ethers";
import { decodeContractError, decodeRevertData, explainContractError } from "../../../scripts/lib/contract-errors";
import { AccessGrants__factory } from "../../../typechain-types/factories/contracts/AccessGrants__factory";

describe("contract errors", function () {
  const requestId = `0x${"12".repeat(32)}`;
  const account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

  it("should decode a custom error to its name and arguments", function () {
    const data = new Interface(AccessGrants__factory.abi).encodeErrorResult("AccessGrantsExpired", [
      requestId,
      1_700_000_000,
    ]);
    expect(decodeRevertData(data)?.text).to.equal(`AccessGrantsExpired(${requestId}, 1700000000)`);
  });

  it("should find revert data nested in an ethers error and explain a missing role", function () {
    const data = new Interface(AccessGrants__factory.abi).encodeErrorResult("MemberMissingRole", [account, 1]);
    const decoded = decodeContractError({ code: "CALL_EXCEPTION", info: { error: { data } } })!;
    expect(decoded.text).to.equal(`MemberMissingRole(${account}, 1)`);
    expect(explainContractError(decoded)).to.equal(
      `${account} does not hold the DATA_STEWARD role in an active organization`,
    );
  });

  it("should leave data of no suite error undecoded", function () {
    expect(decodeRevertData("0xdeadbeef")).to.equal(undefined);
    expect(decodeContractError(new Error("socket hang up"))).to.equal(undefined);
  });
});

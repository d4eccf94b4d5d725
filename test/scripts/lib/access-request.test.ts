import { expect } from "chai";
import { Wallet } from "ethers";
import {
  accessGrantsDomain,
  accessRequestHash,
  accessRequestId,
  caseRefOf,
  parseSignedEndorsement,
  parseSignedRequest,
  recoverRequester,
  recoverSupervisor,
  requestIdOfHash,
  scopeHashOf,
  signAccessRequest,
  signedEndorsementJson,
  signedRequestJson,
  signEndorsement,
  SignedDocumentError,
} from "../../../scripts/lib/access-request";
import type { AccessRequest } from "../../../scripts/lib/access-request";

describe("access request documents", function () {
  const requester = Wallet.createRandom();
  const supervisor = Wallet.createRandom();
  const domain = accessGrantsDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  const request: AccessRequest = {
    requester: requester.address,
    sourceId: `0x${"ab".repeat(32)}`,
    caseRef: caseRefOf("2024-HZ-0117"),
    scopeHash: scopeHashOf("msisdn=+8613800000000"),
    purpose: 1,
    notBefore: 1_700_000_000n,
    notAfter: 1_702_592_000n,
    maxDeliveries: 3,
    nonce: 0n,
    deadline: 2n ** 255n,
  };

  it("should round-trip a signed request through its JSON, recovering the requester", async function () {
    const signature = await signAccessRequest(requester, domain, request);
    const parsed = parseSignedRequest(JSON.parse(signedRequestJson({ domain, request, signature })));
    expect(parsed).to.deep.equal({ domain, request, signature });
    expect(recoverRequester(parsed)).to.equal(requester.address);
  });

  it("should round-trip a signed endorsement and map its request hash to the request id", async function () {
    const endorsement = { requestHash: accessRequestHash(request), supervisor: supervisor.address, deadline: 99n };
    const signature = await signEndorsement(supervisor, domain, endorsement);
    const parsed = parseSignedEndorsement(JSON.parse(signedEndorsementJson({ domain, endorsement, signature })));
    expect(recoverSupervisor(parsed)).to.equal(supervisor.address);
    expect(requestIdOfHash(domain, endorsement.requestHash)).to.equal(accessRequestId(domain, request));
  });

  it("should name the field that is wrong", async function () {
    const signature = await signAccessRequest(requester, domain, request);
    const document = JSON.parse(signedRequestJson({ domain, request, signature }));
    const broken = (change: (copy: typeof document) => void) => {
      const copy = structuredClone(document);
      change(copy);
      return () => parseSignedRequest(copy);
    };
    expect(broken((copy) => (copy.format = "other"))).to.throw(
      SignedDocumentError,
      'format must be "dxl-signed-access-request-v1"',
    );
    expect(broken((copy) => (copy.request.purpose = "256"))).to.throw(
      SignedDocumentError,
      "request.purpose must be a whole number below 2^8",
    );
    expect(broken((copy) => (copy.request.requester = "0x12"))).to.throw(
      SignedDocumentError,
      "request.requester must be an address",
    );
    expect(broken((copy) => (copy.domain.name = "Other"))).to.throw(SignedDocumentError, "domain must be");
    expect(broken((copy) => (copy.signature = "xyz"))).to.throw(SignedDocumentError, "signature must be 0x-hex bytes");
  });
});

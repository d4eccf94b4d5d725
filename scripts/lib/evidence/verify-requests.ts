/**
 * Checks of each request of a bundle: its id is the EIP-712 digest of its values, its signature and its
 * endorsements' signatures recover to their signers and are the ones the transactions relayed, and each step
 * (submission, endorsement, decision, delivery, acknowledgement, revocation) is the log it names.
 */
import type { TypedDataDomain } from "ethers";
import type { EndorsementEvidence, EvidenceBundle, RequestEvidence } from "./bundle-format";
import { decodeAccessGrantsCall } from "./calldata";
import { check, checkAsync, sameHex, short } from "./checks";
import type { EvidenceCheck, Outcome } from "./checks";
import { firstDifference } from "./plain-compare";
import { stepClaimsOf } from "./step-claims";
import type { PlainValue } from "./suite-events";
import { accessGrantsDomain, accessRequestStructHash, endorsementDigestOf, requestIdOf } from "./typed-data";
import { checkLoggedStep } from "./verify-logs";

/** Checks a signature offline (ECDSA) or, given a node, also as an ERC-1271 wallet's. */
export type SignatureCheck = (
  signer: string,
  digest: string,
  signature: string,
  blockNumber: string,
) => Promise<Outcome>;

/** Every check of every request of `bundle`. */
export async function verifyRequests(bundle: EvidenceBundle, checkSignature: SignatureCheck): Promise<EvidenceCheck[]> {
  const domain = accessGrantsDomain(bundle.chainId, bundle.contracts.AccessGrants);
  const checks = await Promise.all(
    bundle.requests.map((request) => verifyRequest(bundle, domain, request, checkSignature)),
  );
  return checks.flat();
}

async function verifyRequest(
  bundle: EvidenceBundle,
  domain: TypedDataDomain,
  request: RequestEvidence,
  checkSignature: SignatureCheck,
): Promise<EvidenceCheck[]> {
  const label = `request ${short(request.requestId)}`;
  return [
    check(`${label}: id is the EIP-712 digest of its values`, () => {
      const digest = requestIdOf(domain, request.values);
      return sameHex(digest, request.requestId) ? undefined : `its values hash to ${digest}, not ${request.requestId}`;
    }),
    await checkRequestSignature(bundle, domain, request, checkSignature),
    checkRequestCalldata(bundle, request),
    ...(await Promise.all(
      request.endorsements.map((endorsement) =>
        checkEndorsementSignature(bundle, domain, request, endorsement, checkSignature),
      ),
    )),
    ...stepLogChecks(bundle, request),
  ];
}

async function checkRequestSignature(
  bundle: EvidenceBundle,
  domain: TypedDataDomain,
  request: RequestEvidence,
  checkSignature: SignatureCheck,
): Promise<EvidenceCheck> {
  const name = `request ${short(request.requestId)}: signature is the requester's`;
  const { signature } = request;
  if (signature === null) return check(name, () => withoutSignature(bundle, request));
  return checkAsync(name, () =>
    checkSignature(
      request.values.requester,
      requestIdOf(domain, request.values),
      signature,
      blockOf(bundle, request.submitted),
    ),
  );
}

/** Why a request without a signature in the bundle may stand: its requester sent it, or a contract relayed it. */
function withoutSignature(bundle: EvidenceBundle, request: RequestEvidence): Outcome {
  if (sameHex(request.submitter, request.values.requester)) {
    return { skipped: "submitted by the requester itself, without a signature" };
  }
  if (!callOf(bundle, request.submitted.transactionHash)) {
    return { skipped: "relayed through a contract: the signature is not in the transaction's calldata" };
  }
  return `relayed by ${request.submitter}, but the bundle holds no signature of the requester`;
}

/** The submitting transaction's calldata carries exactly the request's values and signature. */
function checkRequestCalldata(bundle: EvidenceBundle, request: RequestEvidence): EvidenceCheck {
  return check(`request ${short(request.requestId)}: the submitting transaction's calldata carries it`, () => {
    const call = callOf(bundle, request.submitted.transactionHash);
    if (!call) return { skipped: "the transaction does not call AccessGrants directly (a relaying contract?)" };
    const expectedFunction = request.signature === null ? "submitRequest" : "submitSignedRequest";
    if (call.name !== expectedFunction) return `the transaction calls ${call.name}, not ${expectedFunction}`;
    if (request.signature !== null && !sameHex(call.args.signature as string, request.signature)) {
      return `the transaction relayed signature ${call.args.signature as string}, not the bundle's ${request.signature}`;
    }
    return firstDifference({ request: { ...request.values } }, call.args as Record<string, PlainValue>, "calldata");
  });
}

async function checkEndorsementSignature(
  bundle: EvidenceBundle,
  domain: TypedDataDomain,
  request: RequestEvidence,
  endorsement: EndorsementEvidence,
  checkSignature: SignatureCheck,
): Promise<EvidenceCheck> {
  const name = `request ${short(request.requestId)}: endorsement by ${endorsement.supervisor} is signed by the supervisor`;
  const { signed } = endorsement;
  if (!endorsement.bySignature) return check(name, () => ({ skipped: "endorsed directly, without a signature" }));
  if (!signed) return check(name, () => ({ skipped: "relayed through a contract: no signature in the calldata" }));
  return checkAsync(name, async () => {
    const requestHash = accessRequestStructHash(request.values);
    if (!sameHex(signed.requestHash, requestHash)) {
      return `the endorsement names request hash ${signed.requestHash}, not this request's ${requestHash}`;
    }
    if (!sameHex(signed.supervisor, endorsement.supervisor)) {
      return `the signed endorsement names ${signed.supervisor}, not ${endorsement.supervisor}`;
    }
    const call = callOf(bundle, endorsement.logged.transactionHash);
    if (call?.name !== "endorseBySignature") return "the endorsing transaction does not call endorseBySignature";
    const { signature, ...values } = signed;
    const relayed = firstDifference(
      { endorsement: values, signature },
      call.args as Record<string, PlainValue>,
      "calldata",
    );
    if (relayed) return relayed;
    const digest = endorsementDigestOf(domain, signed);
    return checkSignature(signed.supervisor, digest, signed.signature, blockOf(bundle, endorsement.logged));
  });
}

/** A check per step of the request, against the log it names. */
function stepLogChecks(bundle: EvidenceBundle, request: RequestEvidence): EvidenceCheck[] {
  const label = `request ${short(request.requestId)}`;
  return stepClaimsOf(request).map(({ step, logged, claimed }) =>
    checkLoggedStep(bundle, `${label}: ${step}`, logged, claimed),
  );
}

function callOf(bundle: EvidenceBundle, transactionHash: string) {
  const transaction = bundle.transactions[transactionHash.toLowerCase()];
  if (!transaction) throw new Error(`transaction ${transactionHash} is not in the bundle`);
  return decodeAccessGrantsCall(transaction.signed, bundle.contracts.AccessGrants);
}

/** The block number (hex) of the transaction that logged a step, for signature checks against the chain. */
function blockOf(bundle: EvidenceBundle, logged: { transactionHash: string }): string {
  return bundle.transactions[logged.transactionHash.toLowerCase()]?.receipt.blockNumber ?? "latest";
}

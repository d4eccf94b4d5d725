/**
 * Signatures relayed to AccessGrants, read back from the signed transaction that carried them: the chain keeps
 * no copy of them in state or logs, only in the calldata.
 */
import { Transaction } from "ethers";
import type { SignedEndorsement } from "./bundle-format";
import { CONTRACT_INTERFACES, toPlain } from "./suite-events";

/** A decoded call to AccessGrants: the function's name and its arguments as plain JSON values. */
export interface AccessGrantsCall {
  name: string;
  args: Record<string, unknown>;
}

/**
 * The AccessGrants call a signed transaction makes, or undefined when it calls another contract (a relayer's
 * contract, a multisig) or data no AccessGrants function matches.
 */
export function decodeAccessGrantsCall(signedTransaction: string, accessGrants: string): AccessGrantsCall | undefined {
  const transaction = Transaction.from(signedTransaction);
  if (transaction.to?.toLowerCase() !== accessGrants.toLowerCase()) return undefined;
  const parsed = CONTRACT_INTERFACES.AccessGrants.parseTransaction({ data: transaction.data });
  if (!parsed) return undefined;
  const args = Object.fromEntries(
    parsed.fragment.inputs.map((input, position) => [input.name, toPlain(parsed.args[position])]),
  );
  return { name: parsed.name, args };
}

/** The requester's signature a `submitSignedRequest` transaction relayed, or undefined for any other call. */
export function requestSignatureIn(signedTransaction: string, accessGrants: string): string | undefined {
  const call = decodeAccessGrantsCall(signedTransaction, accessGrants);
  return call?.name === "submitSignedRequest" ? (call.args.signature as string) : undefined;
}

/** The signed Endorsement an `endorseBySignature` transaction relayed, or undefined for any other call. */
export function endorsementIn(signedTransaction: string, accessGrants: string): SignedEndorsement | undefined {
  const call = decodeAccessGrantsCall(signedTransaction, accessGrants);
  if (call?.name !== "endorseBySignature") return undefined;
  const endorsement = call.args.endorsement as Omit<SignedEndorsement, "signature">;
  return {
    requestHash: endorsement.requestHash,
    supervisor: endorsement.supervisor,
    deadline: endorsement.deadline,
    signature: call.args.signature as string,
  };
}

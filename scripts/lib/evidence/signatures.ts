/**
 * Who signed a request or an endorsement: offline, an ECDSA signature must recover to the signer; against a node,
 * a signer with code (a contract wallet) is asked through ERC-1271 at the block that accepted the signature.
 */
import { Interface } from "ethers";
import type { JsonRpcApiProvider } from "ethers";
import { sameHex } from "./checks";
import { recoverSigner } from "./typed-data";
import type { SignatureCheck } from "./verify-requests";

const ERC1271 = new Interface(["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"]);
const ERC1271_MAGIC_VALUE = "0x1626ba7e";

/** ECDSA only: enough for every EOA signer, and all that can be checked without a node. */
export const checkSignatureOffline: SignatureCheck = async (signer, digest, signature) => {
  const recovered = recoverSigner(digest, signature);
  if (sameHex(recovered, signer)) return undefined;
  const found = recovered ? `recovers to ${recovered}` : "is not a valid ECDSA signature";
  return `the signature ${found}, not ${signer} (a contract wallet's signature can be checked only against a node)`;
};

/** ECDSA, then ERC-1271 for a signer that has code at the block that accepted the signature. */
export function checkSignatureOnChain(provider: JsonRpcApiProvider): SignatureCheck {
  return async (signer, digest, signature, blockNumber) => {
    const offline = await checkSignatureOffline(signer, digest, signature, blockNumber);
    if (offline === undefined) return undefined;
    const blockTag = blockNumber === "latest" ? blockNumber : BigInt(blockNumber);
    if ((await provider.getCode(signer, blockTag)) === "0x") return offline;
    const data = ERC1271.encodeFunctionData("isValidSignature", [digest, signature]);
    const answer = await provider.call({ to: signer, data, blockTag }).catch(() => "0x");
    return answer.startsWith(ERC1271_MAGIC_VALUE)
      ? undefined
      : `the contract wallet ${signer} does not accept the signature (ERC-1271)`;
  };
}

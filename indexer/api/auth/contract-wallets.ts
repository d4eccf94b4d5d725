/**
 * ERC-1271 checks for contract wallets signing in: `isValidSignature(hash, signature)` through a JSON-RPC node.
 * This is the API's only chain call, made only when a signature does not recover to the signing address.
 */
import { Contract, FetchRequest, hashMessage, isError, JsonRpcProvider } from "ethers";
import { AuthError } from "./errors";
import type { ContractWalletVerifier } from "./siwe-message";

/** ERC-1271's answer for an approved signature: the function's own selector. */
const ERC1271_MAGIC_VALUE = "0x1626ba7e";
const ERC1271_ABI = ["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"];

/** A sign-in waits at most this long for the node, so a hung node cannot hold requests open. */
const RPC_TIMEOUT_MS = 10_000;

/** A verifier asking the node at `rpcUrl`. */
export function createContractWalletVerifier(rpcUrl: string): ContractWalletVerifier {
  return {
    async isValidSignature(chainId, wallet, text, signature) {
      const request = new FetchRequest(rpcUrl);
      request.timeout = RPC_TIMEOUT_MS;
      // The chain id is known from the index, so the provider skips network detection (and its retry loop).
      const provider = new JsonRpcProvider(request, chainId, { staticNetwork: true });
      try {
        const contract = new Contract(wallet, ERC1271_ABI, provider);
        const answer: string = await contract.isValidSignature(hashMessage(text), signature);
        return answer === ERC1271_MAGIC_VALUE;
      } catch (error) {
        if (isRefusal(error)) return false;
        // The node's address stays out of the message: it is for the operator's log, not for clients.
        throw new AuthError("SERVICE_UNAVAILABLE", "cannot check a contract wallet's signature now: try again later", {
          cause: error,
        });
      } finally {
        provider.destroy();
      }
    },
  };
}

/** A revert or an empty answer (an account without code, a contract without ERC-1271) is a refusal, not an outage. */
function isRefusal(error: unknown): boolean {
  return isError(error, "CALL_EXCEPTION") || isError(error, "BAD_DATA");
}

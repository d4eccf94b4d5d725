/**
 * Checks a Sign-In with Ethereum (EIP-4361) message: parsed by the `siwe` package's ABNF grammar, then bound to
 * this service (domain, URI), to the indexed chain and to its validity window, then its signature: recovered
 * offline for an externally owned account, asked of the contract through ERC-1271 otherwise.
 */
import { getAddress, verifyMessage } from "ethers";
import { SiweMessage } from "siwe";
import { AuthError } from "./errors";

/** What a message must match to sign in here. */
export interface SignInExpectations {
  /** The EIP-4361 domain (an RFC 3986 authority, `host[:port]`) this service answers to. */
  domain: string;
  /** The indexed chain's id. */
  chainId: number;
  /** The current time in milliseconds. */
  now: number;
}

/** Asks a contract wallet whether it approves a signature (ERC-1271); the only chain call the API makes. */
export interface ContractWalletVerifier {
  isValidSignature(chainId: number, wallet: string, digestMessage: string, signature: string): Promise<boolean>;
}

/** How far a client's clock may run ahead of ours when it stamps `Issued At` or `Not Before`. */
const CLOCK_SKEW_MS = 60_000;

/** Parses `text` as an EIP-4361 message; BAD_USER_INPUT naming the grammar's complaint otherwise. */
export function parseSignInMessage(text: string): SiweMessage {
  try {
    return new SiweMessage(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AuthError("BAD_USER_INPUT", `the message is not an EIP-4361 sign-in message: ${firstLine(reason)}`);
  }
}

/** Refuses a message meant for another service or chain, expired, or not yet valid. */
export function checkSignInMessage(message: SiweMessage, expected: SignInExpectations): void {
  const domain = expected.domain.toLowerCase();
  if (message.domain.toLowerCase() !== domain) {
    throw refused(`the message is for the domain ${message.domain}, but this service is ${expected.domain}`);
  }
  if (hostOf(message.uri) !== domain) {
    throw refused(`the message's URI ${message.uri} is not of this service (${expected.domain})`);
  }
  if (message.chainId !== expected.chainId) {
    throw refused(`the message is for chain ${message.chainId}, but the ledger is on chain ${expected.chainId}`);
  }
  checkValidityWindow(message, expected.now);
}

/**
 * Refuses unless `signature` signs `text` (EIP-191) for the message's address: an externally owned account's is
 * recovered here; any other is put to the address as a contract wallet.
 */
export async function verifySignInSignature(
  text: string,
  message: SiweMessage,
  signature: string,
  chainId: number,
  wallets: ContractWalletVerifier | null,
): Promise<void> {
  const address = getAddress(message.address);
  if (recoverSigner(text, signature) === address) return;
  const approved = wallets ? await wallets.isValidSignature(chainId, address, text, signature) : false;
  if (!approved) throw refused(`the signature is not ${address}'s signature of the message`);
}

/** `Expiration Time` must lie ahead; `Issued At` and `Not Before` must have passed, give or take clock skew. */
function checkValidityWindow(message: SiweMessage, now: number): void {
  if (message.expirationTime && Date.parse(message.expirationTime) <= now) {
    throw refused(`the message expired at ${message.expirationTime}`);
  }
  if (message.notBefore && Date.parse(message.notBefore) > now + CLOCK_SKEW_MS) {
    throw refused(`the message is not valid before ${message.notBefore}`);
  }
  if (message.issuedAt && Date.parse(message.issuedAt) > now + CLOCK_SKEW_MS) {
    throw refused(`the message is issued in the future (${message.issuedAt})`);
  }
}

/** The EOA that signed, or null when the signature is not a recoverable ECDSA signature (a contract's may not be). */
function recoverSigner(text: string, signature: string): string | null {
  try {
    return verifyMessage(text, signature);
  } catch {
    return null;
  }
}

/** The lower-case authority of a URI, or null when it has none. */
function hostOf(uri: string): string | null {
  try {
    return new URL(uri).host.toLowerCase() || null;
  } catch {
    return null;
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}

function refused(message: string): AuthError {
  return new AuthError("UNAUTHENTICATED", message);
}

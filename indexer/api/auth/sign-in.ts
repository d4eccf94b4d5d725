/**
 * The sign-in flow: `issueNonce` for `POST /auth/nonce`, `verify` for `POST /auth/verify`. The nonce is consumed
 * only once the message and its signature check out, so nobody can burn another client's nonce with a forged
 * message; it is consumed before membership is checked, so a refused account cannot retry the same message.
 */
import type { Database } from "../../store";
import { AuthError } from "./errors";
import type { NonceStore } from "./nonces";
import type { SessionTokens } from "./session-tokens";
import { checkSignInMessage, parseSignInMessage, verifySignInSignature } from "./siwe-message";
import type { ContractWalletVerifier } from "./siwe-message";
import { indexedChainId, loadViewer } from "./viewer";

/** What a client needs to write its message: the nonce, until when it is accepted, the domain and the chain. */
export interface NonceGrant {
  nonce: string;
  expiresAt: string;
  domain: string;
  chainId: number | null;
}

/** A session: the bearer token, when it expires and the account it names. */
export interface SignedIn {
  token: string;
  expiresAt: string;
  account: string;
}

export interface SignInService {
  issueNonce(): Promise<NonceGrant>;
  /** Checks `{ message, signature }` and issues a session token; an AuthError saying why not otherwise. */
  verify(body: unknown): Promise<SignedIn>;
}

export interface SignInOptions {
  database: Database;
  nonces: NonceStore;
  tokens: SessionTokens;
  /** Null: only externally owned accounts sign in. */
  contractWallets: ContractWalletVerifier | null;
  domain: string;
  now?: () => number;
}

/** Longer than any real sign-in message; bounds the parser's work on hostile input. */
const MAX_MESSAGE_LENGTH = 4096;
const SIGNATURE = /^0x(?:[0-9a-fA-F]{2})+$/;

export function createSignInService(options: SignInOptions): SignInService {
  const { database, domain } = options;
  const now = options.now ?? Date.now;

  async function issueNonce(): Promise<NonceGrant> {
    const [{ nonce, expiresAt }, chainId] = await Promise.all([options.nonces.issue(), indexedChainId(database)]);
    return { nonce, expiresAt: expiresAt.toISOString(), domain, chainId };
  }

  async function verify(body: unknown): Promise<SignedIn> {
    const { message: text, signature } = readSignInBody(body);
    const chainId = await indexedChainId(database);
    if (chainId === null) throw new AuthError("SERVICE_UNAVAILABLE", "nothing is indexed yet: sign in later");
    const message = parseSignInMessage(text);
    checkSignInMessage(message, { domain, chainId, now: now() });
    await verifySignInSignature(text, message, signature, chainId, options.contractWallets);
    await options.nonces.consume(message.nonce);
    const account = message.address.toLowerCase();
    if ((await loadViewer(database, account)) === null) {
      throw new AuthError("FORBIDDEN", `${message.address} is not an active member of an active organization`);
    }
    const expiry = message.expirationTime ? new Date(message.expirationTime) : undefined;
    const { token, expiresAt } = options.tokens.issue(account, expiry);
    return { token, expiresAt: expiresAt.toISOString(), account };
  }

  return { issueNonce, verify };
}

/** The body's two strings, or BAD_USER_INPUT naming what is missing or malformed. */
function readSignInBody(body: unknown): { message: string; signature: string } {
  const { message, signature } = (body ?? {}) as Record<string, unknown>;
  if (typeof message !== "string" || message.length === 0 || message.length > MAX_MESSAGE_LENGTH) {
    throw new AuthError("BAD_USER_INPUT", `"message" must be the EIP-4361 message text (at most 4096 characters)`);
  }
  if (typeof signature !== "string" || !SIGNATURE.test(signature)) {
    throw new AuthError("BAD_USER_INPUT", `"signature" must be the 0x-prefixed hex signature of the message`);
  }
  return { message, signature };
}

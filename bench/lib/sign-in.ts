/**
 * Signing in to the API as a wallet app does (EIP-4361): a nonce from `POST /auth/nonce`, the message written with
 * the `siwe` package and signed (EIP-191), exchanged at `POST /auth/verify` for a bearer token.
 */
import type { Wallet } from "ethers";
import { SiweMessage } from "siwe";

/** How long the signed message (and so the session) is valid: far longer than any bench run. */
const SESSION_MS = 3_600_000;

/** Signs in to the API at `apiUrl` as `wallet`; returns the bearer token. */
export async function signIn(apiUrl: string, wallet: Wallet): Promise<string> {
  const { nonce, domain, chainId } = await postJson<{ nonce: string; domain: string; chainId: number }>(
    new URL("/auth/nonce", apiUrl),
    {},
  );
  const now = Date.now();
  const message = new SiweMessage({
    domain,
    address: wallet.address,
    statement: "Sign in to the dxl ledger.",
    uri: `http://${domain}/graphql`,
    version: "1",
    chainId,
    nonce,
    issuedAt: new Date(now).toISOString(),
    expirationTime: new Date(now + SESSION_MS).toISOString(),
  }).prepareMessage();
  const signature = await wallet.signMessage(message);
  const { token } = await postJson<{ token: string }>(new URL("/auth/verify", apiUrl), { message, signature });
  return token;
}

async function postJson<T>(url: URL, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * A Sign-In with Ethereum client as a wallet app would be: it asks for a nonce, writes the EIP-4361 message with
 * the `siwe` package and signs it (EIP-191) with a development account's key.
 */
import { expect } from "chai";
import { HDNodeWallet, Mnemonic } from "ethers";
import { SiweMessage } from "siwe";
import type { Deployment } from "../../helpers/activity";
import type { ApiServer } from "../../../indexer/api/server";
import { postJson } from "../server/client";
import type { HttpAnswer } from "../server/client";

/** The public development mnemonic the nodes fund their accounts from. */
const DEV_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
/** Dev accounts searched for an actor's key. */
const DEV_ACCOUNTS = 20;

/** The wallet of dev account `index`. */
export function devWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(DEV_MNEMONIC, `m/44'/60'/0'/0/${index}`);
}

/** The wallet behind one of the deployment's actors, found by its address. */
export function walletOf(deployment: Deployment, actor: keyof Deployment["addresses"]): HDNodeWallet {
  for (let index = 0; index < DEV_ACCOUNTS; index++) {
    const wallet = devWallet(index);
    if (wallet.address.toLowerCase() === deployment.addresses[actor]) return wallet;
  }
  throw new Error(`no dev account is ${actor}`);
}

/** The fields of a message; the rest default to what the server expects. */
export type MessageFields = Partial<
  Pick<SiweMessage, "domain" | "uri" | "chainId" | "nonce" | "issuedAt" | "expirationTime" | "notBefore">
>;

/** `POST /auth/nonce`. */
export async function requestNonce(server: ApiServer): Promise<{ nonce: string; domain: string; chainId: number }> {
  const answer = await postJson(`${server.url}/auth/nonce`, {});
  expect(answer.status, answer.text).to.equal(200);
  return answer.body;
}

/** A message for `address` with a fresh nonce, valid for ten minutes, unless `fields` say otherwise. */
export async function messageFor(server: ApiServer, address: string, fields: MessageFields = {}): Promise<string> {
  const { nonce, domain, chainId } = await requestNonce(server);
  const now = Date.now();
  return new SiweMessage({
    domain,
    address,
    statement: "Sign in to the dxl ledger.",
    uri: `http://${domain}/graphql`,
    version: "1",
    chainId,
    nonce,
    issuedAt: new Date(now).toISOString(),
    expirationTime: new Date(now + 600_000).toISOString(),
    ...fields,
  }).prepareMessage();
}

/** `POST /auth/verify`. */
export function verifySignIn(server: ApiServer, message: string, signature: string): Promise<HttpAnswer> {
  return postJson(`${server.url}/auth/verify`, { message, signature });
}

/** Signs in as `wallet` (or signs for `address` with its key, for a contract wallet) and returns the token. */
export async function signIn(server: ApiServer, wallet: HDNodeWallet, address = wallet.address): Promise<string> {
  const message = await messageFor(server, address);
  const answer = await verifySignIn(server, message, await wallet.signMessage(message));
  expect(answer.status, answer.text).to.equal(200);
  return answer.body.token;
}

import fs from "node:fs";
import { JsonRpcProvider, Wallet } from "ethers";
import type { Provider } from "ethers";

/** Thrown for a bad key, keystore or network setting. Messages name the setting, never a secret's value. */
export class SignerConfigError extends Error {
  override name = "SignerConfigError";
}

/** Where the signing key comes from: exactly one of a raw key or an encrypted JSON keystore. */
export interface KeySource {
  privateKey?: string;
  keystorePath?: string;
  keystorePassword?: string;
}

/** Reads the key source from `DXL_PRIVATE_KEY`, or `DXL_KEYSTORE` with `DXL_KEYSTORE_PASSWORD`. */
export function keySourceFromEnv(env: NodeJS.ProcessEnv = process.env): KeySource {
  return {
    privateKey: env.DXL_PRIVATE_KEY || undefined,
    keystorePath: env.DXL_KEYSTORE || undefined,
    keystorePassword: env.DXL_KEYSTORE_PASSWORD,
  };
}

/** Unlocks the signing key and connects it to `provider`. */
export async function loadSigner(source: KeySource, provider: Provider): Promise<Wallet> {
  if (source.privateKey && source.keystorePath) {
    throw new SignerConfigError("set either DXL_PRIVATE_KEY or DXL_KEYSTORE, not both");
  }
  if (source.privateKey) return walletFromPrivateKey(source.privateKey).connect(provider);
  if (source.keystorePath) return (await walletFromKeystore(source)).connect(provider);
  throw new SignerConfigError("no signing key: set DXL_PRIVATE_KEY, or DXL_KEYSTORE and DXL_KEYSTORE_PASSWORD");
}

/** A provider for `url` whose chain is reachable now; the error names the URL, not the node's reply. */
export async function connectProvider(url: string): Promise<JsonRpcProvider> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SignerConfigError(`DXL_RPC_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new SignerConfigError(`DXL_RPC_URL must be http(s): ${url}`);
  }
  // No response cache: a deployment reads its nonce right after the previous transaction was mined.
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    await provider.send("eth_chainId", []);
  } catch {
    provider.destroy();
    throw new SignerConfigError(`cannot reach the JSON-RPC node at DXL_RPC_URL ${parsed.origin}`);
  }
  return provider;
}

function walletFromPrivateKey(privateKey: string): Wallet {
  const normalized = privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(normalized)) {
    throw new SignerConfigError("DXL_PRIVATE_KEY is not a 32-byte hexadecimal private key");
  }
  try {
    return new Wallet(normalized);
  } catch {
    throw new SignerConfigError("DXL_PRIVATE_KEY is not a valid secp256k1 private key");
  }
}

async function walletFromKeystore({ keystorePath, keystorePassword }: KeySource): Promise<Wallet> {
  if (keystorePassword === undefined) {
    throw new SignerConfigError(`DXL_KEYSTORE_PASSWORD is not set for the keystore ${keystorePath}`);
  }
  let json: string;
  try {
    json = fs.readFileSync(keystorePath!, "utf8");
  } catch {
    throw new SignerConfigError(`cannot read the keystore file ${keystorePath}`);
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, keystorePassword);
    return new Wallet(wallet.privateKey);
  } catch {
    throw new SignerConfigError(`cannot decrypt the keystore ${keystorePath}: wrong password or not a JSON keystore`);
  }
}

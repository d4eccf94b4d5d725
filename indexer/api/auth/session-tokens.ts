/**
 * Session tokens: `<payload>.<mac>`, both base64url, the payload `{ v, sub, iat, exp }` as JSON and the MAC an
 * HMAC-SHA256 of the payload text under the server's secret. The token names the account and nothing else: what
 * the account may see is read from the index on every request, so a suspension applies at once.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { AuthError } from "./errors";

/** A token and the instant it stops being accepted. */
export interface SessionToken {
  token: string;
  expiresAt: Date;
}

/** Issues and checks session tokens under one secret. */
export interface SessionTokens {
  /** A token for `account`, valid for the configured lifetime, or until `notAfter` if that comes first. */
  issue(account: string, notAfter?: Date): SessionToken;
  /** The account a token names; an UNAUTHENTICATED AuthError if it is malformed, forged or expired. */
  verify(token: string): { account: string; expiresAt: Date };
}

export interface SessionTokenOptions {
  /** The HMAC key: at least 32 bytes, so it cannot be guessed. */
  secret: string | Buffer;
  lifetimeSeconds: number;
  /** The clock in milliseconds; injected so tests can mint tokens in the past. */
  now?: () => number;
}

/** Bumped when the payload changes shape, so old tokens are refused rather than misread. */
const TOKEN_VERSION = 1;
const ACCOUNT = /^0x[0-9a-f]{40}$/;

interface Payload {
  v: number;
  sub: string;
  iat: number;
  exp: number;
}

/** Creates the issuer; refuses a secret shorter than 32 bytes. */
export function createSessionTokens(options: SessionTokenOptions): SessionTokens {
  if (Buffer.byteLength(options.secret) < 32) throw new Error("the session secret must be at least 32 bytes");
  const now = options.now ?? Date.now;
  const mac = (text: string) => createHmac("sha256", options.secret).update(text).digest();

  function issue(account: string, notAfter?: Date): SessionToken {
    const issuedAt = Math.floor(now() / 1000);
    const latest = notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity;
    const payload: Payload = {
      v: TOKEN_VERSION,
      sub: account.toLowerCase(),
      iat: issuedAt,
      exp: Math.min(issuedAt + options.lifetimeSeconds, latest),
    };
    const text = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return { token: `${text}.${mac(text).toString("base64url")}`, expiresAt: new Date(payload.exp * 1000) };
  }

  function verify(token: string): { account: string; expiresAt: Date } {
    const [text, signature, ...rest] = token.split(".");
    if (!text || !signature || rest.length > 0) throw refused("the session token is malformed");
    if (!sameBytes(mac(text), Buffer.from(signature, "base64url"))) {
      throw refused("the session token's signature is invalid: sign in again");
    }
    const payload = parsePayload(text);
    if (payload.exp * 1000 <= now()) {
      throw refused(`the session token expired at ${new Date(payload.exp * 1000).toISOString()}: sign in again`);
    }
    return { account: payload.sub, expiresAt: new Date(payload.exp * 1000) };
  }

  return { issue, verify };
}

/** Constant-time comparison, so the MAC cannot be guessed byte by byte from response times. */
function sameBytes(expected: Buffer, actual: Buffer): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The payload of a token whose MAC checked out: only our own tokens get here, but their version may be old. */
function parsePayload(text: string): Payload {
  let payload: Partial<Payload>;
  try {
    payload = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Payload>;
  } catch {
    throw refused("the session token is malformed");
  }
  const isCurrent =
    payload.v === TOKEN_VERSION && typeof payload.sub === "string" && ACCOUNT.test(payload.sub) && isTime(payload.exp);
  if (!isCurrent) throw refused("the session token is of an older format: sign in again");
  return payload as Payload;
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function refused(message: string): AuthError {
  return new AuthError("UNAUTHENTICATED", message);
}

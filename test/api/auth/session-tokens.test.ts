import { expect } from "chai";
import { AuthError, createSessionTokens } from "../../../indexer/api/auth";

const SECRET = "a-session-secret-of-at-least-32-bytes";
const ACCOUNT = "0x" + "ab".repeat(20);

/** The refusal `verify` throws for `token`; fails if it accepts it. */
function refusalOf(verify: (token: string) => unknown, token: string): AuthError {
  try {
    verify(token);
  } catch (error) {
    expect(error).to.be.instanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error(`accepted ${token}`);
}

describe("API session tokens", function () {
  let clock: number;
  const tokens = () => createSessionTokens({ secret: SECRET, lifetimeSeconds: 3_600, now: () => clock });

  beforeEach(function () {
    clock = Date.parse("2025-03-01T12:00:00Z");
  });

  it("should name the account, lower-cased, until the lifetime ends", function () {
    const { token, expiresAt } = tokens().issue(ACCOUNT.toUpperCase().replace("0X", "0x"));
    expect(expiresAt.toISOString()).to.equal("2025-03-01T13:00:00.000Z");
    clock += 3_599_000;
    expect(tokens().verify(token)).to.deep.equal({ account: ACCOUNT, expiresAt });
    clock += 1_000;
    expect(refusalOf(tokens().verify, token).message).to.match(/expired at 2025-03-01T13:00:00.000Z/);
  });

  it("should end a session no later than the sign-in message's own expiry", function () {
    const notAfter = new Date("2025-03-01T12:10:00Z");
    expect(tokens().issue(ACCOUNT, notAfter).expiresAt).to.deep.equal(notAfter);
  });

  it("should refuse malformed tokens as UNAUTHENTICATED, whatever their shape", function () {
    for (const token of ["", "abc", "a.b.c", ".", "payload."]) {
      const refusal = refusalOf(tokens().verify, token);
      expect(refusal.code).to.equal("UNAUTHENTICATED");
      expect(refusal.status).to.equal(401);
    }
  });

  it("should refuse a secret shorter than 32 bytes", function () {
    expect(() => createSessionTokens({ secret: "too-short", lifetimeSeconds: 60 })).to.throw(/at least 32 bytes/);
  });
});

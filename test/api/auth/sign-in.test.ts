import { expect } from "chai";
import type { HDNodeWallet } from "ethers";
import { ERC1271WalletMock__factory } from "../../../typechain-types";
import { createNonceStore, createSessionTokens } from "../../../indexer/api/auth";
import { databaseTargets } from "../../helpers/databases";
import { expectRefusal, fetchAnswer, graphql, postJson } from "../server/client";
import type { HttpAnswer } from "../server/client";
import { startIndexedLedger, startTestApi, TEST_SESSION_SECRET } from "../server/ledger";
import type { IndexedLedger, ServerUnderTest } from "../server/ledger";
import { messageFor, requestNonce, signIn, verifySignIn, walletOf } from "./siwe-client";
import type { MessageFields } from "./siwe-client";

const VIEWER = "query Viewer { viewer { account roles organization { name } } }";
const HOUR_MS = 3_600_000;
const INVESTIGATOR_ROLE = 1 << 2;

for (const target of databaseTargets()) {
  describe(`API sign-in with Ethereum (${target.name})`, function () {
    let ledger: IndexedLedger;
    let server: ServerUnderTest;

    before(async function () {
      ledger = await startIndexedLedger(target);
      server = await startTestApi(ledger);
    });

    after(async function () {
      await server?.close();
      await ledger?.stop();
    });

    /** Mines `sent`, then waits until the indexer has it: the API reads nothing else. */
    async function minedAndIndexed(sent: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
      await (await sent).wait();
      await ledger.catchUp();
    }

    /** The `viewer` query with `token`. */
    function viewerWith(token: string): Promise<HttpAnswer> {
      return graphql(server, { query: VIEWER, token });
    }

    /** Signs `fields`' message for `wallet` and submits it. */
    async function signInWith(wallet: HDNodeWallet, fields: MessageFields = {}): Promise<HttpAnswer> {
      const message = await messageFor(server, wallet.address, fields);
      return verifySignIn(server, message, await wallet.signMessage(message));
    }

    describe("signing in", function () {
      it("should issue a token with which /graphql serves the signed-in member", async function () {
        const investigator = walletOf(ledger.deployment, "investigator");
        const answer = await signInWith(investigator);
        expect(answer.status, answer.text).to.equal(200);
        expect(answer.body.account).to.equal(ledger.deployment.addresses.investigator);
        expect(Date.parse(answer.body.expiresAt)).to.be.greaterThan(Date.now());
        const viewer = await viewerWith(answer.body.token);
        expect(viewer.body).to.deep.equal({
          data: {
            viewer: {
              account: ledger.deployment.addresses.investigator,
              roles: ["INVESTIGATOR"],
              organization: { name: "Public Security Bureau" },
            },
          },
        });
      });

      it("should hand out a fresh nonce with the domain and the indexed chain's id", async function () {
        const first = await requestNonce(server);
        const second = await requestNonce(server);
        expect(first.nonce).to.match(/^[A-Za-z0-9]{8,}$/);
        expect(second.nonce).not.to.equal(first.nonce);
        expect(first.domain).to.equal(server.domain);
        expect(first.chainId).to.equal(31337);
      });

      it("should never let a sign-in answer be cached", async function () {
        const answer = await fetchAnswer(`${server.url}/auth/nonce`, { method: "POST" });
        expect(answer.headers.get("cache-control")).to.equal("no-store");
      });

      it("should let governance sign in without being a member, and see raw events", async function () {
        const token = await signIn(server, walletOf(ledger.deployment, "governance"));
        const answer = await graphql(server, { query: "{ events(first: 1) { totalCount } }", token });
        expect(answer.status, answer.text).to.equal(200);
        expect(answer.body.errors).to.equal(undefined);
        expect(Number(answer.body.data.events.totalCount)).to.be.greaterThan(0);
      });

      it("should refuse a message whose nonce was already used", async function () {
        const investigator = walletOf(ledger.deployment, "investigator");
        const message = await messageFor(server, investigator.address);
        const signature = await investigator.signMessage(message);
        expect((await verifySignIn(server, message, signature)).status).to.equal(200);
        expectRefusal(await verifySignIn(server, message, signature), 401, "UNAUTHENTICATED", /already used/);
      });

      it("should refuse a nonce it never issued", async function () {
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), { nonce: "NeverIssued0123" });
        expectRefusal(answer, 401, "UNAUTHENTICATED", /not issued by this service/);
      });

      it("should accept a message's nonce once when two sign-ins race with it", async function () {
        const investigator = walletOf(ledger.deployment, "investigator");
        const message = await messageFor(server, investigator.address);
        const signature = await investigator.signMessage(message);
        const answers = await Promise.all([1, 2, 3].map(() => verifySignIn(server, message, signature)));
        expect(answers.map((answer) => answer.status).sort()).to.deep.equal([200, 401, 401]);
      });

      it("should refuse a nonce that expired before it was used", async function () {
        const nonces = createNonceStore(ledger.handle.database, {
          lifetimeSeconds: 300,
          now: () => Date.now() - HOUR_MS,
        });
        const { nonce } = await nonces.issue();
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), { nonce });
        expectRefusal(answer, 401, "UNAUTHENTICATED", /nonce expired/);
      });

      it("should refuse an expired message", async function () {
        const fields = {
          issuedAt: new Date(Date.now() - 2 * HOUR_MS).toISOString(),
          expirationTime: new Date(Date.now() - HOUR_MS).toISOString(),
        };
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), fields);
        expectRefusal(answer, 401, "UNAUTHENTICATED", /the message expired at/);
      });

      it("should refuse a message that is not valid yet", async function () {
        const fields = { notBefore: new Date(Date.now() + HOUR_MS).toISOString() };
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), fields);
        expectRefusal(answer, 401, "UNAUTHENTICATED", /not valid before/);
      });

      it("should refuse a message for another domain", async function () {
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), { domain: "ledger.example:4000" });
        expectRefusal(answer, 401, "UNAUTHENTICATED", /for the domain ledger\.example:4000, but this service is/);
      });

      it("should refuse a message whose URI points at another service", async function () {
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), {
          uri: "https://ledger.example/graphql",
        });
        expectRefusal(answer, 401, "UNAUTHENTICATED", /URI https:\/\/ledger\.example\/graphql is not of this service/);
      });

      it("should refuse a message for another chain", async function () {
        const answer = await signInWith(walletOf(ledger.deployment, "investigator"), { chainId: 1 });
        expectRefusal(answer, 401, "UNAUTHENTICATED", /for chain 1, but the ledger is on chain 31337/);
      });

      it("should refuse another key's signature, and leave the nonce usable by its owner", async function () {
        const investigator = walletOf(ledger.deployment, "investigator");
        const message = await messageFor(server, investigator.address);
        const forged = await walletOf(ledger.deployment, "visitor").signMessage(message);
        expectRefusal(
          await verifySignIn(server, message, forged),
          401,
          "UNAUTHENTICATED",
          /is not 0x[0-9a-fA-F]{40}'s/,
        );
        expect((await verifySignIn(server, message, await investigator.signMessage(message))).status).to.equal(200);
      });

      it("should refuse an account that is not a member", async function () {
        // The visitor was added to the oversight office and removed again.
        const answer = await signInWith(walletOf(ledger.deployment, "visitor"));
        expectRefusal(answer, 403, "FORBIDDEN", /is not an active member of an active organization/);
      });

      it("should refuse a body that is not a signed sign-in message", async function () {
        const url = `${server.url}/auth/verify`;
        expectRefusal(await postJson(url, { message: "hello", signature: "0x00" }), 400, "BAD_USER_INPUT", /EIP-4361/);
        expectRefusal(await postJson(url, { message: "hello" }), 400, "BAD_USER_INPUT", /"signature"/);
        const form = await fetchAnswer(url, { method: "POST", body: new URLSearchParams({ message: "hello" }) });
        expectRefusal(form, 415, "BAD_REQUEST", /application\/json/);
      });
    });

    describe("sessions", function () {
      it("should refuse a token whose account was changed", async function () {
        const token = await signIn(server, walletOf(ledger.deployment, "investigator"));
        const [payload, mac] = token.split(".");
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
        const forged = Buffer.from(JSON.stringify({ ...claims, sub: ledger.deployment.addresses.auditor }));
        const answer = await viewerWith(`${forged.toString("base64url")}.${mac}`);
        expectRefusal(answer, 401, "UNAUTHENTICATED", /signature is invalid/);
        expect(answer.headers.get("www-authenticate")).to.equal('Bearer realm="dxl"');
      });

      it("should refuse an expired token", async function () {
        const tokens = createSessionTokens({
          secret: TEST_SESSION_SECRET,
          lifetimeSeconds: 3_600,
          now: () => Date.now() - 2 * HOUR_MS,
        });
        const { token } = tokens.issue(ledger.deployment.addresses.auditor);
        expectRefusal(await viewerWith(token), 401, "UNAUTHENTICATED", /expired at/);
      });

      it("should refuse a token signed with another secret", async function () {
        const tokens = createSessionTokens({ secret: "another-secret-that-is-32-bytes-long", lifetimeSeconds: 3_600 });
        const { token } = tokens.issue(ledger.deployment.addresses.auditor);
        expectRefusal(await viewerWith(token), 401, "UNAUTHENTICATED", /signature is invalid/);
      });

      it("should refuse an Authorization header that is not a bearer token", async function () {
        const answer = await postJson(
          server.graphqlUrl,
          { query: VIEWER },
          { authorization: "Basic YWxpY2U6c2VjcmV0" },
        );
        expectRefusal(answer, 401, "UNAUTHENTICATED", /Bearer/);
      });

      it("should refuse a member's session as soon as its suspended organization is indexed, and sign-in too", async function () {
        const { consortium } = ledger.deployment.suite;
        const governance = consortium.connect(ledger.deployment.signers.governance);
        const organizationId = ledger.activity.organizations.temporary;
        const admin = walletOf(ledger.deployment, "temporary");
        const token = await signIn(server, admin);
        expect((await viewerWith(token)).body.data.viewer.account).to.equal(ledger.deployment.addresses.temporary);

        await minedAndIndexed(governance.suspendOrganization(organizationId));
        expectRefusal(await viewerWith(token), 403, "FORBIDDEN", /no longer an active member/);
        expectRefusal(await signInWith(admin), 403, "FORBIDDEN", /not an active member of an active organization/);

        await minedAndIndexed(governance.reinstateOrganization(organizationId));
        expect((await viewerWith(token)).body.data.viewer.account).to.equal(ledger.deployment.addresses.temporary);
      });
    });

    describe("contract wallets (ERC-1271)", function () {
      let walletAddress: string;
      let owner: HDNodeWallet;

      before(async function () {
        const { deployment } = ledger;
        owner = walletOf(deployment, "visitor");
        const factory = new ERC1271WalletMock__factory(deployment.signers.visitor);
        const wallet = await factory.deploy(owner.address, true);
        await wallet.waitForDeployment();
        walletAddress = await wallet.getAddress();
        const bureau = deployment.suite.consortium.connect(deployment.signers.bureauAdmin);
        await minedAndIndexed(bureau.addMember(ledger.activity.organizations.bureau, walletAddress, INVESTIGATOR_ROLE));
      });

      it("should sign in a member contract wallet through its owner's signature", async function () {
        const token = await signIn(server, owner, walletAddress);
        const viewer = await viewerWith(token);
        expect(viewer.body.data.viewer).to.deep.equal({
          account: walletAddress.toLowerCase(),
          roles: ["INVESTIGATOR"],
          organization: { name: "Public Security Bureau" },
        });
      });

      it("should refuse the owner's signature once the wallet stops approving it", async function () {
        const wallet = ERC1271WalletMock__factory.connect(walletAddress, ledger.deployment.signers.visitor);
        await (await wallet.setApproves(false)).wait();
        try {
          const message = await messageFor(server, walletAddress);
          const answer = await verifySignIn(server, message, await owner.signMessage(message));
          expectRefusal(answer, 401, "UNAUTHENTICATED", /signature is not/);
        } finally {
          await (await wallet.setApproves(true)).wait();
        }
      });

      it("should refuse a contract wallet when no node is configured to ask", async function () {
        const offline = await startTestApi(ledger, { rpcUrl: null });
        try {
          const message = await messageFor(offline, walletAddress);
          const answer = await verifySignIn(offline, message, await owner.signMessage(message));
          expectRefusal(answer, 401, "UNAUTHENTICATED", /signature is not/);
        } finally {
          await offline.close();
        }
      });
    });
  });
}

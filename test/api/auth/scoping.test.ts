import { expect } from "chai";
import { createIndexedStateReader } from "../../../indexer/api/auth";
import type { Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import { expectRefusal, graphql } from "../server/client";
import type { HttpAnswer } from "../server/client";
import { startIndexedLedger, startTestApi } from "../server/ledger";
import type { IndexedLedger, ServerUnderTest } from "../server/ledger";
import { signIn, walletOf } from "./siwe-client";

type Actor = keyof Deployment["addresses"];

/** What each kind of member sees of the three requests the bureau's investigator sent (two to the telecom, one
 * to the bank), and whether it reads raw events and the audit log. */
const EXPECTED_SCOPES: { actor: Actor; role: string; requests: number; seesEverything: boolean }[] = [
  { actor: "investigator", role: "an investigator of the requesting bureau", requests: 3, seesEverything: false },
  { actor: "telecomSteward", role: "a steward of the telecom (holder of two)", requests: 2, seesEverything: false },
  { actor: "bankSteward", role: "a steward of the bank (holder of one)", requests: 1, seesEverything: false },
  { actor: "auditor", role: "an auditor of the oversight office", requests: 3, seesEverything: true },
  { actor: "governance", role: "governance", requests: 3, seesEverything: true },
];

const REQUESTS = "query Requests { accessRequests(first: 10) { totalCount nodes { id } } }";
const EVENTS = "query Events { events(first: 1) { totalCount } }";
const ORGANIZATIONS = "query Organizations { organizations(first: 10) { totalCount } }";
const INTROSPECTION = "query Schema { __schema { queryType { name } } }";

for (const target of databaseTargets()) {
  describe(`API access scopes over HTTP (${target.name})`, function () {
    let ledger: IndexedLedger;
    let server: ServerUnderTest;
    const tokens = new Map<Actor, string>();

    before(async function () {
      ledger = await startIndexedLedger(target);
      server = await startTestApi(ledger);
      for (const { actor } of EXPECTED_SCOPES)
        tokens.set(actor, await signIn(server, walletOf(ledger.deployment, actor)));
    });

    after(async function () {
      await server?.close();
      await ledger?.stop();
    });

    function ask(actor: Actor | null, query: string, variables?: Record<string, unknown>): Promise<HttpAnswer> {
      return graphql(server, { query, variables, token: actor === null ? undefined : tokens.get(actor) });
    }

    for (const { actor, role, requests, seesEverything } of EXPECTED_SCOPES) {
      describe(`as ${role}`, function () {
        it(`should list the ${requests} request(s) it may see, and every organization`, async function () {
          const answer = await ask(actor, REQUESTS);
          expect(answer.body.errors, answer.text).to.equal(undefined);
          expect(answer.body.data.accessRequests.totalCount).to.equal(requests);
          expect((await ask(actor, ORGANIZATIONS)).body.data.organizations.totalCount).to.equal(5);
        });

        it(seesEverything ? "should read raw events" : "should be refused raw events", async function () {
          const answer = await ask(actor, EVENTS);
          if (seesEverything) expect(answer.body.data.events.totalCount, answer.text).to.be.greaterThan(0);
          else expectRefusal(answer, 200, "FORBIDDEN");
        });

        it("should introspect the schema", async function () {
          expect((await ask(actor, INTROSPECTION)).body.data.__schema.queryType.name).to.equal("Query");
        });
      });
    }

    it("should keep each viewer apart when their sessions are read together, in one statement", async function () {
      const { database } = ledger.handle;
      const statements: unknown[][] = [];
      const counting = {
        query: (sql: string, params: unknown[] = []) => (statements.push(params), database.query(sql, params)),
      };
      const readState = createIndexedStateReader(counting as typeof database);
      const actors: (Actor | null)[] = [
        "auditor",
        "investigator",
        null,
        "bankSteward",
        "investigator",
        "telecomSteward",
      ];
      // The first read goes alone; the others arrive while it runs and go together, each account once.
      const states = await Promise.all(actors.map((actor) => readState(actor && ledger.deployment.addresses[actor])));
      expect(statements.map(([accounts]) => accounts)).to.have.deep.members([
        [ledger.deployment.addresses.auditor],
        [...new Set(actors.slice(1).map((actor) => actor && ledger.deployment.addresses[actor]))],
      ]);
      expect(states.map((state) => state.viewer?.organizationKind ?? null)).to.deep.equal([
        "OVERSIGHT",
        "PUBLIC_SECURITY",
        null,
        "BANK",
        "PUBLIC_SECURITY",
        "TELECOM",
      ]);
      expect(states[2].viewer).to.equal(null);
      expect(new Set(states.map((state) => state.version)).size).to.equal(1);
    });

    it("should refuse the bank's steward a request to the telecom, by id", async function () {
      const query = "query Request($id: Bytes!) { accessRequest(id: $id) { id } }";
      const answer = await ask("bankSteward", query, { id: ledger.activity.requests.delivered });
      expectRefusal(answer, 200, "FORBIDDEN");
    });

    describe("anonymously", function () {
      it("should read where the indexer stands", async function () {
        const answer = await ask(null, "query Status { indexerStatus { chainId } }");
        expect(answer.body).to.deep.equal({ data: { indexerStatus: { chainId: 31337 } } });
      });

      it("should be refused the ledger", async function () {
        expectRefusal(await ask(null, ORGANIZATIONS), 200, "UNAUTHENTICATED");
      });

      it("should be refused introspection, in production mode", async function () {
        expectRefusal(await ask(null, INTROSPECTION), 401, "UNAUTHENTICATED", /sign in to introspect/);
      });
    });

    describe("in open development mode", function () {
      let open: ServerUnderTest;

      before(async function () {
        open = await startTestApi(ledger, { open: true });
      });

      after(async function () {
        await open?.close();
      });

      it("should show everything without signing in", async function () {
        const requests = await graphql(open, { query: REQUESTS });
        expect(requests.body.data.accessRequests.totalCount, requests.text).to.equal(3);
        const events = await graphql(open, { query: EVENTS });
        expect(events.body.data.events.totalCount, events.text).to.be.greaterThan(0);
        expect((await graphql(open, { query: INTROSPECTION })).body.data.__schema.queryType.name).to.equal("Query");
      });

      it("should log a warning when it starts", function () {
        const warning = open.logLines.find(
          (line) => line.level === "warn" && /open development mode/.test(`${line.msg}`),
        );
        expect(warning, JSON.stringify(open.logLines)).not.to.equal(undefined);
        expect(server.logLines.some((line) => /open development mode/.test(`${line.msg}`))).to.equal(false);
      });
    });
  });
}

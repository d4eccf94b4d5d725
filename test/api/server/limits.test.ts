import { expect } from "chai";
import type { Database } from "../../../indexer/store";
import { databaseTargets } from "../../helpers/databases";
import { signIn, walletOf } from "../auth/siwe-client";
import { bearer, expectNoInternals, expectRefusal, fetchAnswer, graphql, postJson } from "./client";
import type { HttpAnswer } from "./client";
import { startIndexedLedger, startTestApi } from "./ledger";
import type { IndexedLedger, ServerUnderTest } from "./ledger";

/** `organizations → nodes → members → organization → members → …` down to a scalar, `depth` fields deep. */
function nestedQuery(depth: number): string {
  const chain = Array.from({ length: depth - 3 }, (_, index) => (index % 2 === 0 ? "members" : "organization"));
  const leaf = chain.at(-1) === "members" ? "account" : "name";
  const selection = chain.reduceRight((inner, field) => `${field} { ${inner} }`, leaf);
  return `query Deep { organizations(first: 1) { nodes { ${selection} } } }`;
}

/** A page of raw events, `first` a literal or a variable (`$first`, of type `variableType`). */
function eventPage(first: string, variableType = "Int"): string {
  const variables = first.startsWith("$") ? `(${first}: ${variableType})` : "";
  return `query EventPage${variables} {
    events(first: ${first}) { nodes { blockNumber blockHash blockTime transactionHash logIndex contract name args } }
  }`;
}

/** A database whose reads of `data_sources` fail with an error quoting SQL, as a broken query would. */
function failingOnDataSources(database: Database): Database {
  return {
    ...database,
    query: async <Row>(sql: string, params?: unknown[]) => {
      if (sql.includes("data_sources")) throw new Error(`relation "data_sources" is broken in: ${sql}`);
      return database.query<Row>(sql, params);
    },
  };
}

const GRAPHQL_RESPONSE = "application/graphql-response+json";

for (const target of databaseTargets()) {
  describe(`API query limits and error masking (${target.name})`, function () {
    let ledger: IndexedLedger;
    let server: ServerUnderTest;
    let token: string;

    before(async function () {
      ledger = await startIndexedLedger(target);
      server = await startTestApi(ledger);
      token = await signIn(server, walletOf(ledger.deployment, "auditor"));
    });

    after(async function () {
      await server?.close();
      await ledger?.stop();
    });

    function ask(query: string, variables?: Record<string, unknown>): Promise<HttpAnswer> {
      return graphql(server, { query, variables, token });
    }

    /** Asserts a document within the limits is served. */
    async function expectServed(query: string, variables?: Record<string, unknown>): Promise<void> {
      const answer = await ask(query, variables);
      expect(answer.status, answer.text).to.equal(200);
      expect(answer.body.errors, answer.text).to.equal(undefined);
    }

    it("should serve a query 10 fields deep and refuse one 11 deep", async function () {
      await expectServed(nestedQuery(10));
      expectRefusal(await ask(nestedQuery(11)), 400, "QUERY_TOO_COMPLEX", /depth limit of 10 exceeded, found 11/);
    });

    it("should refuse a query whose cost, weighted by a literal `first`, passes 5,000", async function () {
      await expectServed(eventPage("10"));
      expectRefusal(await ask(eventPage("1000")), 400, "QUERY_TOO_COMPLEX", /Cost limit of 5000 exceeded/);
    });

    it("should weigh a `first` given as a variable, or as its default, like a literal one", async function () {
      await expectServed(eventPage("$first"), { first: 10 });
      expectRefusal(await ask(eventPage("$first"), { first: 1000 }), 400, "QUERY_TOO_COMPLEX", /Cost limit of 5000/);
      expectRefusal(await ask(eventPage("$first", "Int = 1000")), 400, "QUERY_TOO_COMPLEX", /Cost limit of 5000/);
    });

    it("should serve 15 aliases and refuse 16", async function () {
      const aliased = (count: number) =>
        `query Aliased { ${Array.from({ length: count }, (_, index) => `a${index}: indexerStatus { chainId }`).join(" ")} }`;
      await expectServed(aliased(15));
      expectRefusal(await ask(aliased(16)), 400, "QUERY_TOO_COMPLEX", /Aliases limit of 15 exceeded, found 16/);
    });

    it("should refuse a document of more than 2,000 tokens", async function () {
      const fields = (count: number) => `query Long { indexerStatus { ${"chainId ".repeat(count)}} }`;
      await expectServed(fields(1_990));
      expectRefusal(await ask(fields(2_000)), 400, "QUERY_TOO_COMPLEX", /Token limit of 2000 exceeded/);
    });

    it("should refuse a body over 100 kB with 413 before reading it as GraphQL", async function () {
      const answer = await ask("query Big($pad: String) { indexerStatus { chainId } }", { pad: "x".repeat(100_001) });
      expectRefusal(answer, 413, "REQUEST_ENTITY_TOO_LARGE");
    });

    it("should refuse a sign-in body over 16 kB with 413", async function () {
      const answer = await postJson(`${server.url}/auth/verify`, { message: "x".repeat(20_000), signature: "0x00" });
      expectRefusal(answer, 413, "REQUEST_ENTITY_TOO_LARGE");
    });

    it("should answer a malformed document and a bad variable with their codes, nothing more", async function () {
      // This media type asks for the GraphQL-over-HTTP statuses: 400 for a document that cannot run.
      const strict = (query: string, variables?: Record<string, unknown>) =>
        postJson(server.graphqlUrl, { query, variables }, { ...bearer(token), accept: GRAPHQL_RESPONSE });
      expectRefusal(await strict("query Broken { indexerStatus { "), 400, "GRAPHQL_PARSE_FAILED");
      expectRefusal(await strict("query Unknown { noSuchField }"), 400, "GRAPHQL_VALIDATION_FAILED");
      const badVariable = await strict("query Org($id: BigInt!) { organization(id: $id) { name } }", { id: "one" });
      expectRefusal(badVariable, 400, "BAD_USER_INPUT");
    });

    it("should mask an unexpected failure: a generic message, no SQL, no stack, the details in the log", async function () {
      const failing = await startTestApi(ledger, {
        database: failingOnDataSources(ledger.handle.database),
        open: true,
      });
      try {
        const answer = await graphql(failing, { query: "query Sources { dataSources(first: 5) { nodes { name } } }" });
        expectRefusal(answer, 200, "INTERNAL_SERVER_ERROR", /^internal error/);
        expect(answer.text).not.to.include("data_sources");
        const logged = JSON.stringify(failing.logLines);
        expect(logged).to.include('relation \\"data_sources\\" is broken');
      } finally {
        await failing.close();
      }
    });

    it("should answer a path it does not serve with 404 and no details", async function () {
      const answer = await fetchAnswer(`${server.url}/graphql/../../etc/passwd?x=1`);
      expect(answer.status).to.equal(404);
      expectNoInternals(answer);
    });
  });
}

import { expect } from "chai";
import { EXAMPLE_OPERATIONS } from "../../../indexer/api/server";
import type { IndexerStatus } from "../../../indexer/ops";
import { databaseTargets } from "../../helpers/databases";
import { signIn, walletOf } from "../auth/siwe-client";
import { expectRefusal, fetchAnswer, graphql } from "./client";
import { startIndexedLedger, startTestApi } from "./ledger";
import type { IndexedLedger, ServerUnderTest } from "./ledger";

const ORGANIZATIONS = "query Organizations { organizations(first: 2) { totalCount } }";

/** An in-process indexer's status as the sync loop reports it, following unless told otherwise. */
function indexerStatus(overrides: Partial<IndexerStatus> = {}): IndexerStatus {
  return {
    chainId: 31337,
    headBlock: 100,
    indexedBlock: 100,
    confirmations: 12,
    following: true,
    stoppedBy: null,
    ...overrides,
  };
}

for (const target of databaseTargets()) {
  describe(`API operations endpoints and GraphiQL (${target.name})`, function () {
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

    /** Runs `check` against a server on the ledger's database whose in-process indexer reports `status`. */
    async function withIndexerStatus(status: IndexerStatus, check: (probe: ServerUnderTest) => Promise<void>) {
      const probe = await startTestApi(ledger, { indexerStatus: () => status });
      try {
        await check(probe);
      } finally {
        await probe.close();
      }
    }

    describe("GET /healthz", function () {
      it("should answer 200 while the in-process indexer runs", async function () {
        const answer = await fetchAnswer(`${server.url}/healthz`);
        expect(answer.status).to.equal(200);
        expect(answer.body).to.deep.equal({ status: "ok" });
      });

      it("should answer 503 once the in-process indexer stopped on a fatal error, without its details", async function () {
        const status = indexerStatus({ stoppedBy: "reorganization beyond finality at postgres://u:pw@db/x" });
        await withIndexerStatus(status, async (probe) => {
          const answer = await fetchAnswer(`${probe.url}/healthz`);
          expect(answer.status).to.equal(503);
          expect(answer.text).not.to.include("postgres");
        });
      });
    });

    describe("GET /readyz", function () {
      it("should answer 200 with the database migrated and the indexer following", async function () {
        const answer = await fetchAnswer(`${server.url}/readyz`);
        expect(answer.status, answer.text).to.equal(200);
        expect(answer.body).to.deep.equal({ status: "ready" });
      });

      it("should answer 503 while the in-process indexer catches up", async function () {
        await withIndexerStatus(indexerStatus({ following: false }), async (probe) => {
          const answer = await fetchAnswer(`${probe.url}/readyz`);
          expect(answer.status).to.equal(503);
          expect(answer.body.reason).to.match(/catching up/);
        });
      });

      it("should answer 503 naming the migrations a database lacks, then the database it cannot reach", async function () {
        const empty = await target.open();
        const probe = await startTestApi(ledger, { database: empty.database, indexerStatus: undefined });
        try {
          const unmigrated = await fetchAnswer(`${probe.url}/readyz`);
          expect(unmigrated.status).to.equal(503);
          expect(unmigrated.body.reason).to.equal("migrations not applied: 1, 2");
          await empty.close();
          const unreachable = await fetchAnswer(`${probe.url}/readyz`);
          expect(unreachable.status).to.equal(503);
          expect(unreachable.body.reason).to.equal("the database is unreachable");
        } finally {
          await probe.close();
        }
      });
    });

    describe("GET /metrics", function () {
      it("should count operations and their latencies by operation name, and responses by route", async function () {
        const token = await signIn(server, walletOf(ledger.deployment, "telecomSteward"));
        await graphql(server, { query: ORGANIZATIONS, token });
        await graphql(server, { query: ORGANIZATIONS, token });
        await graphql(server, { query: "query Organizations { events(first: 1) { totalCount } }", token });
        const answer = await fetchAnswer(`${server.url}/metrics`);
        expect(answer.status).to.equal(200);
        expect(answer.headers.get("content-type")).to.match(/^text\/plain/);
        const labels = 'operation_name="Organizations",operation_type="query"';
        expect(answer.text).to.include(`dxl_api_operations_total{${labels},outcome="ok"} 2`);
        expect(answer.text).to.include(`dxl_api_operations_total{${labels},outcome="error"} 1`);
        expect(answer.text).to.include(`dxl_api_operation_duration_seconds_count{${labels}} 3`);
        expect(answer.text).to.include('dxl_api_sign_ins_total{outcome="ok"} 1');
        expect(answer.text).to.match(/dxl_api_http_responses_total\{route="\/graphql",status="200"\} [1-9]/);
        expect(answer.text).to.include("process_cpu_seconds_total");
      });
    });

    it("should answer a route asked with another method with 405 and the method to use", async function () {
      const nonce = await fetchAnswer(`${server.url}/auth/nonce`);
      expect(nonce.status).to.equal(405);
      expect(nonce.headers.get("allow")).to.equal("POST");
      const health = await fetchAnswer(`${server.url}/healthz`, { method: "POST" });
      expect(health.status).to.equal(405);
      expect(health.headers.get("allow")).to.equal("GET");
    });

    describe("GraphiQL", function () {
      it("should open at /graphql with the example operations", async function () {
        const answer = await fetchAnswer(server.graphqlUrl, { headers: { accept: "text/html" } });
        expect(answer.status).to.equal(200);
        expect(answer.headers.get("content-type")).to.match(/^text\/html/);
        for (const example of EXAMPLE_OPERATIONS) expect(answer.text).to.include(`query ${example.name}(`);
      });

      for (const example of EXAMPLE_OPERATIONS) {
        it(`should serve the ${example.name} example within the limits, without errors`, async function () {
          const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
          const answer = await graphql(server, { query: example.query, variables: example.variables, token });
          expect(answer.status, answer.text).to.equal(200);
          expect(answer.body.errors, answer.text).to.equal(undefined);
        });
      }

      it("should refuse the examples to an anonymous caller", async function () {
        const [caseTrail] = EXAMPLE_OPERATIONS;
        const answer = await graphql(server, { query: caseTrail.query, variables: caseTrail.variables });
        expectRefusal(answer, 200, "UNAUTHENTICATED");
      });
    });
  });
}

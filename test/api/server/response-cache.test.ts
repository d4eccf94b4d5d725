import { expect } from "chai";
import type { Database } from "../../../indexer/store";
import { databaseTargets } from "../../helpers/databases";
import { signIn, walletOf } from "../auth/siwe-client";
import { graphql } from "./client";
import type { HttpAnswer } from "./client";
import { startIndexedLedger, startTestApi } from "./ledger";
import type { IndexedLedger, ServerUnderTest } from "./ledger";

const ORGANIZATIONS = "query Organizations { organizations(first: 50) { totalCount nodes { id name active } } }";
const VIEWER = "query Me { viewer { account } }";
const AUDIT = "query Audit { queryAudit(first: 1) { totalCount } }";
const INDEXER_STATUS = "query Status { indexerStatus { indexedBlock } }";
/** The organization the driven activity registers last, whose members no test signs in as. */
const GRID_POWER = 5;
/** Organizations for any member, raw events FORBIDDEN to an investigator: a partial answer with an error. */
const PARTLY_FORBIDDEN = "query Mixed { organizations(first: 50) { totalCount } events(first: 1) { totalCount } }";

/** A database that counts the statements whose text includes `marker`. */
function countingStatements(database: Database, marker: string): { database: Database; count(): number } {
  let count = 0;
  return {
    database: {
      ...database,
      query: async <Row>(sql: string, params?: unknown[]) => {
        if (sql.includes(marker)) count++;
        return database.query<Row>(sql, params);
      },
    },
    count: () => count,
  };
}

function dataOf(answer: HttpAnswer): unknown {
  expect(answer.body.errors, answer.text).to.equal(undefined);
  return answer.body.data;
}

for (const target of databaseTargets()) {
  describe(`API response cache (${target.name})`, function () {
    let ledger: IndexedLedger;

    before(async function () {
      ledger = await startIndexedLedger(target);
    });

    after(async function () {
      await ledger?.stop();
    });

    /** A server whose statements reading `marker` are counted; `cacheBytes` its response cache. */
    async function withCountingServer(
      marker: string,
      cacheBytes: number | undefined,
      check: (server: ServerUnderTest, count: () => number) => Promise<void>,
    ): Promise<void> {
      const counting = countingStatements(ledger.handle.database, marker);
      const server = await startTestApi(ledger, {
        database: { ...ledger.handle.database, ...counting.database },
        responseCacheBytes: cacheBytes,
      });
      try {
        await check(server, counting.count);
      } finally {
        await server.close();
      }
    }

    it("should answer a repeated query at the same index version without executing it again", async function () {
      await withCountingServer("FROM organizations t", undefined, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        const first = dataOf(await graphql(server, { query: ORGANIZATIONS, token }));
        const executed = count();
        expect(executed).to.be.greaterThan(0);
        const second = dataOf(await graphql(server, { query: ORGANIZATIONS, token }));
        expect(second).to.deep.equal(first);
        expect(count()).to.equal(executed);
      });
    });

    it("should keep no more results than its bytes allow, the least recently used going first", async function () {
      const one = "query One { organizations(first: 1) { nodes { id name } } }";
      const two = "query Two { organizations(first: 2) { nodes { id name } } }";
      const sizes = await withSizes([one, two]);
      // Room for either result (counted twice: the object and its JSON text) but not for both.
      const cacheBytes = 2 * (sizes[0] + sizes[1]) - 1;
      await withCountingServer("FROM organizations t", cacheBytes, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        const ask = async (query: string) => {
          const before = count();
          const answer = await graphql(server, { query, token });
          expect(answer.body.errors, answer.text).to.equal(undefined);
          return count() > before ? "executed" : "cached";
        };
        expect([await ask(one), await ask(one)]).to.deep.equal(["executed", "cached"]);
        expect([await ask(two), await ask(two)]).to.deep.equal(["executed", "cached"]);
        expect(await ask(one), "one made room for two").to.equal("executed");
      });
    });

    it("should keep a result larger than all its bytes not at all, and still answer it", async function () {
      const [size] = await withSizes([ORGANIZATIONS]);
      await withCountingServer("FROM organizations t", 2 * size - 1, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        const first = dataOf(await graphql(server, { query: ORGANIZATIONS, token }));
        const executed = count();
        expect(dataOf(await graphql(server, { query: ORGANIZATIONS, token }))).to.deep.equal(first);
        expect(count()).to.equal(2 * executed);
      });
    });

    /** The bytes of each query's answer as the API sends it. */
    async function withSizes(queries: string[]): Promise<number[]> {
      const sizes: number[] = [];
      await withCountingServer("FROM organizations t", 0, async (server) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        for (const query of queries) sizes.push(Buffer.byteLength((await graphql(server, { query, token })).text));
      });
      return sizes;
    }

    it("should execute again once the index has moved to a new block, and answer what it now holds", async function () {
      await withCountingServer("FROM organizations t", undefined, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        const before = dataOf(await graphql(server, { query: ORGANIZATIONS, token }));
        const executed = count();
        const consortium = ledger.deployment.suite.consortium.connect(ledger.deployment.signers.governance);
        await (await consortium.suspendOrganization(GRID_POWER)).wait();
        await ledger.catchUp();
        const after = dataOf(await graphql(server, { query: ORGANIZATIONS, token })) as {
          organizations: { nodes: { id: string; active: boolean }[] };
        };
        expect(count()).to.equal(2 * executed);
        expect(after).not.to.deep.equal(before);
        expect(after.organizations.nodes.find((node) => node.id === String(GRID_POWER))?.active).to.equal(false);
        await (await consortium.reinstateOrganization(GRID_POWER)).wait();
        await ledger.catchUp();
      });
    });

    it("should never answer one viewer with another's result", async function () {
      await withCountingServer("FROM members t", undefined, async (server) => {
        const investigator = walletOf(ledger.deployment, "investigator");
        const auditor = walletOf(ledger.deployment, "auditor");
        const asInvestigator = await graphql(server, { query: VIEWER, token: await signIn(server, investigator) });
        const asAuditor = await graphql(server, { query: VIEWER, token: await signIn(server, auditor) });
        expect(dataOf(asInvestigator)).to.deep.equal({ viewer: { account: investigator.address.toLowerCase() } });
        expect(dataOf(asAuditor)).to.deep.equal({ viewer: { account: auditor.address.toLowerCase() } });
      });
    });

    it("should execute the audit log and the indexer's status every time: they change without the index", async function () {
      await withCountingServer("FROM query_audit_log t", undefined, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        const first = dataOf(await graphql(server, { query: AUDIT, token })) as { queryAudit: { totalCount: number } };
        const second = dataOf(await graphql(server, { query: AUDIT, token })) as { queryAudit: { totalCount: number } };
        expect(second.queryAudit.totalCount).to.equal(first.queryAudit.totalCount + 1);
        expect(count()).to.be.at.least(2);
      });
      await withCountingServer("FROM checkpoint", undefined, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        const statementsOf = async () => {
          const before = count();
          await graphql(server, { query: INDEXER_STATUS, token });
          return count() - before;
        };
        const first = await statementsOf();
        // The session's statement reads the checkpoint too; the status itself reads it once more.
        expect(first).to.be.at.least(2);
        expect(await statementsOf()).to.equal(first);
      });
    });

    it("should not keep an answer with errors", async function () {
      await withCountingServer("FROM organizations t", undefined, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "investigator"));
        const answer = await graphql(server, { query: PARTLY_FORBIDDEN, token });
        expect(answer.body.errors?.[0]?.extensions?.code, answer.text).to.equal("FORBIDDEN");
        const once = count();
        expect(once).to.be.greaterThan(0);
        await graphql(server, { query: PARTLY_FORBIDDEN, token });
        expect(count()).to.equal(2 * once);
      });
    });

    it("should execute every time when turned off", async function () {
      await withCountingServer("FROM organizations t", 0, async (server, count) => {
        const token = await signIn(server, walletOf(ledger.deployment, "auditor"));
        await graphql(server, { query: ORGANIZATIONS, token });
        const once = count();
        await graphql(server, { query: ORGANIZATIONS, token });
        expect(count()).to.equal(2 * once);
      });
    });

    it("should still record every answer served from it in the audit log", async function () {
      const server = await startTestApi(ledger);
      try {
        const auditor = walletOf(ledger.deployment, "auditor");
        const token = await signIn(server, auditor);
        const rowsOf = async () =>
          (
            await ledger.handle.database.query<{ count: number }>(
              "SELECT count(*)::integer AS count FROM query_audit_log WHERE operation_name = 'Organizations'",
            )
          )[0].count;
        const before = await rowsOf();
        for (let i = 0; i < 3; i++) dataOf(await graphql(server, { query: ORGANIZATIONS, token }));
        expect(await rowsOf()).to.equal(before + 3);
      } finally {
        await server.close();
      }
    });
  });
}

import { createHash } from "node:crypto";
import { expect } from "chai";
import type { Database } from "../../../indexer/store";
import { databaseTargets } from "../../helpers/databases";
import { signIn, walletOf } from "../auth/siwe-client";
import { expectRefusal, graphql } from "./client";
import { startIndexedLedger, startTestApi } from "./ledger";
import type { IndexedLedger, ServerUnderTest } from "./ledger";

interface AuditRow {
  account: string | null;
  operation_name: string | null;
  document_hash: string;
  variables_hash: string;
  result_bytes: number;
  duration_ms: number;
  error_codes: string[];
}

const ORGANIZATIONS = "query Organizations($first: Int) { organizations(first: $first) { totalCount } }";
const TOO_MANY_ALIASES = `query TooMany { ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { account }`).join(" ")} }`;
const AUDIT = `query Audit($account: Address!) {
  queryAudit(where: { account: [$account] }, first: 50) {
    nodes { account operationName documentHash variablesHash resultBytes durationMs errorCodes }
  }
}`;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A database on which writing the audit log fails. */
function failingAuditLog(database: Database): Database {
  return {
    ...database,
    query: async <Row>(sql: string, params?: unknown[]) => {
      if (sql.includes("INSERT INTO query_audit_log")) throw new Error("the audit table is full");
      return database.query<Row>(sql, params);
    },
  };
}

for (const target of databaseTargets()) {
  describe(`API query audit log (${target.name})`, function () {
    let ledger: IndexedLedger;
    let server: ServerUnderTest;
    let investigator: string;
    let auditor: string;

    before(async function () {
      ledger = await startIndexedLedger(target);
      server = await startTestApi(ledger);
      investigator = await signIn(server, walletOf(ledger.deployment, "investigator"));
      auditor = await signIn(server, walletOf(ledger.deployment, "auditor"));
    });

    after(async function () {
      await server?.close();
      await ledger?.stop();
    });

    async function latestRows(count = 1): Promise<AuditRow[]> {
      const rows = await ledger.handle.database.query<AuditRow>(
        "SELECT * FROM query_audit_log ORDER BY id DESC LIMIT $1",
        [count],
      );
      return rows.map((row) => ({ ...row, result_bytes: Number(row.result_bytes) }));
    }

    async function rowCount(): Promise<number> {
      const [{ count }] = await ledger.handle.database.query<{ count: string }>("SELECT count(*) FROM query_audit_log");
      return Number(count);
    }

    it("should record who asked what, hashed, with the result's size and no error", async function () {
      const variables = { first: 3 };
      const answer = await graphql(server, { query: ORGANIZATIONS, variables, token: investigator });
      expect(answer.body.data.organizations.totalCount, answer.text).to.equal(5);
      const [row] = await latestRows();
      expect(row).to.include({
        account: ledger.deployment.addresses.investigator,
        operation_name: "Organizations",
        document_hash: sha256(ORGANIZATIONS),
        variables_hash: sha256(JSON.stringify(variables)),
        result_bytes: Buffer.byteLength(answer.text),
      });
      expect(row.error_codes).to.deep.equal([]);
      expect(row.duration_ms).to.be.greaterThan(0);
    });

    it("should record an operation refused by a limit, with its code", async function () {
      expectRefusal(await graphql(server, { query: TOO_MANY_ALIASES, token: investigator }), 400, "QUERY_TOO_COMPLEX");
      const [row] = await latestRows();
      expect(row).to.include({ account: ledger.deployment.addresses.investigator, operation_name: "TooMany" });
      expect(row.error_codes).to.deep.equal(["QUERY_TOO_COMPLEX"]);
    });

    it("should record an anonymous caller's operation without an account", async function () {
      await graphql(server, { query: "query Status { indexerStatus { chainId } }" });
      const [row] = await latestRows();
      expect(row).to.include({ account: null, operation_name: "Status" });
    });

    it("should record nothing for a request refused for its token: nothing was served", async function () {
      const before = await rowCount();
      expectRefusal(await graphql(server, { query: ORGANIZATIONS, token: "forged.token" }), 401, "UNAUTHENTICATED");
      expect(await rowCount()).to.equal(before);
    });

    it("should show auditors the log through queryAudit", async function () {
      await graphql(server, { query: ORGANIZATIONS, variables: { first: 1 }, token: investigator });
      const answer = await graphql(server, {
        query: AUDIT,
        variables: { account: ledger.deployment.addresses.investigator },
        token: auditor,
      });
      expect(answer.body.errors, answer.text).to.equal(undefined);
      const entries: { operationName: string; documentHash: string }[] = answer.body.data.queryAudit.nodes;
      expect(entries.find((entry) => entry.operationName === "TooMany")).to.deep.include({
        account: ledger.deployment.addresses.investigator,
        documentHash: sha256(TOO_MANY_ALIASES),
        variablesHash: sha256("{}"),
        errorCodes: ["QUERY_TOO_COMPLEX"],
      });
      expect(entries.find((entry) => entry.documentHash === sha256(ORGANIZATIONS))).to.deep.include({
        operationName: "Organizations",
        errorCodes: [],
      });
    });

    it("should refuse the log to a member who is not an auditor, and record the refusal", async function () {
      const answer = await graphql(server, {
        query: AUDIT,
        variables: { account: ledger.deployment.addresses.investigator },
        token: investigator,
      });
      expectRefusal(answer, 200, "FORBIDDEN");
      const [row] = await latestRows();
      expect(row).to.include({ operation_name: "Audit" });
      expect(row.error_codes).to.deep.equal(["FORBIDDEN"]);
    });

    it("should withhold the data when the operation cannot be recorded", async function () {
      const unaudited = await startTestApi(ledger, { database: failingAuditLog(ledger.handle.database) });
      try {
        const answer = await graphql(unaudited, { query: ORGANIZATIONS, token: investigator });
        expectRefusal(answer, 500, "INTERNAL_SERVER_ERROR", /could not be audited/);
        expect(answer.body.data).to.equal(undefined);
      } finally {
        await unaudited.close();
      }
    });
  });
}

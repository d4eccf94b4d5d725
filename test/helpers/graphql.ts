import { expect } from "chai";
import { graphql } from "graphql";
import type { ExecutionResult } from "graphql";
import { createApiSchema } from "../../indexer/api";
import type { AccessScope, ApiContext, RoleName, Viewer } from "../../indexer/api";
import type { SqlExecutor } from "../../indexer/store";
import type { ApiFixture } from "./api-scenario";

/** One schema for every test, as the server builds one for every request. */
export const schema = createApiSchema();

/** The callers the access rule distinguishes, with the viewer and scope the server would compute for each. */
export type CallerName =
  "investigator" | "telecomSteward" | "bankSteward" | "auditor" | "governance" | "anonymous" | "open";

const member = (
  account: string,
  organizationId: bigint,
  organizationKind: string,
  roles: RoleName[],
  isGovernance = false,
): Viewer => ({
  kind: "member",
  account,
  organizationId: String(organizationId),
  organizationKind,
  roles,
  isGovernance,
});

/** What each caller is, as the server's sign-in would establish it. */
export function callers(fixture: ApiFixture): Record<CallerName, { viewer: Viewer; scope: AccessScope }> {
  const { addresses } = fixture.deployment;
  const { telecom, bank, bureau, oversight } = fixture.activity.organizations;
  const own = (organizationId: bigint): AccessScope => ({
    seesEverything: false,
    organizationIds: [String(organizationId)],
  });
  const everything: AccessScope = { seesEverything: true, organizationIds: [] };
  return {
    investigator: {
      viewer: member(addresses.investigator, bureau, "PUBLIC_SECURITY", ["INVESTIGATOR"]),
      scope: own(bureau),
    },
    telecomSteward: {
      viewer: member(addresses.telecomSteward, telecom, "TELECOM", ["DATA_STEWARD"]),
      scope: own(telecom),
    },
    bankSteward: { viewer: member(addresses.bankSteward, bank, "BANK", ["DATA_STEWARD"]), scope: own(bank) },
    auditor: { viewer: member(addresses.auditor, oversight, "OVERSIGHT", ["AUDITOR"]), scope: everything },
    // Governance holds the Consortium's admin role without belonging to a member organization.
    governance: { viewer: member(addresses.governance, 0n, "", [], true), scope: everything },
    anonymous: { viewer: { kind: "anonymous" }, scope: { seesEverything: false, organizationIds: [] } },
    open: { viewer: { kind: "open" }, scope: everything },
  };
}

/** A fresh context for one operation, as the server builds one per request. */
export function contextFor(fixture: ApiFixture, caller: CallerName, overrides: Partial<ApiContext> = {}): ApiContext {
  return { db: fixture.db, ...callers(fixture)[caller], ...overrides };
}

/** Runs one operation as `caller`. */
export async function run(
  fixture: ApiFixture,
  caller: CallerName,
  source: string,
  variableValues: Record<string, unknown> = {},
  overrides: Partial<ApiContext> = {},
): Promise<ExecutionResult> {
  return graphql({ schema, source, variableValues, contextValue: contextFor(fixture, caller, overrides) });
}

/** Runs one operation that must succeed and returns its data. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results by path; their assertions type them
export async function query<Data = any>(
  fixture: ApiFixture,
  caller: CallerName,
  source: string,
  variableValues: Record<string, unknown> = {},
  overrides: Partial<ApiContext> = {},
): Promise<Data> {
  const result = await run(fixture, caller, source, variableValues, overrides);
  expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
  return result.data as Data;
}

/** Asserts that the operation failed with one error of `code` and no data for the failed field. */
export function expectErrorCode(result: ExecutionResult, code: string): void {
  expect(
    result.errors?.map((error) => error.extensions.code),
    JSON.stringify(result.errors),
  ).to.deep.equal([code]);
}

/** An executor that counts the statements sent through it, for the N+1 tests. */
export function countingExecutor(db: SqlExecutor): SqlExecutor & { statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    query: (sql, params) => {
      statements.push(sql);
      return db.query(sql, params);
    },
    exec: (sql) => {
      statements.push(sql);
      return db.exec(sql);
    },
    copyRows: (table, columns, rows) => db.copyRows(table, columns, rows),
  };
}

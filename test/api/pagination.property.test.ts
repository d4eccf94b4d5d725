import { expect } from "chai";
import fc from "fast-check";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { query } from "../helpers/graphql";

interface AttestationKey {
  id: string;
  revoked: boolean;
  attestedAt: string;
  recordCount: string;
  periodStart: string;
}

type OrderField = "ID" | "ATTESTED_AT" | "RECORD_COUNT" | "PERIOD_START";

/** Each order's sort value, as a number comparable in JavaScript: the oracle the pages are checked against. */
const SORT_VALUES: Record<OrderField, (node: AttestationKey) => bigint> = {
  ID: (node) => BigInt(node.id),
  ATTESTED_AT: (node) => BigInt(Date.parse(node.attestedAt)),
  RECORD_COUNT: (node) => BigInt(node.recordCount),
  PERIOD_START: (node) => BigInt(Date.parse(node.periodStart)),
};

/** The list in `field` order, ties broken by id, reversed for DESC. */
function expectedOrder(nodes: AttestationKey[], field: OrderField, direction: "ASC" | "DESC"): string[] {
  const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  const value = SORT_VALUES[field];
  const sorted = [...nodes].sort((a, b) => compare(value(a), value(b)) || compare(BigInt(a.id), BigInt(b.id)));
  return (direction === "ASC" ? sorted : sorted.reverse()).map((node) => node.id);
}

const PAGE = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: AttestationOrder, $where: AttestationWhere) {
  attestations(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, where: $where) {
    nodes { id } totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  nodes: { id: string }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

for (const target of databaseTargets()) {
  describe(`GraphQL pagination, property-based (${target.name})`, function () {
    let fixture: ApiFixture;
    let everyAttestation: AttestationKey[];

    before(async function () {
      fixture = await apiFixture(target);
      const data = await query(
        fixture,
        "investigator",
        `{ attestations(first: 1000) { nodes { id attestedAt recordCount periodStart revoked } } }`,
      );
      everyAttestation = data.attestations.nodes;
      expect(everyAttestation.length).to.be.at.least(100);
    });

    /** Walks the whole list in pages of the given sizes (cycled), forward with first/after or backward with last/before. */
    async function walk(
      sizes: number[],
      isBackward: boolean,
      variables: Record<string, unknown>,
    ): Promise<{ ids: string[]; totalCounts: Set<number> }> {
      const ids: string[] = [];
      const totalCounts = new Set<number>();
      let cursor: string | null = null;
      for (let step = 0; ; step++) {
        const size = sizes[step % sizes.length];
        const paging: Record<string, unknown> = isBackward
          ? { last: size, before: cursor }
          : { first: size, after: cursor };
        const data: { attestations: Page } = await query(fixture, "investigator", PAGE, { ...variables, ...paging });
        const page = data.attestations;
        totalCounts.add(page.totalCount);
        expect(page.nodes.length).to.be.at.most(size);
        if (isBackward) ids.unshift(...page.nodes.map((node) => node.id));
        else ids.push(...page.nodes.map((node) => node.id));
        const hasMore = isBackward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
        if (!hasMore) return { ids, totalCounts };
        expect(page.nodes.length, "a page that says more follow is full").to.equal(size);
        cursor = isBackward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
      }
    }

    it("concatenates pages of random sizes, either way, into the full ordered list: no duplicates, no gaps", async function () {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          fc.constantFrom<OrderField>("ID", "ATTESTED_AT", "RECORD_COUNT", "PERIOD_START"),
          fc.constantFrom<"ASC" | "DESC">("ASC", "DESC"),
          fc.constantFrom<boolean | null>(null, false),
          async (sizes, isBackward, field, direction, revoked) => {
            const where = revoked === null ? null : { revoked };
            const listed = revoked === null ? everyAttestation : everyAttestation.filter((node) => !node.revoked);
            const expected = expectedOrder(listed, field, direction);
            const { ids, totalCounts } = await walk(sizes, isBackward, { orderBy: { field, direction }, where });
            expect(ids).to.deep.equal(expected);
            expect([...totalCounts]).to.deep.equal([expected.length]);
          },
        ),
        { numRuns: 12 },
      );
    });

    it("pages back from any cursor to exactly the items before it", async function () {
      const expected = expectedOrder(everyAttestation, "ID", "ASC");
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: expected.length - 1 }),
          fc.integer({ min: 1, max: 30 }),
          async (position, size) => {
            const forward = await query(fixture, "investigator", PAGE, { first: position });
            const { endCursor } = forward.attestations.pageInfo;
            const back = await query(fixture, "investigator", PAGE, { last: size, before: endCursor });
            const page: Page = back.attestations;
            const start = Math.max(0, position - 1 - size);
            expect(page.nodes.map((node) => node.id)).to.deep.equal(expected.slice(start, position - 1));
            expect(page.pageInfo.hasPreviousPage).to.equal(start > 0);
            expect(page.pageInfo.hasNextPage).to.equal(true);
          },
        ),
        { numRuns: 15 },
      );
    });
  });
}

import { expect } from "chai";
import { loadIndexerStatus } from "../../indexer/api/data/indexer-status";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { query } from "../helpers/graphql";

for (const target of databaseTargets()) {
  describe(`GraphQL statuses (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    describe("access request status", function () {
      it("computes each status as of the indexed head's block time, not the wall clock", async function () {
        const { requests, activity } = fixture;
        const expected = {
          [requests.pending]: "PENDING",
          [requests.approvedFuture]: "APPROVED",
          [activity.requests.rejected]: "REJECTED",
          [requests.mixedCaseTelecom]: "ACTIVE",
          [requests.mixedCaseBank]: "ACTIVE",
          [requests.exhausted]: "EXHAUSTED",
          // Their windows close a day after the first phase: still ahead of the wall clock, behind the head.
          [requests.pendingExpired]: "EXPIRED",
          [requests.approvedExpired]: "EXPIRED",
          [activity.requests.delivered]: "EXPIRED",
          [activity.requests.revoked]: "REVOKED",
        };
        const data = await query(
          fixture,
          "auditor",
          `query ($ids: [Bytes!]) { accessRequests(where: { id: $ids }) { nodes { id status } } }`,
          { ids: Object.keys(expected) },
        );
        const statuses = Object.fromEntries(
          data.accessRequests.nodes.map((node: { id: string; status: string }) => [node.id, node.status]),
        );
        expect(statuses).to.deep.equal(expected);
      });

      it("calls ACTIVE exactly the grants the contract calls usable at the head", async function () {
        const { accessGrants } = fixture.deployment.suite;
        const data = await query(fixture, "auditor", `{ accessRequests(first: 1000) { nodes { id status } } }`);
        for (const node of data.accessRequests.nodes) {
          const isUsable = await accessGrants.isGrantUsable(node.id, { blockTag: fixture.head });
          expect(node.status === "ACTIVE", `${node.id} is ${node.status}`).to.equal(isUsable);
        }
      });

      it("filters by the computed status", async function () {
        const { requests } = fixture;
        const data = await query(
          fixture,
          "auditor",
          `{
            exhausted: accessRequests(where: { status: [EXHAUSTED] }) { nodes { id } }
            expired: accessRequests(where: { status: [EXPIRED] }) { totalCount }
            active: accessRequests(where: { status: [ACTIVE, APPROVED] }) { totalCount }
          }`,
        );
        expect(data.exhausted.nodes).to.deep.equal([{ id: requests.exhausted }]);
        expect(data.expired.totalCount).to.equal(3);
        // The mixed case's two requests, five bulk grants, and the grant whose window has not opened.
        expect(data.active.totalCount).to.equal(2 + 5 + 1);
      });
    });

    describe("indexer status", function () {
      it("reports the chain, the indexed and finalized blocks and the indexed block's time, to anyone", async function () {
        const block = await fixture.deployment.provider.getBlock(fixture.head);
        const data = await query(
          fixture,
          "anonymous",
          `{ indexerStatus { chainId indexedBlock indexedBlockTime finalizedBlock headBlock lagBlocks lagSeconds } }`,
        );
        const { finalizedBlock, ...status } = data.indexerStatus;
        expect(status).to.deep.equal({
          chainId: 31337,
          indexedBlock: String(fixture.head),
          indexedBlockTime: new Date(block!.timestamp * 1000).toISOString(),
          headBlock: null,
          lagBlocks: null,
          // The scenario's clock runs 40 days ahead of the wall clock: the indexed block is not behind it.
          lagSeconds: 0,
        });
        expect(Number(finalizedBlock)).to.be.within(0, fixture.head);
      });

      it("reports the head and the lag in blocks when the indexer's head is given", async function () {
        const data = await query(
          fixture,
          "anonymous",
          `{ indexerStatus { headBlock lagBlocks } }`,
          {},
          { indexerHead: () => fixture.head + 7 },
        );
        expect(data.indexerStatus).to.deep.equal({ headBlock: String(fixture.head + 7), lagBlocks: "7" });
      });

      it("measures the lag in seconds from the indexed block's time", async function () {
        const block = await fixture.deployment.provider.getBlock(fixture.head);
        const status = await loadIndexerStatus(fixture.db, null, (block!.timestamp + 90) * 1000);
        expect(status.lagSeconds).to.equal(90);
      });
    });
  });
}

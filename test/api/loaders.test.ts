import { expect } from "chai";
import { id } from "ethers";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { createSharedRowsByVersion } from "../../indexer/api/data/loaders";
import { countingExecutor, query } from "../helpers/graphql";

const REQUESTS_WITH_RELATIONS = `query ($first: Int!, $telecom: BigInt!) {
  accessRequests(first: $first, where: { holderOrganizationId: { eq: $telecom } }, orderBy: { field: REQUESTED_AT, direction: ASC }) {
    totalCount
    nodes {
      id status
      source { name organization { name } }
      requesterOrganization { name }
      holderOrganization { name }
      deliveries { id attestation { id source { name } } }
    }
  }
}`;

const NESTED_LISTS = `query ($first: Int!) {
  organizations(first: $first) {
    nodes { members { account organization { id } } dataSources { name attestations(first: 3) { totalCount nodes { id previous { id } next { id } } } } }
  }
}`;

for (const target of databaseTargets()) {
  describe(`GraphQL statements per operation (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    /** Runs the operation with a fresh counting executor (and so fresh loaders); returns its data and statements. */
    async function counted(source: string, variables: Record<string, unknown>) {
      const db = countingExecutor(fixture.db);
      const data = await query(fixture, "auditor", source, variables, { db });
      return { data, statements: db.statements };
    }

    it("reads 50 requests with their source, organizations, deliveries and attestations in at most 6 statements", async function () {
      const telecom = String(fixture.activity.organizations.telecom);
      const fifty = await counted(REQUESTS_WITH_RELATIONS, { first: 50, telecom });
      const five = await counted(REQUESTS_WITH_RELATIONS, { first: 5, telecom });
      const nodes = fifty.data.accessRequests.nodes;
      expect(nodes).to.have.length(50);
      expect(nodes.filter((node: { deliveries: unknown[] }) => node.deliveries.length > 0)).to.have.length.at.least(5);
      expect(fifty.statements.length, fifty.statements.join("\n---\n")).to.be.at.most(6);
      expect(fifty.statements.length, "statements do not grow with the page").to.equal(five.statements.length);
    });

    it("reads nested lists (members, sources, each source's attestations and their chain links) in a constant number of statements", async function () {
      const two = await counted(NESTED_LISTS, { first: 2 });
      const all = await counted(NESTED_LISTS, { first: 5 });
      const sources = all.data.organizations.nodes.flatMap((node: { dataSources: unknown[] }) => node.dataSources);
      expect(sources).to.have.length(3);
      expect(all.statements.length).to.equal(two.statements.length);
      expect(all.statements.length, all.statements.join("\n---\n")).to.be.at.most(8);
    });

    it("reads a case trail with its requests, sources, deliveries and attestations in 5 statements", async function () {
      const trail = `query ($c: Bytes!) {
        caseTrail(caseRef: $c) { request { id source { name } } delivery { id attestation { id } } }
      }`;
      const { data, statements } = await counted(trail, { c: id(`case:${fixture.cases.mixed}`) });
      expect(data.caseTrail).to.have.length(8);
      expect(statements.length, statements.join("\n---\n")).to.be.at.most(5);
    });

    it("reads organizations and sources once per index version when operations share their rows", async function () {
      const sharedRowsAt = createSharedRowsByVersion();
      const telecom = String(fixture.activity.organizations.telecom);
      const readsOf = async (version: string) => {
        const db = countingExecutor(fixture.db);
        const data = await query(
          fixture,
          "auditor",
          REQUESTS_WITH_RELATIONS,
          { first: 5, telecom },
          {
            db,
            sharedRows: sharedRowsAt(version),
          },
        );
        const shared = db.statements.filter((sql) => /FROM (organizations|data_sources) t/.test(sql));
        return { data, shared: shared.length };
      };
      const first = await readsOf("v1");
      const again = await readsOf("v1");
      const next = await readsOf("v2");
      expect(first.shared).to.be.at.least(2);
      expect(again.shared, "same version: read from the shared rows").to.equal(0);
      expect(again.data).to.deep.equal(first.data);
      expect(next.shared, "a new version reads afresh").to.equal(first.shared);
    });
  });
}

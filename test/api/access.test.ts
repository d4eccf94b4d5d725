import { expect } from "chai";
import { id } from "ethers";
import { parse, subscribe } from "graphql";
import type { ExecutionResult } from "graphql";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { contextFor, expectErrorCode, query, run, schema } from "../helpers/graphql";
import type { CallerName } from "../helpers/graphql";

/** One read of every root field, to show which callers may make it. */
const ROOT_READS: Record<string, string> = {
  viewer: `{ viewer { account } }`,
  organization: `{ organization(id: "1") { name } }`,
  organizations: `{ organizations { totalCount } }`,
  dataSource: `{ dataSource(id: "0x00") { name } }`,
  dataSources: `{ dataSources { totalCount } }`,
  attestation: `{ attestation(id: "1") { id } }`,
  attestations: `{ attestations { totalCount } }`,
  accessRequest: `{ accessRequest(id: "0x00") { id } }`,
  accessRequests: `{ accessRequests { totalCount } }`,
  deliveries: `{ deliveries { totalCount } }`,
  events: `{ events { totalCount } }`,
  caseTrail: `{ caseTrail(caseRef: "0x00") { step } }`,
  verifyRecord: `{ verifyRecord(attestationId: "1", index: "0", digest: "${id("x")}", proof: []) { valid } }`,
  stats: `{ stats { medianSecondsToDecision } }`,
  queryAudit: `{ queryAudit { totalCount } }`,
};

const COUNTS = `query ($bureau: BigInt!, $telecom: BigInt!) {
  all: accessRequests { totalCount }
  asHolder: accessRequests(where: { requesterOrganizationId: { eq: $bureau }, holderOrganizationId: { eq: $telecom } }) {
    totalCount
  }
  active: accessRequests(where: { status: [ACTIVE] }) { totalCount }
  deliveries { totalCount }
}`;

for (const target of databaseTargets()) {
  describe(`GraphQL access rule (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    const organizationIds = () => {
      const { bureau, telecom, bank } = fixture.activity.organizations;
      return { bureau: String(bureau), telecom: String(telecom), bank: String(bank) };
    };

    async function forbiddenFor(caller: CallerName, source: string, variables: Record<string, unknown> = {}) {
      const result = await run(fixture, caller, source, variables);
      expectErrorCode(result, "FORBIDDEN");
      return result;
    }

    async function subscriptionFor(caller: CallerName, source: string) {
      const result = await subscribe({ schema, document: parse(source), contextValue: contextFor(fixture, caller) });
      return result as ExecutionResult;
    }

    describe("anonymous callers", function () {
      for (const [field, source] of Object.entries(ROOT_READS)) {
        it(`get UNAUTHENTICATED for ${field}`, async function () {
          const result = await run(fixture, "anonymous", source);
          expectErrorCode(result, "UNAUTHENTICATED");
          expect(result.data?.[field] ?? null).to.equal(null);
        });
      }

      it("get UNAUTHENTICATED for both subscriptions", async function () {
        expectErrorCode(await subscriptionFor("anonymous", `subscription { events { name } }`), "UNAUTHENTICATED");
        const caseTrail = `subscription { caseTrail(caseRef: "0x00") { step } }`;
        expectErrorCode(await subscriptionFor("anonymous", caseTrail), "UNAUTHENTICATED");
      });
    });

    describe("every member", function () {
      it("reads organizations, sources and attestations, and itself as the viewer", async function () {
        const { addresses } = fixture.deployment;
        for (const caller of ["investigator", "telecomSteward", "bankSteward", "auditor"] as const) {
          const data = await query(
            fixture,
            caller,
            `{ organizations { totalCount } dataSources { totalCount } attestations { totalCount } }`,
          );
          expect(data.organizations.totalCount).to.equal(5);
          expect(data.dataSources.totalCount).to.equal(3);
          expect(data.attestations.totalCount).to.be.at.least(100);
        }
        const viewer = await query(fixture, "investigator", `{ viewer { account roles organization { kind } } }`);
        expect(viewer.viewer).to.deep.equal({
          account: addresses.investigator,
          roles: ["INVESTIGATOR"],
          organization: { kind: "PUBLIC_SECURITY" },
        });
        expect((await query(fixture, "open", `{ viewer { account } }`)).viewer).to.equal(null);
      });
    });

    describe("the investigating organization", function () {
      it("sees every request it made, at every holder, with their deliveries and trails", async function () {
        const data = await query(fixture, "investigator", COUNTS, organizationIds());
        expect(data).to.deep.equal({
          all: { totalCount: 60 },
          asHolder: { totalCount: 58 },
          active: { totalCount: 7 },
          deliveries: { totalCount: 9 },
        });
        const trail = await query(fixture, "investigator", `query ($c: Bytes!) { caseTrail(caseRef: $c) { step } }`, {
          c: id(`case:${fixture.cases.mixed}`),
        });
        expect(trail.caseTrail).to.have.length(8);
      });

      it("may not read raw events, the audit log or their live feed", async function () {
        await forbiddenFor("investigator", ROOT_READS.events);
        await forbiddenFor("investigator", ROOT_READS.queryAudit);
        expectErrorCode(await subscriptionFor("investigator", `subscription { events { name } }`), "FORBIDDEN");
      });
    });

    describe("a holder", function () {
      it("sees the requests to it, nothing else, implicitly restricted when the filter only describes them", async function () {
        const data = await query(fixture, "telecomSteward", COUNTS, organizationIds());
        expect(data).to.deep.equal({
          all: { totalCount: 58 },
          asHolder: { totalCount: 58 },
          active: { totalCount: 6 },
          deliveries: { totalCount: 8 },
        });
      });

      it("gets FORBIDDEN for another holder's request, by id, by case, by source or by filter", async function () {
        const { activity, requests } = fixture;
        await forbiddenFor("telecomSteward", `query ($id: Bytes!) { accessRequest(id: $id) { id } }`, {
          id: activity.requests.revoked,
        });
        const result = await forbiddenFor(
          "telecomSteward",
          `query ($c: Bytes!) { accessRequests(where: { caseRef: $c }) { nodes { id } } }`,
          { c: id(`case:${fixture.cases.mixed}`) },
        );
        expect(result.data).to.equal(null);
        await forbiddenFor(
          "telecomSteward",
          `query ($s: [Bytes!]) { accessRequests(where: { sourceId: $s }) { totalCount } }`,
          {
            s: [activity.sources.transfers],
          },
        );
        await forbiddenFor(
          "telecomSteward",
          `query ($r: [Bytes!]) { deliveries(where: { requestId: $r }) { totalCount } }`,
          {
            r: [requests.mixedCaseBank],
          },
        );
        await forbiddenFor(
          "telecomSteward",
          `query ($a: BigInt!) { deliveries(where: { attestationId: { eq: $a } }) { totalCount } }`,
          { a: String(fixture.transfersAttestationId) },
        );
      });

      it("gets FORBIDDEN naming the investigating organization alone, which also asked another holder", async function () {
        await forbiddenFor(
          "telecomSteward",
          `query ($bureau: BigInt!) { accessRequests(where: { requesterOrganizationId: { eq: $bureau } }) { totalCount } }`,
          organizationIds(),
        );
      });

      it("gets FORBIDDEN for the trail of a case that also went to another holder, and reads its own", async function () {
        const trail = `query ($c: Bytes!) { caseTrail(caseRef: $c) { step } }`;
        await forbiddenFor("telecomSteward", trail, { c: id(`case:${fixture.cases.mixed}`) });
        const own = await query(fixture, "telecomSteward", trail, { c: id("case:2024-HZ-0118") });
        expect(own.caseTrail.map((entry: { step: string }) => entry.step)).to.deep.equal(["REQUESTED", "REJECTED"]);
        const live = await subscriptionFor(
          "telecomSteward",
          `subscription { caseTrail(caseRef: "${id(`case:${fixture.cases.mixed}`)}") { step } }`,
        );
        expectErrorCode(live, "FORBIDDEN");
      });
    });

    describe("another holder", function () {
      it("sees only the bank's two requests and its one delivery", async function () {
        const data = await query(fixture, "bankSteward", `{ accessRequests { totalCount } deliveries { totalCount } }`);
        expect(data).to.deep.equal({ accessRequests: { totalCount: 2 }, deliveries: { totalCount: 1 } });
        // Naming the telecom as holder reaches beyond the bank's requests.
        await forbiddenFor("bankSteward", COUNTS, organizationIds());
      });

      it("gets FORBIDDEN for the telecom's case, request and delivery", async function () {
        const { activity } = fixture;
        await forbiddenFor("bankSteward", `query ($c: Bytes!) { caseTrail(caseRef: $c) { step } }`, {
          c: id("case:2024-HZ-0117"),
        });
        await forbiddenFor("bankSteward", `query ($id: Bytes!) { accessRequest(id: $id) { id } }`, {
          id: activity.requests.delivered,
        });
        await forbiddenFor(
          "bankSteward",
          `query ($d: BigInt!) { deliveries(where: { id: { eq: $d } }) { totalCount } }`,
          {
            d: String(activity.deliveryId),
          },
        );
      });
    });

    describe("auditors, governance and open mode", function () {
      for (const caller of ["auditor", "governance", "open"] as const) {
        it(`let ${caller} read every root field`, async function () {
          for (const source of Object.values(ROOT_READS)) {
            const result = await run(fixture, caller, source);
            expect(result.errors, `${caller}: ${source}`).to.equal(undefined);
          }
          const data = await query(fixture, caller, COUNTS, organizationIds());
          expect(data.all.totalCount).to.equal(60);
          expect(data.deliveries.totalCount).to.equal(9);
        });
      }
    });
  });
}

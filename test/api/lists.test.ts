import { expect } from "chai";
import { getAddress, id } from "ethers";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { expectErrorCode, query, run } from "../helpers/graphql";

/** The ids of a connection's nodes, in order. */
const ids = (connection: { nodes: { id: string }[] }) => connection.nodes.map((node) => node.id);

for (const target of databaseTargets()) {
  describe(`GraphQL lists (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    describe("organizations", function () {
      it("filters by kind, by id range, by active state and by name, ignoring case", async function () {
        const data = await query(
          fixture,
          "investigator",
          `{
            holders: organizations(where: { kind: [BANK, TELECOM] }) { nodes { name } }
            middle: organizations(where: { id: { gte: "2", lte: "4" } }) { nodes { id } }
            listed: organizations(where: { id: { in: ["1", "5"] }, active: true }) { nodes { id } }
            named: organizations(where: { name: { contains: "bANK" } }) { nodes { name kind } totalCount }
          }`,
        );
        expect(data.holders.nodes.map((node: { name: string }) => node.name)).to.deep.equal([
          "Metro Telecom",
          "City Bank",
        ]);
        expect(ids(data.middle)).to.deep.equal(["2", "3", "4"]);
        expect(ids(data.listed)).to.deep.equal(["1", "5"]);
        expect(data.named).to.deep.equal({ nodes: [{ name: "City Bank", kind: "BANK" }], totalCount: 1 });
      });

      it("orders by name (code points) and by registration time, both ways", async function () {
        const data = await query(
          fixture,
          "investigator",
          `{
            byName: organizations(orderBy: { field: NAME, direction: ASC }) { nodes { name } }
            newest: organizations(orderBy: { field: REGISTERED_AT, direction: DESC }) { nodes { id } }
          }`,
        );
        expect(data.byName.nodes.map((node: { name: string }) => node.name)).to.deep.equal([
          "City Bank",
          "Grid Power",
          "Metro Telecom",
          "Oversight Office",
          "Public Security Bureau",
        ]);
        expect(ids(data.newest)).to.deep.equal(["5", "4", "3", "2", "1"]);
      });

      it("lists an organization's members with their roles and its data sources", async function () {
        const { addresses } = fixture.deployment;
        const data = await query(
          fixture,
          "bankSteward",
          `query ($id: BigInt!) { organization(id: $id) {
            name members { account roles organization { id } } dataSources { name retired }
          } }`,
          { id: String(fixture.activity.organizations.telecom) },
        );
        expect(data.organization.members).to.have.deep.members([
          { account: addresses.telecomAdmin, roles: ["ORG_ADMIN"], organization: { id: "1" } },
          { account: addresses.telecomSteward, roles: ["DATA_STEWARD"], organization: { id: "1" } },
        ]);
        expect(data.organization.dataSources).to.deep.equal([
          { name: "call-records", retired: false },
          { name: "legacy-cdr", retired: true },
        ]);
      });

      it("answers null for an organization that does not exist", async function () {
        const data = await query(fixture, "investigator", `{ organization(id: "99") { id } }`);
        expect(data.organization).to.equal(null);
      });
    });

    describe("data sources", function () {
      it("filters by holder, name, sensitivity and retirement", async function () {
        const { telecom } = fixture.activity.organizations;
        const data = await query(
          fixture,
          "investigator",
          `query ($telecom: BigInt!) {
            telecom: dataSources(where: { organizationId: { eq: $telecom } }) { nodes { name } }
            sensitive: dataSources(where: { sensitivity: { gte: "2" } }) { nodes { name } }
            retired: dataSources(where: { retired: true, name: { contains: "CDR" } }) { nodes { name } }
          }`,
          { telecom: String(telecom) },
        );
        const names = (connection: { nodes: { name: string }[] }) => connection.nodes.map((node) => node.name);
        expect(names(data.telecom)).to.deep.equal(["call-records", "legacy-cdr"]);
        expect(names(data.sensitive)).to.deep.equal(["transfers"]);
        expect(names(data.retired)).to.deep.equal(["legacy-cdr"]);
      });

      it("orders by sensitivity, and gives each source its schema versions, oldest first", async function () {
        const data = await query(
          fixture,
          "telecomSteward",
          `{ dataSources(orderBy: { field: SENSITIVITY, direction: DESC }) {
            nodes { name sensitivity schemaVersion schemaVersions { version schemaURI schemaHash } organization { name } }
          } }`,
        );
        expect(data.dataSources.nodes.map((node: { sensitivity: number }) => node.sensitivity)).to.deep.equal([
          3, 1, 0,
        ]);
        const callRecords = data.dataSources.nodes[1];
        expect(callRecords).to.deep.include({
          name: "call-records",
          schemaVersion: 2,
          organization: { name: "Metro Telecom" },
        });
        expect(callRecords.schemaVersions).to.deep.equal([
          { version: 1, schemaURI: "ipfs://schemas/call-records", schemaHash: id("schema:call-records") },
          { version: 2, schemaURI: "ipfs://schemas/call-records/v2", schemaHash: id("schema:call-records:v2") },
        ]);
      });

      it("lists each source's attestations newest first, one statement for every source", async function () {
        const { callRecords, transfers } = fixture.activity.sources;
        const data = await query(
          fixture,
          "investigator",
          `{ dataSources { nodes { id attestations(first: 2) { nodes { id } totalCount pageInfo { hasNextPage } } } } }`,
        );
        const bySource = new Map(data.dataSources.nodes.map((node: { id: string }) => [node.id, node]));
        const [{ count }] = await fixture.db.query<{ count: string }>(
          "SELECT max(attestation_id)::text AS count FROM attestations WHERE source_id = $1",
          [callRecords],
        );
        const newest = BigInt(count);
        expect(bySource.get(callRecords)).to.deep.include({
          attestations: {
            nodes: [{ id: String(newest) }, { id: String(newest - 1n) }],
            totalCount: Number(newest) - 1,
            pageInfo: { hasNextPage: true },
          },
        });
        expect(bySource.get(transfers)).to.deep.include({
          attestations: {
            nodes: [{ id: String(fixture.transfersAttestationId) }],
            totalCount: 1,
            pageInfo: { hasNextPage: false },
          },
        });
      });
    });

    describe("attestations", function () {
      it("filters by source, revocation, record count, root and time", async function () {
        const { records, revokedRecords, transfersAttestationId } = fixture;
        const data = await query(
          fixture,
          "bankSteward",
          `query ($transfers: Bytes!, $root: Bytes!) {
            transfers: attestations(where: { sourceId: [$transfers] }) { nodes { id } }
            revoked: attestations(where: { revoked: true }) { nodes { id revocationReason } }
            bulk: attestations(where: { recordCount: { gte: "1000" } }) { totalCount }
            root: attestations(where: { merkleRoot: $root }) { nodes { id recordCount } }
            early: attestations(where: { attestedAt: { lte: "2000-01-01T00:00:00Z" } }) { totalCount }
            chainStart: attestations(where: { periodStart: { lte: "2024-01-01T00:00:00Z" } }) { nodes { id } }
          }`,
          { transfers: fixture.activity.sources.transfers, root: records.tree.root.toUpperCase().replace("0X", "0x") },
        );
        expect(ids(data.transfers)).to.deep.equal([String(transfersAttestationId)]);
        expect(data.revoked.nodes).to.deep.equal([
          { id: "2", revocationReason: "superseded by a corrected batch" },
          { id: String(revokedRecords.attestationId), revocationReason: "records of the wrong cell" },
        ]);
        expect(data.bulk.totalCount).to.equal(120);
        expect(data.root.nodes).to.deep.equal([{ id: String(records.attestationId), recordCount: "8" }]);
        expect(data.early.totalCount).to.equal(0);
        expect(ids(data.chainStart)).to.deep.equal(["1"]);
      });

      it("links each attestation to the previous and the next of its source's chain", async function () {
        const { records, revokedRecords } = fixture;
        const data = await query(
          fixture,
          "telecomSteward",
          `query ($id: BigInt!) {
            first: attestation(id: "1") { previous { id } next { id } source { name } }
            middle: attestation(id: $id) { previous { id } next { id previous { id } } merkleRoot recordCount }
          }`,
          { id: String(records.attestationId) },
        );
        expect(data.first).to.deep.equal({ previous: null, next: { id: "2" }, source: { name: "call-records" } });
        expect(data.middle).to.deep.equal({
          previous: { id: String(records.attestationId - 1n) },
          next: { id: String(revokedRecords.attestationId), previous: { id: String(records.attestationId) } },
          merkleRoot: records.tree.root,
          recordCount: "8",
        });
      });
    });

    describe("access requests", function () {
      it("filters by case, holder, status, purpose, source and requester (checksum spelling accepted)", async function () {
        const { requests, activity, deployment } = fixture;
        const data = await query(
          fixture,
          "auditor",
          `query ($case: Bytes!, $bank: BigInt!, $requester: Address!, $transfers: Bytes!) {
            mixed: accessRequests(where: { caseRef: $case }) { nodes { id } }
            bank: accessRequests(where: { holderOrganizationId: { eq: $bank } }) { nodes { id } }
            pending: accessRequests(where: { status: [PENDING] }) { totalCount }
            purposeTwo: accessRequests(where: { purpose: { eq: "2" }, sourceId: [$transfers] }) { nodes { id } }
            everyOne: accessRequests(where: { requester: [$requester] }) { totalCount }
          }`,
          {
            case: id(`case:${fixture.cases.mixed}`),
            bank: String(activity.organizations.bank),
            requester: getAddress(deployment.addresses.investigator),
            transfers: activity.sources.transfers,
          },
        );
        expect(ids(data.mixed)).to.have.members([requests.mixedCaseTelecom, requests.mixedCaseBank]);
        expect(ids(data.bank)).to.deep.equal([activity.requests.revoked, requests.mixedCaseBank]);
        expect(data.pending.totalCount).to.equal(1 + 45);
        // The mixed case's bank request was the fifth of its batch: purpose 1 + (4 % 3) = 2.
        expect(ids(data.purposeTwo)).to.deep.equal([requests.mixedCaseBank]);
        expect(data.everyOne.totalCount).to.equal(3 + 2 + 55);
      });

      it("orders by the end of the window, ties broken by id", async function () {
        const data = await query(
          fixture,
          "auditor",
          `{ accessRequests(first: 1000, orderBy: { field: NOT_AFTER, direction: DESC }) { nodes { id notAfter } } }`,
        );
        const nodes: { id: string; notAfter: string }[] = data.accessRequests.nodes;
        const expected = [...nodes].sort(
          (a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
        );
        expect(nodes.map((node) => node.id)).to.deep.equal(expected.map((node) => node.id));
        expect(nodes).to.have.length(60);
      });

      it("gives a request's endorsement, decision, revocation and deliveries", async function () {
        const { requests, activity, deployment } = fixture;
        const data = await query(
          fixture,
          "auditor",
          `query ($bank: Bytes!, $rejected: Bytes!, $revoked: Bytes!) {
            bank: accessRequest(id: $bank) {
              endorsementRequired endorsement { supervisor bySignature } decision { outcome steward reasonCode }
              deliveries { deliveryNumber recordCount acknowledgement attestation { id } request { id } }
              holderOrganization { name } requesterOrganization { name } source { name } deliveryCount
            }
            rejected: accessRequest(id: $rejected) { decision { outcome reasonCode } revocation { kind } }
            revoked: accessRequest(id: $revoked) {
              decision { outcome } revocation { kind revokedBy reasonCode transactionHash }
            }
          }`,
          { bank: requests.mixedCaseBank, rejected: activity.requests.rejected, revoked: activity.requests.revoked },
        );
        expect(data.bank).to.deep.equal({
          endorsementRequired: true,
          endorsement: { supervisor: deployment.addresses.supervisor, bySignature: false },
          decision: { outcome: "APPROVED", steward: deployment.addresses.bankSteward, reasonCode: null },
          deliveries: [
            {
              deliveryNumber: 1,
              recordCount: 2,
              acknowledgement: "NONE",
              attestation: { id: String(fixture.transfersAttestationId) },
              request: { id: requests.mixedCaseBank },
            },
          ],
          holderOrganization: { name: "City Bank" },
          requesterOrganization: { name: "Public Security Bureau" },
          source: { name: "transfers" },
          deliveryCount: 1,
        });
        expect(data.rejected).to.deep.equal({ decision: { outcome: "REJECTED", reasonCode: 3 }, revocation: null });
        expect(data.revoked.decision).to.equal(null);
        expect(data.revoked.revocation).to.deep.include({
          kind: "GRANT",
          revokedBy: deployment.addresses.auditor,
          reasonCode: 9,
        });
        expect(data.revoked.revocation.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      });
    });

    describe("deliveries", function () {
      it("filters by acknowledgement, attestation and request, and orders by time", async function () {
        const { activity, requests, records } = fixture;
        const data = await query(
          fixture,
          "auditor",
          `query ($records: BigInt!, $request: Bytes!) {
            disputed: deliveries(where: { acknowledgement: [DISPUTED] }) { nodes { id acknowledgementReason } }
            fromRecords: deliveries(where: { attestationId: { eq: $records } }) { totalCount }
            ofRequest: deliveries(where: { requestId: [$request] }) { nodes { acknowledgement acknowledgedAt } }
            newest: deliveries(orderBy: { field: DELIVERED_AT, direction: DESC }, first: 2) { nodes { id } }
            all: deliveries { totalCount }
          }`,
          { records: String(records.attestationId), request: requests.exhausted },
        );
        expect(data.disputed.nodes).to.deep.equal([{ id: String(activity.deliveryId), acknowledgementReason: 7 }]);
        // The exhausted grant, the mixed case's telecom request and the five bulk grants drew from it.
        expect(data.fromRecords.totalCount).to.equal(7);
        expect(data.ofRequest.nodes).to.have.length(1);
        expect(data.ofRequest.nodes[0].acknowledgement).to.equal("ACCEPTED");
        expect(data.ofRequest.nodes[0].acknowledgedAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
        expect(data.all.totalCount).to.equal(9);
        expect(ids(data.newest)).to.deep.equal(["9", "8"]);
      });
    });

    describe("events", function () {
      it("filters raw events by name, contract, block range and transaction, in chain order", async function () {
        const data = await query(
          fixture,
          "governance",
          `{
            registered: events(where: { name: ["OrganizationRegistered"] }) {
              nodes { name contract blockNumber logIndex args transactionHash blockTime }
            }
            sources: events(where: { contract: ["DataSourceRegistry"], blockNumber: { gte: "1" } }) { totalCount }
          }`,
        );
        const registered = data.registered.nodes;
        expect(registered.map((node: { args: { name: string } }) => node.args.name)).to.deep.equal([
          "Metro Telecom",
          "City Bank",
          "Public Security Bureau",
          "Oversight Office",
          "Grid Power",
        ]);
        expect(registered.every((node: { contract: string }) => node.contract === "Consortium")).to.equal(true);
        const blocks = registered.map((node: { blockNumber: string }) => Number(node.blockNumber));
        expect(blocks).to.deep.equal([...blocks].sort((a, b) => a - b));
        // Three registrations, one schema update and one retirement.
        expect(data.sources.totalCount).to.equal(5);

        const { transactionHash, blockNumber } = registered[1];
        const one = await query(
          fixture,
          "governance",
          `query ($tx: Bytes!, $block: BigInt!) {
            events(where: { transactionHash: $tx, blockNumber: { lte: $block, gte: $block } }) { nodes { name } }
          }`,
          { tx: transactionHash, block: blockNumber },
        );
        expect(one.events.nodes.map((node: { name: string }) => node.name)).to.include("OrganizationRegistered");
      });
    });

    describe("the query audit log", function () {
      before(async function () {
        const { addresses } = fixture.deployment;
        await fixture.db.query(
          `INSERT INTO query_audit_log (account, served_at, operation_name, document_hash, variables_hash, result_bytes,
             duration_ms, error_codes)
           VALUES ($1, '2025-01-01T00:00:00Z', 'CaseTrail', 'd1', 'v1', 120, 3.5, $3::jsonb),
                  ($2, '2025-01-02T00:00:00Z', 'Stats', 'd2', 'v2', 80, 1.25, '[]'),
                  ($1, '2025-01-03T00:00:00Z', NULL, 'd3', 'v3', 10, 0.5, '[]')`,
          [addresses.investigator, addresses.auditor, JSON.stringify(["FORBIDDEN"])],
        );
      });

      it("lists entries newest first, filtered by account, operation and time", async function () {
        const { addresses } = fixture.deployment;
        const data = await query(
          fixture,
          "auditor",
          `query ($account: Address!) {
            all: queryAudit { nodes { operationName documentHash resultBytes durationMs errorCodes servedAt } }
            mine: queryAudit(where: { account: [$account] }) { nodes { documentHash account } }
            named: queryAudit(where: { operationName: { contains: "trail" } }) { nodes { documentHash } }
            later: queryAudit(where: { servedAt: { gte: "2025-01-02T00:00:00Z" } }, orderBy: { field: SERVED_AT, direction: ASC }) {
              nodes { documentHash }
            }
          }`,
          { account: addresses.investigator },
        );
        expect(data.all.nodes.map((node: { documentHash: string }) => node.documentHash)).to.deep.equal([
          "d3",
          "d2",
          "d1",
        ]);
        expect(data.all.nodes[2]).to.deep.equal({
          operationName: "CaseTrail",
          documentHash: "d1",
          resultBytes: 120,
          durationMs: 3.5,
          errorCodes: ["FORBIDDEN"],
          servedAt: "2025-01-01T00:00:00.000Z",
        });
        expect(data.mine.nodes).to.deep.equal([
          { documentHash: "d3", account: addresses.investigator },
          { documentHash: "d1", account: addresses.investigator },
        ]);
        expect(data.named.nodes).to.deep.equal([{ documentHash: "d1" }]);
        expect(data.later.nodes).to.deep.equal([{ documentHash: "d2" }, { documentHash: "d3" }]);
      });
    });

    describe("paging arguments", function () {
      const organizationsPage = (args: string) => `{ organizations(${args}) { nodes { id } } }`;

      for (const [name, args] of [
        ["a page larger than 1,000", "first: 1001"],
        ["a last larger than 1,000", "last: 1001"],
        ["first and last together", "first: 1, last: 1"],
        ["a negative first", "first: -1"],
        ["a negative last", "last: -2"],
        ["a cursor that is not base64 of a sort key", 'after: "not a cursor"'],
        ["a cursor of well-formed base64 but no sort key", `before: "${Buffer.from('{"a":1}').toString("base64url")}"`],
        ["a cursor whose key has the wrong type", `after: "${Buffer.from('["ID:ASC","x"]').toString("base64url")}"`],
        [
          "a cursor whose id exceeds 64 bits",
          `after: "${Buffer.from('["ID:ASC","9999999999999999999"]').toString("base64url")}"`,
        ],
      ]) {
        it(`refuses ${name} with BAD_USER_INPUT`, async function () {
          expectErrorCode(await run(fixture, "investigator", organizationsPage(args)), "BAD_USER_INPUT");
        });
      }

      it("refuses a cursor made in another order", async function () {
        const byName = await query(
          fixture,
          "investigator",
          `{ organizations(first: 1, orderBy: { field: NAME, direction: ASC }) { pageInfo { endCursor } } }`,
        );
        const cursor = byName.organizations.pageInfo.endCursor;
        expectErrorCode(await run(fixture, "investigator", organizationsPage(`after: "${cursor}"`)), "BAD_USER_INPUT");
      });

      it("serves a page of exactly 1,000, and an empty page of 0 that still says more follow", async function () {
        const data = await query(
          fixture,
          "investigator",
          `{
            full: attestations(first: 1000) { totalCount nodes { id } }
            none: attestations(first: 0) { nodes { id } pageInfo { hasNextPage startCursor } }
          }`,
        );
        expect(data.full.nodes).to.have.length(data.full.totalCount);
        expect(data.none).to.deep.equal({ nodes: [], pageInfo: { hasNextPage: true, startCursor: null } });
      });

      it("serves 100 items when neither first nor last is given", async function () {
        const data = await query(fixture, "investigator", `{ attestations { nodes { id } pageInfo { hasNextPage } } }`);
        expect(data.attestations.nodes).to.have.length(100);
        expect(data.attestations.pageInfo.hasNextPage).to.equal(true);
      });
    });
  });
}

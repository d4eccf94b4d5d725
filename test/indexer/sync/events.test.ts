import { expect } from "chai";
import { id } from "ethers";
import type { Database } from "../../../indexer/store";
import { deployOnNode, driveEveryEvent } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import type { TestDatabase } from "../../helpers/databases";
import { indexedUpTo, NODE_KINDS, startTestIndexer } from "../../helpers/indexer";
import type { IndexerUnderTest } from "../../helpers/indexer";
import type { NodeProcess } from "../../helpers/node";

/** Every event the suite's contracts declare that {driveEveryEvent} and the deployment emit. */
const EXPECTED_EVENT_NAMES = [
  "AccessRequested",
  "AttestationRecorded",
  "AttestationRevoked",
  "DataSourceRegistered",
  "DataSourceRetired",
  "DataSourceSchemaUpdated",
  "DeliveryAcknowledged",
  "DeliveryRecorded",
  "GrantRevoked",
  "MaxGrantDurationUpdated",
  "MemberAdded",
  "MemberRemoved",
  "MemberRolesUpdated",
  "NonceIncreased",
  "OrganizationRegistered",
  "OrganizationReinstated",
  "OrganizationSuspended",
  "Paused",
  "RequestApproved",
  "RequestEndorsed",
  "RequestRejected",
  "RoleGranted",
  "Unpaused",
];

for (const node of NODE_KINDS) {
  for (const target of databaseTargets()) {
    describe(`indexing every event (${node.name}, ${target.name})`, function () {
      let chain: NodeProcess;
      let deployment: Deployment;
      let activity: Activity;
      let handle: TestDatabase;
      let indexer: IndexerUnderTest;
      let db: Database;

      before(async function () {
        chain = await node.start();
        deployment = await deployOnNode(chain.url);
        activity = await driveEveryEvent(deployment);
        handle = await target.open();
        db = handle.database;
        indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, db);
        await indexedUpTo(indexer, await deployment.provider.getBlockNumber());
      });

      after(async function () {
        await indexer?.stop();
        await handle?.close();
        deployment?.provider.destroy();
        await chain?.stop();
      });

      it("stores every log of the suite's contracts once, decoded, in chain order", async function () {
        const addresses = Object.values(deployment.record.contracts).map((entry) => entry!.address);
        const logs = await deployment.provider.getLogs({ address: addresses, fromBlock: 0, toBlock: "latest" });
        const rows = await db.query<{ block_hash: string; log_index: number; event_name: string | null }>(
          "SELECT block_hash, log_index, event_name FROM events ORDER BY block_number, log_index",
        );
        expect(rows.map((row) => `${row.block_hash}#${row.log_index}`)).to.deep.equal(
          logs.map((log) => `${log.blockHash}#${log.index}`),
        );
        expect(rows.filter((row) => row.event_name === null)).to.deep.equal([]);
        expect([...new Set(rows.map((row) => row.event_name))].sort()).to.deep.equal(EXPECTED_EVENT_NAMES);
      });

      it("keeps the decoded arguments, structs as objects and integers as decimal strings", async function () {
        const [row] = await db.query<{ args: Record<string, unknown>; subject: string; contract_name: string }>(
          "SELECT args, subject, contract_name FROM events WHERE event_name = 'AttestationRecorded' ORDER BY log_index LIMIT 1",
        );
        expect(row.contract_name).to.equal("AttestationRegistry");
        expect(row.subject).to.equal("attestation:1");
        expect(row.args).to.deep.include({
          attestationId: "1",
          sourceId: activity.sources.callRecords,
          organizationId: String(activity.organizations.telecom),
          attester: deployment.addresses.telecomSteward,
        });
        expect(row.args.request).to.deep.equal({
          sourceId: activity.sources.callRecords,
          merkleRoot: id("root:0"),
          recordCount: "100",
          periodStart: "1704067200",
          periodEnd: "1704153600",
          previousAttestationId: "0",
          dataURI: "ipfs://batches/call-records/0",
        });
      });

      it("projects organizations with their kind and state", async function () {
        const rows = await db.query(
          "SELECT organization_id::text AS id, kind, name, active FROM organizations ORDER BY organization_id",
        );
        expect(rows).to.deep.equal([
          { id: "1", kind: "TELECOM", name: "Metro Telecom", active: true },
          { id: "2", kind: "BANK", name: "City Bank", active: true },
          { id: "3", kind: "PUBLIC_SECURITY", name: "Public Security Bureau", active: true },
          { id: "4", kind: "OVERSIGHT", name: "Oversight Office", active: true },
          { id: "5", kind: "POWER_UTILITY", name: "Grid Power", active: true },
        ]);
        const [reinstated] = await db.query<{ updated_block: string; registered_block: string }>(
          "SELECT updated_block::text, registered_block::text FROM organizations WHERE organization_id = 5",
        );
        expect(Number(reinstated.updated_block)).to.be.greaterThan(Number(reinstated.registered_block));
      });

      it("projects members and their roles, without the removed one", async function () {
        const rows = await db.query("SELECT account, organization_id::text AS organization, roles FROM members");
        const { addresses } = deployment;
        const expected = [
          [addresses.telecomAdmin, "1", 1],
          [addresses.telecomSteward, "1", 2],
          [addresses.bankAdmin, "2", 1],
          [addresses.bankSteward, "2", 2],
          [addresses.bureauAdmin, "3", 1],
          [addresses.investigator, "3", 4],
          [addresses.supervisor, "3", 8],
          [addresses.oversightAdmin, "4", 1],
          [addresses.auditor, "4", 16],
        ].map(([account, organization, roles]) => ({ account, organization, roles }));
        // The visitor was added to organization 4 and removed again.
        expected.push({ account: addresses.temporary, organization: "5", roles: 1 });
        expect(sortBy(rows, "account")).to.deep.equal(sortBy(expected, "account"));
      });

      it("projects data sources with their schema versions and retirement", async function () {
        const sources = await db.query(
          "SELECT source_id, name, sensitivity, endorsement_required, schema_version, schema_uri, retired FROM data_sources",
        );
        expect(sortBy(sources, "name")).to.deep.equal([
          {
            source_id: activity.sources.callRecords,
            name: "call-records",
            sensitivity: 1,
            endorsement_required: false,
            schema_version: 2,
            schema_uri: "ipfs://schemas/call-records/v2",
            retired: false,
          },
          {
            source_id: activity.sources.retired,
            name: "legacy-cdr",
            sensitivity: 0,
            endorsement_required: false,
            schema_version: 1,
            schema_uri: "ipfs://schemas/legacy-cdr",
            retired: true,
          },
          {
            source_id: activity.sources.transfers,
            name: "transfers",
            sensitivity: 3,
            endorsement_required: true,
            schema_version: 1,
            schema_uri: "ipfs://schemas/transfers",
            retired: false,
          },
        ]);
        const versions = await db.query(
          "SELECT schema_version, schema_hash FROM data_source_schemas WHERE source_id = $1 ORDER BY schema_version",
          [activity.sources.callRecords],
        );
        expect(versions).to.deep.equal([
          { schema_version: 1, schema_hash: id("schema:call-records") },
          { schema_version: 2, schema_hash: id("schema:call-records:v2") },
        ]);
      });

      it("projects attestations and their revocation", async function () {
        const rows = await db.query(
          `SELECT attestation_id::text AS id, merkle_root, record_count::text AS records,
             previous_attestation_id::text AS previous, revoked FROM attestations ORDER BY attestation_id`,
        );
        expect(rows).to.deep.equal([
          { id: "1", merkle_root: id("root:0"), records: "100", previous: "0", revoked: false },
          { id: "2", merkle_root: id("root:1"), records: "100", previous: "1", revoked: true },
        ]);
      });

      it("projects access requests with endorsements and decisions", async function () {
        const rows = await db.query(
          `SELECT request_id, status, endorsed_by, decided_by, rejection_reason, case_ref FROM access_requests`,
        );
        const { requests } = activity;
        const { addresses } = deployment;
        expect(sortBy(rows, "case_ref")).to.deep.equal(
          sortBy(
            [
              {
                request_id: requests.delivered,
                status: "APPROVED",
                endorsed_by: null,
                decided_by: addresses.telecomSteward,
                rejection_reason: null,
                case_ref: id("case:2024-HZ-0117"),
              },
              {
                request_id: requests.rejected,
                status: "REJECTED",
                endorsed_by: null,
                decided_by: addresses.telecomSteward,
                rejection_reason: 3,
                case_ref: id("case:2024-HZ-0118"),
              },
              {
                request_id: requests.revoked,
                status: "REVOKED",
                endorsed_by: addresses.supervisor,
                decided_by: null,
                rejection_reason: null,
                case_ref: id("case:2024-HZ-0119"),
              },
            ],
            "case_ref",
          ),
        );
      });

      it("projects deliveries with their acknowledgement, and both kinds of revocation", async function () {
        const deliveries = await db.query(
          `SELECT delivery_id::text AS id, request_id, attestation_id::text AS attestation, payload_hash, record_count,
             acknowledgement, acknowledgement_reason, acknowledged_by FROM deliveries`,
        );
        expect(deliveries).to.deep.equal([
          {
            id: String(activity.deliveryId),
            request_id: activity.requests.delivered,
            attestation: "1",
            payload_hash: id("payload"),
            record_count: 10,
            acknowledgement: "DISPUTED",
            acknowledgement_reason: 7,
            acknowledged_by: deployment.addresses.investigator,
          },
        ]);
        const revocations = await db.query(
          "SELECT kind, subject_id, revoked_by, reason_code, reason, previous_status FROM revocations ORDER BY kind",
        );
        expect(revocations).to.deep.equal([
          {
            kind: "ATTESTATION",
            subject_id: "2",
            revoked_by: deployment.addresses.telecomSteward,
            reason_code: null,
            reason: "superseded by a corrected batch",
            previous_status: null,
          },
          {
            kind: "GRANT",
            subject_id: activity.requests.revoked,
            revoked_by: deployment.addresses.auditor,
            reason_code: 9,
            reason: null,
            previous_status: "PENDING",
          },
        ]);
      });

      it("records the checkpoint at the head with the deployment's contracts", async function () {
        const [checkpoint] = await db.query<{ block_number: string; block_hash: string; contracts: string[] }>(
          "SELECT block_number::text, block_hash, contracts FROM checkpoint",
        );
        const head = await deployment.provider.getBlock("latest");
        expect(checkpoint.block_number).to.equal(String(head!.number));
        expect(checkpoint.block_hash).to.equal(head!.hash);
        expect(checkpoint.contracts).to.have.members(
          Object.values(deployment.record.contracts).map((entry) => entry!.address.toLowerCase()),
        );
      });
    });
  }
}

function sortBy<T>(rows: T[], key: keyof T): T[] {
  return [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}

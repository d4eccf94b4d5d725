import { expect } from "chai";
import { id } from "ethers";
import { apiFixture } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { query } from "../helpers/graphql";

/** The AccessGrants events a case trail is made of. */
const TRAIL_EVENTS = new Set([
  "AccessRequested",
  "RequestEndorsed",
  "RequestApproved",
  "RequestRejected",
  "GrantRevoked",
  "DeliveryRecorded",
  "DeliveryAcknowledged",
]);

const CASE_TRAIL = `query ($caseRef: Bytes!) {
  caseTrail(caseRef: $caseRef) {
    step actor request { id } delivery { id acknowledgement }
    event { name blockNumber blockTime transactionHash logIndex }
  }
}`;

interface TrailEntry {
  step: string;
  actor: string;
  request: { id: string };
  delivery: { id: string; acknowledgement: string } | null;
  event: { name: string; blockNumber: string; blockTime: string; transactionHash: string; logIndex: number };
}

for (const target of databaseTargets()) {
  describe(`GraphQL case trail (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    async function trailOf(caseLabel: string): Promise<TrailEntry[]> {
      return (await query(fixture, "auditor", CASE_TRAIL, { caseRef: id(`case:${caseLabel}`) })).caseTrail;
    }

    /** The trail as the node's own logs tell it: the AccessGrants events of these requests, in chain order. */
    async function chainTrail(requestIds: string[]) {
      const { accessGrants } = fixture.deployment.suite;
      const logs = await fixture.deployment.provider.getLogs({
        address: await accessGrants.getAddress(),
        fromBlock: 0,
        toBlock: fixture.head,
      });
      return logs
        .map((log) => ({ log, parsed: accessGrants.interface.parseLog(log)! }))
        .filter(({ parsed }) => TRAIL_EVENTS.has(parsed.name) && requestIds.includes(parsed.args.requestId))
        .map(({ log, parsed }) => ({
          name: parsed.name,
          blockNumber: String(log.blockNumber),
          transactionHash: log.transactionHash,
          logIndex: log.index,
        }));
    }

    it("lists every step of a case spanning two holders, in chain order, as the node logged them", async function () {
      const { requests, deployment } = fixture;
      const { addresses } = deployment;
      const trail = await trailOf(fixture.cases.mixed);
      const telecom = requests.mixedCaseTelecom;
      const bank = requests.mixedCaseBank;
      expect(trail.map((entry) => [entry.step, entry.actor, entry.request.id])).to.deep.equal([
        ["REQUESTED", addresses.investigator, telecom],
        ["REQUESTED", addresses.investigator, bank],
        ["APPROVED", addresses.telecomSteward, telecom],
        ["DELIVERED", addresses.telecomSteward, telecom],
        ["ACKNOWLEDGED", addresses.investigator, telecom],
        ["ENDORSED", addresses.supervisor, bank],
        ["APPROVED", addresses.bankSteward, bank],
        ["DELIVERED", addresses.bankSteward, bank],
      ]);
      expect(trail.map(({ event: { blockTime: _blockTime, ...event } }) => event)).to.deep.equal(
        await chainTrail([telecom, bank]),
      );
    });

    it("gives each step its block time", async function () {
      const trail = await trailOf(fixture.cases.mixed);
      for (const entry of trail) {
        const block = await fixture.deployment.provider.getBlock(Number(entry.event.blockNumber));
        expect(entry.event.blockTime).to.equal(new Date(block!.timestamp * 1000).toISOString());
      }
    });

    it("names the delivery of DELIVERED and ACKNOWLEDGED steps", async function () {
      const trail = await trailOf("2024-HZ-0117");
      expect(trail.map((entry) => [entry.step, entry.delivery])).to.deep.equal([
        ["REQUESTED", null],
        ["APPROVED", null],
        ["DELIVERED", { id: String(fixture.activity.deliveryId), acknowledgement: "DISPUTED" }],
        ["ACKNOWLEDGED", { id: String(fixture.activity.deliveryId), acknowledgement: "DISPUTED" }],
      ]);
    });

    it("shows rejections and revocations with who took them", async function () {
      const { addresses } = fixture.deployment;
      const rejected = await trailOf("2024-HZ-0118");
      const revoked = await trailOf("2024-HZ-0119");
      expect(rejected.map((entry) => [entry.step, entry.actor])).to.deep.equal([
        ["REQUESTED", addresses.investigator],
        ["REJECTED", addresses.telecomSteward],
      ]);
      expect(revoked.map((entry) => [entry.step, entry.actor])).to.deep.equal([
        ["REQUESTED", addresses.investigator],
        ["ENDORSED", addresses.supervisor],
        ["REVOKED", addresses.auditor],
      ]);
    });

    it("is empty for a case nobody asked about", async function () {
      expect(await trailOf("no such case")).to.deep.equal([]);
    });
  });
}

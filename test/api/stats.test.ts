import { expect } from "chai";
import { apiFixture, TIME_JUMP_SECONDS } from "../helpers/api-scenario";
import type { ApiFixture } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import { query } from "../helpers/graphql";
import type { CallerName } from "../helpers/graphql";

const STATS = `{ stats {
  perHolderAndMonth { organization { id } month requests approvals rejections deliveries }
  medianSecondsToDecision
} }`;

interface Row {
  organization: { id: string };
  month: string;
  requests: number;
  approvals: number;
  rejections: number;
  deliveries: number;
}

/** The statistics computed from the node's logs, not from the index: the oracle. */
async function statisticsFromChain(fixture: ApiFixture, holders: string[] | null) {
  const { accessGrants } = fixture.deployment.suite;
  const { provider } = fixture.deployment;
  const logs = await provider.getLogs({
    address: await accessGrants.getAddress(),
    fromBlock: 0,
    toBlock: fixture.head,
  });
  const times = new Map<number, number>();
  for (const blockNumber of new Set(logs.map((log) => log.blockNumber))) {
    times.set(blockNumber, (await provider.getBlock(blockNumber))!.timestamp);
  }
  const holderOf = new Map<string, string>();
  const requestedAt = new Map<string, number>();
  const rows = new Map<string, Row>();
  const decisionSeconds: number[] = [];
  const count = (
    requestId: string,
    blockNumber: number,
    figure: "requests" | "approvals" | "rejections" | "deliveries",
  ) => {
    const holder = holderOf.get(requestId)!;
    if (holders && !holders.includes(holder)) return;
    const month = new Date(times.get(blockNumber)! * 1000).toISOString().slice(0, 7);
    const key = `${month}/${holder}`;
    const row = rows.get(key) ?? {
      organization: { id: holder },
      month,
      requests: 0,
      approvals: 0,
      rejections: 0,
      deliveries: 0,
    };
    row[figure] += 1;
    rows.set(key, row);
  };
  for (const log of logs) {
    const parsed = accessGrants.interface.parseLog(log)!;
    const { requestId } = parsed.args;
    if (parsed.name === "AccessRequested") {
      holderOf.set(requestId, String(parsed.args.holderOrganizationId));
      requestedAt.set(requestId, times.get(log.blockNumber)!);
      count(requestId, log.blockNumber, "requests");
    } else if (parsed.name === "RequestApproved" || parsed.name === "RequestRejected") {
      count(requestId, log.blockNumber, parsed.name === "RequestApproved" ? "approvals" : "rejections");
      if (!holders || holders.includes(holderOf.get(requestId)!)) {
        decisionSeconds.push(times.get(log.blockNumber)! - requestedAt.get(requestId)!);
      }
    } else if (parsed.name === "DeliveryRecorded") {
      count(requestId, log.blockNumber, "deliveries");
    }
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || Number(a.organization.id) - Number(b.organization.id),
  );
  return { perHolderAndMonth: sorted, medianSecondsToDecision: median(decisionSeconds) };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

for (const target of databaseTargets()) {
  describe(`GraphQL statistics (${target.name})`, function () {
    let fixture: ApiFixture;

    before(async function () {
      fixture = await apiFixture(target);
    });

    async function statsAs(caller: CallerName) {
      return (await query(fixture, caller, STATS)).stats;
    }

    it("counts requests, approvals, rejections and deliveries per holder and month, and the median time to decide", async function () {
      const stats = await statsAs("auditor");
      expect(stats).to.deep.equal(await statisticsFromChain(fixture, null));
      const months = new Set(stats.perHolderAndMonth.map((row: Row) => row.month));
      expect(months.size, `the scenario's ${TIME_JUMP_SECONDS / 86_400}-day jump spans two months`).to.equal(2);
      const totals = stats.perHolderAndMonth.reduce(
        (sum: Row, row: Row) => ({
          ...sum,
          requests: sum.requests + row.requests,
          deliveries: sum.deliveries + row.deliveries,
        }),
        { requests: 0, deliveries: 0 },
      );
      expect(totals).to.deep.equal({ requests: 60, deliveries: 9 });
    });

    it("gives a holder the rows of its own organization only", async function () {
      const telecom = String(fixture.activity.organizations.telecom);
      const stats = await statsAs("telecomSteward");
      expect(stats).to.deep.equal(await statisticsFromChain(fixture, [telecom]));
      expect(stats.perHolderAndMonth.every((row: Row) => row.organization.id === telecom)).to.equal(true);
      expect(stats.perHolderAndMonth).to.not.be.empty;
    });

    it("gives an organization that holds nothing no rows and no median", async function () {
      expect(await statsAs("investigator")).to.deep.equal({ perHolderAndMonth: [], medianSecondsToDecision: null });
    });
  });
}

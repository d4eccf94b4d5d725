import { expect } from "chai";
import { id } from "ethers";
import { parse, subscribe } from "graphql";
import type { ExecutionResult } from "graphql";
import type { ApiContext } from "../../indexer/api";
import { deployOnNode, driveEveryEvent } from "../helpers/activity";
import type { Activity, Deployment } from "../helpers/activity";
import { submitRequests } from "../helpers/api-scenario";
import { databaseTargets } from "../helpers/databases";
import type { TestDatabase } from "../helpers/databases";
import { schema } from "../helpers/graphql";
import { indexedUpTo, startTestIndexer } from "../helpers/indexer";
import type { IndexerUnderTest } from "../helpers/indexer";
import { startHardhatNode } from "../helpers/node";
import type { NodeProcess } from "../helpers/node";

type Subscription = AsyncIterableIterator<ExecutionResult>;

for (const target of databaseTargets()) {
  describe(`GraphQL subscriptions on a running indexer (${target.name})`, function () {
    let node: NodeProcess;
    let deployment: Deployment;
    let activity: Activity;
    let handle: TestDatabase;
    let indexer: IndexerUnderTest;

    before(async function () {
      [node, handle] = await Promise.all([startHardhatNode(), target.open()]);
      deployment = await deployOnNode(node.url);
      activity = await driveEveryEvent(deployment);
      indexer = await startTestIndexer(node.url, deployment.deploymentsFile, handle.database);
      await indexedUpTo(indexer, await deployment.provider.getBlockNumber());
    });

    after(async function () {
      await indexer?.stop();
      await handle?.close();
      deployment?.provider.destroy();
      await node?.stop();
    });

    /** A context as the server builds one, polling every 20 ms so the tests need not wait long. */
    function context(): ApiContext {
      return {
        db: handle.database,
        viewer: { kind: "open" },
        scope: { seesEverything: true, organizationIds: [] },
        subscriptionPollIntervalMs: 20,
      };
    }

    async function subscribed(source: string): Promise<Subscription> {
      const result = await subscribe({ schema, document: parse(source), contextValue: context() });
      if (!(Symbol.asyncIterator in result)) throw new Error(`not subscribed: ${JSON.stringify(result.errors)}`);
      return result;
    }

    it("sends a new event once the indexer has indexed it, and nothing indexed before", async function () {
      const events = await subscribed(
        `subscription { events(where: { name: ["OrganizationRegistered"] }) { name args blockNumber } }`,
      );
      const first = events.next();
      const { consortium } = deployment.suite;
      const admin = deployment.addresses.visitor;
      await (
        await consortium
          .connect(deployment.signers.governance)
          .registerOrganization(2, "Harbor Water", "ipfs://dxl/w", admin)
      ).wait();
      const { value } = await first;
      expect(value.errors).to.equal(undefined);
      expect(value.data.events).to.deep.include({ name: "OrganizationRegistered" });
      expect(value.data.events.args).to.deep.include({ name: "Harbor Water", organizationId: "6" });
      expect(Number(value.data.events.blockNumber)).to.equal(await deployment.provider.getBlockNumber());
      expect(await events.return!()).to.deep.equal({ value: undefined, done: true });
    });

    it("follows a case's trail as it grows, with each step's request read afresh", async function () {
      const caseLabel = "2025-LIVE-0001";
      const trail = await subscribed(
        `subscription { caseTrail(caseRef: "${id(`case:${caseLabel}`)}") { step actor request { id status } } }`,
      );
      const latest = (await deployment.provider.getBlock("latest"))!.timestamp;
      const [requestId] = await submitRequests(deployment, [
        {
          sourceId: activity.sources.callRecords,
          caseLabel,
          notBefore: latest,
          notAfter: latest + 86_400,
          maxDeliveries: 1,
        },
      ]);
      const requested = (await trail.next()).value;
      expect(requested.data.caseTrail).to.deep.equal({
        step: "REQUESTED",
        actor: deployment.addresses.investigator,
        request: { id: requestId, status: "PENDING" },
      });
      await (await deployment.suite.accessGrants.connect(deployment.signers.telecomSteward).approve(requestId)).wait();
      const approved = (await trail.next()).value;
      expect(approved.data.caseTrail).to.deep.equal({
        step: "APPROVED",
        actor: deployment.addresses.telecomSteward,
        request: { id: requestId, status: "ACTIVE" },
      });
      await trail.return!();
    });

    it("ends a next() that is waiting for rows as soon as the client goes away", async function () {
      const events = await subscribed(`subscription { events(where: { name: ["NeverEmitted"] }) { name } }`);
      const waiting = events.next();
      await events.return!();
      expect(await waiting).to.deep.equal({ value: undefined, done: true });
      expect(await events.next()).to.deep.equal({ value: undefined, done: true });
    });
  });
}

import { expect } from "chai";
import { ReorgBeyondFinalityError } from "../../../indexer/sync";
import { attestInBulk, deployOnNode, driveEveryEvent, resetNonces } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import type { TestDatabase } from "../../helpers/databases";
import { freshIndexChecksums, indexChecksums, indexedUpTo, startTestIndexer } from "../../helpers/indexer";
import type { IndexerUnderTest } from "../../helpers/indexer";
import { startAnvil, startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

const DEPTHS = [1, 2, 5, 12];

/** How each node rewrites its last `depth` blocks. */
interface ReorgMethod {
  node: string;
  start(): Promise<NodeProcess>;
  /** Replaces the last `depth` blocks (each holding events) with different ones; returns the new head. */
  reorganize(reorg: {
    deployment: Deployment;
    activity: Activity;
    depth: number;
    round: number;
    /** Waits until the indexer has read the blocks about to be orphaned. */
    indexed(block: number): Promise<void>;
  }): Promise<number>;
}

/** Hardhat: a snapshot before `depth` blocks of events, a revert, then `depth + 1` blocks of other events. */
const SNAPSHOT_AND_REVERT: ReorgMethod = {
  node: "hardhat node (evm_snapshot/evm_revert)",
  start: startHardhatNode,
  async reorganize({ deployment, activity, depth, round, indexed }) {
    const { provider } = deployment;
    const snapshot = await provider.send("evm_snapshot", []);
    await attestInBulk(deployment, activity.sources.callRecords, depth, 1, `orphaned-${round}`);
    await indexed(await provider.getBlockNumber());
    await provider.send("evm_revert", [snapshot]);
    resetNonces(deployment);
    await attestInBulk(deployment, activity.sources.callRecords, depth + 1, 1, `canonical-${round}`);
    return provider.getBlockNumber();
  },
};

/** Anvil: `depth` blocks of events, then `anvil_reorg` replaces them with as many blocks of other events. */
const ANVIL_REORG: ReorgMethod = {
  node: "Anvil (anvil_reorg)",
  start: startAnvil,
  async reorganize({ deployment, activity, depth, round, indexed }) {
    const { provider } = deployment;
    await attestInBulk(deployment, activity.sources.callRecords, depth, 1, `orphaned-${round}`);
    await indexed(await provider.getBlockNumber());
    await provider.send("anvil_reorg", [depth, []]);
    resetNonces(deployment);
    await attestInBulk(deployment, activity.sources.callRecords, 1, 1, `canonical-${round}`);
    return provider.getBlockNumber();
  },
};

for (const method of [SNAPSHOT_AND_REVERT, ANVIL_REORG]) {
  for (const target of databaseTargets()) {
    describe(`reorganizations (${method.node}, ${target.name})`, function () {
      let chain: NodeProcess;
      let deployment: Deployment;
      let activity: Activity;
      let handle: TestDatabase;
      let indexer: IndexerUnderTest;

      before(async function () {
        chain = await method.start();
        deployment = await deployOnNode(chain.url);
        activity = await driveEveryEvent(deployment);
        handle = await target.open();
        indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, handle.database);
      });

      after(async function () {
        await indexer?.stop();
        await handle?.close();
        deployment?.provider.destroy();
        await chain?.stop();
      });

      for (const [round, depth] of DEPTHS.entries()) {
        it(`rolls back a reorganization ${depth} deep and equals a fresh index of the final chain`, async function () {
          const indexed = (block: number) => indexedUpTo(indexer, block);
          const head = await method.reorganize({ deployment, activity, depth, round, indexed });
          await indexedUpTo(indexer, head);
          const [{ hash }] = await handle.database.query<{ hash: string }>("SELECT block_hash AS hash FROM checkpoint");
          expect(hash).to.equal((await deployment.provider.getBlock(head))!.hash);
          const reorgs = indexer.logLines.filter((line) => line.msg === "chain reorganization rolled back");
          expect(reorgs.at(-1)).to.include({ depth });
          expect(await indexChecksums(handle.database)).to.deep.equal(
            await freshIndexChecksums(target, chain.url, deployment.deploymentsFile, head),
          );
        });
      }
    });
  }
}

describe("a reorganization past finality", function () {
  let chain: NodeProcess;
  let handle: TestDatabase;
  let deployment: Deployment;

  before(async function () {
    chain = await startHardhatNode();
    deployment = await deployOnNode(chain.url);
    handle = await databaseTargets()[0].open();
  });

  after(async function () {
    await handle?.close();
    deployment?.provider.destroy();
    await chain?.stop();
  });

  it("stops the indexer with ReorgBeyondFinalityError, leaving the index as it was", async function () {
    const activity = await driveEveryEvent(deployment);
    const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, handle.database, [
      "--finality",
      "confirmations:2",
    ]);
    const { provider } = deployment;
    const snapshot = await provider.send("evm_snapshot", []);
    await attestInBulk(deployment, activity.sources.callRecords, 5, 1, "orphaned");
    await indexedUpTo(indexer, await provider.getBlockNumber());
    const before = await indexChecksums(handle.database);

    await provider.send("evm_revert", [snapshot]);
    resetNonces(deployment);
    await attestInBulk(deployment, activity.sources.callRecords, 6, 1, "canonical");

    const error = await indexer.done.then(
      () => null,
      (reason: Error) => reason,
    );
    expect(error).to.be.instanceOf(ReorgBeyondFinalityError);
    expect(error!.message).to.match(/past the finalized block \d+/);
    expect(indexer.sync.status().stoppedBy).to.equal(error!.message);
    expect(await indexChecksums(handle.database)).to.deep.equal(before);
  });
});

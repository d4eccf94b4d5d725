import { expect } from "chai";
import { deployOnNode, driveEveryEvent } from "../../helpers/activity";
import type { Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import type { TestDatabase } from "../../helpers/databases";
import { freshIndexChecksums, indexChecksums, indexedUpTo, startTestIndexer } from "../../helpers/indexer";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

describe("idempotent indexing", function () {
  let chain: NodeProcess;
  let deployment: Deployment;
  let head: number;

  before(async function () {
    chain = await startHardhatNode();
    deployment = await deployOnNode(chain.url);
    await driveEveryEvent(deployment);
    head = await deployment.provider.getBlockNumber();
  });

  after(async function () {
    deployment?.provider.destroy();
    await chain?.stop();
  });

  for (const target of databaseTargets()) {
    describe(target.name, function () {
      let handle: TestDatabase;

      before(async function () {
        handle = await target.open();
        const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, handle.database);
        await indexedUpTo(indexer, head);
        await indexer.stop();
      });

      after(async function () {
        await handle?.close();
      });

      it("yields the same tables when the same range is indexed again over them", async function () {
        const once = await indexChecksums(handle.database);
        const start = deployment.record.startBlock;
        const rewound = (await deployment.provider.getBlock(start))!;
        await handle.database.query("UPDATE checkpoint SET block_number = $1, block_hash = $2, finalized_block = $1", [
          start,
          rewound.hash,
        ]);
        const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, handle.database);
        await indexedUpTo(indexer, head);
        await indexer.stop();
        expect(await indexChecksums(handle.database)).to.deep.equal(once);
      });

      it("yields the same tables as an index from scratch into a second database", async function () {
        expect(await indexChecksums(handle.database)).to.deep.equal(
          await freshIndexChecksums(target, chain.url, deployment.deploymentsFile, head),
        );
      });

      it("yields the same tables when read two blocks a range (the next read ahead) and written three events a time", async function () {
        const other = await target.open();
        try {
          const args = ["--batch-size", "2", "--write-size", "3"];
          const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, other.database, args);
          await indexedUpTo(indexer, head);
          await indexer.stop();
          expect(await indexChecksums(other.database)).to.deep.equal(await indexChecksums(handle.database));
        } finally {
          await other.close();
        }
      });

      it("resumes from its checkpoint without writing again what it holds", async function () {
        const lastWrite = () => handle.database.query("SELECT updated_at::text FROM checkpoint");
        const before = await lastWrite();
        const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, handle.database);
        await indexedUpTo(indexer, head);
        await indexer.stop();
        expect(indexer.sync.status().following).to.equal(true);
        expect(await lastWrite()).to.deep.equal(before);
      });
    });
  }

  // Only where both engines are configured (CI): the same SQL must produce the same rows on each.
  if (databaseTargets().length > 1) {
    it("holds the same tables on PGlite and on PostgreSQL", async function () {
      const [pglite, postgres] = await Promise.all(
        databaseTargets().map((target) => freshIndexChecksums(target, chain.url, deployment.deploymentsFile, head)),
      );
      expect(pglite).to.deep.equal(postgres);
    });
  }
});

import { expect } from "chai";
import { openPostgresDatabase } from "../../../indexer/store/postgres-database";
import type { Database } from "../../../indexer/store";
import { attestInBulk, deployOnNode, driveEveryEvent } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import { freshIndexChecksums, indexChecksums, indexedUpTo, startTestIndexer } from "../../helpers/indexer";
import { startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";
import { startPostgresServer } from "../../helpers/postgres-server";
import type { PostgresServer } from "../../helpers/postgres-server";

const RESTARTS = 3;

// A server of its own, restarted under the indexer: only where the PostgreSQL runs are configured (CI).
if (process.env.DXL_TEST_DATABASE_URL) {
  describe("database faults (PostgreSQL)", function () {
    let chain: NodeProcess;
    let deployment: Deployment;
    let activity: Activity;
    let server: PostgresServer;
    let database: Database;

    before(async function () {
      [chain, server] = await Promise.all([startHardhatNode(), startPostgresServer()]);
      deployment = await deployOnNode(chain.url);
      activity = await driveEveryEvent(deployment);
      database = await openPostgresDatabase(server.url);
    });

    after(async function () {
      await database?.close();
      await server?.stop();
      deployment?.provider.destroy();
      await chain?.stop();
    });

    it(`rides out ${RESTARTS} server restarts mid-sync, losing nothing and writing nothing twice`, async function () {
      const indexer = await startTestIndexer(chain.url, deployment.deploymentsFile, database);
      try {
        for (let restart = 0; restart < RESTARTS; restart++) {
          const producing = attestInBulk(deployment, activity.sources.callRecords, 4, 5, `restart-${restart}`);
          await server.restart();
          await producing;
        }
        const head = await deployment.provider.getBlockNumber();
        await indexedUpTo(indexer, head);
        const retries = indexer.logLines.filter((line) => line.msg === "retrying");
        expect(retries.length, "the indexer met the restarts").to.be.greaterThan(0);
        expect(await indexChecksums(database)).to.deep.equal(
          await freshIndexChecksums(databaseTargets()[0], chain.url, deployment.deploymentsFile, head),
        );
      } finally {
        await indexer.stop();
      }
    });
  });
}

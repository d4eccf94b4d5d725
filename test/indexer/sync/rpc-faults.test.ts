import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { attestInBulk, deployOnNode, driveEveryEvent } from "../../helpers/activity";
import type { Activity, Deployment } from "../../helpers/activity";
import { databaseTargets } from "../../helpers/databases";
import { startFaultProxy } from "../../helpers/fault-proxy";
import type { FaultKind, FaultProxy, FaultRates } from "../../helpers/fault-proxy";
import { freshIndexChecksums, indexChecksums, indexedUpTo, NODE_KINDS, startTestIndexer } from "../../helpers/indexer";
import type { NodeProcess } from "../../helpers/node";

/** Seeds the proxy's faults; it is in the test titles, so a failure can be replayed. */
const SEED = 4_242;
/** About one request in five fails at the HTTP level, and one `eth_getLogs` of several blocks in ten is refused. */
const RATES: FaultRates = { http429: 0.05, http500: 0.05, timeout: 0.03, drop: 0.04, truncated: 0.04, rangeLimit: 0.1 };
/** The proxy refuses wider `eth_getLogs` ranges, so the indexer's ranges (50 blocks at first) must shrink. */
const MAX_LOG_RANGE = 8;
/** How long the gateway waits on a hung request before answering 504. */
const GATEWAY_TIMEOUT_MS = 300;
const FAULT_KINDS = Object.keys(RATES) as FaultKind[];

for (const node of NODE_KINDS) {
  describe(`RPC faults between the indexer and the node (${node.name})`, function () {
    let chain: NodeProcess;
    let deployment: Deployment;
    let activity: Activity;

    before(async function () {
      chain = await node.start();
      deployment = await deployOnNode(chain.url);
      activity = await driveEveryEvent(deployment);
    });

    after(async function () {
      deployment?.provider.destroy();
      await chain?.stop();
    });

    for (const target of databaseTargets()) {
      it(`converges on ${target.name} to a fresh index through seeded 429s, 500s, timeouts, drops, truncated bodies and refused ranges (seed ${SEED})`, async function () {
        const proxy = await startFaultProxy({ target: chain.url, seed: SEED, maxLogRange: MAX_LOG_RANGE });
        const gateway = await startGateway(proxy.url, GATEWAY_TIMEOUT_MS);
        const handle = await target.open();
        try {
          // A backlog, so the indexer starts with wide ranges to read.
          await attestInBulk(deployment, activity.sources.callRecords, 40, 2, `backlog-${target.name}`);
          const indexer = await startTestIndexer(gateway.url, deployment.deploymentsFile, handle.database, [
            "--ops-port",
            "0",
          ]);
          let head: number;
          let rpcErrors: Record<string, number>;
          try {
            // Only once started: start-up gives up on the node after 3 failed attempts, by design.
            proxy.setRates(RATES);
            await produceUntilEveryFaultStruck(deployment, activity.sources.callRecords, proxy, target.name);
            head = await deployment.provider.getBlockNumber();
            await indexedUpTo(indexer, head);
            rpcErrors = await rpcErrorCounts(indexer.opsUrl!);
          } finally {
            await indexer.stop();
          }

          for (const kind of FAULT_KINDS) expect(proxy.stats[kind], kind).to.be.at.least(2);
          expect(gateway.timeouts, "hung requests answered 504").to.be.at.least(proxy.stats.timeout);
          // Every HTTP-level fault is retried by the client; a refused range is not retried but made smaller.
          const retried = sumOf(rpcErrors, (labels) => labels.includes('retried="true"'));
          expect(retried, JSON.stringify(rpcErrors)).to.be.greaterThan(0);
          const refusedRanges = sumOf(
            rpcErrors,
            (labels) => labels.includes('method="eth_getLogs"') && labels.includes('retried="false"'),
          );
          expect(refusedRanges, JSON.stringify(rpcErrors)).to.be.greaterThan(0);
          expect(indexer.logLines.filter((line) => line.level === "error" || line.level === "fatal")).to.deep.equal([]);
          expect(await indexChecksums(handle.database)).to.deep.equal(
            await freshIndexChecksums(target, chain.url, deployment.deploymentsFile, head),
          );
        } finally {
          await handle.close();
          await gateway.stop();
          await proxy.stop();
        }
      });
    }
  });
}

/** Attestation batches, one block each, until every kind of fault has struck twice and ten blocks were added. */
async function produceUntilEveryFaultStruck(
  deployment: Deployment,
  sourceId: string,
  proxy: FaultProxy,
  label: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; round < 10 || FAULT_KINDS.some((kind) => proxy.stats[kind] < 2); round++) {
    if (Date.now() > deadline) throw new Error(`not every fault struck twice: ${JSON.stringify(proxy.stats)}`);
    await attestInBulk(deployment, sourceId, 1, 5, `faults-${label}-${round}`);
  }
}

/**
 * A gateway in front of the fault proxy, as a load balancer stands in front of a node: a request the proxy leaves
 * hanging is answered 504 after `timeoutMs`, and everything else passes through as it comes (a connection the proxy
 * cuts mid-body is cut here too). Without it each "timeout" fault would cost the client's whole 10 s timeout.
 */
async function startGateway(upstream: string, timeoutMs: number) {
  const gateway = { url: "", timeouts: 0, stop: async () => undefined as void };
  const server = http.createServer((request, response) => {
    const forwarded = http.request(upstream, { method: request.method, headers: request.headers });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      gateway.timeouts++;
      forwarded.destroy();
      response.writeHead(504, { "content-type": "text/plain" }).end("upstream timed out");
    }, timeoutMs);
    forwarded.on("response", (reply) => {
      clearTimeout(timer);
      response.writeHead(reply.statusCode!, reply.headers);
      reply.pipe(response);
      reply.on("close", () => {
        if (!reply.complete) response.destroy();
      });
    });
    forwarded.on("error", () => {
      clearTimeout(timer);
      if (!timedOut) response.destroy();
    });
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return gateway;
}

/** `dxl_indexer_rpc_errors_total` from the indexer's /metrics, by label set (`method="…",retried="…"`). */
async function rpcErrorCounts(opsUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(new URL("metrics", opsUrl))).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^dxl_indexer_rpc_errors_total\{([^}]*)\} (\d+)$/gm)) {
    counts[match[1]] = Number(match[2]);
  }
  return counts;
}

function sumOf(counts: Record<string, number>, include: (labels: string) => boolean): number {
  return Object.entries(counts).reduce((sum, [labels, count]) => sum + (include(labels) ? count : 0), 0);
}

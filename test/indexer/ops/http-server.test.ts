import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { createLogger } from "../../../indexer/ops/logger";
import { createIndexerMetrics } from "../../../indexer/ops/metrics";
import type { IndexerMetrics } from "../../../indexer/ops/metrics";
import { startOpsServer } from "../../../indexer/ops/http-server";
import type { OpsServer } from "../../../indexer/ops/http-server";
import type { IndexerStatus } from "../../../indexer/ops/types";

chai.use(chaiAsPromised);

/** An indexer still backfilling: head known, nothing indexed, 12 blocks of doubt. */
function backfillingStatus(): IndexerStatus {
  return { chainId: 31337, headBlock: 1_000, indexedBlock: null, confirmations: 12, following: false, stoppedBy: null };
}

describe("indexer operations: HTTP server", function () {
  let status: IndexerStatus;
  let metrics: IndexerMetrics;
  let server: OpsServer;

  /** The response to `method path`, with its body as JSON when it is JSON. */
  async function request(path: string, method = "GET") {
    const response = await fetch(`${server.url}${path}`, { method });
    const text = await response.text();
    const isJson = text !== "" && response.headers.get("content-type")?.startsWith("application/json");
    return { status: response.status, headers: response.headers, text, body: isJson ? JSON.parse(text) : null };
  }

  beforeEach(async function () {
    status = backfillingStatus();
    metrics = createIndexerMetrics();
    const logger = createLogger({ level: "silent" });
    server = await startOpsServer({ host: "127.0.0.1", port: 0, status: () => status, metrics, logger });
  });

  afterEach(async function () {
    await server.close();
  });

  it("should listen on the free port it was given with port 0", function () {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  });

  it("should refuse to start on a port already in use", async function () {
    const port = Number(new URL(server.url).port);
    const logger = createLogger({ level: "silent" });
    const options = { host: "127.0.0.1", port, status: () => status, metrics, logger };
    await expect(startOpsServer(options)).to.be.rejectedWith(/EADDRINUSE/);
  });

  describe("GET /healthz", function () {
    it("should answer 200 ok while the indexer runs", async function () {
      const response = await request("/healthz?probe=kubelet");
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({ status: "ok" });
      expect(response.headers.get("cache-control")).to.equal("no-store");
    });

    it("should answer 503 with the error once the indexer stopped on a fatal error, credentials redacted", async function () {
      status.stoppedBy = "eth_getLogs failed at https://u:pw-secret@node.example/rpc: reorg beyond finality";
      const response = await request("/healthz");
      expect(response.status).to.equal(503);
      expect(response.body).to.deep.equal({
        status: "stopped",
        error: "eth_getLogs failed at https://node.example/rpc: reorg beyond finality",
      });
    });
  });

  describe("GET /readyz", function () {
    it("should answer 503 while backfilling", async function () {
      status.indexedBlock = 400;
      const response = await request("/readyz");
      expect(response.status).to.equal(503);
      expect(response.body).to.deep.equal({
        status: "not ready",
        reason: "backfilling",
        head_block: 1_000,
        indexed_block: 400,
        lag_blocks: 600,
      });
    });

    it("should flip to 200 once following within the confirmations, and back to 503 when it falls behind", async function () {
      Object.assign(status, { following: true, headBlock: 1_012, indexedBlock: 1_000 });
      const ready = await request("/readyz");
      expect(ready.status).to.equal(200);
      expect(ready.body).to.deep.equal({ status: "ready", head_block: 1_012, indexed_block: 1_000, lag_blocks: 12 });

      status.headBlock = 1_013;
      const behind = await request("/readyz");
      expect(behind.status).to.equal(503);
      expect(behind.body.reason).to.equal("13 blocks behind the head, more than the 12 allowed");
      expect(behind.body.lag_blocks).to.equal(13);
    });

    it("should answer 503 when following but nothing is indexed yet", async function () {
      status.following = true;
      const response = await request("/readyz");
      expect(response.status).to.equal(503);
      expect(response.body).to.include({ reason: "no block indexed yet", indexed_block: null, lag_blocks: null });
    });

    it("should answer 503 once the indexer stopped, even at the head", async function () {
      Object.assign(status, { following: true, indexedBlock: 1_000, stoppedBy: "database constraint violated" });
      const response = await request("/readyz");
      expect(response.status).to.equal(503);
      expect(response.body.reason).to.equal("stopped: database constraint violated");
    });
  });

  describe("GET /metrics", function () {
    it("should serve the registry in the Prometheus text format", async function () {
      metrics.onHead(42);
      metrics.onRpcError("eth_getLogs", new Error("busy"), true);
      const response = await request("/metrics");
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.equal(metrics.registry.contentType);
      expect(response.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
      expect(response.text).to.match(/^dxl_indexer_head_block 42$/m);
      expect(response.text).to.match(/^dxl_indexer_rpc_errors_total\{method="eth_getLogs",retried="true"\} 1$/m);
    });
  });

  describe("failures", function () {
    it("should answer 500 and log the error when the metrics cannot be collected", async function () {
      const lines: { level: string; msg: string; err: { message: string } }[] = [];
      const logger = createLogger({
        level: "error",
        destination: { write: (line: string) => lines.push(JSON.parse(line)) },
      });
      const failing = createIndexerMetrics();
      failing.registry.metrics = () => Promise.reject(new Error("collector failed"));
      const broken = await startOpsServer({
        host: "127.0.0.1",
        port: 0,
        status: () => status,
        metrics: failing,
        logger,
      });
      try {
        const response = await fetch(`${broken.url}/metrics`);
        expect(response.status).to.equal(500);
        expect(await response.json()).to.deep.equal({ status: "error", error: "internal error" });
      } finally {
        await broken.close();
      }
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({ level: "error", msg: "operations endpoint failed" });
      expect(lines[0].err.message).to.equal("collector failed");
    });
  });

  describe("other requests", function () {
    for (const path of ["/", "/health", "/healthz/", "/metrics/extra"]) {
      it(`should answer 404 to GET ${path}`, async function () {
        const response = await request(path);
        expect(response.status).to.equal(404);
        expect(response.body.status).to.equal("not found");
      });
    }

    for (const method of ["POST", "PUT", "DELETE", "HEAD"]) {
      it(`should answer 405 to ${method} /healthz and allow GET`, async function () {
        const response = await request("/healthz", method);
        expect(response.status).to.equal(405);
        expect(response.headers.get("allow")).to.equal("GET");
      });
    }

    it("should answer 404 rather than 405 to another method on an unknown path", async function () {
      expect((await request("/nowhere", "POST")).status).to.equal(404);
    });
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { createJsonRpcClient } from "../../../indexer/chain/json-rpc";
import { RangeTooLargeError } from "../../../indexer/chain/types";
import { startFaultProxy } from "../../helpers/fault-proxy";
import type { FaultProxy, FaultRates } from "../../helpers/fault-proxy";

chai.use(chaiAsPromised);

interface Call {
  id: number;
  method: string;
  params: unknown[];
}

/** A JSON-RPC target that answers every call with its own method and params, so forwarding can be checked. */
async function startEchoTarget() {
  const target = { url: "", calls: 0, stop: async () => {} };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      target.calls++;
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Call | Call[];
      const echo = (call: Call) => ({
        jsonrpc: "2.0",
        id: call.id,
        result: { method: call.method, params: call.params },
      });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(Array.isArray(body) ? body.map(echo) : echo(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  target.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  target.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return target;
}

function call(id: number, method: string, params: unknown[] = []): Call {
  return { id, method, params };
}

function logQuery(id: number, fromBlock: number, toBlock: number): Call {
  return call(id, "eth_getLogs", [{ fromBlock: `0x${fromBlock.toString(16)}`, toBlock: `0x${toBlock.toString(16)}` }]);
}

async function post(url: string, body: unknown, timeoutMs = 5_000) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
}

/** What one request met: an HTTP status, a body that is not JSON, or a failed connection. */
async function outcome(url: string, body: unknown): Promise<string> {
  try {
    const { status, text } = await post(url, body);
    if (status === 200) JSON.parse(text);
    return `HTTP ${status}`;
  } catch (error) {
    return (error as Error).name;
  }
}

describe("fault proxy", () => {
  let target: Awaited<ReturnType<typeof startEchoTarget>>;
  const proxies: FaultProxy[] = [];
  const startProxy = async (rates: Partial<FaultRates> = {}, maxLogRange?: number, seed = 7) => {
    const proxy = await startFaultProxy({ target: target.url, seed, rates, maxLogRange });
    proxies.push(proxy);
    return proxy;
  };

  beforeEach(async () => {
    target = await startEchoTarget();
  });

  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
    await target.stop();
  });

  it("should forward calls and batches unchanged when no fault is set", async () => {
    const proxy = await startProxy();
    const single = await post(proxy.url, call(1, "eth_chainId"));
    const batch = await post(proxy.url, [call(2, "eth_blockNumber"), call(3, "eth_getBlockByNumber", ["0x1", false])]);
    expect(JSON.parse(single.text)).to.deep.equal({
      jsonrpc: "2.0",
      id: 1,
      result: { method: "eth_chainId", params: [] },
    });
    expect(JSON.parse(batch.text).map((reply: { id: number }) => reply.id)).to.deep.equal([2, 3]);
    expect(proxy.stats).to.include({ requests: 2, forwarded: 2, http429: 0, http500: 0, drop: 0, truncated: 0 });
  });

  it("should answer HTTP 429 and HTTP 500 without forwarding", async () => {
    const proxy = await startProxy({ http429: 1 });
    expect((await post(proxy.url, call(1, "eth_chainId"))).status).to.equal(429);
    proxy.setRates({ http429: 0, http500: 1 });
    expect((await post(proxy.url, call(2, "eth_chainId"))).status).to.equal(500);
    expect(proxy.stats).to.include({ http429: 1, http500: 1, forwarded: 0 });
    expect(target.calls).to.equal(0);
  });

  it("should send half of the JSON body with a matching length when truncating", async () => {
    const proxy = await startProxy({ truncated: 1 });
    const { status, text } = await post(proxy.url, call(1, "eth_chainId"));
    const whole = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { method: "eth_chainId", params: [] } });
    expect(status).to.equal(200);
    expect(text).to.equal(whole.slice(0, Math.floor(whole.length / 2)));
    expect(proxy.stats.truncated).to.equal(1);
  });

  it("should cut the connection in the middle of the response when dropping", async () => {
    const proxy = await startProxy({ drop: 1 });
    await expect(post(proxy.url, call(1, "eth_chainId"))).to.be.rejectedWith(TypeError);
    expect(proxy.stats).to.include({ drop: 1, forwarded: 1 });
  });

  it("should never answer a request it hangs, until the client gives up", async () => {
    const proxy = await startProxy({ timeout: 1 });
    await expect(post(proxy.url, call(1, "eth_chainId"), 150)).to.be.rejected.and.eventually.have.property(
      "name",
      "TimeoutError",
    );
    expect(proxy.stats).to.include({ timeout: 1, forwarded: 0 });
  });

  it("should always refuse an eth_getLogs over maxLogRange, in wordings the client reads as such", async () => {
    const proxy = await startProxy({}, 8);
    const client = createJsonRpcClient({ url: proxy.url, maxAttempts: 1 });
    const messages = new Set<string>();
    const tooWide = logQuery(0, 100, 108).params;
    for (let attempt = 0; attempt < 24; attempt++) {
      const error = await client.call("eth_getLogs", tooWide).catch((caught: Error) => caught);
      expect(error).to.be.instanceOf(RangeTooLargeError).and.include({ fromBlock: 100, toBlock: 108 });
      messages.add((error as Error).message);
    }
    expect(messages.size).to.equal(4);
    const accepted = await client.call("eth_getLogs", logQuery(0, 100, 107).params);
    expect(accepted).to.deep.include({ method: "eth_getLogs" });
    expect(proxy.stats).to.include({ rangeLimit: 24, forwarded: 1 });
  });

  it("should refuse multi-block eth_getLogs at the rangeLimit rate but never a single block", async () => {
    const proxy = await startProxy({ rangeLimit: 1 });
    const refused = JSON.parse((await post(proxy.url, logQuery(1, 5, 6))).text);
    const single = JSON.parse((await post(proxy.url, logQuery(2, 5, 5))).text);
    expect(refused).to.have.property("error").that.has.property("message").that.is.a("string");
    expect(single).to.have.property("result");
    expect(proxy.stats.rangeLimit).to.equal(1);
  });

  it("should refuse only the offending element of a batch and forward the rest", async () => {
    const proxy = await startProxy({}, 8);
    const replies = JSON.parse((await post(proxy.url, [logQuery(1, 0, 20), call(2, "eth_chainId")])).text);
    expect(replies[0]).to.include({ id: 1 }).and.have.property("error");
    expect(replies[1]).to.deep.equal({ jsonrpc: "2.0", id: 2, result: { method: "eth_chainId", params: [] } });
  });

  it("should inject the same faults for the same seed, and others for another seed", async () => {
    const rates = { http429: 0.15, http500: 0.15, drop: 0.15, truncated: 0.15 };
    const run = async (seed: number) => {
      const proxy = await startProxy(rates, undefined, seed);
      const outcomes: string[] = [];
      for (let id = 0; id < 30; id++) outcomes.push(await outcome(proxy.url, call(id, "eth_chainId")));
      return outcomes;
    };
    const first = await run(1);
    expect(await run(1)).to.deep.equal(first);
    expect(await run(2)).to.not.deep.equal(first);
    expect(new Set(first)).to.have.keys("HTTP 200", "HTTP 429", "HTTP 500", "SyntaxError", "TypeError");
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { createJsonRpcClient } from "../../../indexer/chain/json-rpc";
import type { JsonRpcClientOptions } from "../../../indexer/chain/json-rpc";
import { RangeTooLargeError, RpcError } from "../../../indexer/chain/types";
import { freePort } from "../../helpers/node";

chai.use(chaiAsPromised);

interface RpcRequest {
  id: number;
  method: string;
  params: unknown[];
}

/** What the scripted server does with one HTTP request. */
type Reply = { status?: number; headers?: Record<string, string>; body: string } | "hang" | "drop";

interface ScriptedServer {
  url: string;
  /** Every request received, parsed, with its headers. */
  requests: { body: RpcRequest | RpcRequest[]; headers: http.IncomingHttpHeaders }[];
  stop(): Promise<void>;
}

/** A JSON-RPC server whose n-th answer is `script(request, n)`: each test states exactly what the wire carries. */
async function startScriptedServer(script: (request: RpcRequest | RpcRequest[], index: number) => Reply) {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as RpcRequest | RpcRequest[];
      scripted.requests.push({ body, headers: request.headers });
      const reply = script(body, scripted.requests.length - 1);
      if (reply === "hang") return;
      if (reply === "drop") return void response.socket?.destroy();
      response.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const scripted: ScriptedServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return scripted;
}

function result(request: RpcRequest | RpcRequest[], value: unknown): Reply {
  return { body: JSON.stringify({ jsonrpc: "2.0", id: (request as RpcRequest).id, result: value }) };
}

function rpcError(request: RpcRequest | RpcRequest[], code: number, message: string): Reply {
  return { body: JSON.stringify({ jsonrpc: "2.0", id: (request as RpcRequest).id, error: { code, message } }) };
}

/** Fails `faults` times as told, then answers "0x1". */
function failingThenOk(faults: number, fault: (request: RpcRequest | RpcRequest[]) => Reply) {
  return (request: RpcRequest | RpcRequest[], index: number) =>
    index < faults ? fault(request) : result(request, "0x1");
}

/** A client that records its sleeps and observed faults instead of waiting. */
function recordingClient(url: string, options: Partial<JsonRpcClientOptions> = {}) {
  const sleeps: number[] = [];
  const faults: { method: string; error: Error; willRetry: boolean }[] = [];
  const client = createJsonRpcClient({
    url,
    timeoutMs: 2_000,
    sleep: async (milliseconds) => void sleeps.push(milliseconds),
    random: () => 0.5,
    observer: { onRpcError: (method, error, willRetry) => faults.push({ method, error, willRetry }) },
    ...options,
  });
  return { client, sleeps, faults };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (error: Error) => error,
  );
}

const LOG_QUERY = [{ fromBlock: "0x10", toBlock: "0x2f", address: ["0x5fbdb2315678afecb367f032d93f642f64180aa3"] }];

describe("JSON-RPC client", () => {
  let server: ScriptedServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  describe("calls and batches", () => {
    it("should return the result of a call", async () => {
      server = await startScriptedServer((request) => result(request, "0x7a69"));
      const { client } = recordingClient(server.url);
      expect(await client.call("eth_chainId", [])).to.equal("0x7a69");
      expect(server.requests[0].body).to.deep.include({ jsonrpc: "2.0", method: "eth_chainId", params: [] });
    });

    it("should send a batch as one HTTP request and match results by id when answered out of order", async () => {
      server = await startScriptedServer((request) => {
        const calls = request as RpcRequest[];
        const answers = calls.map((call) => ({ jsonrpc: "2.0", id: call.id, result: call.params[0] }));
        return { body: JSON.stringify(answers.reverse()) };
      });
      const { client } = recordingClient(server.url);
      const calls = ["0x1", "0x2", "0x3"].map((n) => ({ method: "eth_getBlockByNumber", params: [n, false] }));
      expect(await client.batch(calls)).to.deep.equal(["0x1", "0x2", "0x3"]);
      expect(server.requests).to.have.length(1);
      expect(server.requests[0].body).to.have.length(3);
    });

    it("should answer an empty batch without a request", async () => {
      server = await startScriptedServer((request) => result(request, null));
      const { client } = recordingClient(server.url);
      expect(await client.batch([])).to.deep.equal([]);
      expect(server.requests).to.have.length(0);
    });

    it("should retry the whole batch when one element fails transiently", async () => {
      server = await startScriptedServer((request, index) => {
        const calls = request as RpcRequest[];
        const answers = calls.map((call, position) =>
          index === 0 && position === 1
            ? { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "header not found" } }
            : { jsonrpc: "2.0", id: call.id, result: call.params[0] },
        );
        return { body: JSON.stringify(answers) };
      });
      const { client, faults } = recordingClient(server.url);
      const calls = ["0x1", "0x2"].map((n) => ({ method: "eth_getBlockByNumber", params: [n, false] }));
      expect(await client.batch(calls)).to.deep.equal(["0x1", "0x2"]);
      expect(server.requests).to.have.length(2);
      expect(faults.map((fault) => fault.willRetry)).to.deep.equal([true]);
    });

    it("should fail a batch at once, naming the method, when one element can never succeed", async () => {
      server = await startScriptedServer((request) => {
        const [first, second] = request as RpcRequest[];
        return {
          body: JSON.stringify([
            { jsonrpc: "2.0", id: second.id, error: { code: -32601, message: "Method not found" } },
            { jsonrpc: "2.0", id: first.id, result: "0x1" },
          ]),
        };
      });
      const { client } = recordingClient(server.url);
      const error = await rejectionOf(
        client.batch([
          { method: "eth_chainId", params: [] },
          { method: "eth_frobnicate", params: [] },
        ]),
      );
      expect(error).to.be.instanceOf(RpcError);
      expect(error).to.include({ method: "eth_frobnicate", code: -32601 });
      expect(server.requests).to.have.length(1);
    });
  });

  describe("transient faults", () => {
    const transientFaults: [string, (request: RpcRequest | RpcRequest[]) => Reply][] = [
      ["HTTP 500", () => ({ status: 500, body: "oops" })],
      ["HTTP 503", () => ({ status: 503, body: "" })],
      ["HTTP 429", () => ({ status: 429, body: "slow down" })],
      ["a dropped connection", () => "drop"],
      [
        "a truncated JSON body",
        (request) => ({ body: (result(request, "0x1") as { body: string }).body.slice(0, 20) }),
      ],
      ["an HTML error page", () => ({ body: "<html>Bad gateway</html>" })],
      ["-32005 limit exceeded", (request) => rpcError(request, -32005, "limit exceeded")],
      ["a rate limit message", (request) => rpcError(request, -32000, "Your app has exceeded its rate limit")],
      ["header not found", (request) => rpcError(request, -32000, "header not found")],
      ["unknown block", (request) => rpcError(request, -32602, "unknown block")],
      ["Anvil's block out of range", (request) => rpcError(request, -32602, "BlockOutOfRangeError: block height is 9")],
    ];
    for (const [name, fault] of transientFaults) {
      it(`should retry ${name} and return the result once the server recovers`, async () => {
        server = await startScriptedServer(failingThenOk(2, fault));
        const { client, sleeps, faults } = recordingClient(server.url);
        expect(await client.call("eth_getLogs", LOG_QUERY)).to.equal("0x1");
        expect(server.requests).to.have.length(3);
        expect(sleeps).to.have.length(2);
        expect(faults.map(({ method, willRetry }) => ({ method, willRetry }))).to.deep.equal([
          { method: "eth_getLogs", willRetry: true },
          { method: "eth_getLogs", willRetry: true },
        ]);
        expect(faults[0].error).to.be.instanceOf(RpcError);
      });
    }

    it("should retry a request that outlives its timeout", async () => {
      server = await startScriptedServer((request, index) => (index === 0 ? "hang" : result(request, "0x1")));
      const { client, faults } = recordingClient(server.url, { timeoutMs: 200 });
      expect(await client.call("eth_blockNumber", [])).to.equal("0x1");
      expect(faults[0].error.message).to.contain("timed out");
    });

    it("should retry when the connection is refused", async () => {
      const { client, faults } = recordingClient(`http://127.0.0.1:${await freePort()}`, { maxAttempts: 2 });
      const error = await rejectionOf(client.call("eth_blockNumber", []));
      expect(error).to.be.instanceOf(RpcError);
      expect(error.message).to.contain("ECONNREFUSED");
      expect(faults.map((fault) => fault.willRetry)).to.deep.equal([true, false]);
    });
  });

  describe("backoff", () => {
    it("should wait as long as Retry-After asks, in seconds or as a date, up to the cap", async () => {
      const retryAfter = ["2", "120", new Date(Date.now() + 3_600_000).toUTCString()];
      server = await startScriptedServer(
        failingThenOk(3, () => ({ status: 429, headers: { "retry-after": retryAfter.shift()! }, body: "" })),
      );
      const { client, sleeps } = recordingClient(server.url, { maxRetryAfterMs: 10_000 });
      await client.call("eth_blockNumber", []);
      expect(sleeps).to.deep.equal([2_000, 10_000, 10_000]);
    });

    it("should draw each delay uniformly below a ceiling that doubles up to maxDelayMs", async () => {
      server = await startScriptedServer(() => ({ status: 503, body: "" }));
      const draws = [0.5, 0.25, 0.75, 0.999, 0.1, 0.6, 0.3];
      const { client, sleeps } = recordingClient(server.url, {
        baseDelayMs: 100,
        maxDelayMs: 1_000,
        maxAttempts: 8,
        random: () => draws.shift()!,
      });
      await rejectionOf(client.call("eth_blockNumber", []));
      // ceilings 100, 200, 400, 800, 1000, 1000, 1000 times the draws
      expect(sleeps).to.deep.equal([50, 50, 300, 799, 100, 600, 300]);
    });

    it("should reach the ceiling sequence when every draw is just below one", async () => {
      server = await startScriptedServer(() => ({ status: 500, body: "" }));
      const { client, sleeps } = recordingClient(server.url, {
        baseDelayMs: 100,
        maxDelayMs: 500,
        maxAttempts: 6,
        random: () => 0.9999,
      });
      await rejectionOf(client.call("eth_blockNumber", []));
      expect(sleeps).to.deep.equal([99, 199, 399, 499, 499]);
    });

    it("should give up after maxAttempts with an RpcError naming the method", async () => {
      server = await startScriptedServer(() => ({ status: 502, body: "" }));
      const { client, faults } = recordingClient(server.url, { maxAttempts: 4 });
      const error = await rejectionOf(client.call("eth_getBlockByNumber", ["0x1", false]));
      expect(error).to.be.instanceOf(RpcError);
      expect(error).to.include({ method: "eth_getBlockByNumber" });
      expect(error.message).to.match(/^eth_getBlockByNumber failed: HTTP 502 .*attempt 4 of 4/);
      expect(server.requests).to.have.length(4);
      expect(faults.map((fault) => fault.willRetry)).to.deep.equal([true, true, true, false]);
      expect(faults[3].error).to.equal(error);
    });
  });

  describe("errors that retrying cannot fix", () => {
    const fatalFaults: [string, (request: RpcRequest | RpcRequest[]) => Reply, number | undefined][] = [
      ["method not found (-32601)", (request) => rpcError(request, -32601, "Method not found"), -32601],
      ["invalid params (-32602)", (request) => rpcError(request, -32602, "invalid argument 0"), -32602],
      ["Hardhat's unsupported method (-32004)", (request) => rpcError(request, -32004, "Method not supported"), -32004],
      [
        "a parse error without id",
        () => ({ body: '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}' }),
        -32700,
      ],
      ["HTTP 401", () => ({ status: 401, body: "unauthorized" }), undefined],
    ];
    for (const [name, fault, code] of fatalFaults) {
      it(`should throw ${name} at once, after one request`, async () => {
        server = await startScriptedServer(fault);
        const { client, faults } = recordingClient(server.url);
        const error = await rejectionOf(client.call("eth_chainId", []));
        expect(error).to.be.instanceOf(RpcError);
        expect(error).to.include({ method: "eth_chainId", code });
        expect(server.requests).to.have.length(1);
        expect(faults).to.deep.equal([{ method: "eth_chainId", error, willRetry: false }]);
      });
    }

    const rangeRefusals: [string, (request: RpcRequest | RpcRequest[]) => Reply][] = [
      ["more than 10000 results", (r) => rpcError(r, -32005, "query returned more than 10000 results")],
      ["block range is too wide", (r) => rpcError(r, -32000, "block range is too wide")],
      ["range too large", (r) => rpcError(r, -32602, "range too large, max 1k blocks")],
      ["exceed maximum block range", (r) => rpcError(r, -32000, "exceed maximum block range: 5000")],
      ["Log response size exceeded", (r) => rpcError(r, -32602, "Log response size exceeded. Try [0x10, 0x1f]")],
      ["-32614 limited range", (r) => rpcError(r, -32614, "eth_getLogs is limited to a 10,000 range")],
      ["HTTP 413", () => ({ status: 413, body: "Payload Too Large" })],
    ];
    for (const [name, refusal] of rangeRefusals) {
      it(`should throw RangeTooLargeError at once for "${name}" on eth_getLogs`, async () => {
        server = await startScriptedServer(refusal);
        const { client, faults } = recordingClient(server.url);
        const error = await rejectionOf(client.call("eth_getLogs", LOG_QUERY));
        expect(error).to.be.instanceOf(RangeTooLargeError);
        expect(error).to.include({ fromBlock: 16, toBlock: 47 });
        expect(server.requests).to.have.length(1);
        expect(faults).to.deep.equal([{ method: "eth_getLogs", error, willRetry: false }]);
      });
    }

    it("should treat a range wording on another method as an ordinary error", async () => {
      server = await startScriptedServer((request) => rpcError(request, -32602, "block range is too wide"));
      const { client } = recordingClient(server.url);
      const error = await rejectionOf(client.call("eth_newFilter", LOG_QUERY));
      expect(error).to.be.instanceOf(RpcError).and.not.be.instanceOf(RangeTooLargeError);
    });
  });

  describe("credentials", () => {
    const secretUrl = (port: number) => `http://alice:s3cr3t-pass@127.0.0.1:${port}/v3/KEY-0123456789?apikey=QUERYKEY`;
    const secrets = ["alice", "s3cr3t-pass", "KEY-0123456789", "QUERYKEY", "apikey"];

    it("should send userinfo as Basic authentication and keep every secret out of error messages", async () => {
      server = await startScriptedServer(() => ({ status: 500, body: "" }));
      const port = Number(new URL(server.url).port);
      const { client, faults } = recordingClient(secretUrl(port), { maxAttempts: 2 });
      const error = await rejectionOf(client.call("eth_blockNumber", []));
      expect(server.requests[0].headers.authorization).to.equal(`Basic ${btoa("alice:s3cr3t-pass")}`);
      expect(error.message).to.contain(`http://127.0.0.1:${port}`);
      expect(client.endpoint).to.equal(`http://127.0.0.1:${port}`);
      for (const message of [error.message, ...faults.map((fault) => fault.error.message)]) {
        for (const secret of secrets) expect(message).to.not.contain(secret);
      }
    });

    it("should refuse a malformed URL without echoing it", () => {
      expect(() => createJsonRpcClient({ url: "http//alice:s3cr3t-pass@nowhere" }))
        .to.throw(TypeError, "not a valid URL")
        .that.does.not.have.property("input");
    });

    it("should keep secrets out of network error messages too", async () => {
      const { client } = recordingClient(secretUrl(await freePort()), { maxAttempts: 1 });
      const error = await rejectionOf(client.call("eth_blockNumber", []));
      expect(error.message).to.contain("eth_blockNumber");
      for (const secret of secrets) expect(error.message).to.not.contain(secret);
    });
  });
});

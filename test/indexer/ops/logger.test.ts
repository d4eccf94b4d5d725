import { expect } from "chai";
import fc from "fast-check";
import { createLogger, REDACTED, redactUrl, redactUrlsInText } from "../../../indexer/ops/logger";
import type { Logger } from "../../../indexer/ops/logger";

/** A logger at `debug` and the raw text of every line it wrote, exactly as it left pino. */
function capturingLogger(): { logger: Logger; written: string[] } {
  const written: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => written.push(line) } });
  return { logger, written };
}

/** Asserts that no written line holds any of `secrets`, then returns the lines parsed. */
function expectNoneOf(written: string[], secrets: string[]): Record<string, unknown>[] {
  for (const secret of secrets) expect(written.join(""), `"${secret}" leaked`).not.to.include(secret);
  return written.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("indexer operations: logger", function () {
  describe("JSON lines", function () {
    it("should write one JSON object per line with msg, a level name and the snake_case fields", function () {
      const { logger, written } = capturingLogger();
      logger.info({ chain_id: 31337, block_range: [1, 10] }, "batch indexed");
      expect(written).to.have.length(1);
      expect(written[0].endsWith("\n")).to.be.true;
      const line = JSON.parse(written[0]);
      expect(line).to.include({ level: "info", msg: "batch indexed", chain_id: 31337 });
      expect(line.block_range).to.deep.equal([1, 10]);
      expect(new Date(line.time).toISOString()).to.equal(line.time);
    });

    it("should drop lines below the configured level", function () {
      const written: string[] = [];
      const logger = createLogger({ level: "warn", destination: { write: (line: string) => written.push(line) } });
      logger.info("not shown");
      logger.warn("shown");
      expect(written.map((line) => JSON.parse(line).msg)).to.deep.equal(["shown"]);
    });
  });

  describe("redaction of secret fields", function () {
    it("should mask fields named like a private key or a password at any depth", function () {
      const { logger, written } = capturingLogger();
      logger.info(
        {
          privateKey: "0xkey-camel",
          private_key: "0xkey-snake",
          config: { keystorePassword: "pw-keystore", nested: [{ PASSWORD: "pw-upper" }] },
          signer: { address: "0xabc" },
        },
        "signer loaded",
      );
      const [line] = expectNoneOf(written, ["0xkey-camel", "0xkey-snake", "pw-keystore", "pw-upper"]);
      expect(line).to.include({ privateKey: REDACTED, private_key: REDACTED });
      expect(line.config).to.deep.equal({ keystorePassword: REDACTED, nested: [{ PASSWORD: REDACTED }] });
      expect(line.signer).to.deep.equal({ address: "0xabc" });
    });

    it("should mask secret fields bound to a child logger", function () {
      const { logger, written } = capturingLogger();
      logger.child({ password: "pw-child", component: "sync" }).info("started");
      const [line] = expectNoneOf(written, ["pw-child"]);
      expect(line).to.include({ password: REDACTED, component: "sync" });
    });
  });

  describe("redaction of URL credentials", function () {
    const url = "https://indexer:pw-url@node.example:8545/rpc?apikey=key-query#frag";

    it("should strip credentials and query from a URL in a field, keeping host and path", function () {
      const { logger, written } = capturingLogger();
      logger.info({ rpc_url: url }, "connecting");
      const [line] = expectNoneOf(written, ["pw-url", "key-query", "indexer:"]);
      expect(line.rpc_url).to.equal("https://node.example:8545/rpc");
    });

    it("should strip credentials from URLs quoted in the message and in an error's message and stack", function () {
      const { logger, written } = capturingLogger();
      const error = new Error(`cannot reach ${url}: ECONNREFUSED`);
      logger.info(`connecting to ${url}`);
      logger.error(error);
      logger.error({ err: error }, "sync stopped");
      const lines = expectNoneOf(written, ["pw-url", "key-query"]);
      expect(lines[0].msg).to.equal("connecting to https://node.example:8545/rpc");
      expect(lines[1].msg).to.equal("cannot reach https://node.example:8545/rpc: ECONNREFUSED");
      expect((lines[2].err as { stack: string }).stack).to.include("node.example:8545/rpc");
    });

    it("should never let an alphanumeric password or query token of a URL through", function () {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9]{8,24}$/), fc.stringMatching(/^[A-Za-z0-9]{8,24}$/), (pw, token) => {
          const { logger, written } = capturingLogger();
          logger.warn({ database: `postgres://dxl:${pw}@db:5432/dxl?token=${token}` }, `retrying https://u:${pw}@h/`);
          expectNoneOf(written, [pw, token]);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe("redactUrl", function () {
    const cases: [string, string][] = [
      ["https://user:pw@node.example:8545/v3/rpc?apikey=k#frag", "https://node.example:8545/v3/rpc"],
      ["postgres://dxl:pw@db:5432/dxl?sslmode=require", "postgres://db:5432/dxl"],
      ["https://TOKEN@node.example/", "https://node.example/"],
      ["http://127.0.0.1:8545", "http://127.0.0.1:8545/"],
      ["not a url, maybe user:pw@host", REDACTED],
    ];
    for (const [input, expected] of cases) {
      it(`should turn ${input} into ${expected}`, function () {
        expect(redactUrl(input)).to.equal(expected);
      });
    }

    it("should redact every URL inside a text and leave the rest of it alone", function () {
      const text = "tried https://a:pw1@one/ then http://two/?key=pw2, giving up";
      expect(redactUrlsInText(text)).to.equal("tried https://one/ then http://two/, giving up");
    });
  });
});

import path from "node:path";
import { expect } from "chai";
import { ConfigError, loadIndexerConfig, usage } from "../../indexer/config";

/** The ConfigError `load` throws, so its problems can be compared. */
function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("indexer configuration", function () {
  it("uses the defaults when nothing is set", function () {
    expect(loadIndexerConfig([], {})).to.deep.equal({
      rpcUrl: "http://127.0.0.1:8545",
      databaseUrl: null,
      dataDir: path.resolve(".dxl/db"),
      deploymentsFile: null,
      deploymentsDir: path.resolve("deployments"),
      startBlock: null,
      finality: { kind: "confirmations", depth: 12 },
      pollIntervalMs: 250,
      batchSize: 2000,
      writeSize: 2000,
      opsHost: "127.0.0.1",
      opsPort: 9464,
      logLevel: "info",
    });
  });

  it("reads the environment, and lets flags override it", function () {
    const env = {
      DXL_RPC_URL: "http://node:8545",
      DXL_DATABASE_URL: "postgres://indexer@db:5432/dxl",
      DXL_FINALITY: "instant",
      DXL_START_BLOCK: "17",
      DXL_OPS_PORT: "off",
      DXL_BATCH_SIZE: "500",
    };
    const config = loadIndexerConfig(["--rpc-url", "https://rpc.example/v1", "--finality=confirmations:0"], env);
    expect(config.rpcUrl).to.equal("https://rpc.example/v1");
    expect(config.databaseUrl).to.equal("postgres://indexer@db:5432/dxl");
    expect(config.finality).to.deep.equal({ kind: "confirmations", depth: 0 });
    expect(config.startBlock).to.equal(17);
    expect(config.opsPort).to.equal(null);
    expect(config.batchSize).to.equal(500);
  });

  it("names every bad value at once, each with its flag and variable", function () {
    const problems = problemsOf(() =>
      loadIndexerConfig(["--poll-interval", "soon"], {
        DXL_RPC_URL: "ws://node:8546",
        DXL_FINALITY: "eventually",
        DXL_BATCH_SIZE: "0",
        DXL_WRITE_SIZE: "many",
        DXL_OPS_PORT: "70000",
        DXL_LOG_LEVEL: "loud",
        DXL_START_BLOCK: "-1",
      }),
    );
    expect(problems).to.deep.equal([
      "--rpc-url / DXL_RPC_URL: expected an http(s) URL",
      '--start-block / DXL_START_BLOCK: expected a whole number, got "-1"',
      '--finality / DXL_FINALITY: expected "instant" or "confirmations:N", got "eventually"',
      '--poll-interval / DXL_POLL_INTERVAL_MS: expected a whole number, got "soon"',
      "--batch-size / DXL_BATCH_SIZE: expected a number from 1 to 9007199254740991, got 0",
      '--write-size / DXL_WRITE_SIZE: expected a whole number, got "many"',
      "--ops-port / DXL_OPS_PORT: expected a number from 0 to 65535, got 70000",
      '--log-level / DXL_LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, got "loud"',
    ]);
  });

  it("never repeats a database URL, which may hold a password", function () {
    const problems = problemsOf(() => loadIndexerConfig([], { DXL_DATABASE_URL: "mysql://root:hunter2@db/dxl" }));
    expect(problems).to.deep.equal(["--database-url / DXL_DATABASE_URL: expected a postgres:// URL"]);
    const unparsable = problemsOf(() => loadIndexerConfig([], { DXL_DATABASE_URL: "hunter2 not a url" }));
    expect(unparsable.join()).to.not.include("hunter2");
  });

  it("refuses an unknown flag", function () {
    const [problem] = problemsOf(() => loadIndexerConfig(["--rpc", "http://node"], {}));
    expect(problem).to.include("--rpc");
  });

  it("lists every flag with its variable in the usage text", function () {
    const text = usage();
    for (const fragment of ["--rpc-url", "DXL_RPC_URL", "--finality", "confirmations:12", "--ops-port", "9464"]) {
      expect(text).to.include(fragment);
    }
  });
});

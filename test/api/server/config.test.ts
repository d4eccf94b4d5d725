import path from "node:path";
import { expect } from "chai";
import { API_SETTINGS, apiUsage, ConfigError, loadApiConfig } from "../../../indexer/api/config";
import { SETTINGS as INDEXER_SETTINGS } from "../../../indexer/config";

const SECRET = "a-session-secret-of-at-least-32-bytes!";

/** The problems `loadApiConfig` reports for `argv` and `env`; fails if it accepts them. */
function problemsOf(argv: string[], env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadApiConfig(argv, env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
}

describe("API configuration", function () {
  it("should default to a signed-in server on 127.0.0.1:4000 over the embedded database, with no indexer", function () {
    const config = loadApiConfig([], {});
    expect(config).to.deep.include({
      host: "127.0.0.1",
      port: 4000,
      domain: null,
      sessionSecret: null,
      tokenLifetimeSeconds: 3_600,
      nonceLifetimeSeconds: 300,
      responseCacheMb: 64,
      workers: 1,
      open: false,
      rpcUrl: "http://127.0.0.1:8545",
      databaseUrl: null,
      dataDir: path.resolve(".dxl/db"),
      logLevel: "info",
      indexer: null,
    });
  });

  it("should take flags over environment variables over defaults", function () {
    const env = { DXL_API_PORT: "5000", DXL_API_HOST: "0.0.0.0", DXL_API_SESSION_SECRET: SECRET };
    const config = loadApiConfig(["--port", "6000", "--domain", "ledger.example:443", "--open"], env);
    expect(config).to.deep.include({
      port: 6000,
      host: "0.0.0.0",
      domain: "ledger.example:443",
      sessionSecret: SECRET,
      open: true,
    });
  });

  it("should share the database and node settings with the indexer it runs in-process, its health port off", function () {
    const config = loadApiConfig(
      [
        "--with-indexer",
        "--database-url",
        "postgres://u:p@db/dxl",
        "--finality",
        "instant",
        "--rpc-url",
        "http://n:8545",
      ],
      {},
    );
    expect(config.indexer).to.deep.include({
      databaseUrl: "postgres://u:p@db/dxl",
      rpcUrl: "http://n:8545",
      finality: { kind: "instant" },
      opsPort: null,
    });
    expect(config).to.deep.include({ databaseUrl: "postgres://u:p@db/dxl", rpcUrl: "http://n:8545" });
    expect(loadApiConfig(["--with-indexer", "--ops-port", "9000"], {}).indexer?.opsPort).to.equal(9000);
  });

  const badValues: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [["--port", "70000"], {}, /^--port \/ DXL_API_PORT: expected a number from 0 to 65535, got 70000$/],
    [["--token-lifetime", "5"], {}, /^--token-lifetime \/ DXL_API_TOKEN_LIFETIME: expected a number from 60/],
    [["--nonce-lifetime", "soon"], {}, /^--nonce-lifetime \/ DXL_API_NONCE_LIFETIME: expected a whole number/],
    [["--response-cache-mb", "lots"], {}, /^--response-cache-mb \/ DXL_API_RESPONSE_CACHE_MB: expected a whole number/],
    [
      [],
      { DXL_API_RESPONSE_CACHE_MB: "5000" },
      /^--response-cache-mb \/ DXL_API_RESPONSE_CACHE_MB: expected a number from 0 to 4096/,
    ],
    [["--workers", "2"], {}, /^--workers \/ DXL_API_WORKERS: above 1 needs a PostgreSQL --database-url/],
    [
      ["--workers", "3", "--with-indexer", "--database-url", "postgres://u@db/x"],
      {},
      /^--workers \/ DXL_API_WORKERS: above 1 cannot run the indexer in-process/,
    ],
    [["--workers", "0"], {}, /^--workers \/ DXL_API_WORKERS: expected a number from 1 to 64, got 0$/],
    [["--domain", "https://ledger.example/"], {}, /^--domain \/ DXL_API_DOMAIN: expected host or host:port/],
    [["--host", " "], {}, /^--host \/ DXL_API_HOST: must not be empty$/],
    [[], { DXL_API_SESSION_SECRET: "short-secret" }, /^DXL_API_SESSION_SECRET: expected at least 32 bytes, got 12$/],
    [["--finality", "instant"], {}, /^--finality: applies only with --with-indexer$/],
    [["--database-url", "mysql://u:secretpw@db/x"], {}, /^--database-url \/ DXL_DATABASE_URL: expected a postgres/],
    [["--bogus"], {}, /--bogus/],
    [["--port"], {}, /--port/],
  ];
  for (const [argv, env, problem] of badValues) {
    it(`should refuse ${argv.join(" ") || JSON.stringify(env)}, naming the setting`, function () {
      const problems = problemsOf(argv, env);
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(problem);
      expect(problems[0]).not.to.include("secretpw");
      expect(problems[0]).not.to.include("short-secret");
    });
  }

  it("should report every problem at once", function () {
    expect(
      problemsOf(["--port", "x", "--finality", "later", "--with-indexer", "--token-lifetime", "1"]),
    ).to.have.length(3);
  });

  it("should list every flag and variable in its usage", function () {
    const usage = apiUsage();
    for (const setting of Object.values(API_SETTINGS)) {
      expect(usage).to.include(setting.env);
      if (setting.flag) expect(usage).to.include(`--${setting.flag}`);
    }
    for (const setting of Object.values(INDEXER_SETTINGS)) expect(usage).to.include(`--${setting.flag}`);
    expect(usage).to.include("--open").and.to.include("--with-indexer");
  });
});

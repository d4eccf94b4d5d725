import path from "node:path";
import { expect } from "chai";
import { readStartOptions, StartOptionsError, startUsage } from "../../../scripts/start/options";

function problemsOf(argv: string[], env: NodeJS.ProcessEnv = {}): string[] {
  try {
    readStartOptions(argv, env);
  } catch (error) {
    if (error instanceof StartOptionsError) return error.problems;
    throw error;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
}

describe("npm start settings", function () {
  it("should default to seed 1, 40,000 records, .dxl/, the local chain on 8545 and the API on 4000", function () {
    expect(readStartOptions([], {})).to.deep.equal({
      fresh: false,
      seed: 1,
      records: 40_000,
      stateDir: path.resolve(".dxl"),
      rpcUrl: null,
      chainPort: 8545,
      apiPort: 4000,
    });
  });

  it("should take flags over environment variables, and DXL_RPC_URL for an external chain", function () {
    const options = readStartOptions(["--fresh", "--seed", "7", "--api-port", "0"], {
      DXL_SEED: "3",
      DXL_SEED_RECORDS: "500",
      DXL_STATE_DIR: "/tmp/dxl-state",
      DXL_RPC_URL: "http://besu:8545",
    });
    expect(options).to.deep.include({
      fresh: true,
      seed: 7,
      records: 500,
      stateDir: "/tmp/dxl-state",
      rpcUrl: "http://besu:8545",
      apiPort: 0,
    });
  });

  const bad: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [["--seed", "x"], {}, /^--seed \/ DXL_SEED: expected a whole number from 0 to 2147483648, got "x"$/],
    [[], { DXL_SEED_RECORDS: "5" }, /^--records \/ DXL_SEED_RECORDS: expected a whole number from 100/],
    [["--chain-port", "0"], {}, /^--chain-port \/ DXL_CHAIN_PORT: expected a whole number from 1 to 65535/],
    [["--bogus"], {}, /--bogus/],
  ];
  for (const [argv, env, problem] of bad) {
    it(`should refuse ${argv.join(" ") || JSON.stringify(env)}, naming the setting`, function () {
      const problems = problemsOf(argv, env);
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(problem);
    });
  }

  it("should list every flag and variable in its usage", function () {
    const usage = startUsage();
    for (const name of [
      "--fresh",
      "--seed",
      "DXL_SEED_RECORDS",
      "--state-dir",
      "--chain-port",
      "DXL_API_PORT",
      "DXL_RPC_URL",
    ]) {
      expect(usage).to.include(name);
    }
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Command } from "commander";
import { registerEvidenceCommands } from "../../../scripts/dxl/commands/evidence";
import type { EvidenceBundle } from "../../../scripts/lib/evidence";
import { evidenceScenario, EVIDENCE_CASE } from "../../helpers/evidence-scenario";
import type { EvidenceScenario } from "../../helpers/evidence-scenario";

/** What one run of a command printed, and the exit code it asked for. */
interface Run {
  out: string[];
  errors: string[];
  exitCode: number | undefined;
}

/** Runs `dxl <args>` with only the evidence commands registered, capturing what they print. */
async function dxl(...args: string[]): Promise<Run> {
  const run: Run = { out: [], errors: [], exitCode: undefined };
  const program = new Command("dxl").exitOverride();
  registerEvidenceCommands(program, {
    out: (line) => run.out.push(line),
    error: (line) => run.errors.push(line),
    setExitCode: (code) => (run.exitCode = code),
  });
  await program.parseAsync(args, { from: "user" });
  return run;
}

describe("dxl evidence", function () {
  this.timeout(60_000);
  let scenario: EvidenceScenario;
  let directory: string;
  let packageFiles: string[];
  let chainOptions: string[];

  before(async function () {
    scenario = await evidenceScenario();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "dxl-evidence-"));
    packageFiles = scenario.deliveryPackages.map((deliveryPackage, position) => {
      const file = path.join(directory, `delivery-${position}.json`);
      fs.writeFileSync(file, JSON.stringify(deliveryPackage));
      return file;
    });
    chainOptions = ["--rpc-url", scenario.node.url, "--deployments", scenario.deploymentsDirectory];
  });

  after(function () {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const readBundle = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as EvidenceBundle;

  it("should write the bundle of a case given as text, with its delivery packages", async function () {
    const out = path.join(directory, "case.json");
    const run = await dxl("evidence", EVIDENCE_CASE, "--out", out, ...chainOptions, "--package", ...packageFiles);
    expect(run).to.deep.equal({
      out: [`wrote ${out}: 3 request(s), 13 transaction(s), 2 delivery package(s)`],
      errors: [],
      exitCode: undefined,
    });
    const bundle = readBundle(out);
    expect(bundle.subject).to.deep.equal({ caseRef: scenario.caseRef });
    expect(bundle.deliveryPackages.map((deliveryPackage) => deliveryPackage.deliveryId)).to.deep.equal(["2", "3"]);
  });

  it("should take a 0x value as a request id first, then as a caseRef", async function () {
    const byRequest = path.join(directory, "request.json");
    const byCaseRef = path.join(directory, "case-ref.json");
    await dxl("evidence", scenario.requests.rejected, "--out", byRequest, ...chainOptions);
    await dxl("evidence", scenario.caseRef, "--out", byCaseRef, ...chainOptions);
    expect(readBundle(byRequest).subject).to.deep.equal({ requestId: scenario.requests.rejected });
    expect(readBundle(byCaseRef).subject).to.deep.equal({ caseRef: scenario.caseRef });
    expect(readBundle(byCaseRef).requests).to.have.length(3);
  });

  it("should print every check of a sound bundle and exit 0, offline and against the chain", async function () {
    const file = path.join(directory, "sound.json");
    await dxl("evidence", EVIDENCE_CASE, "--out", file, ...chainOptions, "--package", ...packageFiles);
    const offline = await dxl("evidence", "verify", file);
    expect(offline.exitCode).to.equal(undefined);
    expect(offline.out.at(-1)).to.match(/^\d+ checks: \d+ passed, 0 failed, 2 skipped$/);
    expect(offline.out.filter((line) => line.startsWith("ok "))).to.have.length.above(60);
    const online = await dxl("evidence", "verify", file, "--rpc-url", scenario.node.url);
    expect(online.exitCode).to.equal(undefined);
    expect(online.out.some((line) => /^ok +block \d+ .* is on the node's canonical chain$/.test(line))).to.equal(true);
  });

  it("should exit 1 with one line per failure for a tampered bundle", async function () {
    const file = path.join(directory, "tampered.json");
    await dxl("evidence", EVIDENCE_CASE, "--out", file, ...chainOptions, "--package", ...packageFiles);
    const bundle = readBundle(file);
    (bundle.deliveryPackages[1].records[0].record as { msisdn: string }).msisdn = "+8613899999999";
    fs.writeFileSync(file, JSON.stringify(bundle));
    const run = await dxl("evidence", "verify", file);
    expect(run.exitCode).to.equal(1);
    const failures = run.out.filter((line) => line.startsWith("FAILED"));
    expect(failures).to.have.length(2);
    expect(failures[0]).to.match(
      /^FAILED {2}delivery 3: the records hash to the payload hash and number the record count: the records hash to 0x[0-9a-f]{64}, not the delivery's payload hash 0x[0-9a-f]{64}$/,
    );
    expect(failures[1]).to.match(
      new RegExp(
        `^FAILED {2}delivery 3: record 5 is in attestation ${scenario.attestationId}: the record's canonical JSON hashes to 0x[0-9a-f]{64}, not its stated digest 0x[0-9a-f]{64}$`,
      ),
    );
    expect(run.out.at(-1)).to.match(/^\d+ checks: \d+ passed, 2 failed, 2 skipped$/);
  });

  it("should report a case without requests and an unreadable package in one line each, exit 1", async function () {
    const out = path.join(directory, "none.json");
    const unknown = await dxl("evidence", "case:nobody", "--out", out, ...chainOptions);
    expect(unknown.errors).to.have.length(1);
    expect(unknown.errors[0]).to.match(/^dxl evidence: no access request on chain 31337 for case 0x[0-9a-f]{64}$/);
    expect(unknown.exitCode).to.equal(1);
    const missing = await dxl("evidence", EVIDENCE_CASE, "--out", out, ...chainOptions, "--package", "missing.json");
    expect(missing.errors).to.deep.equal(["dxl evidence: cannot read the delivery package missing.json: ENOENT"]);
    expect(missing.exitCode).to.equal(1);
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("should report a bundle file that is missing or not JSON in one line, exit 1", async function () {
    const notJson = path.join(directory, "not-json.json");
    fs.writeFileSync(notJson, "{ nope");
    const missing = await dxl("evidence", "verify", path.join(directory, "absent.json"));
    expect(missing.errors).to.deep.equal([
      `dxl evidence: cannot read the evidence bundle ${path.join(directory, "absent.json")}: ENOENT`,
    ]);
    expect(missing.exitCode).to.equal(1);
    const garbled = await dxl("evidence", "verify", notJson);
    expect(garbled.errors).to.have.length(1);
    expect(garbled.errors[0]).to.match(/^dxl evidence: the evidence bundle .*not-json\.json is not JSON: /);
    expect(garbled.exitCode).to.equal(1);
  });

  it("should ask for --out with exit code 2", async function () {
    expect(await dxl("evidence", EVIDENCE_CASE, ...chainOptions)).to.deep.equal({
      out: [],
      errors: ["dxl evidence: the --out <file> option is required"],
      exitCode: 2,
    });
  });
});

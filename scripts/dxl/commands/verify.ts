/**
 * `dxl verify <record.json> --proof <file>`: whether a record is in an attested batch, offline against a Merkle
 * root (`--root`) and/or on chain against an attestation (`--attestation`, AttestationRegistry.verifyRecord, which
 * also knows a revoked attestation). Exits 1 unless every check says VALID.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { recordDigestHex, verifyRecordProof } from "../../lib/merkle";
import { findRecordProof } from "../../lib/proof-lookup";
import type { FoundProof } from "../../lib/proof-lookup";
import { RecordVerification } from "../../lib/suite-values";
import { openSuite, withConnectionOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { DxlError } from "../errors";
import { createOutput } from "../output";
import { parseBytes32, smallNumber, wholeNumber } from "../parse";

interface VerifyOptions extends ConnectionOptions {
  proof: string;
  root?: string;
  attestation?: bigint;
  index?: number;
}

/** One check's verdict. */
interface Verdict {
  against: string;
  result: keyof typeof RecordVerification;
}

const VERIFICATION_NAMES = Object.fromEntries(
  Object.entries(RecordVerification).map(([name, value]) => [value, name]),
) as Record<number, keyof typeof RecordVerification>;

/** Registers `dxl verify`. */
export function registerVerifyCommand(program: Command): void {
  withConnectionOptions(
    program
      .command("verify")
      .description("check a record's Merkle proof against a root (offline) or an attestation (on chain)")
      .argument("<record>", "the record as a JSON file")
      .requiredOption("--proof <file>", "a proofs file, a delivery package, or {index, proof} JSON")
      .option("--root <root>", "the Merkle root to check against, offline", parseBytes32)
      .option("--attestation <attestationId>", "the attestation to check against, on chain", wholeNumber(64))
      .option("--index <n>", "the record's index in the batch (default: found by its digest)", smallNumber(2 ** 32)),
  ).action(verify);
}

async function verify(recordFile: string, options: VerifyOptions): Promise<void> {
  if (options.root === undefined && options.attestation === undefined) {
    throw new DxlError("give --root to verify offline, --attestation to verify on chain, or both");
  }
  const digest = await recordDigestHex(await readRecord(recordFile));
  const found = await findRecordProof(options.proof, digest, options.index);
  if (!found) throw new DxlError(`${options.proof} holds no proof for the record ${recordFile} (digest ${digest})`);
  const verdicts: Verdict[] = [];
  if (options.root !== undefined) verdicts.push(await verifyOffline(options.root, digest, found));
  if (options.attestation !== undefined)
    verdicts.push(await verifyOnChain(options, options.attestation, digest, found));
  const allValid = verdicts.every((verdict) => verdict.result === "VALID");
  createOutput(Boolean(options.json)).result(
    { valid: allValid, index: found.index, digest, verdicts },
    verdicts.map((verdict) => `${verdict.result}: record ${found.index} (digest ${digest}) against ${verdict.against}`),
  );
  if (!allValid) process.exitCode = 1;
}

async function readRecord(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DxlError(`the record file ${file} is not JSON: ${(error as Error).message}`);
  }
}

async function verifyOffline(root: string, digest: string, found: FoundProof): Promise<Verdict> {
  const valid = await verifyRecordProof(root, { index: found.index, digest, proof: found.proof });
  return { against: `root ${root}`, result: valid ? "VALID" : "INVALID" };
}

async function verifyOnChain(
  options: ConnectionOptions,
  attestationId: bigint,
  digest: string,
  found: FoundProof,
): Promise<Verdict> {
  const { suite } = await openSuite(options);
  const verification = await suite.attestations.verifyRecord(attestationId, found.index, digest, found.proof);
  return { against: `attestation ${attestationId}`, result: VERIFICATION_NAMES[Number(verification)] };
}

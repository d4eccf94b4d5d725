import fs from "node:fs";
import path from "node:path";
import {
  AbiCoder,
  BaseContract,
  ContractFactory,
  ZeroAddress,
  ZeroHash,
  concat,
  getBytes,
  id,
  keccak256,
} from "ethers";
import type { BytesLike, ContractTransaction, InterfaceAbi, Signer, TransactionReceipt } from "ethers";
import { ethers, network } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Acknowledgement, DAY, RecordVerification, consortiumScenario } from "../test/helpers/suite";
import type { ConsortiumScenario } from "../test/helpers/suite";
import { accessGrantsDomain, signAccessRequest } from "../test/helpers/eip712";
import type { AccessRequest } from "../test/helpers/eip712";
import type { AttestationRegistry, IAttestationRegistry } from "../typechain-types";

/** The floor model: what a transaction cannot go below, whatever the code does between its writes. */
const FLOOR = {
  base: 21_000,
  zeroByte: 4,
  nonZeroByte: 16,
  /** Cold SSTORE 0 → nonzero (20,000) plus the cold access (2,100). */
  newSlot: 22_100,
  /** Cold SSTORE nonzero → nonzero (2,900) plus the cold access (2,100). */
  updatedSlot: 5_000,
  log: 375,
  logTopic: 375,
  logDataByte: 8,
} as const;

/** Cost of a slot's first SSTORE in a transaction, by what it does (EIP-2200, EIP-2929). */
const SSTORE_SET = 20_000;
const SSTORE_RESET = 2_900;

/** Our single attestation must cost at most this share of an EAS attestation of the same payload. */
const TARGET_ATTEST_TO_EAS = 0.5;

/** Fixed chain time (2100-01-01), so that request windows, signatures and calldata, hence gas, repeat. */
const BENCH_TIME = 4_102_444_800n;
const DAY_SECONDS = BigInt(DAY);
const PERIOD_ORIGIN = 1_735_689_600n;
const DATA_URI_BASE = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const RECORDS_PER_BATCH = 25_000n;
const BATCH_SIZE = 10;
const PROOF_DEPTH = 20;

const EAS_SCHEMA = "bytes32 merkleRoot,uint64 recordCount,uint64 periodStart,uint64 periodEnd,string dataURI";
const SNAPSHOT_FILE = path.join(__dirname, "gas-snapshot.json");
/** The figures of the closing JSON line, for CI. */
const SUMMARY_OPERATIONS = [
  "attest",
  "attestBatch10PerItem",
  "easAttest",
  "requestRelayed",
  "endorse",
  "approve",
  "recordDelivery",
  "acknowledge",
  "verifyRecordDepth20",
  "attestFirst",
] as const;

type AttestationRequest = IAttestationRegistry.AttestationRequestStruct;

/** One measured operation and its floor analysis. */
interface Figure {
  operation: string;
  gas: number;
  calldataGas: number;
  newSlots: number;
  updatedSlots: number;
  logGas: number;
  floor: number;
}

interface StorageWrites {
  newSlots: number;
  updatedSlots: number;
}

interface StructLog {
  op: string;
  gasCost: number;
  stack?: string[];
}

async function main(): Promise<void> {
  if (network.name !== "hardhat") throw new Error("bench/gas.ts measures on the in-process hardhat network only");
  await time.increaseTo(BENCH_TIME);
  const scenario = await consortiumScenario();

  const attestation = await measureAttestations(scenario);
  const figures = [
    ...attestation.figures,
    ...(await measureEas(scenario.signers.telecomSteward, attestation.firstRequest, attestation.steadyRequest)),
    ...(await measureAccessFlow(scenario)),
    await measureVerifyRecord(scenario),
  ];
  const byOperation = new Map(figures.map((figure) => [figure.operation, figure]));
  const gasOf = (operation: string) => byOperation.get(operation)!.gas;
  const attestToEasRatio = round(gasOf("attest") / gasOf("easAttest"), 3);
  const targetMet = gasOf("attest") <= TARGET_ATTEST_TO_EAS * gasOf("easAttest");

  printTable(figures);
  console.log(
    `\ntarget attest ≤ ${TARGET_ATTEST_TO_EAS} × easAttest: ${targetMet ? "met" : "MISSED"} ` +
      `(attest ${format(gasOf("attest"))} = ${attestToEasRatio} × easAttest ${format(gasOf("easAttest"))})`,
  );
  writeSnapshot(figures);
  console.log(`snapshot written to ${path.relative(process.cwd(), SNAPSHOT_FILE)}`);
  console.log(
    JSON.stringify({
      bench: "gas",
      ...Object.fromEntries(SUMMARY_OPERATIONS.map((operation) => [operation, gasOf(operation)])),
      attestToEasRatio,
    }),
  );
  if (!targetMet) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement

/**
 * Sends `transaction` from `sender` and sets its gas against the floor; a view (`estimate`) is only estimated,
 * so its floor is the base cost and its calldata.
 */
async function measure(
  operation: string,
  sender: Signer,
  transaction: ContractTransaction | Promise<ContractTransaction>,
  mode: "send" | "estimate" = "send",
): Promise<Figure> {
  const populated = await transaction;
  const calldataGas = calldataCost(populated.data);
  if (mode === "estimate") {
    const gas = await sender.estimateGas(populated);
    return figure(operation, Number(gas), calldataGas, { newSlots: 0, updatedSlots: 0 }, 0);
  }
  const receipt = await confirmed(sender.sendTransaction(populated));
  return figure(operation, Number(receipt.gasUsed), calldataGas, await storageWrites(receipt.hash), logCost(receipt));
}

function figure(operation: string, gas: number, calldataGas: number, writes: StorageWrites, logGas: number): Figure {
  const floor =
    FLOOR.base + calldataGas + writes.newSlots * FLOOR.newSlot + writes.updatedSlots * FLOOR.updatedSlot + logGas;
  return { operation, gas, calldataGas, ...writes, logGas, floor };
}

/** A batch's figure shared out over its items (base cost included, so the per-item floor is amortized too). */
function perItem(batch: Figure, operation: string, items: number): Figure {
  return {
    operation,
    gas: Math.round(batch.gas / items),
    calldataGas: Math.round(batch.calldataGas / items),
    newSlots: batch.newSlots / items,
    updatedSlots: batch.updatedSlots / items,
    logGas: Math.round(batch.logGas / items),
    floor: Math.round(batch.floor / items),
  };
}

function calldataCost(data: BytesLike): number {
  return Array.from(getBytes(data)).reduce((cost, byte) => cost + (byte === 0 ? FLOOR.zeroByte : FLOOR.nonZeroByte), 0);
}

function logCost(receipt: TransactionReceipt): number {
  return receipt.logs.reduce(
    (cost, log) =>
      cost + FLOOR.log + FLOOR.logTopic * log.topics.length + FLOOR.logDataByte * getBytes(log.data).length,
    0,
  );
}

/**
 * Slots the transaction created or changed, from the cost of each slot's first SSTORE in its trace. Slots are
 * keyed by position alone: in every measured transaction a single contract writes.
 */
async function storageWrites(transactionHash: string): Promise<StorageWrites> {
  const trace = (await network.provider.send("debug_traceTransaction", [
    transactionHash,
    { disableMemory: true, disableStorage: true },
  ])) as { structLogs: StructLog[] };
  const firstWriteCost = new Map<string, number>();
  for (const step of trace.structLogs) {
    const slot = step.op === "SSTORE" ? step.stack?.at(-1) : undefined;
    if (slot !== undefined && !firstWriteCost.has(slot)) firstWriteCost.set(slot, step.gasCost);
  }
  const costs = [...firstWriteCost.values()];
  return {
    newSlots: costs.filter((cost) => cost >= SSTORE_SET).length,
    updatedSlots: costs.filter((cost) => cost >= SSTORE_RESET && cost < SSTORE_SET).length,
  };
}

async function confirmed(
  pending: Promise<{ wait(): Promise<TransactionReceipt | null> }>,
): Promise<TransactionReceipt> {
  const receipt = await (await pending).wait();
  if (!receipt || receipt.status !== 1) throw new Error("a bench transaction failed");
  return receipt;
}

// ---------------------------------------------------------------------------------------------------------------
// Operations

/**
 * attestFirst and attest (a source's first and second attestations), then a batch of ten second attestations,
 * one per source. Returns also the two single requests, for the EAS comparison.
 */
async function measureAttestations(scenario: ConsortiumScenario) {
  const { attestations, dataSources } = scenario;
  const { telecomSteward, bankSteward } = scenario.signers;
  const registry = attestations.connect(telecomSteward);
  const { callRecords, cellLocations, transfers } = scenario.sources;

  const firstRequest = await nextBatch(attestations, callRecords, "call-records-1");
  const attestFirst = await measure("attestFirst", telecomSteward, registry.attest.populateTransaction(firstRequest));
  const steadyRequest = await nextBatch(attestations, callRecords, "call-records-2");
  const attest = await measure("attest", telecomSteward, registry.attest.populateTransaction(steadyRequest));

  const extraSources = [];
  for (let index = 1; index <= BATCH_SIZE - 2; index++) {
    const name = `bench-source-${index}`;
    await confirmed(
      dataSources
        .connect(telecomSteward)
        .registerSource(name, id(`schema:${name}`), `ipfs://schemas/${name}`, 1, false),
    );
    extraSources.push(await dataSources.sourceIdOf(scenario.organizations.telecomId, name));
  }
  const unchained = [cellLocations, ...extraSources];
  await confirmed(registry.attestBatch(await batchOf(attestations, unchained, "first")));
  const batch = await batchOf(attestations, [callRecords, ...unchained], "next");
  const batchFigure = await measure("attestBatch10", telecomSteward, registry.attestBatch.populateTransaction(batch));

  // The bank's source gets a batch for the delivery of the access flow to draw from.
  await confirmed(attestations.connect(bankSteward).attest(await nextBatch(attestations, transfers, "transfers-1")));

  return {
    figures: [attestFirst, attest, perItem(batchFigure, "attestBatch10PerItem", BATCH_SIZE)],
    firstRequest,
    steadyRequest,
  };
}

/** The next batch of a source's chain: it links to the head and covers the day after the last period. */
async function nextBatch(
  attestations: AttestationRegistry,
  sourceId: string,
  label: string,
): Promise<AttestationRequest> {
  const chain = await sourceChain(attestations, sourceId);
  const periodStart = chain.chainLength === 0n ? PERIOD_ORIGIN : chain.lastPeriodEnd;
  return {
    sourceId,
    merkleRoot: id(`root:${label}`),
    recordCount: RECORDS_PER_BATCH,
    periodStart,
    periodEnd: periodStart + DAY_SECONDS,
    previousAttestationId: chain.headAttestationId,
    dataURI: `${DATA_URI_BASE}/${label}.jsonl`,
  };
}

/** A source's chain head. */
async function sourceChain(attestations: AttestationRegistry, sourceId: string) {
  const { headAttestationId, chainLength, lastPeriodEnd } = await attestations.getSourceChain(sourceId);
  return { headAttestationId, chainLength, lastPeriodEnd };
}

function batchOf(attestations: AttestationRegistry, sourceIds: string[], label: string) {
  return Promise.all(sourceIds.map((sourceId, index) => nextBatch(attestations, sourceId, `${label}-${index}`)));
}

/** EAS attestations of the same root, count, period and data URI as our first and steady-state attestations. */
async function measureEas(
  attester: Signer,
  firstRequest: AttestationRequest,
  steadyRequest: AttestationRequest,
): Promise<Figure[]> {
  const [deployer] = await ethers.getSigners();
  const registry = await deployEasContract("SchemaRegistry", deployer);
  const eas = await deployEasContract("EAS", deployer, await registry.getAddress());
  const register = registry.getFunction("register");
  const schema = (await register.staticCall(EAS_SCHEMA, ZeroAddress, true)) as string;
  await confirmed(register.send(EAS_SCHEMA, ZeroAddress, true));

  const attest = (request: AttestationRequest) =>
    eas.getFunction("attest").populateTransaction({
      schema,
      data: {
        recipient: ZeroAddress,
        expirationTime: 0n,
        revocable: true,
        refUID: ZeroHash,
        data: AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "uint64", "uint64", "uint64", "string"],
          [request.merkleRoot, request.recordCount, request.periodStart, request.periodEnd, request.dataURI],
        ),
        value: 0n,
      },
    });
  return [
    await measure("easAttestFirst", attester, attest(firstRequest)),
    await measure("easAttest", attester, attest(steadyRequest)),
  ];
}

/** Deploys an EAS contract from the compiled artifact its npm package ships. */
async function deployEasContract(name: "SchemaRegistry" | "EAS", deployer: Signer, ...args: unknown[]) {
  const artifactPath = require.resolve(
    `@ethereum-attestation-service/eas-contracts/artifacts/contracts/${name}.sol/${name}.json`,
  );
  const artifact = JSON.parse(fs.readFileSync(artifactPath, "utf8")) as { abi: InterfaceAbi; bytecode: string };
  const contract = await new ContractFactory(artifact.abi, artifact.bytecode, deployer).deploy(...args);
  await contract.waitForDeployment();
  return contract as BaseContract;
}

/**
 * A relayed request (the requester's second, so its nonce slot already exists), its endorsement, approval,
 * a delivery and its acknowledgement.
 */
async function measureAccessFlow(scenario: ConsortiumScenario): Promise<Figure[]> {
  const { accessGrants, attestations } = scenario;
  const { investigator, relayer, supervisor, bankSteward } = scenario.signers;
  const domain = await accessGrantsDomain(accessGrants);
  const relay = async (request: AccessRequest) =>
    accessGrants
      .connect(relayer)
      .submitSignedRequest.populateTransaction(request, await signAccessRequest(investigator, domain, request));
  const requestFor = async (sourceId: string, caseNumber: string): Promise<AccessRequest> => ({
    requester: investigator.address,
    sourceId,
    caseRef: id(`case:${caseNumber}`),
    scopeHash: id(`scope:${caseNumber}`),
    purpose: 1,
    notBefore: BENCH_TIME,
    notAfter: BENCH_TIME + 30n * DAY_SECONDS,
    maxDeliveries: 3,
    nonce: await accessGrants.nonces(investigator.address),
    deadline: BENCH_TIME + DAY_SECONDS,
  });

  await confirmed(relayer.sendTransaction(await relay(await requestFor(scenario.sources.callRecords, "2100-0041"))));
  const request = await requestFor(scenario.sources.transfers, "2100-0042");
  const requestId = await accessGrants.requestIdOf(request);
  const asSteward = accessGrants.connect(bankSteward);
  const { headAttestationId } = await sourceChain(attestations, scenario.sources.transfers);
  const delivery = [requestId, headAttestationId, id("payload:2100-0042"), 120] as const;

  const figures = [
    await measure("requestRelayed", relayer, relay(request)),
    await measure("endorse", supervisor, accessGrants.endorse.populateTransaction(requestId)),
    await measure("approve", bankSteward, asSteward.approve.populateTransaction(requestId)),
  ];
  const deliveryId = await asSteward.recordDelivery.staticCall(...delivery);
  figures.push(await measure("recordDelivery", bankSteward, asSteward.recordDelivery.populateTransaction(...delivery)));
  figures.push(
    await measure(
      "acknowledge",
      investigator,
      accessGrants.acknowledgeDelivery.populateTransaction(deliveryId, Acknowledgement.ACCEPTED, 0),
    ),
  );
  return figures;
}

/** verifyRecord with a synthetic depth-20 proof against a root attested with 2^20 records. */
async function measureVerifyRecord(scenario: ConsortiumScenario): Promise<Figure> {
  const { attestations } = scenario;
  const { telecomSteward, outsider } = scenario.signers;
  // Pseudo-random but fixed, so the calldata (and its zero bytes) repeat from run to run.
  const recordCount = 1n << BigInt(PROOF_DEPTH);
  const index = BigInt(id("bench:index")) % recordCount;
  const recordDigest = id("bench:record");
  const proof = Array.from({ length: PROOF_DEPTH }, (_, level) => id(`bench:sibling:${level}`));
  const merkleRoot = proof.reduce(commutativeKeccak, standardLeaf(index, recordDigest));

  const batch = await nextBatch(attestations, scenario.sources.callRecords, "call-records-depth-20");
  await confirmed(attestations.connect(telecomSteward).attest({ ...batch, merkleRoot, recordCount }));
  const attestationId = await attestations.attestationCount();

  const verification = await attestations.verifyRecord(attestationId, index, recordDigest, proof);
  if (verification !== BigInt(RecordVerification.VALID)) {
    throw new Error(`verifyRecord returned ${verification} for the synthetic depth-${PROOF_DEPTH} proof, not VALID`);
  }
  return measure(
    "verifyRecordDepth20",
    outsider,
    attestations.verifyRecord.populateTransaction(attestationId, index, recordDigest, proof),
    "estimate",
  );
}

/** OpenZeppelin StandardMerkleTree leaf of `["uint256","bytes32"]` values. */
function standardLeaf(index: bigint, recordDigest: string): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "bytes32"], [index, recordDigest])));
}

/** OpenZeppelin's `Hashes.commutativeKeccak256`: the hash of the sorted pair. */
function commutativeKeccak(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function printTable(figures: Figure[]): void {
  const header = ["operation", "gas", "calldata", "new slots", "upd. slots", "storage", "logs", "floor", "gas/floor"];
  const rows = figures.map((row) => [
    row.operation,
    format(row.gas),
    format(row.calldataGas),
    format(row.newSlots),
    format(row.updatedSlots),
    format(row.newSlots * FLOOR.newSlot + row.updatedSlots * FLOOR.updatedSlot),
    format(row.logGas),
    format(row.floor),
    (row.gas / row.floor).toFixed(2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join("  ");
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  rows.forEach((row) => console.log(line(row)));
  console.log(
    `\nfloor = ${format(FLOOR.base)} + calldata (${FLOOR.zeroByte}/${FLOOR.nonZeroByte} per zero/nonzero byte)` +
      ` + ${format(FLOOR.newSlot)} per new slot + ${format(FLOOR.updatedSlot)} per updated slot` +
      ` + logs (${FLOOR.log} + ${FLOOR.logTopic} per topic + ${FLOOR.logDataByte} per data byte);` +
      " slots counted from the transaction's trace; verifyRecordDepth20 is eth_estimateGas of a view",
  );
}

/** The snapshot the review diffs: every figure with its floor analysis, in table order. */
function writeSnapshot(figures: Figure[]): void {
  const snapshot = Object.fromEntries(figures.map(({ operation, ...analysis }) => [operation, analysis]));
  fs.writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
}

function format(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

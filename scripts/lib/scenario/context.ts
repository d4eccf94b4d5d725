/** What every step of a seeding shares: the contracts, the actors, the sender, the data folder, progress. */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Suite } from "../deployment";
import type { ScenarioAccountName, ScenarioAccounts } from "./accounts";
import type { TransactionSender } from "./transactions";

/** The steps of a seeding, in order. */
export type ScenarioStage =
  "funding" | "organizations" | "sources" | "records" | "attestations" | "cases" | "expiry" | "summary";

/** A step's news: which step, and what it just did. */
export interface ScenarioProgress {
  stage: ScenarioStage;
  message: string;
}

/** The shared state of one seeding. */
export interface ScenarioContext {
  suite: Suite;
  accounts: ScenarioAccounts;
  /** Each actor's address, read once. */
  addresses: Record<ScenarioAccountName, string>;
  sender: TransactionSender;
  seed: number;
  /** Where record files, proofs, schemas and the summary go (absolute). */
  dataDir: string;
  report(stage: ScenarioStage, message: string): void;
}

/** `file` relative to the data folder, with forward slashes: how the summary names files. */
export function relativeToDataDir(context: Pick<ScenarioContext, "dataDir">, file: string): string {
  return path.relative(context.dataDir, file).split(path.sep).join("/");
}

/** The `file:` URI of a file of the data folder: what the chain is told as a schema's or a batch's location. */
export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * Step 2: each holder's steward registers its sources. A source's schema is written into the data folder as its
 * RFC 8785 canonical JSON; the chain gets the keccak256 of that file and its `file:` URI.
 */
import fs from "node:fs";
import path from "node:path";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "../merkle";
import { fileUri, relativeToDataDir } from "./context";
import type { ScenarioContext } from "./context";
import { stewardOf } from "./organizations";
import type { OrganizationIds } from "./register-organizations";
import type { SourcePlan } from "./source-plan";
import { SOURCES } from "./sources";
import type { SourceSummary } from "./summary";

/** A schema file written and hashed. */
interface SchemaFile {
  file: string;
  hash: string;
}

/**
 * Writes every source's schema file and registers the source with its holder's steward, one after the other.
 * @returns the sources as registered, in `SOURCES` order, without record counts or attestations yet.
 */
export async function registerSources(
  context: ScenarioContext,
  organizationIds: OrganizationIds,
): Promise<SourceSummary[]> {
  const summaries: SourceSummary[] = [];
  for (const source of SOURCES) {
    const schema = writeSchemaFile(context, source);
    const steward = context.accounts[stewardOf(source.holder)];
    await context.sender.send(
      context.suite.dataSources
        .connect(steward)
        .registerSource(
          source.name,
          schema.hash,
          fileUri(schema.file),
          source.sensitivity,
          source.endorsementRequired,
          context.sender.call,
        ),
    );
    summaries.push(summarize(context, source, organizationIds[source.holder], schema));
  }
  context.report("sources", `${summaries.length} sources registered, their schemas in ${context.dataDir}/schemas`);
  return summaries;
}

/** The id the registry gives source `name` of `organizationId`: `keccak256(abi.encode(organizationId, name))`. */
export function sourceIdOf(organizationId: number, name: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "string"], [organizationId, name]));
}

function writeSchemaFile(context: ScenarioContext, source: SourcePlan): SchemaFile {
  const file = path.join(context.dataDir, "schemas", source.holder, `${source.name}.schema.json`);
  const text = canonicalJson(source.schema);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, hash: keccak256(toUtf8Bytes(text)) };
}

function summarize(
  context: ScenarioContext,
  source: SourcePlan,
  organizationId: number,
  schema: SchemaFile,
): SourceSummary {
  return {
    name: source.name,
    sourceId: sourceIdOf(organizationId, source.name),
    holder: source.holder,
    organizationId,
    sensitivity: source.sensitivity,
    // The registry forces an endorsement for tiers 2 and 3.
    endorsementRequired: source.endorsementRequired || source.sensitivity >= 2,
    schemaHash: schema.hash,
    schemaURI: fileUri(schema.file),
    schemaFile: relativeToDataDir(context, schema.file),
    recordCount: 0,
    attestationIds: [],
  };
}

/** `dxl source register|update-schema|retire`: a holder's DATA_STEWARD manages its data sources. */
import type { Command } from "commander";
import { readSchemaFile } from "../../lib/schema-file";
import { eventsIn, sendChecked } from "../../lib/transactions";
import { openSigningSuite, withSignerOptions } from "../context";
import type { ConnectionOptions } from "../context";
import { DxlError } from "../errors";
import { parseBytes32, smallNumber } from "../parse";
import { reportTransaction } from "../report";

interface SchemaOptions extends ConnectionOptions {
  schema: string;
  schemaUri?: string;
}

interface RegisterOptions extends SchemaOptions {
  name: string;
  sensitivity: number;
  endorsementRequired?: boolean;
}

/** Registers `dxl source …`. */
export function registerSourceCommands(program: Command): void {
  const source = program.command("source").description("data sources of the signer's organization (DATA_STEWARD)");
  withSignerOptions(
    withSchemaOptions(
      source
        .command("register")
        .description("register a data source")
        .requiredOption("--name <name>", "the source's name, unique in the organization")
        .requiredOption("--sensitivity <tier>", "0 (public) to 3 (secret); 2 and 3 need endorsements", smallNumber(3))
        .option("--endorsement-required", "requests need a supervisor's endorsement (always for tiers 2 and 3)"),
    ),
  ).action(registerSource);
  withSignerOptions(
    withSchemaOptions(
      source
        .command("update-schema")
        .description("replace a source's schema (its version goes up by one)")
        .argument("<sourceId>", "the source", parseBytes32),
    ),
  ).action(updateSchema);
  withSignerOptions(
    source
      .command("retire")
      .description("retire a source for good: no new requests or attestations")
      .argument("<sourceId>", "the source", parseBytes32),
  ).action(retireSource);
}

function withSchemaOptions(command: Command): Command {
  return command
    .requiredOption("--schema <file>", "JSON schema file; its RFC 8785 canonical JSON is hashed")
    .option("--schema-uri <uri>", "where the schema is published (default: the schema's $id)");
}

/** The schema's hash and URI; a URI is required, from `--schema-uri` or the schema's `$id`. */
async function schemaOf(options: SchemaOptions): Promise<{ schemaHash: string; schemaUri: string }> {
  const { schemaHash, declaredUri } = await readSchemaFile(options.schema);
  const schemaUri = options.schemaUri ?? declaredUri;
  if (!schemaUri) throw new DxlError(`${options.schema} has no $id: give the schema's URI with --schema-uri`);
  return { schemaHash, schemaUri };
}

async function registerSource(options: RegisterOptions): Promise<void> {
  const { schemaHash, schemaUri } = await schemaOf(options);
  const { suite, output } = await openSigningSuite(options);
  const { dataSources } = suite;
  const { receipt } = await sendChecked(
    dataSources.registerSource,
    options.name,
    schemaHash,
    schemaUri,
    options.sensitivity,
    Boolean(options.endorsementRequired),
  );
  const [event] = eventsIn(receipt, dataSources, "DataSourceRegistered");
  const sourceId = event.args.sourceId as string;
  reportTransaction(output, receipt, `source ${sourceId} registered: ${options.name}, schema ${schemaHash}`, {
    sourceId,
    organizationId: event.args.organizationId as bigint,
    schemaHash,
    schemaUri,
    endorsementRequired: event.args.endorsementRequired as boolean,
  });
}

async function updateSchema(sourceId: string, options: SchemaOptions): Promise<void> {
  const { schemaHash, schemaUri } = await schemaOf(options);
  const { suite, output } = await openSigningSuite(options);
  const { result: schemaVersion, receipt } = await sendChecked(
    suite.dataSources.updateSchema,
    sourceId,
    schemaHash,
    schemaUri,
  );
  reportTransaction(output, receipt, `source ${sourceId} now has schema version ${schemaVersion}: ${schemaHash}`, {
    sourceId,
    schemaVersion,
    schemaHash,
    schemaUri,
  });
}

async function retireSource(sourceId: string, options: ConnectionOptions): Promise<void> {
  const { suite, output } = await openSigningSuite(options);
  const { receipt } = await sendChecked(suite.dataSources.retireSource, sourceId);
  reportTransaction(output, receipt, `source ${sourceId} retired`, { sourceId });
}

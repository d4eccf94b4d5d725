/**
 * A data source's schema as registered: `schemaHash` is keccak256 of the UTF-8 bytes of the RFC 8785 canonical JSON
 * of the schema file (so reformatting the file does not change it), and `schemaURI` says where the schema is
 * published; the schema's own `$id` serves when no URI is given.
 */
import { readFile } from "node:fs/promises";
import { keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "./merkle";

/** A schema file's hash and the URI its `$id` names, if any. */
export interface SchemaFile {
  schemaHash: string;
  declaredUri?: string;
}

/** Thrown for a schema file that cannot be read or is not JSON; the message names the file. */
export class SchemaFileError extends Error {
  override name = "SchemaFileError";
}

/** Reads and hashes a JSON schema file. */
export async function readSchemaFile(file: string): Promise<SchemaFile> {
  const text = await readFile(file, "utf8").catch(() => {
    throw new SchemaFileError(`cannot read the schema file ${file}`);
  });
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new SchemaFileError(`the schema file ${file} is not JSON: ${(error as Error).message}`);
  }
  const declaredUri = (schema as { $id?: unknown } | null)?.$id;
  return {
    schemaHash: keccak256(toUtf8Bytes(canonicalJson(schema))),
    declaredUri: typeof declaredUri === "string" ? declaredUri : undefined,
  };
}

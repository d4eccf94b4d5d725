/** The executable schema: the SDL in schema.graphql with the resolvers and custom scalars of this folder. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLScalarType, GraphQLSchema } from "graphql";
import { resolvers } from "./resolvers";
import { AddressScalar, BigIntScalar, BytesScalar, DateTimeScalar, JsonScalar } from "./scalars";

const SDL_FILE = path.join(__dirname, "schema.graphql");

/** A scalar's parsing and writing only: its name and description stay those of the SDL. */
function behaviourOf({ serialize, parseValue, parseLiteral }: GraphQLScalarType) {
  return { serialize, parseValue, parseLiteral };
}

/**
 * Builds the API's schema. It holds no state: the database, the viewer and the loaders come in each operation's
 * context (see `ApiContext`), so one schema serves every request and subscription.
 */
export function createApiSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: readFileSync(SDL_FILE, "utf8"),
    resolvers: {
      ...resolvers,
      BigInt: behaviourOf(BigIntScalar),
      Bytes: behaviourOf(BytesScalar),
      Address: behaviourOf(AddressScalar),
      DateTime: behaviourOf(DateTimeScalar),
      JSON: behaviourOf(JsonScalar),
    },
  });
}

/** What every resolver file uses: the operation's loaders and the shape of a resolver map. */
import { createLoaders } from "../data/loaders";
import type { Loaders } from "../data/loaders";
import type { ApiContext } from "../types";

export type { Row } from "../data/loaders";

/** Resolvers by type name and field name, as `makeExecutableSchema` takes them. */
export type ResolverMap = Record<string, Record<string, unknown>>;

/** The operation's loaders, created on first use when the server did not pass any. */
export function loadersOf(context: ApiContext): Loaders {
  return (context.loaders ??= createLoaders(context.db, context.sharedRows));
}

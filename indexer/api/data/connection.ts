/**
 * Relay cursor connections over any {@link ListSource}: `where` → parameterized conditions, `orderBy` with the
 * primary key as tiebreak, keyset pagination on opaque cursors, and `totalCount` of the filtered set. Every list
 * of the API goes through here, so paging rules and their errors are the same everywhere.
 *
 * Keyset rather than OFFSET: a page costs the same deep in a list, and rows indexed meanwhile never shift a page.
 * `last`/`before` read the order reversed, then put the page back in order.
 */
import type { SqlExecutor } from "../../store";
import { badUserInput } from "../errors";
import { allOf, isInt64, SqlParameters, whereConditions } from "./sql";
import type { SqlType } from "./sql";
import type { ListSource, Order, OrderDirection, SortColumn } from "./tables";

/** The most items one page may hold. */
export const MAX_PAGE_SIZE = 1000;
/** The page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 100;

/** The arguments every list field takes. */
export interface ListArgs {
  where?: object | null;
  orderBy?: Order | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  nodes: Node[];
  pageInfo: PageInfo;
  /** Resolved only when asked for: counting a large filtered set is the expensive part. */
  totalCount: () => Promise<number>;
}

/** A condition the caller adds to every statement of a list: the viewer's scope. */
export type Restriction = (params: SqlParameters) => string;

/** What a list statement reads: a source, a filter and an optional scope. */
export interface ListQuery {
  source: ListSource;
  where?: object | null;
  restriction?: Restriction;
}

/** A validated page request. */
interface PagePlan {
  size: number;
  /** `last`: read the order reversed, then reverse the page. */
  isBackward: boolean;
  order: Order;
  sortKey: SortColumn[];
  after: string[] | null;
  before: string[] | null;
}

/** One page of `source`, with `restriction` applied to the rows and to the count. */
export async function loadConnection<Node>(db: SqlExecutor, query: ListQuery, args: ListArgs) {
  const plan = planPage(query.source, args);
  const params = new SqlParameters();
  const conditions = [...filterConditions(query, params), ...cursorConditions(plan, params)];
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${query.source.columns}, ${sortKeyColumns(plan)} FROM ${query.source.from}
     WHERE ${allOf(conditions)} ORDER BY ${orderClause(plan)} LIMIT ${plan.size + 1}`,
    params.values,
  );
  const counts = lazily(() => countRows(db, query));
  return toConnection<Node>(rows, plan, async () => (await counts()).get("") ?? 0);
}

/** The parents of nested lists: a column of the listed rows and the values it must take. */
export interface Parents {
  column: SortColumn;
  keys: readonly string[];
}

/**
 * The same page for each of several parents (e.g. the attestations of each listed source) in one statement:
 * rows are ranked per parent and cut at the page size, so a nested list costs one query, not one per parent.
 */
export async function loadConnectionsByParent<Node>(
  db: SqlExecutor,
  query: ListQuery,
  args: ListArgs,
  parents: Parents,
): Promise<Connection<Node>[]> {
  const plan = planPage(query.source, args);
  const params = new SqlParameters();
  const conditions = [
    ofParents(parents, params),
    ...filterConditions(query, params),
    ...cursorConditions(plan, params),
  ];
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM (
       SELECT ${query.source.columns}, ${sortKeyColumns(plan)}, (${parents.column.sql})::text AS "__parent",
         row_number() OVER (PARTITION BY ${parents.column.sql} ORDER BY ${orderClause(plan)}) AS "__rank"
       FROM ${query.source.from} WHERE ${allOf(conditions)}
     ) ranked WHERE "__rank" <= ${plan.size + 1} ORDER BY "__rank"`,
    params.values,
  );
  const counts = lazily(() => countRows(db, query, parents));
  return parents.keys.map((key) =>
    toConnection<Node>(
      rows.filter((row) => row.__parent === key),
      plan,
      async () => (await counts()).get(key) ?? 0,
    ),
  );
}

/** Whether `query`'s filter matches a row outside its restriction: a filter that reaches beyond the scope. */
export async function matchesBeyondRestriction(db: SqlExecutor, query: Required<ListQuery>): Promise<boolean> {
  const params = new SqlParameters();
  const conditions = [
    ...whereConditions(query.source.filters, query.where, params),
    `NOT (${query.restriction(params)})`,
  ];
  const [row] = await db.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${query.source.from} WHERE ${allOf(conditions)}) AS found`,
    params.values,
  );
  return row.found;
}

function filterConditions({ source, where, restriction }: ListQuery, params: SqlParameters): string[] {
  const conditions = whereConditions(source.filters, where, params);
  return restriction ? [...conditions, restriction(params)] : conditions;
}

function ofParents({ column, keys }: Parents, params: SqlParameters): string {
  return `${column.sql} = ANY(${params.addList(keys, column.type)})`;
}

/** The size of the filtered set per parent, or under the key "" when the list has no parents. */
async function countRows(db: SqlExecutor, query: ListQuery, parents?: Parents): Promise<Map<string, number>> {
  const params = new SqlParameters();
  const conditions = [...(parents ? [ofParents(parents, params)] : []), ...filterConditions(query, params)];
  const rows = await db.query<{ parent: string; count: number }>(
    `SELECT ${parents ? `(${parents.column.sql})::text` : "''"} AS parent, count(*)::integer AS count
     FROM ${query.source.from} WHERE ${allOf(conditions)} GROUP BY 1`,
    params.values,
  );
  return new Map(rows.map((row) => [row.parent, row.count]));
}

/** Runs `load` once, on first call, and hands every caller the same promise. */
function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= load());
}

/** Validates the paging arguments and resolves the order and its full sort key. */
function planPage(source: ListSource, args: ListArgs): PagePlan {
  const { first, last } = args;
  if (first != null && last != null) throw badUserInput("give first or last, not both");
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0) throw badUserInput("first and last must not be negative");
  if (size > MAX_PAGE_SIZE) throw badUserInput(`a page holds at most ${MAX_PAGE_SIZE} items`);
  const order = args.orderBy ?? source.defaultOrder;
  const sortKey = sortKeyOf(source, order);
  const tag = orderTag(order);
  return {
    size,
    isBackward: last != null,
    order,
    sortKey,
    after: args.after == null ? null : decodeCursor(args.after, tag, sortKey),
    before: args.before == null ? null : decodeCursor(args.before, tag, sortKey),
  };
}

/** The order's columns, then the primary key's columns the order does not already hold. */
function sortKeyOf(source: ListSource, order: Order): SortColumn[] {
  const columns = source.orders[order.field];
  if (!columns) throw new Error(`no sort order ${order.field} is declared`);
  return [...columns, ...source.key.filter((key) => !columns.some((column) => column.sql === key.sql))];
}

/** The sort key of each row, as text, for its cursor. */
function sortKeyColumns(plan: PagePlan): string {
  return plan.sortKey.map((column, index) => `(${column.sql})::text AS "__k${index}"`).join(", ");
}

function readDirection(plan: PagePlan): OrderDirection {
  if (!plan.isBackward) return plan.order.direction;
  return plan.order.direction === "ASC" ? "DESC" : "ASC";
}

function orderClause(plan: PagePlan): string {
  const direction = readDirection(plan);
  return plan.sortKey.map((column) => `${column.sql} ${direction}`).join(", ");
}

/** Rows strictly after `after` and strictly before `before`, in the list's order. */
function cursorConditions(plan: PagePlan, params: SqlParameters): string[] {
  const ascending = plan.order.direction === "ASC";
  const bound = (values: string[], operator: string) => {
    const columns = plan.sortKey.map((column) => column.sql).join(", ");
    const placeholders = values.map((value, index) => params.add(value, plan.sortKey[index].type)).join(", ");
    return `(${columns}) ${operator} (${placeholders})`;
  };
  return [
    plan.after && bound(plan.after, ascending ? ">" : "<"),
    plan.before && bound(plan.before, ascending ? "<" : ">"),
  ].filter((condition): condition is string => typeof condition === "string");
}

/** Cuts the extra row that tells whether more follow, restores the order of a backward read, and makes edges. */
function toConnection<Node>(
  rows: Record<string, unknown>[],
  plan: PagePlan,
  totalCount: () => Promise<number>,
): Connection<Node> {
  const hasMore = rows.length > plan.size;
  const page = rows.slice(0, plan.size);
  if (plan.isBackward) page.reverse();
  const tag = orderTag(plan.order);
  const edges = page.map((row) => {
    const key = plan.sortKey.map((_, index) => row[`__k${index}`] as string);
    return { cursor: encodeCursor(tag, key), node: withoutPagingColumns(row) as Node };
  });
  const hasRowsBefore = plan.after !== null;
  const hasRowsAfter = plan.before !== null;
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: plan.isBackward ? hasRowsAfter : hasMore || hasRowsAfter,
      hasPreviousPage: plan.isBackward ? hasMore || hasRowsBefore : hasRowsBefore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/** The row without the sort-key columns (`__k0`, …) read for cursors; a loop, as it runs for every listed row. */
function withoutPagingColumns(row: Record<string, unknown>): Record<string, unknown> {
  const node: Record<string, unknown> = {};
  for (const column in row) if (!column.startsWith("__")) node[column] = row[column];
  return node;
}

/** Which order a cursor belongs to: a cursor of one order means nothing in another. */
function orderTag(order: Order): string {
  return `${order.field}:${order.direction}`;
}

/** Opaque to clients, but only base64url of the order and the sort key: nothing a client could not see anyway. */
function encodeCursor(tag: string, key: string[]): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString("base64url");
}

/** Whether a cursor's value can be cast to its sort column's type: a crafted cursor must not reach SQL and fail there. */
const IS_SORT_VALUE: Record<SqlType, (value: string) => boolean> = {
  bigint: (value) => /^-?\d{1,19}$/.test(value) && isInt64(value),
  integer: (value) => /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) < 2 ** 31,
  timestamptz: (value) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/.test(value),
  text: () => true,
  boolean: (value) => value === "true" || value === "false",
};

/** The sort key in a cursor; anything not made by {@link encodeCursor} for this order is BAD_USER_INPUT. */
function decodeCursor(cursor: string, tag: string, sortKey: SortColumn[]): string[] {
  const malformed = () => badUserInput(`malformed cursor ${JSON.stringify(cursor)}`);
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (Buffer.from(text).toString("base64url") !== cursor) throw malformed();
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    throw malformed();
  }
  if (!Array.isArray(decoded) || decoded.length !== sortKey.length + 1) throw malformed();
  const [cursorTag, ...key] = decoded as unknown[];
  if (cursorTag !== tag) throw badUserInput(`the cursor belongs to another order than ${tag}`);
  const isValid = (value: unknown, index: number) =>
    typeof value === "string" && IS_SORT_VALUE[sortKey[index].type](value);
  if (!key.every(isValid)) throw malformed();
  return key as string[];
}

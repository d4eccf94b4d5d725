/**
 * Bounds on what one operation may ask, so no client can make the server or the database work without limit:
 * graphql-armor's token count (at parse), depth and alias count (at validation) and cost (at execution, once the
 * variables are known, so `first: $n` weighs as much as `first: 1000`). Every refusal is QUERY_TOO_COMPLEX, with
 * the limit and the value found, and HTTP 400.
 */
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { MaxTokensParserWLexer } from "@escape.tech/graphql-armor-max-tokens";
import { Kind, validate, visit } from "graphql";
import type { ArgumentNode, DocumentNode, GraphQLError, GraphQLSchema, ValidationContext } from "graphql";
import { isAsyncIterable } from "graphql-yoga";
import type { Plugin } from "graphql-yoga";
import { serverError } from "./errors";

/** The limits; see {@link DEFAULT_QUERY_LIMITS}. */
export interface QueryLimits {
  /** Nesting of fields below the operation (introspection excepted). */
  depth: number;
  /** graphql-armor's cost: objects 2, scalars 1, ×1.5 a level, lists × their `first`/`last`. */
  cost: number;
  /** Aliased fields in one operation. */
  aliases: number;
  /** Lexical tokens of the document. */
  tokens: number;
  /** Bytes of the request body (answered 413 before any parsing). */
  bodyBytes: number;
}

/**
 * Depth 10 fits the deepest useful read (a case trail down to the delivery's attestation's source's
 * organization); cost 5,000 admits a page of 100 rows of a dozen fields; 15 aliases and 2,000 tokens are far
 * beyond any hand-written query yet stop batching attacks; 100 kB is twenty times the largest example query.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  depth: 10,
  cost: 5_000,
  aliases: 15,
  tokens: 2_000,
  bodyBytes: 100_000,
};

/** The Yoga plugin enforcing `limits` (its `bodyBytes` is Yoga's own `maxRequestBodySize`). */
export function useQueryLimits(limits: QueryLimits): Plugin {
  const costErrors = createCostCheck(limits.cost);
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parseWithTokenLimit(source, options, limits.tokens));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(maxDepthRule({ n: limits.depth, onReject: [reportTooComplex], propagateOnRejection: false }));
      addValidationRule(
        maxAliasesRule({ n: limits.aliases, onReject: [reportTooComplex], propagateOnRejection: false }),
      );
    },
    onExecute({ args, setResultAndStopExecution }) {
      const errors = costErrors(args.schema, args.document, args.variableValues);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = costErrors(args.schema, args.document, args.variableValues);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onExecutionResult({ result }) {
      if (result && !isAsyncIterable(result)) keepStatusOfLimitErrors(result.errors);
    },
  };
}

/**
 * Yoga marks every parse error a "spec" error, answered 200 to clients that accept plain JSON; a refused limit is
 * the server's policy, not a malformed document, and keeps its 400 whatever the client accepts.
 */
function keepStatusOfLimitErrors(errors: readonly GraphQLError[] | undefined): void {
  for (const error of errors ?? []) {
    const http = error.extensions.http as { spec?: boolean } | undefined;
    if (error.extensions.code === "QUERY_TOO_COMPLEX" && http) http.spec = false;
  }
}

/** graphql-armor's limit messages start with a misleading "Syntax Error: ". */
function tooComplex(armorError: GraphQLError): GraphQLError {
  const reason = armorError.message.replace(/^Syntax Error: /, "");
  return serverError("QUERY_TOO_COMPLEX", `the query is too complex: ${reason}`, 400);
}

function reportTooComplex(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(tooComplex(error));
}

/** Parses with graphql-armor's counting lexer, which stops as soon as the count passes the limit. */
function parseWithTokenLimit(source: unknown, options: unknown, tokens: number): DocumentNode {
  const throwTooComplex = (_context: unknown, error: GraphQLError) => {
    throw tooComplex(error);
  };
  const parser = new MaxTokensParserWLexer(source as string, {
    ...(options as object),
    n: tokens,
    onReject: [throwTooComplex],
  });
  return parser.parseDocument();
}

/** Cost errors of a document and its variables; none when it is within the limit. */
type CostCheck = (
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
) => readonly GraphQLError[];

/** Verdicts kept per document (by its page sizes); more page-size combinations than this start it afresh. */
const VERDICTS_PER_DOCUMENT = 64;

/**
 * graphql-armor's cost of the document with its page sizes taken from the variables. The cost depends on nothing
 * else, so the verdict is kept per parsed document (Yoga hands out the same document object for the same text)
 * and per the values of its page-size variables: a client sending one query with changing ids pays once.
 */
function createCostCheck(maxCost: number): CostCheck {
  const verdicts = new WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>();
  return (schema, document, variables) => {
    const pageSizes = JSON.stringify(pageSizeVariables(document).map((name) => variables?.[name] ?? null));
    let byPageSizes = verdicts.get(document);
    if (!byPageSizes || byPageSizes.size >= VERDICTS_PER_DOCUMENT) {
      byPageSizes = new Map();
      verdicts.set(document, byPageSizes);
    }
    let errors = byPageSizes.get(pageSizes);
    if (!errors) {
      const rule = costLimitRule({ maxCost, onReject: [reportTooComplex], propagateOnRejection: false });
      errors = validate(schema, withPageSizesInlined(document, variables ?? {}), [rule]);
      byPageSizes.set(pageSizes, errors);
    }
    return errors;
  };
}

/** The variables a document passes as `first` or `last`, found once per document. */
const pageSizeVariablesOf = new WeakMap<DocumentNode, string[]>();
function pageSizeVariables(document: DocumentNode): string[] {
  let names = pageSizeVariablesOf.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Argument(node: ArgumentNode) {
        if (isPageSize(node) && node.value.kind === Kind.VARIABLE) found.add(node.value.name.value);
      },
    });
    names = [...found];
    pageSizeVariablesOf.set(document, names);
  }
  return names;
}

/** `first: $n` / `last: $n` become literals, from the variables or the variable's default, so cost can weigh them. */
function withPageSizesInlined(document: DocumentNode, variables: Record<string, unknown>): DocumentNode {
  const defaults = variableDefaults(document);
  return visit(document, {
    Argument(node: ArgumentNode) {
      if (!isPageSize(node) || node.value.kind !== Kind.VARIABLE) return undefined;
      const value = variables[node.value.name.value] ?? defaults.get(node.value.name.value);
      if (!Number.isSafeInteger(value)) return undefined;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
}

function isPageSize(node: ArgumentNode): boolean {
  return node.name.value === "first" || node.name.value === "last";
}

/** Integer defaults of the document's variables (`$n: Int = 50`). */
function variableDefaults(document: DocumentNode): Map<string, number> {
  const defaults = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue?.kind === Kind.INT) {
        defaults.set(variable.variable.name.value, Number(variable.defaultValue.value));
      }
    }
  }
  return defaults;
}

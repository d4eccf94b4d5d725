/**
 * The API layer's internal contracts: who is asking (the viewer), what they may see (the policy), and the
 * context every resolver receives. Resolvers read the indexer's database only, never the chain.
 */
import type { SqlExecutor } from "../store";
import type { Loaders, SharedRows } from "./data/loaders";

/** The organization kinds and roles as the indexer stores them (members.roles: bit i = Role i). */
export const ROLES = ["ORG_ADMIN", "DATA_STEWARD", "INVESTIGATOR", "SUPERVISOR", "AUDITOR"] as const;
export type RoleName = (typeof ROLES)[number];

/** Who is asking. */
export type Viewer =
  /** No valid session token. */
  | { kind: "anonymous" }
  /** `--open` development mode: no sign-in, everything visible. */
  | { kind: "open" }
  /** A signed-in account, an active member of an active organization (as indexed). */
  | {
      kind: "member";
      account: string;
      organizationId: string;
      organizationKind: string;
      roles: RoleName[];
      /** Holds the suite's governance role (DEFAULT_ADMIN_ROLE of the Consortium, as indexed). */
      isGovernance: boolean;
    };

/**
 * What a viewer may read. Organizations, sources and attestations are visible to every member; an investigating
 * organization sees its own requests and their trails; a holder sees requests to its sources; OVERSIGHT
 * auditors and governance see everything. A read beyond that is refused with FORBIDDEN, never filtered.
 */
export interface AccessScope {
  /** Sees every request, delivery, trail, raw event and the audit log. */
  seesEverything: boolean;
  /** Organizations whose requests (as requester or as holder) the viewer sees; empty when seesEverything. */
  organizationIds: string[];
}

/** Everything a resolver gets. Build one per operation: its loaders cache rows for that operation only. */
export interface ApiContext {
  db: SqlExecutor;
  viewer: Viewer;
  scope: AccessScope;
  /**
   * The chain head the indexer last saw, when the indexer runs in this process; `headBlock` and `lagBlocks` of
   * `indexerStatus` are null without it (the database knows what was indexed, not how far the chain is).
   */
  indexerHead?: () => number | null;
  /** How often a subscription looks for new rows, in milliseconds; 200 when absent. */
  subscriptionPollIntervalMs?: number;
  /** Rows kept across operations at the index version the session was admitted at; none when absent. */
  sharedRows?: SharedRows;
  /** The operation's DataLoaders (see `createLoaders`); created on first use when absent. */
  loaders?: Loaders;
}

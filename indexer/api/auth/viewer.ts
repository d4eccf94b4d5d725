/**
 * Who an account is, as indexed: its membership, its organization's kind and standing, and whether it holds the
 * Consortium's DEFAULT_ADMIN_ROLE (governance). Read for every request, never cached in the token, so a
 * suspension, a removal or a role change applies to the very next request.
 */
import { groupStatements } from "../../store";
import type { SqlExecutor } from "../../store";
import { ROLES } from "../types";
import type { AccessScope, RoleName, Viewer } from "../types";

/** A signed-in viewer. */
export type MemberViewer = Extract<Viewer, { kind: "member" }>;

/** OpenZeppelin's DEFAULT_ADMIN_ROLE, as the decoder writes a bytes32 into `events.args`. */
const DEFAULT_ADMIN_ROLE = `0x${"0".repeat(64)}`;

interface MembershipRow {
  organization_id: string;
  roles: number;
  kind: string;
  active: boolean;
}

/**
 * The viewer `account` signs in as, or null when it may not: neither an active member of an active organization
 * nor governance. Governance need not be a member; then its organization fields are empty strings and it has no
 * roles, its scope coming from `isGovernance` alone.
 */
export async function loadViewer(db: SqlExecutor, account: string): Promise<MemberViewer | null> {
  const [state] = await loadIndexedStates(db, [account]);
  return state.viewer;
}

/** What one statement tells of the index and of an account in it. */
export interface IndexedState {
  /**
   * The index's version: its checkpoints (chain, block number and hash). Every change of the indexed rows commits
   * a new checkpoint with them, so two reads at the same version see the same rows; empty before the first batch.
   */
  version: string;
  /** The account's viewer (see {@link loadViewer}); null without an account or when it may not sign in. */
  viewer: MemberViewer | null;
}

/** Reads the index's version and an account's viewer (null: none) in a statement sent after the call. */
export type IndexedStateReader = (account: string | null) => Promise<IndexedState>;

/**
 * The reader of every request's session: calls that arrive while a statement runs go together in the next one
 * (see `groupStatements`), so each still reads the index after it arrived, and a burst of requests costs a few
 * statements instead of one each.
 */
export function createIndexedStateReader(db: SqlExecutor): IndexedStateReader {
  return groupStatements((accounts: (string | null)[]) => loadIndexedStates(db, accounts));
}

/** The index's version and each account's viewer (null: none), in one statement. */
async function loadIndexedStates(db: SqlExecutor, accounts: (string | null)[]): Promise<IndexedState[]> {
  const normalized = accounts.map((account) => account?.toLowerCase() ?? null);
  const distinct = [...new Set(normalized)];
  const rows = await db.query<StateRow>(INDEXED_STATE_SQL, [distinct, DEFAULT_ADMIN_ROLE]);
  const viewers = new Map(distinct.map((account, index) => [account, viewerOf(account, rows[index])]));
  return normalized.map((account) => ({ version: rows[0].version, viewer: viewers.get(account)! }));
}

interface StateRow extends Partial<MembershipRow> {
  version: string;
  is_governance: boolean;
}

/**
 * The checkpoints and, for each account in the order given, its membership and whether it holds governance:
 * whether the latest grant or revocation of DEFAULT_ADMIN_ROLE to it is a grant. A scheduled admin transfer
 * (`DefaultAdminTransferScheduled`) changes nothing until it is accepted, and acceptance itself emits `RoleRevoked`
 * for the old admin and `RoleGranted` for the new one, so these two events decide alone.
 */
const INDEXED_STATE_SQL = `SELECT
    (SELECT coalesce(string_agg(chain_id || ':' || block_number || ':' || block_hash, ',' ORDER BY chain_id), '')
     FROM checkpoint) AS version,
    m.organization_id, m.roles, o.kind, o.active,
    coalesce((SELECT e.event_name = 'RoleGranted' FROM events e
      WHERE e.contract_name = 'Consortium' AND e.event_name IN ('RoleGranted', 'RoleRevoked')
        AND e.args->>'role' = $2::text AND e.args->>'account' = a.account
      ORDER BY e.block_number DESC, e.log_index DESC LIMIT 1), false) AS is_governance
  FROM unnest($1::text[]) WITH ORDINALITY AS a(account, position)
  LEFT JOIN members m ON m.account = a.account
  LEFT JOIN organizations o ON o.organization_id = m.organization_id
  ORDER BY a.position`;

function viewerOf(account: string | null, row: StateRow): MemberViewer | null {
  if (account === null) return null;
  const isActiveMember = row.organization_id != null && row.active === true;
  const isGovernance = row.is_governance;
  if (!isActiveMember && !isGovernance) return null;
  return {
    kind: "member",
    account,
    organizationId: isActiveMember ? String(row.organization_id) : "",
    organizationKind: isActiveMember ? row.kind! : "",
    roles: isActiveMember ? rolesOf(row.roles!) : [],
    isGovernance,
  };
}

/** OVERSIGHT auditors and governance see everything; anyone else the requests of their own organization. */
export function scopeOf(viewer: Viewer): AccessScope {
  if (viewer.kind === "open") return { seesEverything: true, organizationIds: [] };
  if (viewer.kind === "anonymous") return { seesEverything: false, organizationIds: [] };
  const isOversightAuditor = viewer.organizationKind === "OVERSIGHT" && viewer.roles.includes("AUDITOR");
  if (viewer.isGovernance || isOversightAuditor) return { seesEverything: true, organizationIds: [] };
  return { seesEverything: false, organizationIds: viewer.organizationId === "" ? [] : [viewer.organizationId] };
}

/** The chain the index holds (its checkpoint's), or null before the indexer committed anything. */
export async function indexedChainId(db: SqlExecutor): Promise<number | null> {
  const [row] = await db.query<{ chain_id: number }>("SELECT chain_id FROM checkpoint ORDER BY chain_id LIMIT 1");
  return row ? Number(row.chain_id) : null;
}

/** The role names of a `members.roles` bit mask (bit i = ROLES[i]). */
function rolesOf(mask: number): RoleName[] {
  return ROLES.filter((_, bit) => (Number(mask) & (1 << bit)) !== 0);
}

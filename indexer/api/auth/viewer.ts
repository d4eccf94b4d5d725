/**
 * Who an account is, as indexed: its membership, its organization's kind and standing, and whether it holds the
 * Consortium's DEFAULT_ADMIN_ROLE (governance). Read on every request, never cached in the token, so a
 * suspension, a removal or a role change applies to the very next request.
 */
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
  const normalized = account.toLowerCase();
  const [membership, isGovernance] = await Promise.all([
    loadMembership(db, normalized),
    holdsGovernance(db, normalized),
  ]);
  const isActiveMember = membership !== null && membership.active;
  if (!isActiveMember && !isGovernance) return null;
  return {
    kind: "member",
    account: normalized,
    organizationId: isActiveMember ? String(membership.organization_id) : "",
    organizationKind: isActiveMember ? membership.kind : "",
    roles: isActiveMember ? rolesOf(membership.roles) : [],
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

async function loadMembership(db: SqlExecutor, account: string): Promise<MembershipRow | null> {
  const [row] = await db.query<MembershipRow>(
    `SELECT m.organization_id, m.roles, o.kind, o.active
     FROM members m JOIN organizations o ON o.organization_id = m.organization_id
     WHERE m.account = $1`,
    [account],
  );
  return row ?? null;
}

/**
 * Whether the latest grant or revocation of DEFAULT_ADMIN_ROLE to `account` is a grant. A scheduled admin transfer
 * (`DefaultAdminTransferScheduled`) changes nothing until it is accepted, and acceptance itself emits
 * `RoleRevoked` for the old admin and `RoleGranted` for the new one, so these two events decide alone.
 */
async function holdsGovernance(db: SqlExecutor, account: string): Promise<boolean> {
  const [latest] = await db.query<{ event_name: string }>(
    `SELECT event_name FROM events
     WHERE contract_name = 'Consortium' AND event_name IN ('RoleGranted', 'RoleRevoked')
       AND args->>'role' = $1 AND args->>'account' = $2
     ORDER BY block_number DESC, log_index DESC LIMIT 1`,
    [DEFAULT_ADMIN_ROLE, account],
  );
  return latest?.event_name === "RoleGranted";
}

/** The role names of a `members.roles` bit mask (bit i = ROLES[i]). */
function rolesOf(mask: number): RoleName[] {
  return ROLES.filter((_, bit) => (Number(mask) & (1 << bit)) !== 0);
}

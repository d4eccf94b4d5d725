/**
 * The bench's ledger, block by block in chain order: the deployment and the consortium's registrations first, then
 * one slot (block) per access request, each also carrying a share of the attestations (one `attestBatch` on a
 * random source) and whatever earlier requests scheduled for it. Produced lazily, so memory holds only the steps
 * still to come, never the ledger.
 */
import { ROLE_BIT } from "./consortium";
import type { Consortium } from "./consortium";
import { AttestationChains } from "./attestations";
import { CHAIN_ID, timestampOf } from "./chain";
import type { ContractAddresses } from "./chain";
import { dataSourceRegistered, governanceGranted, memberAdded, organizationRegistered } from "./events";
import type { LedgerBlock, TransactionSpec } from "./events";
import { createRandom } from "./random";
import { RequestLifecycles } from "./requests";

/** How much the ledger holds. */
export interface LedgerScale {
  attestations: number;
  requests: number;
  requestsPerCase: number;
  seed: number;
}

/** Blocks from one slot to the next (158 s at 2 s a block): 200,000 requests, one a slot, span a year. */
const BLOCKS_PER_SLOT = 79;
const FIRST_SLOT_BLOCK = 100;
/** The first attested period starts a day before the ledger. */
const FIRST_PERIOD_OFFSET_SECONDS = 86_400;

/** Every block of the ledger, in order. */
export function* ledgerBlocks(
  consortium: Consortium,
  addresses: ContractAddresses,
  scale: LedgerScale,
): Generator<LedgerBlock> {
  yield* setupBlocks(consortium);
  const random = createRandom(scale.seed);
  const attestations = new AttestationChains(
    random,
    timestampOf(FIRST_SLOT_BLOCK) - FIRST_PERIOD_OFFSET_SECONDS,
    consortium.sources,
  );
  const accessGrants = { chainId: CHAIN_ID, address: addresses.AccessGrants };
  const requests = new RequestLifecycles(consortium, random, attestations, accessGrants, scale.requestsPerCase);
  for (let slot = 0; slot < scale.requests; slot++) {
    const number = FIRST_SLOT_BLOCK + slot * BLOCKS_PER_SLOT;
    const timestamp = timestampOf(number);
    const batchSize = shareOf(slot, scale.requests, scale.attestations);
    const attestBatch =
      batchSize > 0 ? [attestations.attestBatch(random.pick(consortium.sources), batchSize, timestamp)] : [];
    const transactions = [...attestBatch, requests.submit(slot, slot, timestamp), ...requests.stepsDue(slot)];
    yield { number, timestamp, transactions };
  }
}

/** Slot `slot`'s share of `total` spread evenly over `slots`. */
function shareOf(slot: number, slots: number, total: number): number {
  return Math.floor(((slot + 1) * total) / slots) - Math.floor((slot * total) / slots);
}

/** Deployment (governance's roles), organizations with their first admins, the other members, the sources. */
function* setupBlocks(consortium: Consortium): Generator<LedgerBlock> {
  const { governance, organizations } = consortium;
  const registrations: TransactionSpec[] = organizations.map((organization) => [
    organizationRegistered(organization.id, organization.kind, organization.name, organization.metadataURI),
    memberAdded(organization.id, organization.admin, ROLE_BIT.ORG_ADMIN, governance),
  ]);
  const members: TransactionSpec[] = organizations.flatMap((organization) =>
    organization.members.map((member) => [
      memberAdded(organization.id, member.account, member.roles, organization.admin),
    ]),
  );
  const sources: TransactionSpec[] = consortium.sources.map((source) => [dataSourceRegistered(source)]);
  const setup = [[governanceGranted(governance)], registrations, members, sources];
  for (const [index, transactions] of setup.entries()) {
    yield { number: index + 1, timestamp: timestampOf(index + 1), transactions };
  }
}

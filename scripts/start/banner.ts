/**
 * What `npm start` prints once everything is ready: where things are, a ready session for a demo analyst, and
 * three queries to paste into GraphiQL with their variables filled from the seeded scenario.
 */
import path from "node:path";
import { createSessionTokens } from "../../indexer/api/auth/session-tokens";

/** The facts of the seeded scenario the banner shows. */
export interface ScenarioView {
  seed: number;
  counts: Record<string, number>;
  /** The demo analyst: an OVERSIGHT auditor, who may read every case. */
  analyst: { account: string; organization: string };
  /** A case with every kind of step, as its case number (the chain holds keccak256 of `case:<number>`). */
  exampleCase: { number: string; caseRef: string };
  /** A holder organization with a pending request. */
  exampleHolder: { id: string; name: string };
  /** A record of an attested batch with its proof. */
  exampleRecord: { attestationId: string; index: string; digest: string; proof: string[] };
}

export interface BannerFacts {
  chainUrl: string;
  startedChain: boolean;
  deploymentFile: string;
  graphqlUrl: string;
  stateDir: string;
  sessionSecret: string;
  scenario: ScenarioView;
}

/** How long the printed demo session lasts. */
const DEMO_SESSION_SECONDS = 8 * 3_600;

/** A path as the reader typed it: relative inside the working folder, absolute elsewhere. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === "" ? "." : relative.startsWith("..") ? file : relative;
}

/** The banner's lines. */
export function bannerLines(facts: BannerFacts): string[] {
  const { scenario } = facts;
  const token = createSessionTokens({ secret: facts.sessionSecret, lifetimeSeconds: DEMO_SESSION_SECONDS }).issue(
    scenario.analyst.account,
  ).token;
  const relative = shownPath;
  const counts = Object.entries(scenario.counts)
    .map(([name, count]) => `${count.toLocaleString("en-US")} ${name}`)
    .join(", ");
  return [
    "",
    "dxl is running.",
    `  chain      ${facts.chainUrl}${facts.startedChain ? ` (Anvil, state kept in ${relative(facts.stateDir)}/)` : ""}`,
    `  contracts  ${relative(facts.deploymentFile)}`,
    `  scenario   seed ${scenario.seed}: ${counts}`,
    `  GraphiQL   ${facts.graphqlUrl}`,
    "",
    `Signed in as the demo analyst ${scenario.analyst.account} (auditor, ${scenario.analyst.organization}),`,
    `valid ${DEMO_SESSION_SECONDS / 3_600} h: paste into GraphiQL's Headers tab`,
    `  {"Authorization": "Bearer ${token}"}`,
    "Any member signs in with their own wallet: POST /auth/nonce, then POST /auth/verify (Sign-In with Ethereum).",
    "",
    "Try:",
    `  1. case ${scenario.exampleCase.number}, every step in chain order: the CaseTrail tab, with`,
    `     {"caseRef": "${scenario.exampleCase.caseRef}"}`,
    `  2. what ${scenario.exampleHolder.name} has yet to decide: the PendingRequestsForHolder tab, with`,
    `     {"holderOrganizationId": "${scenario.exampleHolder.id}"}`,
    "  3. is this record in its attested batch: the VerifyRecord tab, with",
    `     ${JSON.stringify(scenario.exampleRecord)}`,
    "",
    "Ctrl-C stops everything; npm start resumes with the data kept; npm start -- --fresh starts over.",
  ];
}

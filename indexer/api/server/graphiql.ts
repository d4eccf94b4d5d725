/**
 * GraphiQL at `/graphql`, opened with the three reads people come for: a case's custody trail, the requests
 * waiting for a holder's decision, and checking a record against its attestation.
 */
import { id } from "ethers";
import type { GraphiQLOptions } from "graphql-yoga";

/** An example: a tab's query and its variables. */
export interface ExampleOperation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    name: "CaseTrail",
    query: `# Every step of one case, in chain order: requests, endorsements, decisions, deliveries, acknowledgements.
query CaseTrail($caseRef: Bytes!) {
  caseTrail(caseRef: $caseRef) {
    step
    actor
    event { blockNumber blockTime transactionHash }
    request { id status source { name organization { name } } }
    delivery { deliveryNumber recordCount acknowledgement }
  }
}`,
    variables: { caseRef: id("case:2024-HZ-0117") },
  },
  {
    name: "PendingRequestsForHolder",
    query: `# The requests a holder organization has yet to decide, oldest first.
query PendingRequestsForHolder($holderOrganizationId: BigInt!) {
  accessRequests(
    where: { holderOrganizationId: { eq: $holderOrganizationId }, status: [PENDING] }
    orderBy: { field: REQUESTED_AT, direction: ASC }
    first: 50
  ) {
    totalCount
    nodes {
      id
      requester
      requesterOrganization { name }
      source { name sensitivity }
      purpose
      notAfter
      endorsementRequired
      endorsement { supervisor endorsedAt }
      requestedAt
    }
  }
}`,
    variables: { holderOrganizationId: "1" },
  },
  {
    name: "VerifyRecord",
    query: `# Is this record (its index in the batch and the keccak256 of its canonical JSON) part of the attestation?
query VerifyRecord($attestationId: BigInt!, $index: BigInt!, $digest: Bytes!, $proof: [Bytes!]!) {
  verifyRecord(attestationId: $attestationId, index: $index, digest: $digest, proof: $proof) {
    valid
    reason
    attestation { id merkleRoot recordCount revoked attestedAt source { name organization { name } } }
  }
}`,
    variables: { attestationId: "1", index: "0", digest: id("record"), proof: [] },
  },
];

/** GraphiQL's options; signed-in mode reminds the user where the header's token comes from. */
export function graphiqlOptions(isOpen: boolean): GraphiQLOptions {
  const headers = isOpen ? "{}" : JSON.stringify({ Authorization: "Bearer TOKEN_FROM_POST_/auth/verify" }, null, 2);
  return {
    title: "dxl ledger",
    subscriptionsProtocol: "SSE",
    defaultTabs: EXAMPLE_OPERATIONS.map((example) => ({
      query: example.query,
      variables: JSON.stringify(example.variables, null, 2),
      headers,
    })),
  };
}

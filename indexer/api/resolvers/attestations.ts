/** Attestations, their place in their source's chain, and record verification: visible to every signed-in caller. */
import { badUserInput } from "../errors";
import { loadConnection } from "../data/connection";
import type { ListArgs } from "../data/connection";
import { int64 } from "../data/sql";
import { ATTESTATIONS } from "../data/tables";
import { recordVerificationFailure } from "../data/verify-record";
import type { AttestedBatch } from "../data/verify-record";
import type { ApiContext } from "../types";
import { loadersOf } from "./shared";
import type { ResolverMap, Row } from "./shared";

interface VerifyRecordArgs {
  attestationId: string;
  index: string;
  digest: string;
  proof: string[];
}

const BYTES32 = /^0x[0-9a-f]{64}$/;

/** A digest or proof element that is not 32 bytes cannot be part of a tree: the caller made a mistake. */
function requireBytes32(name: string, value: string): void {
  if (!BYTES32.test(value)) throw badUserInput(`${name} must be 32 bytes, got ${value}`);
}

async function verifyRecord(_: unknown, args: VerifyRecordArgs, context: ApiContext) {
  requireBytes32("digest", args.digest);
  args.proof.forEach((element, position) => requireBytes32(`proof[${position}]`, element));
  const attestation = await loadersOf(context).attestation.load(int64(args.attestationId));
  const batch = attestation as AttestedBatch | null;
  const reason = recordVerificationFailure(batch, BigInt(args.index), args.digest, args.proof);
  return { valid: reason === null, reason, attestation };
}

export const attestationResolvers: ResolverMap = {
  Query: {
    attestation: (_: unknown, { id }: { id: string }, context: ApiContext) =>
      loadersOf(context).attestation.load(int64(id)),
    attestations: (_: unknown, args: ListArgs, context: ApiContext) =>
      loadConnection(context.db, { source: ATTESTATIONS, where: args.where }, args),
    verifyRecord,
  },
  Attestation: {
    source: (attestation: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).dataSource.load(attestation.sourceId as string),
    previous: (attestation: Row, _: unknown, context: ApiContext) =>
      attestation.previousAttestationId === "0"
        ? null
        : loadersOf(context).attestation.load(attestation.previousAttestationId as string),
    next: (attestation: Row, _: unknown, context: ApiContext) =>
      loadersOf(context).nextAttestation.load(attestation.id as string),
    revocationReason: async (attestation: Row, _: unknown, context: ApiContext) => {
      if (!attestation.revoked) return null;
      const revocation = await loadersOf(context).revocation.load(`ATTESTATION:${attestation.id}`);
      return revocation?.reason ?? null;
    },
  },
};

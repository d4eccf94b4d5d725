/** Checks of the bundle's attestations: each recording and revocation is the log it names. */
import type { AttestationEvidence, EvidenceBundle } from "./bundle-format";
import type { EvidenceCheck } from "./checks";
import { checkLoggedStep } from "./verify-logs";

/** Every check of every attestation of `bundle`. */
export function verifyAttestations(bundle: EvidenceBundle): EvidenceCheck[] {
  return bundle.attestations.flatMap((attestation) => verifyAttestation(bundle, attestation));
}

function verifyAttestation(bundle: EvidenceBundle, attestation: AttestationEvidence): EvidenceCheck[] {
  const { attestationId, sourceId, root, recordCount, attester, revocation } = attestation;
  const label = `attestation ${attestationId}`;
  const checks = [
    checkLoggedStep(bundle, `${label}: recording`, attestation.recorded, {
      contract: "AttestationRegistry",
      name: "AttestationRecorded",
      args: { attestationId, sourceId, request: { sourceId, merkleRoot: root, recordCount }, attester },
    }),
  ];
  if (revocation) {
    checks.push(
      checkLoggedStep(bundle, `${label}: revocation`, revocation.logged, {
        contract: "AttestationRegistry",
        name: "AttestationRevoked",
        args: { attestationId, sourceId, reason: revocation.reason, revoker: revocation.revoker },
      }),
    );
  }
  return checks;
}

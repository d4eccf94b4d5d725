/**
 * The contracts' enums as numbers, and role masks: what scripts, tests and benches pass to the contracts or find
 * in their events. No Hardhat here, so code outside the Hardhat runtime (the benches) can share it.
 */

/** `OrganizationKind` of Common.sol. */
export const Kind = {
  TELECOM: 0,
  BANK: 1,
  WATER_UTILITY: 2,
  POWER_UTILITY: 3,
  MUNICIPAL: 4,
  PUBLIC_SECURITY: 5,
  OVERSIGHT: 6,
} as const;

/** Member roles, as the contracts number them; a member's roles are a mask of `1 << role`. */
export const Role = { ORG_ADMIN: 0, DATA_STEWARD: 1, INVESTIGATOR: 2, SUPERVISOR: 3, AUDITOR: 4 } as const;

export const RequestStatus = { NONE: 0, PENDING: 1, APPROVED: 2, REJECTED: 3, REVOKED: 4 } as const;
export const Acknowledgement = { NONE: 0, ACCEPTED: 1, DISPUTED: 2 } as const;
export const RecordVerification = { INVALID: 0, VALID: 1, REVOKED: 2 } as const;

/** The mask of `roles`. */
export function roleMask(...roles: number[]): number {
  return roles.reduce((mask, role) => mask | (1 << role), 0);
}

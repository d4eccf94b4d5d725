// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The kind of a member organization. Holders are every kind but PUBLIC_SECURITY and OVERSIGHT.
enum OrganizationKind {
    TELECOM,
    BANK,
    WATER_UTILITY,
    POWER_UTILITY,
    MUNICIPAL,
    PUBLIC_SECURITY,
    OVERSIGHT
}

/// @notice A role an account holds inside its organization. An account's roles are kept as a bit mask
/// (`1 << uint8(role)`), so one account can hold several.
enum Role {
    ORG_ADMIN,
    DATA_STEWARD,
    INVESTIGATOR,
    SUPERVISOR,
    AUDITOR
}

/// @notice What the other contracts of the suite need to know about an account, read in one call.
/// @dev `organizationId` is zero for an account that belongs to no organization.
struct Membership {
    uint64 organizationId;
    uint8 roles;
    OrganizationKind organizationKind;
    bool organizationActive;
}

/// @notice Thrown when a state-changing function is called while governance has paused the suite.
/// @dev Same selector as OpenZeppelin `Pausable.EnforcedPause`, so every contract of the suite reports a pause alike.
error EnforcedPause();

/// @notice Thrown when `account` is not a member holding `role` in an organization.
error MemberMissingRole(address account, Role role);

/// @notice Thrown when `account` acts for an organization it does not belong to.
error AccountNotInOrganization(address account, uint64 organizationId);

/// @notice Thrown when an organization taking part in an operation is suspended.
error OrganizationInactive(uint64 organizationId);

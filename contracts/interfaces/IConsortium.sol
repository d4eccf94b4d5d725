// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Membership, OrganizationKind, Role} from "../Common.sol";

/// @title IConsortium
/// @notice The member organizations of a dxl network, their accounts and roles, and the suite-wide emergency pause.
interface IConsortium {
    /// @notice A member organization as stored.
    struct Organization {
        OrganizationKind kind;
        bool active;
        string name;
        string metadataURI;
    }

    /// @notice Emitted when governance registers an organization.
    /// @param organizationId sequential id, starting at 1
    /// @param kind what the organization is (telecom, bank, public security, ...)
    /// @param name display name
    /// @param metadataURI where the organization's public description lives
    event OrganizationRegistered(uint64 indexed organizationId, OrganizationKind kind, string name, string metadataURI);

    /// @notice Emitted when governance suspends an organization: its members can no longer act.
    event OrganizationSuspended(uint64 indexed organizationId, address indexed suspendedBy);

    /// @notice Emitted when governance reinstates a suspended organization.
    event OrganizationReinstated(uint64 indexed organizationId, address indexed reinstatedBy);

    /// @notice Emitted when an account joins an organization.
    /// @param roles bit mask of {Role} values (`1 << role`)
    event MemberAdded(uint64 indexed organizationId, address indexed account, uint8 roles, address indexed addedBy);

    /// @notice Emitted when a member's roles change.
    event MemberRolesUpdated(
        uint64 indexed organizationId,
        address indexed account,
        uint8 previousRoles,
        uint8 roles,
        address indexed updatedBy
    );

    /// @notice Emitted when an account leaves its organization.
    event MemberRemoved(uint64 indexed organizationId, address indexed account, address indexed removedBy);

    /// @notice Thrown when an account is already a member of an organization (an account belongs to at most one).
    error ConsortiumAccountAlreadyMember(address account, uint64 organizationId);

    /// @notice Thrown when an operation names an account that belongs to no organization.
    error ConsortiumAccountNotMember(address account);

    /// @notice Thrown when the zero address is given as a member account.
    error ConsortiumInvalidAccount(address account);

    /// @notice Thrown when a role mask is empty or has bits beyond the known roles.
    error ConsortiumInvalidRoles(uint8 roles);

    /// @notice Thrown when the change would leave an organization without an ORG_ADMIN.
    error ConsortiumLastOrganizationAdmin(uint64 organizationId, address account);

    /// @notice Thrown when an organization is registered without a name.
    error ConsortiumEmptyName();

    /// @notice Thrown when suspending an organization that is already suspended.
    error ConsortiumOrganizationAlreadySuspended(uint64 organizationId);

    /// @notice Thrown when reinstating an organization that is not suspended.
    error ConsortiumOrganizationNotSuspended(uint64 organizationId);

    /// @notice Thrown when an account other than governance or an active ORG_ADMIN of the organization manages it.
    error ConsortiumUnauthorizedAccount(address account, uint64 organizationId);

    /// @notice Thrown when an organization id was never registered.
    error ConsortiumUnknownOrganization(uint64 organizationId);

    /// @notice Registers a member organization and its first ORG_ADMIN. Governance only.
    /// @return organizationId the new organization's id
    function registerOrganization(
        OrganizationKind kind,
        string calldata name,
        string calldata metadataURI,
        address admin
    ) external returns (uint64 organizationId);

    /// @notice Suspends an organization: none of its members can act until it is reinstated. Governance only.
    function suspendOrganization(uint64 organizationId) external;

    /// @notice Reinstates a suspended organization. Governance only.
    function reinstateOrganization(uint64 organizationId) external;

    /// @notice Adds `account` to an organization with `roles` (bit mask). Governance or the organization's ORG_ADMIN.
    function addMember(uint64 organizationId, address account, uint8 roles) external;

    /// @notice Replaces a member's roles (bit mask). Governance or the member organization's ORG_ADMIN.
    function setMemberRoles(address account, uint8 roles) external;

    /// @notice Removes a member from its organization. Governance or the member organization's ORG_ADMIN.
    function removeMember(address account) external;

    /// @notice Pauses every state-changing function of the suite. PAUSER_ROLE (governance holds it at deployment).
    function pause() external;

    /// @notice Lifts the pause. Governance only.
    function unpause() external;

    /// @notice Whether the suite is paused.
    function paused() external view returns (bool);

    /// @notice Whether `account` holds the governance (default admin) role.
    function isGovernance(address account) external view returns (bool);

    /// @notice Number of organizations ever registered; ids run from 1 to this number.
    function organizationCount() external view returns (uint64);

    /// @notice An organization as stored. Reverts for an unknown id.
    function getOrganization(uint64 organizationId) external view returns (Organization memory);

    /// @notice Whether an organization is registered and not suspended.
    function isOrganizationActive(uint64 organizationId) external view returns (bool);

    /// @notice An account's organization, roles, and its organization's kind and status, in one read.
    function membership(address account) external view returns (Membership memory);

    /// @notice Whether `account` holds `role` in an organization that is active.
    function hasMemberRole(address account, Role role) external view returns (bool);

    /// @notice Every holder of `role` in an organization, in no particular order.
    function roleHolders(uint64 organizationId, Role role) external view returns (address[] memory);

    /// @notice How many accounts hold `role` in an organization.
    function roleHolderCount(uint64 organizationId, Role role) external view returns (uint256);

    /// @notice The holder of `role` at `index` (0 ≤ index < roleHolderCount), for paging through large organizations.
    function roleHolderAt(uint64 organizationId, Role role, uint256 index) external view returns (address);
}

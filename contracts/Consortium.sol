// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {Membership, OrganizationKind, Role} from "./Common.sol";
import {IConsortium} from "./interfaces/IConsortium.sol";
import {Versioned} from "./utils/Versioned.sol";

/// @title Consortium
/// @notice Member organizations, their accounts and roles, and the emergency pause of the whole dxl suite.
/// @dev Governance is OpenZeppelin's default admin: handing it to a multisig or a TimelockController is a
/// two-step transfer that only completes after the delay set at deployment.
contract Consortium is IConsortium, AccessControlDefaultAdminRules, Pausable, Versioned {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice May pause the suite in an emergency; only governance lifts the pause.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint8 private constant _ALL_ROLES = uint8((1 << (uint8(type(Role).max) + 1)) - 1);

    struct MemberRecord {
        uint64 organizationId;
        uint8 roles;
    }

    uint64 private _organizationCount;
    mapping(uint64 organizationId => Organization organization) private _organizations;
    mapping(address account => MemberRecord member) private _members;
    mapping(uint64 organizationId => mapping(Role role => EnumerableSet.AddressSet holders)) private _roleHolders;

    /// @param adminTransferDelay seconds a governance handover waits between its two steps
    /// @param governance the first holder of the governance and pauser roles
    constructor(
        uint48 adminTransferDelay,
        address governance
    ) AccessControlDefaultAdminRules(adminTransferDelay, governance) {
        _grantRole(PAUSER_ROLE, governance);
    }

    modifier onlyOrganizationAdmin(uint64 organizationId) {
        _checkOrganizationAdmin(organizationId);
        _;
    }

    /// @inheritdoc IConsortium
    function registerOrganization(
        OrganizationKind kind,
        string calldata name,
        string calldata metadataURI,
        address admin
    ) external whenNotPaused onlyRole(DEFAULT_ADMIN_ROLE) returns (uint64 organizationId) {
        if (bytes(name).length == 0) revert ConsortiumEmptyName();
        organizationId = ++_organizationCount;
        _organizations[organizationId] = Organization(kind, true, name, metadataURI);
        emit OrganizationRegistered(organizationId, kind, name, metadataURI);
        _addMember(organizationId, admin, _roleBit(Role.ORG_ADMIN));
    }

    /// @inheritdoc IConsortium
    function suspendOrganization(uint64 organizationId) external whenNotPaused onlyRole(DEFAULT_ADMIN_ROLE) {
        Organization storage organization = _existingOrganization(organizationId);
        if (!organization.active) revert ConsortiumOrganizationAlreadySuspended(organizationId);
        organization.active = false;
        emit OrganizationSuspended(organizationId, _msgSender());
    }

    /// @inheritdoc IConsortium
    function reinstateOrganization(uint64 organizationId) external whenNotPaused onlyRole(DEFAULT_ADMIN_ROLE) {
        Organization storage organization = _existingOrganization(organizationId);
        if (organization.active) revert ConsortiumOrganizationNotSuspended(organizationId);
        organization.active = true;
        emit OrganizationReinstated(organizationId, _msgSender());
    }

    /// @inheritdoc IConsortium
    function addMember(
        uint64 organizationId,
        address account,
        uint8 roles
    ) external whenNotPaused onlyOrganizationAdmin(organizationId) {
        _addMember(organizationId, account, roles);
    }

    /// @inheritdoc IConsortium
    function setMemberRoles(address account, uint8 roles) external whenNotPaused {
        MemberRecord storage member = _existingMember(account);
        uint64 organizationId = member.organizationId;
        _checkOrganizationAdmin(organizationId);
        _checkRoles(roles);
        uint8 previousRoles = member.roles;
        member.roles = roles;
        _updateRoleHolders(organizationId, account, previousRoles, roles);
        emit MemberRolesUpdated(organizationId, account, previousRoles, roles, _msgSender());
    }

    /// @inheritdoc IConsortium
    function removeMember(address account) external whenNotPaused {
        MemberRecord storage member = _existingMember(account);
        uint64 organizationId = member.organizationId;
        _checkOrganizationAdmin(organizationId);
        _updateRoleHolders(organizationId, account, member.roles, 0);
        delete _members[account];
        emit MemberRemoved(organizationId, account, _msgSender());
    }

    /// @inheritdoc IConsortium
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IConsortium
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @inheritdoc IConsortium
    function paused() public view override(IConsortium, Pausable) returns (bool) {
        return super.paused();
    }

    /// @inheritdoc IConsortium
    function isGovernance(address account) external view returns (bool) {
        return hasRole(DEFAULT_ADMIN_ROLE, account);
    }

    /// @inheritdoc IConsortium
    function organizationCount() external view returns (uint64) {
        return _organizationCount;
    }

    /// @inheritdoc IConsortium
    function getOrganization(uint64 organizationId) external view returns (Organization memory) {
        return _existingOrganization(organizationId);
    }

    /// @inheritdoc IConsortium
    function isOrganizationActive(uint64 organizationId) external view returns (bool) {
        return _organizations[organizationId].active;
    }

    /// @inheritdoc IConsortium
    function membership(address account) public view returns (Membership memory result) {
        MemberRecord memory member = _members[account];
        if (member.organizationId == 0) return result;
        Organization storage organization = _organizations[member.organizationId];
        return Membership(member.organizationId, member.roles, organization.kind, organization.active);
    }

    /// @inheritdoc IConsortium
    function hasMemberRole(address account, Role role) public view returns (bool) {
        Membership memory member = membership(account);
        return member.organizationActive && member.roles & _roleBit(role) != 0;
    }

    /// @inheritdoc IConsortium
    function roleHolders(uint64 organizationId, Role role) external view returns (address[] memory) {
        return _roleHolders[organizationId][role].values();
    }

    /// @inheritdoc IConsortium
    function roleHolderCount(uint64 organizationId, Role role) external view returns (uint256) {
        return _roleHolders[organizationId][role].length();
    }

    /// @inheritdoc IConsortium
    function roleHolderAt(uint64 organizationId, Role role, uint256 index) external view returns (address) {
        return _roleHolders[organizationId][role].at(index);
    }

    function _addMember(uint64 organizationId, address account, uint8 roles) private {
        if (account == address(0)) revert ConsortiumInvalidAccount(account);
        uint64 currentOrganization = _members[account].organizationId;
        if (currentOrganization != 0) revert ConsortiumAccountAlreadyMember(account, currentOrganization);
        _checkRoles(roles);
        _members[account] = MemberRecord(organizationId, roles);
        _updateRoleHolders(organizationId, account, 0, roles);
        emit MemberAdded(organizationId, account, roles, _msgSender());
    }

    /// @dev Keeps the per-role holder sets in step with a member's mask, and refuses to leave an organization
    /// without an ORG_ADMIN (it could then only be managed by governance).
    function _updateRoleHolders(uint64 organizationId, address account, uint8 previousRoles, uint8 roles) private {
        for (uint8 role = 0; role <= uint8(type(Role).max); ++role) {
            uint8 bit = uint8(1 << role);
            bool had = previousRoles & bit != 0;
            bool has = roles & bit != 0;
            if (had == has) continue;
            EnumerableSet.AddressSet storage holders = _roleHolders[organizationId][Role(role)];
            if (has) {
                holders.add(account);
            } else {
                if (Role(role) == Role.ORG_ADMIN && holders.length() == 1) {
                    revert ConsortiumLastOrganizationAdmin(organizationId, account);
                }
                holders.remove(account);
            }
        }
    }

    function _checkOrganizationAdmin(uint64 organizationId) private view {
        Organization storage organization = _existingOrganization(organizationId);
        address caller = _msgSender();
        if (hasRole(DEFAULT_ADMIN_ROLE, caller)) return;
        MemberRecord memory member = _members[caller];
        bool isActiveAdmin =
            organization.active &&
                member.organizationId == organizationId &&
                member.roles & _roleBit(Role.ORG_ADMIN) != 0;
        if (!isActiveAdmin) revert ConsortiumUnauthorizedAccount(caller, organizationId);
    }

    function _checkRoles(uint8 roles) private pure {
        if (roles == 0 || roles & ~_ALL_ROLES != 0) revert ConsortiumInvalidRoles(roles);
    }

    function _existingOrganization(uint64 organizationId) private view returns (Organization storage organization) {
        organization = _organizations[organizationId];
        if (bytes(organization.name).length == 0) revert ConsortiumUnknownOrganization(organizationId);
    }

    function _existingMember(address account) private view returns (MemberRecord storage member) {
        member = _members[account];
        if (member.organizationId == 0) revert ConsortiumAccountNotMember(account);
    }

    function _roleBit(Role role) private pure returns (uint8) {
        return uint8(1 << uint8(role));
    }
}

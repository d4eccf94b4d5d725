// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {
    AccountNotInOrganization,
    EnforcedPause,
    MemberMissingRole,
    Membership,
    OrganizationInactive,
    Role
} from "../Common.sol";
import {IConsortium} from "../interfaces/IConsortium.sol";

/// @notice Ties a contract of the suite to the Consortium: the suite-wide pause and the membership checks
/// that every state-changing function starts with.
abstract contract ConsortiumGuard {
    IConsortium private immutable _consortium;

    constructor(IConsortium consortium_) {
        _consortium = consortium_;
    }

    /// @dev Every state-changing function of the suite carries this: a pause in the Consortium stops them all.
    modifier whenSuiteNotPaused() {
        if (_consortium.paused()) revert EnforcedPause();
        _;
    }

    /// @notice The Consortium this contract takes its members, roles and pause from.
    function consortium() public view returns (IConsortium) {
        return _consortium;
    }

    /// @dev Reverts unless `account` holds `role` in an active organization; returns its membership.
    function _requireMember(address account, Role role) internal view returns (Membership memory member) {
        member = _consortium.membership(account);
        if (!_holds(member, role)) revert MemberMissingRole(account, role);
        if (!member.organizationActive) revert OrganizationInactive(member.organizationId);
    }

    /// @dev As {_requireMember}, and the account must belong to `organizationId`.
    function _requireMemberOf(
        address account,
        Role role,
        uint64 organizationId
    ) internal view returns (Membership memory member) {
        member = _requireMember(account, role);
        if (member.organizationId != organizationId) revert AccountNotInOrganization(account, organizationId);
    }

    /// @dev Reverts unless `organizationId` is active.
    function _requireActiveOrganization(uint64 organizationId) internal view {
        if (!_consortium.isOrganizationActive(organizationId)) revert OrganizationInactive(organizationId);
    }

    function _membershipOf(address account) internal view returns (Membership memory) {
        return _consortium.membership(account);
    }

    function _isGovernance(address account) internal view returns (bool) {
        return _consortium.isGovernance(account);
    }

    /// @dev Whether the membership holds `role`; says nothing of the organization's status.
    function _holds(Membership memory member, Role role) internal pure returns (bool) {
        return member.roles & (1 << uint8(role)) != 0;
    }
}

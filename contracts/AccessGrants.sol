// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Membership, OrganizationKind, Role} from "./Common.sol";
import {Acknowledgement, IAccessGrants, RequestStatus} from "./interfaces/IAccessGrants.sol";
import {IAttestationRegistry} from "./interfaces/IAttestationRegistry.sol";
import {IConsortium} from "./interfaces/IConsortium.sol";
import {IDataSourceRegistry} from "./interfaces/IDataSourceRegistry.sol";
import {AccessRequestSignatures} from "./utils/AccessRequestSignatures.sol";
import {ConsortiumGuard} from "./utils/ConsortiumGuard.sol";
import {Versioned} from "./utils/Versioned.sol";

/// @title AccessGrants
/// @notice Access requests bound to a case, a purpose and a scope; supervisors' endorsements; holders'
/// decisions; delivery receipts and their acknowledgement: the chain of custody of every hand-over.
/// @dev A request's id is its EIP-712 digest, so the same request cannot be submitted twice. Case references
/// and scopes are hashes: nothing on chain names a case or a person.
contract AccessGrants is AccessRequestSignatures, ConsortiumGuard, Versioned {
    /// @notice The longest request window at deployment, until governance changes it.
    uint64 public constant DEFAULT_MAX_GRANT_DURATION = 90 days;

    IDataSourceRegistry private immutable _sources;
    IAttestationRegistry private immutable _attestations;

    uint64 private _maxGrantDuration = DEFAULT_MAX_GRANT_DURATION;
    uint64 private _deliveryCount;
    mapping(bytes32 requestId => Grant grant) private _grants;
    mapping(uint64 deliveryId => Delivery delivery) private _deliveries;

    constructor(
        IConsortium consortium_,
        IDataSourceRegistry sources_,
        IAttestationRegistry attestations_
    ) ConsortiumGuard(consortium_) {
        _sources = sources_;
        _attestations = attestations_;
    }

    /// @notice The registry of the sources requested here.
    function dataSources() external view returns (IDataSourceRegistry) {
        return _sources;
    }

    /// @notice The registry of the attestations deliveries draw from.
    function attestations() external view returns (IAttestationRegistry) {
        return _attestations;
    }

    /// @inheritdoc IAccessGrants
    function submitRequest(AccessRequest calldata request) external whenSuiteNotPaused returns (bytes32 requestId) {
        if (msg.sender != request.requester) revert AccessGrantsUnauthorizedAccount(msg.sender);
        requestId = _newRequestId(request);
        _checkDeadline(request.deadline);
        _submit(requestId, request);
    }

    /// @inheritdoc IAccessGrants
    function submitSignedRequest(
        AccessRequest calldata request,
        bytes calldata signature
    ) external whenSuiteNotPaused returns (bytes32 requestId) {
        requestId = _newRequestId(request);
        _checkSignature(request.requester, requestId, request.deadline, signature);
        _submit(requestId, request);
    }

    /// @inheritdoc IAccessGrants
    function endorse(bytes32 requestId) external whenSuiteNotPaused {
        _endorse(requestId, msg.sender, false);
    }

    /// @inheritdoc IAccessGrants
    function endorseBySignature(
        Endorsement calldata endorsement,
        bytes calldata signature
    ) external whenSuiteNotPaused {
        _checkSignature(endorsement.supervisor, endorsementDigest(endorsement), endorsement.deadline, signature);
        _endorse(_hashTypedDataV4(endorsement.requestHash), endorsement.supervisor, true);
    }

    /// @inheritdoc IAccessGrants
    function approve(bytes32 requestId) external whenSuiteNotPaused {
        Grant storage grant = _pendingGrantOfHolder(requestId);
        if (block.timestamp >= grant.notAfter) revert AccessGrantsExpired(requestId, grant.notAfter);
        if (grant.endorsementRequired && !grant.endorsed) revert AccessGrantsEndorsementRequired(requestId);
        grant.status = RequestStatus.APPROVED;
        emit RequestApproved(requestId, msg.sender);
    }

    /// @inheritdoc IAccessGrants
    function reject(bytes32 requestId, uint16 reasonCode) external whenSuiteNotPaused {
        Grant storage grant = _pendingGrantOfHolder(requestId);
        grant.status = RequestStatus.REJECTED;
        emit RequestRejected(requestId, msg.sender, reasonCode);
    }

    /// @inheritdoc IAccessGrants
    function revoke(bytes32 requestId, uint16 reasonCode) external whenSuiteNotPaused {
        Grant storage grant = _existingGrant(requestId);
        RequestStatus previousStatus = grant.status;
        if (previousStatus != RequestStatus.PENDING && previousStatus != RequestStatus.APPROVED) {
            revert AccessGrantsUnexpectedStatus(requestId, previousStatus);
        }
        if (!_mayRevoke(grant, msg.sender)) revert AccessGrantsUnauthorizedAccount(msg.sender);
        grant.status = RequestStatus.REVOKED;
        emit GrantRevoked(requestId, msg.sender, reasonCode, previousStatus);
    }

    /// @inheritdoc IAccessGrants
    function recordDelivery(
        bytes32 requestId,
        uint64 attestationId,
        bytes32 payloadHash,
        uint32 recordCount
    ) external whenSuiteNotPaused returns (uint64 deliveryId) {
        if (payloadHash == bytes32(0)) revert AccessGrantsInvalidPayloadHash();
        Grant storage grant = _existingGrant(requestId);
        _requireMemberOf(msg.sender, Role.DATA_STEWARD, grant.holderOrganizationId);
        _checkUsable(requestId, grant);
        _checkDrawnFrom(grant.sourceId, attestationId, recordCount);

        uint32 deliveryNumber = ++grant.deliveryCount;
        deliveryId = ++_deliveryCount;
        _deliveries[deliveryId] = Delivery(requestId, attestationId, recordCount, Acknowledgement.NONE);
        emit DeliveryRecorded(
            deliveryId,
            requestId,
            attestationId,
            payloadHash,
            recordCount,
            deliveryNumber,
            msg.sender
        );
    }

    /// @inheritdoc IAccessGrants
    function acknowledgeDelivery(
        uint64 deliveryId,
        Acknowledgement acknowledgement,
        uint16 reasonCode
    ) external whenSuiteNotPaused {
        Delivery storage delivery = _existingDelivery(deliveryId);
        bytes32 requestId = delivery.requestId;
        if (msg.sender != _grants[requestId].requester) revert AccessGrantsUnauthorizedAccount(msg.sender);
        if (acknowledgement == Acknowledgement.NONE) revert AccessGrantsInvalidAcknowledgement();
        if (delivery.acknowledgement != Acknowledgement.NONE)
            revert AccessGrantsDeliveryAlreadyAcknowledged(deliveryId);
        delivery.acknowledgement = acknowledgement;
        emit DeliveryAcknowledged(deliveryId, requestId, msg.sender, acknowledgement, reasonCode);
    }

    /// @inheritdoc IAccessGrants
    function increaseNonce(uint256 newNonce) external whenSuiteNotPaused {
        _increaseNonce(msg.sender, newNonce);
    }

    /// @inheritdoc IAccessGrants
    function setMaxGrantDuration(uint64 duration) external whenSuiteNotPaused {
        if (!_isGovernance(msg.sender)) revert AccessGrantsUnauthorizedAccount(msg.sender);
        if (duration == 0) revert AccessGrantsInvalidMaxGrantDuration(duration);
        uint64 previousDuration = _maxGrantDuration;
        _maxGrantDuration = duration;
        emit MaxGrantDurationUpdated(previousDuration, duration, msg.sender);
    }

    /// @inheritdoc IAccessGrants
    function maxGrantDuration() external view returns (uint64) {
        return _maxGrantDuration;
    }

    /// @inheritdoc IAccessGrants
    function getGrant(bytes32 requestId) external view returns (Grant memory) {
        return _existingGrant(requestId);
    }

    /// @inheritdoc IAccessGrants
    function getDelivery(uint64 deliveryId) external view returns (Delivery memory) {
        return _existingDelivery(deliveryId);
    }

    /// @inheritdoc IAccessGrants
    function deliveryCount() external view returns (uint64) {
        return _deliveryCount;
    }

    /// @inheritdoc IAccessGrants
    function isGrantUsable(bytes32 requestId) external view returns (bool) {
        Grant storage grant = _grants[requestId];
        return
            grant.status == RequestStatus.APPROVED &&
            block.timestamp >= grant.notBefore &&
            block.timestamp < grant.notAfter &&
            grant.deliveryCount < grant.maxDeliveries &&
            consortium().isOrganizationActive(grant.requesterOrganizationId) &&
            consortium().isOrganizationActive(grant.holderOrganizationId);
    }

    function _newRequestId(AccessRequest calldata request) private view returns (bytes32 requestId) {
        requestId = requestIdOf(request);
        if (_grants[requestId].status != RequestStatus.NONE) revert AccessGrantsRequestAlreadySubmitted(requestId);
    }

    /// @dev Checks the requester, window, limit and source, consumes the nonce, and stores the pending request.
    function _submit(bytes32 requestId, AccessRequest calldata request) private {
        _useCheckedNonce(request.requester, request.nonce);
        Membership memory requester = _requireMember(request.requester, Role.INVESTIGATOR);
        if (requester.organizationKind != OrganizationKind.PUBLIC_SECURITY) {
            revert AccessGrantsRequesterNotPublicSecurity(requester.organizationId);
        }
        _checkWindow(request.notBefore, request.notAfter);
        if (request.maxDeliveries == 0) revert AccessGrantsInvalidMaxDeliveries();
        IDataSourceRegistry.DataSource memory source = _sources.getSource(request.sourceId);
        if (source.retired) revert IDataSourceRegistry.DataSourceRegistrySourceRetired(request.sourceId);

        _grants[requestId] = Grant({
            requester: request.requester,
            requesterOrganizationId: requester.organizationId,
            maxDeliveries: request.maxDeliveries,
            sourceId: request.sourceId,
            holderOrganizationId: source.organizationId,
            notBefore: request.notBefore,
            notAfter: request.notAfter,
            deliveryCount: 0,
            status: RequestStatus.PENDING,
            endorsementRequired: source.endorsementRequired,
            endorsed: false
        });
        emit AccessRequested(
            requestId,
            request.requester,
            request.caseRef,
            request,
            requester.organizationId,
            source.organizationId,
            source.endorsementRequired,
            msg.sender
        );
    }

    function _checkWindow(uint64 notBefore, uint64 notAfter) private view {
        if (notAfter <= notBefore || notAfter <= block.timestamp) revert AccessGrantsInvalidWindow(notBefore, notAfter);
        // notAfter > notBefore was checked just above.
        unchecked {
            uint64 duration = notAfter - notBefore;
            if (duration > _maxGrantDuration) revert AccessGrantsWindowTooLong(duration, _maxGrantDuration);
        }
    }

    /// @dev Two-person rule: a SUPERVISOR of the requester's own organization who is not the requester.
    function _endorse(bytes32 requestId, address supervisor, bool bySignature) private {
        Grant storage grant = _existingGrant(requestId);
        if (grant.status != RequestStatus.PENDING) revert AccessGrantsUnexpectedStatus(requestId, grant.status);
        if (block.timestamp >= grant.notAfter) revert AccessGrantsExpired(requestId, grant.notAfter);
        if (grant.endorsed) revert AccessGrantsAlreadyEndorsed(requestId);
        if (supervisor == grant.requester) revert AccessGrantsSelfEndorsement(supervisor);
        _requireMemberOf(supervisor, Role.SUPERVISOR, grant.requesterOrganizationId);
        grant.endorsed = true;
        emit RequestEndorsed(requestId, supervisor, bySignature, msg.sender);
    }

    /// @dev The pending request, when the caller is a DATA_STEWARD of the holder.
    function _pendingGrantOfHolder(bytes32 requestId) private view returns (Grant storage grant) {
        grant = _existingGrant(requestId);
        _requireMemberOf(msg.sender, Role.DATA_STEWARD, grant.holderOrganizationId);
        if (grant.status != RequestStatus.PENDING) revert AccessGrantsUnexpectedStatus(requestId, grant.status);
    }

    function _checkUsable(bytes32 requestId, Grant storage grant) private view {
        if (grant.status != RequestStatus.APPROVED) revert AccessGrantsUnexpectedStatus(requestId, grant.status);
        if (block.timestamp < grant.notBefore) revert AccessGrantsNotYetValid(requestId, grant.notBefore);
        if (block.timestamp >= grant.notAfter) revert AccessGrantsExpired(requestId, grant.notAfter);
        if (grant.deliveryCount >= grant.maxDeliveries) {
            revert AccessGrantsDeliveryLimitReached(requestId, grant.maxDeliveries);
        }
        _requireActiveOrganization(grant.requesterOrganizationId);
    }

    /// @dev The attestation must belong to the grant's source, be in force, and hold at least `recordCount`.
    function _checkDrawnFrom(bytes32 sourceId, uint64 attestationId, uint32 recordCount) private view {
        IAttestationRegistry.Attestation memory attestation = _attestations.getAttestation(attestationId);
        if (attestation.sourceId != sourceId) revert AccessGrantsAttestationSourceMismatch(attestationId, sourceId);
        if (attestation.revoked) revert AccessGrantsAttestationRevoked(attestationId);
        if (recordCount > attestation.recordCount) {
            revert AccessGrantsRecordCountExceedsAttestation(recordCount, attestation.recordCount);
        }
    }

    /// @dev The requester may always withdraw, even once its organization is suspended. Otherwise: the requester
    /// organization's ORG_ADMIN or SUPERVISOR, the holder's DATA_STEWARD, or an AUDITOR of an OVERSIGHT
    /// organization, each only while their organization is active; or governance.
    function _mayRevoke(Grant storage grant, address account) private view returns (bool) {
        if (account == grant.requester) return true;
        Membership memory member = _membershipOf(account);
        if (member.organizationActive) {
            if (member.organizationId == grant.requesterOrganizationId) {
                if (_holds(member, Role.ORG_ADMIN) || _holds(member, Role.SUPERVISOR)) return true;
            }
            if (member.organizationId == grant.holderOrganizationId && _holds(member, Role.DATA_STEWARD)) {
                return true;
            }
            if (member.organizationKind == OrganizationKind.OVERSIGHT && _holds(member, Role.AUDITOR)) return true;
        }
        return _isGovernance(account);
    }

    function _existingGrant(bytes32 requestId) private view returns (Grant storage grant) {
        grant = _grants[requestId];
        if (grant.status == RequestStatus.NONE) revert AccessGrantsUnknownRequest(requestId);
    }

    function _existingDelivery(uint64 deliveryId) private view returns (Delivery storage delivery) {
        delivery = _deliveries[deliveryId];
        if (delivery.requestId == bytes32(0)) revert AccessGrantsUnknownDelivery(deliveryId);
    }
}

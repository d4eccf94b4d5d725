// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Where an access request stands, as stored. Expiry and exhaustion are computed from the window and
/// the delivery count (see {IAccessGrants-isGrantUsable}).
enum RequestStatus {
    NONE,
    PENDING,
    APPROVED,
    REJECTED,
    REVOKED
}

/// @notice The receiver's answer to a delivery.
enum Acknowledgement {
    NONE,
    ACCEPTED,
    DISPUTED
}

/// @title IAccessGrants
/// @notice Who may get what, and what was handed over: wallet-signed access requests bound to a case, a purpose
/// and a scope, supervisors' endorsements, holders' decisions, delivery receipts and their acknowledgement.
interface IAccessGrants {
    /// @notice An investigator's request, signed as EIP-712 typed data (`eth_signTypedData_v4`).
    /// @param requester the investigator asking; signs the request
    /// @param sourceId the data source asked for
    /// @param caseRef hash of the case reference (the case number travels off chain)
    /// @param scopeHash hash of the query scope (identifiers, date ranges: off chain)
    /// @param purpose purpose code of the request
    /// @param notBefore first second at which deliveries may be recorded
    /// @param notAfter the grant's end: no approval or delivery from this second on
    /// @param maxDeliveries how many deliveries the grant allows, at least 1
    /// @param nonce the requester's current nonce (see {nonces})
    /// @param deadline last second at which the request may be submitted
    struct AccessRequest {
        address requester;
        bytes32 sourceId;
        bytes32 caseRef;
        bytes32 scopeHash;
        uint8 purpose;
        uint64 notBefore;
        uint64 notAfter;
        uint32 maxDeliveries;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A supervisor's co-signature of a request, by the request's EIP-712 struct hash.
    struct Endorsement {
        bytes32 requestHash;
        address supervisor;
        uint256 deadline;
    }

    /// @notice A request and its grant as stored, keyed by request id (the request's EIP-712 digest).
    struct Grant {
        address requester;
        uint64 requesterOrganizationId;
        uint32 maxDeliveries;
        bytes32 sourceId;
        uint64 holderOrganizationId;
        uint64 notBefore;
        uint64 notAfter;
        uint32 deliveryCount;
        RequestStatus status;
        bool endorsementRequired;
        bool endorsed;
    }

    /// @notice A delivery receipt as stored; the payload hash lives in {DeliveryRecorded}.
    struct Delivery {
        bytes32 requestId;
        uint64 attestationId;
        uint32 recordCount;
        Acknowledgement acknowledgement;
    }

    /// @notice Emitted when a request is submitted, by the requester itself or by a relayer.
    /// @param requestId the request's EIP-712 digest
    /// @param request the request as signed
    /// @param endorsementRequired whether approval waits for a supervisor's endorsement
    /// @param submitter the account that sent the transaction (the requester, or a relayer)
    event AccessRequested(
        bytes32 indexed requestId,
        address indexed requester,
        bytes32 indexed caseRef,
        AccessRequest request,
        uint64 requesterOrganizationId,
        uint64 holderOrganizationId,
        bool endorsementRequired,
        address submitter
    );

    /// @notice Emitted when a supervisor endorses a request, directly or by signature.
    event RequestEndorsed(bytes32 indexed requestId, address indexed supervisor, bool bySignature, address submitter);

    /// @notice Emitted when the holder's DATA_STEWARD approves a request: the grant exists.
    event RequestApproved(bytes32 indexed requestId, address indexed steward);

    /// @notice Emitted when the holder's DATA_STEWARD rejects a request.
    event RequestRejected(bytes32 indexed requestId, address indexed steward, uint16 reasonCode);

    /// @notice Emitted when a pending request or an approved grant is revoked.
    /// @param previousStatus PENDING (withdrawn before a decision) or APPROVED
    event GrantRevoked(
        bytes32 indexed requestId,
        address indexed revoker,
        uint16 reasonCode,
        RequestStatus previousStatus
    );

    /// @notice Emitted when the holder records a hand-over under a grant.
    /// @param deliveryId sequential id, starting at 1
    /// @param payloadHash keccak256 of the payload handed over
    /// @param deliveryNumber this delivery's position under the grant, from 1 to maxDeliveries
    event DeliveryRecorded(
        uint64 indexed deliveryId,
        bytes32 indexed requestId,
        uint64 indexed attestationId,
        bytes32 payloadHash,
        uint32 recordCount,
        uint32 deliveryNumber,
        address steward
    );

    /// @notice Emitted when the requester acknowledges a delivery.
    event DeliveryAcknowledged(
        uint64 indexed deliveryId,
        bytes32 indexed requestId,
        address indexed requester,
        Acknowledgement acknowledgement,
        uint16 reasonCode
    );

    /// @notice Emitted when a signer moves its nonce forward, cancelling its signatures below `newNonce`.
    event NonceIncreased(address indexed signer, uint256 previousNonce, uint256 newNonce);

    /// @notice Emitted when governance changes the longest allowed request window.
    event MaxGrantDurationUpdated(uint64 previousDuration, uint64 duration, address indexed updatedBy);

    /// @notice Thrown when a request is endorsed a second time.
    error AccessGrantsAlreadyEndorsed(bytes32 requestId);

    /// @notice Thrown when a delivery's attestation belongs to another source than the grant's.
    error AccessGrantsAttestationSourceMismatch(uint64 attestationId, bytes32 sourceId);

    /// @notice Thrown when a delivery draws from a revoked attestation.
    error AccessGrantsAttestationRevoked(uint64 attestationId);

    /// @notice Thrown when a delivery was already acknowledged.
    error AccessGrantsDeliveryAlreadyAcknowledged(uint64 deliveryId);

    /// @notice Thrown when a grant's deliveries are used up.
    error AccessGrantsDeliveryLimitReached(bytes32 requestId, uint32 maxDeliveries);

    /// @notice Thrown when approving a request that needs an endorsement it does not have.
    error AccessGrantsEndorsementRequired(bytes32 requestId);

    /// @notice Thrown when a grant's window has closed (from `notAfter` on).
    error AccessGrantsExpired(bytes32 requestId, uint64 notAfter);

    /// @notice Thrown when an acknowledgement is NONE.
    error AccessGrantsInvalidAcknowledgement();

    /// @notice Thrown when a request allows no delivery.
    error AccessGrantsInvalidMaxDeliveries();

    /// @notice Thrown when the maximum grant duration is set to zero.
    error AccessGrantsInvalidMaxGrantDuration(uint64 duration);

    /// @notice Thrown when a nonce increase does not move forward, or jumps more than the allowed step.
    error AccessGrantsInvalidNonceIncrease(uint256 currentNonce, uint256 newNonce);

    /// @notice Thrown when a delivery's payload hash is zero.
    error AccessGrantsInvalidPayloadHash();

    /// @notice Thrown when a signature is not the signer's (EOA) or its wallet refuses it (ERC-1271).
    error AccessGrantsInvalidSignature(address signer);

    /// @notice Thrown when a request's window is empty or already over.
    error AccessGrantsInvalidWindow(uint64 notBefore, uint64 notAfter);

    /// @notice Thrown when a delivery is recorded before the grant's `notBefore`.
    error AccessGrantsNotYetValid(bytes32 requestId, uint64 notBefore);

    /// @notice Thrown when a delivery claims more records than its attestation holds.
    error AccessGrantsRecordCountExceedsAttestation(uint32 recordCount, uint64 attestationRecordCount);

    /// @notice Thrown when a request with the same digest was already submitted.
    error AccessGrantsRequestAlreadySubmitted(bytes32 requestId);

    /// @notice Thrown when the requester's organization is not PUBLIC_SECURITY.
    error AccessGrantsRequesterNotPublicSecurity(uint64 organizationId);

    /// @notice Thrown when a supervisor endorses its own request (two-person rule).
    error AccessGrantsSelfEndorsement(address supervisor);

    /// @notice Thrown when a signature's deadline has passed.
    error AccessGrantsSignatureExpired(uint256 deadline);

    /// @notice Thrown when an account may not take this action on this request or delivery.
    error AccessGrantsUnauthorizedAccount(address account);

    /// @notice Thrown when a request is not in the status the action needs.
    error AccessGrantsUnexpectedStatus(bytes32 requestId, RequestStatus status);

    /// @notice Thrown when a delivery id was never issued.
    error AccessGrantsUnknownDelivery(uint64 deliveryId);

    /// @notice Thrown when a request id was never submitted.
    error AccessGrantsUnknownRequest(bytes32 requestId);

    /// @notice Thrown when a request's window is longer than the governance-set maximum.
    error AccessGrantsWindowTooLong(uint64 duration, uint64 maxDuration);

    /// @notice Submits a request as its requester (`msg.sender` must be `request.requester`).
    /// @return requestId the request's EIP-712 digest
    function submitRequest(AccessRequest calldata request) external returns (bytes32 requestId);

    /// @notice Submits a request signed by its requester (EOA or ERC-1271 wallet); anyone may relay it.
    /// @return requestId the request's EIP-712 digest
    function submitSignedRequest(
        AccessRequest calldata request,
        bytes calldata signature
    ) external returns (bytes32 requestId);

    /// @notice Endorses a pending request as a SUPERVISOR of the requester's organization (not the requester).
    function endorse(bytes32 requestId) external;

    /// @notice Submits a supervisor's signed endorsement; anyone may relay it.
    function endorseBySignature(Endorsement calldata endorsement, bytes calldata signature) external;

    /// @notice Approves a pending request before its `notAfter`. DATA_STEWARD of the source's organization.
    function approve(bytes32 requestId) external;

    /// @notice Rejects a pending request with a reason code. DATA_STEWARD of the source's organization.
    function reject(bytes32 requestId, uint16 reasonCode) external;

    /// @notice Revokes a pending request or an approved grant, with a reason code. The requester, its
    /// organization's ORG_ADMIN or SUPERVISOR, the holder's DATA_STEWARD, an OVERSIGHT AUDITOR, or governance.
    function revoke(bytes32 requestId, uint16 reasonCode) external;

    /// @notice Records a hand-over under a usable grant. DATA_STEWARD of the holder.
    /// @param attestationId the attestation the records were drawn from: same source, not revoked
    /// @param payloadHash keccak256 of the payload handed over
    /// @param recordCount how many records the payload holds
    /// @return deliveryId the new delivery's id
    function recordDelivery(
        bytes32 requestId,
        uint64 attestationId,
        bytes32 payloadHash,
        uint32 recordCount
    ) external returns (uint64 deliveryId);

    /// @notice Accepts or disputes a delivery, once. The grant's requester only.
    function acknowledgeDelivery(uint64 deliveryId, Acknowledgement acknowledgement, uint16 reasonCode) external;

    /// @notice Moves the caller's nonce to `newNonce`, cancelling every signed request with a lower nonce.
    function increaseNonce(uint256 newNonce) external;

    /// @notice Sets the longest allowed request window (`notAfter - notBefore`). Governance only.
    function setMaxGrantDuration(uint64 duration) external;

    /// @notice The longest allowed request window, in seconds (90 days at deployment).
    function maxGrantDuration() external view returns (uint64);

    /// @notice A request and its grant as stored. Reverts for an unknown id.
    function getGrant(bytes32 requestId) external view returns (Grant memory);

    /// @notice A delivery as stored. Reverts for an unknown id.
    function getDelivery(uint64 deliveryId) external view returns (Delivery memory);

    /// @notice Number of deliveries ever recorded; ids run from 1 to this number.
    function deliveryCount() external view returns (uint64);

    /// @notice Whether a delivery could be recorded under the grant now: approved, inside its window, below its
    /// limit, not revoked, and both organizations active.
    function isGrantUsable(bytes32 requestId) external view returns (bool);

    /// @notice The EIP-712 struct hash of a request: what an {Endorsement} names as `requestHash`.
    function hashAccessRequest(AccessRequest calldata request) external view returns (bytes32);

    /// @notice The id a request gets: its EIP-712 digest under this contract's domain.
    function requestIdOf(AccessRequest calldata request) external view returns (bytes32);

    /// @notice The EIP-712 digest a supervisor signs to endorse.
    function endorsementDigest(Endorsement calldata endorsement) external view returns (bytes32);
}

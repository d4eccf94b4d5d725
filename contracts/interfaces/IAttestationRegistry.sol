// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The outcome of checking a record against an attestation.
/// @dev REVOKED: the proof is valid, but the holder or governance has revoked the attestation.
enum RecordVerification {
    INVALID,
    VALID,
    REVOKED
}

/// @title IAttestationRegistry
/// @notice What a holder had, provably: Merkle roots of record batches, hash-chained per data source.
interface IAttestationRegistry {
    /// @notice One batch to attest.
    /// @param sourceId the data source the records come from
    /// @param merkleRoot root of the OpenZeppelin StandardMerkleTree of `["uint256","bytes32"]` leaves
    /// (record index, keccak256 of the RFC 8785 canonical record)
    /// @param recordCount number of leaves, at least 1
    /// @param periodStart start of the period the records cover (unix seconds)
    /// @param periodEnd end of that period, not before `periodStart`
    /// @param previousAttestationId the source's current head attestation (0 for the first): a stale or forged
    /// head reverts, so each source's chain has no forks and no gaps
    /// @param dataURI where the batch can be fetched by those entitled to it; emitted, not stored
    struct AttestationRequest {
        bytes32 sourceId;
        bytes32 merkleRoot;
        uint64 recordCount;
        uint64 periodStart;
        uint64 periodEnd;
        uint64 previousAttestationId;
        string dataURI;
    }

    /// @notice An attestation as stored: what verification and deliveries need.
    struct Attestation {
        bytes32 sourceId;
        bytes32 merkleRoot;
        uint64 recordCount;
        uint64 periodStart;
        uint64 periodEnd;
        bool revoked;
    }

    /// @notice The head of a source's attestation chain.
    /// @param headAttestationId the latest attestation (0 before the first)
    /// @param chainLength number of attestations in the chain
    /// @param lastPeriodEnd `periodEnd` of the head: the next batch may not start before it
    /// @param chainDigest `keccak256(abi.encode(previousDigest, attestationId, merkleRoot, recordCount,
    /// periodStart, periodEnd))` folded over the chain from zero
    struct SourceChain {
        uint64 headAttestationId;
        uint64 chainLength;
        uint64 lastPeriodEnd;
        bytes32 chainDigest;
    }

    /// @notice Emitted for each attested batch.
    /// @param attestationId sequential id, starting at 1
    /// @param request the batch as attested, with the previous head and the data URI
    /// @param chainDigest the source's chain digest after this attestation
    event AttestationRecorded(
        uint64 indexed attestationId,
        bytes32 indexed sourceId,
        uint64 indexed organizationId,
        AttestationRequest request,
        bytes32 chainDigest,
        address attester
    );

    /// @notice Emitted when an attestation is revoked; it stays in its source's chain and verifies as revoked.
    event AttestationRevoked(
        uint64 indexed attestationId,
        bytes32 indexed sourceId,
        string reason,
        address indexed revoker
    );

    /// @notice Thrown when revoking an attestation twice.
    error AttestationRegistryAlreadyRevoked(uint64 attestationId);

    /// @notice Thrown when a batch's period ends before it starts.
    error AttestationRegistryInvalidPeriod(uint64 periodStart, uint64 periodEnd);

    /// @notice Thrown when the Merkle root is zero.
    error AttestationRegistryInvalidRoot();

    /// @notice Thrown when a batch list is empty.
    error AttestationRegistryNoRequests();

    /// @notice Thrown when a batch declares no records.
    error AttestationRegistryNoRecords();

    /// @notice Thrown when a batch starts before the end of the source's previous batch.
    error AttestationRegistryPeriodBackwards(bytes32 sourceId, uint64 periodStart, uint64 lastPeriodEnd);

    /// @notice Thrown when `previousAttestationId` is not the source's current head.
    error AttestationRegistryStaleHead(bytes32 sourceId, uint64 headAttestationId, uint64 previousAttestationId);

    /// @notice Thrown when revoking without a reason.
    error AttestationRegistryEmptyReason();

    /// @notice Thrown when an attestation id was never issued.
    error AttestationRegistryUnknownAttestation(uint64 attestationId);

    /// @notice Attests one batch. DATA_STEWARD of the source's active organization; the source must be active.
    /// @return attestationId the new attestation's id
    function attest(AttestationRequest calldata request) external returns (uint64 attestationId);

    /// @notice Attests several batches (of one or several sources) in one transaction, in order.
    /// @return attestationIds the new ids, in request order
    function attestBatch(AttestationRequest[] calldata requests) external returns (uint64[] memory attestationIds);

    /// @notice Revokes an attestation with a reason. DATA_STEWARD of the source's organization, or governance.
    function revokeAttestation(uint64 attestationId, string calldata reason) external;

    /// @notice An attestation as stored. Reverts for an unknown id.
    function getAttestation(uint64 attestationId) external view returns (Attestation memory);

    /// @notice The head, length, last period end and digest of a source's attestation chain.
    function getSourceChain(bytes32 sourceId) external view returns (SourceChain memory);

    /// @notice Number of attestations ever recorded; ids run from 1 to this number.
    function attestationCount() external view returns (uint64);

    /// @notice Checks that the record with canonical digest `recordDigest` sits at `index` of the attested batch.
    /// @dev Leaf: `keccak256(bytes.concat(keccak256(abi.encode(index, recordDigest))))`, as OpenZeppelin's
    /// StandardMerkleTree with leaf encoding `["uint256","bytes32"]`. Reverts for an unknown attestation.
    /// @return INVALID, VALID, or REVOKED (valid proof, revoked attestation)
    function verifyRecord(
        uint64 attestationId,
        uint256 index,
        bytes32 recordDigest,
        bytes32[] calldata proof
    ) external view returns (RecordVerification);
}

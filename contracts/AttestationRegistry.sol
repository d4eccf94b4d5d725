// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Role} from "./Common.sol";
import {IAttestationRegistry, RecordVerification} from "./interfaces/IAttestationRegistry.sol";
import {IConsortium} from "./interfaces/IConsortium.sol";
import {IDataSourceRegistry} from "./interfaces/IDataSourceRegistry.sol";
import {ConsortiumGuard} from "./utils/ConsortiumGuard.sol";
import {Versioned} from "./utils/Versioned.sol";

/// @title AttestationRegistry
/// @notice Batch attestations of what holders had: one Merkle root per batch, chained per source.
/// @dev Stores only what verification and deliveries read (three slots a batch); the data URI and the chain
/// links travel in the event.
contract AttestationRegistry is IAttestationRegistry, ConsortiumGuard, Versioned {
    IDataSourceRegistry private immutable _sources;

    uint64 private _attestationCount;
    mapping(uint64 attestationId => Attestation attestation) private _attestations;
    mapping(bytes32 sourceId => SourceChain chain) private _chains;

    constructor(IConsortium consortium_, IDataSourceRegistry sources_) ConsortiumGuard(consortium_) {
        _sources = sources_;
    }

    /// @notice The registry of the sources attested here.
    function dataSources() external view returns (IDataSourceRegistry) {
        return _sources;
    }

    /// @inheritdoc IAttestationRegistry
    function attest(AttestationRequest calldata request) external whenSuiteNotPaused returns (uint64) {
        return _attest(request);
    }

    /// @inheritdoc IAttestationRegistry
    function attestBatch(
        AttestationRequest[] calldata requests
    ) external whenSuiteNotPaused returns (uint64[] memory attestationIds) {
        if (requests.length == 0) revert AttestationRegistryNoRequests();
        attestationIds = new uint64[](requests.length);
        for (uint256 i = 0; i < requests.length; ++i) {
            attestationIds[i] = _attest(requests[i]);
        }
    }

    /// @inheritdoc IAttestationRegistry
    function revokeAttestation(uint64 attestationId, string calldata reason) external whenSuiteNotPaused {
        Attestation storage attestation = _existingAttestation(attestationId);
        bytes32 sourceId = attestation.sourceId;
        if (!_isGovernance(msg.sender)) {
            _requireMemberOf(msg.sender, Role.DATA_STEWARD, _sources.getSource(sourceId).organizationId);
        }
        if (attestation.revoked) revert AttestationRegistryAlreadyRevoked(attestationId);
        if (bytes(reason).length == 0) revert AttestationRegistryEmptyReason();
        attestation.revoked = true;
        emit AttestationRevoked(attestationId, sourceId, reason, msg.sender);
    }

    /// @inheritdoc IAttestationRegistry
    function getAttestation(uint64 attestationId) external view returns (Attestation memory) {
        return _existingAttestation(attestationId);
    }

    /// @inheritdoc IAttestationRegistry
    function getSourceChain(bytes32 sourceId) external view returns (SourceChain memory) {
        return _chains[sourceId];
    }

    /// @inheritdoc IAttestationRegistry
    function attestationCount() external view returns (uint64) {
        return _attestationCount;
    }

    /// @inheritdoc IAttestationRegistry
    function verifyRecord(
        uint64 attestationId,
        uint256 index,
        bytes32 recordDigest,
        bytes32[] calldata proof
    ) external view returns (RecordVerification) {
        Attestation storage attestation = _existingAttestation(attestationId);
        if (index >= attestation.recordCount) return RecordVerification.INVALID;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, recordDigest))));
        if (!MerkleProof.verifyCalldata(proof, attestation.merkleRoot, leaf)) return RecordVerification.INVALID;
        return attestation.revoked ? RecordVerification.REVOKED : RecordVerification.VALID;
    }

    function _attest(AttestationRequest calldata request) private returns (uint64 attestationId) {
        bytes32 sourceId = request.sourceId;
        uint64 organizationId = _requireActiveSourceSteward(sourceId);
        _checkBatch(request);
        SourceChain storage chain = _chains[sourceId];
        SourceChain memory head = chain;
        if (request.previousAttestationId != head.headAttestationId) {
            revert AttestationRegistryStaleHead(sourceId, head.headAttestationId, request.previousAttestationId);
        }
        if (head.chainLength != 0 && request.periodStart < head.lastPeriodEnd) {
            revert AttestationRegistryPeriodBackwards(sourceId, request.periodStart, head.lastPeriodEnd);
        }

        attestationId = ++_attestationCount;
        _attestations[attestationId] = Attestation(
            sourceId,
            request.merkleRoot,
            request.recordCount,
            request.periodStart,
            request.periodEnd,
            false
        );
        bytes32 chainDigest = keccak256(
            abi.encode(
                head.chainDigest,
                attestationId,
                request.merkleRoot,
                request.recordCount,
                request.periodStart,
                request.periodEnd
            )
        );
        // The chain can hold at most one entry per attestation id, itself a uint64.
        unchecked {
            _chains[sourceId] = SourceChain(attestationId, head.chainLength + 1, request.periodEnd, chainDigest);
        }
        emit AttestationRecorded(attestationId, sourceId, organizationId, request, chainDigest, msg.sender);
    }

    /// @dev The caller must be a DATA_STEWARD of the active organization that holds the active source.
    function _requireActiveSourceSteward(bytes32 sourceId) private view returns (uint64 organizationId) {
        IDataSourceRegistry.DataSource memory source = _sources.getSource(sourceId);
        _requireMemberOf(msg.sender, Role.DATA_STEWARD, source.organizationId);
        if (source.retired) revert IDataSourceRegistry.DataSourceRegistrySourceRetired(sourceId);
        return source.organizationId;
    }

    function _checkBatch(AttestationRequest calldata request) private pure {
        if (request.merkleRoot == bytes32(0)) revert AttestationRegistryInvalidRoot();
        if (request.recordCount == 0) revert AttestationRegistryNoRecords();
        if (request.periodEnd < request.periodStart) {
            revert AttestationRegistryInvalidPeriod(request.periodStart, request.periodEnd);
        }
    }

    function _existingAttestation(uint64 attestationId) private view returns (Attestation storage attestation) {
        attestation = _attestations[attestationId];
        if (attestation.sourceId == bytes32(0)) revert AttestationRegistryUnknownAttestation(attestationId);
    }
}

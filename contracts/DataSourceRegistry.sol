// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Membership, OrganizationKind, Role} from "./Common.sol";
import {IConsortium} from "./interfaces/IConsortium.sol";
import {IDataSourceRegistry} from "./interfaces/IDataSourceRegistry.sol";
import {ConsortiumGuard} from "./utils/ConsortiumGuard.sol";
import {Versioned} from "./utils/Versioned.sol";

/// @title DataSourceRegistry
/// @notice The data sources each holder organization offers, their schema history and retirement.
contract DataSourceRegistry is IDataSourceRegistry, ConsortiumGuard, Versioned {
    /// @notice The highest sensitivity tier (3: secret).
    uint8 public constant MAX_SENSITIVITY = 3;

    /// @notice From this tier on, requests always need a supervisor's endorsement.
    uint8 public constant ENDORSEMENT_SENSITIVITY = 2;

    mapping(bytes32 sourceId => DataSource source) private _sources;

    constructor(IConsortium consortium_) ConsortiumGuard(consortium_) {}

    /// @inheritdoc IDataSourceRegistry
    function registerSource(
        string calldata name,
        bytes32 schemaHash,
        string calldata schemaURI,
        uint8 sensitivity,
        bool endorsementRequired
    ) external whenSuiteNotPaused returns (bytes32 sourceId) {
        Membership memory steward = _requireMember(msg.sender, Role.DATA_STEWARD);
        OrganizationKind kind = steward.organizationKind;
        if (kind == OrganizationKind.PUBLIC_SECURITY || kind == OrganizationKind.OVERSIGHT) {
            revert DataSourceRegistryNotHolder(steward.organizationId, kind);
        }
        if (bytes(name).length == 0) revert DataSourceRegistryEmptyName();
        if (schemaHash == bytes32(0)) revert DataSourceRegistryInvalidSchemaHash();
        if (sensitivity > MAX_SENSITIVITY) revert DataSourceRegistryInvalidSensitivity(sensitivity);

        sourceId = sourceIdOf(steward.organizationId, name);
        if (_sources[sourceId].organizationId != 0) revert DataSourceRegistryAlreadyRegistered(sourceId);
        bool endorsement = endorsementRequired || sensitivity >= ENDORSEMENT_SENSITIVITY;
        _sources[sourceId] = DataSource(steward.organizationId, 1, sensitivity, endorsement, false, schemaHash);
        emit DataSourceRegistered(
            sourceId,
            steward.organizationId,
            name,
            schemaHash,
            schemaURI,
            sensitivity,
            endorsement,
            msg.sender
        );
    }

    /// @inheritdoc IDataSourceRegistry
    function updateSchema(
        bytes32 sourceId,
        bytes32 schemaHash,
        string calldata schemaURI
    ) external whenSuiteNotPaused returns (uint32 schemaVersion) {
        DataSource storage source = _activeSourceOfSteward(sourceId);
        if (schemaHash == bytes32(0)) revert DataSourceRegistryInvalidSchemaHash();
        schemaVersion = ++source.schemaVersion;
        source.schemaHash = schemaHash;
        emit DataSourceSchemaUpdated(sourceId, schemaVersion, schemaHash, schemaURI, msg.sender);
    }

    /// @inheritdoc IDataSourceRegistry
    function retireSource(bytes32 sourceId) external whenSuiteNotPaused {
        DataSource storage source = _activeSourceOfSteward(sourceId);
        source.retired = true;
        emit DataSourceRetired(sourceId, msg.sender);
    }

    /// @inheritdoc IDataSourceRegistry
    function getSource(bytes32 sourceId) external view returns (DataSource memory) {
        return _existingSource(sourceId);
    }

    /// @inheritdoc IDataSourceRegistry
    function sourceIdOf(uint64 organizationId, string calldata name) public pure returns (bytes32) {
        return keccak256(abi.encode(organizationId, name));
    }

    /// @dev The source, known and not retired, whose organization the caller is a DATA_STEWARD of.
    function _activeSourceOfSteward(bytes32 sourceId) private view returns (DataSource storage source) {
        source = _existingSource(sourceId);
        _requireMemberOf(msg.sender, Role.DATA_STEWARD, source.organizationId);
        if (source.retired) revert DataSourceRegistrySourceRetired(sourceId);
    }

    function _existingSource(bytes32 sourceId) private view returns (DataSource storage source) {
        source = _sources[sourceId];
        if (source.organizationId == 0) revert DataSourceRegistryUnknownSource(sourceId);
    }
}

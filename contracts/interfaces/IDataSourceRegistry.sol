// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {OrganizationKind} from "../Common.sol";

/// @title IDataSourceRegistry
/// @notice What each holder organization offers: data sources with a schema, a sensitivity tier and whether
/// requests for them need a supervisor's endorsement.
interface IDataSourceRegistry {
    /// @notice A data source as stored. Name and schema URI live in the events only.
    struct DataSource {
        uint64 organizationId;
        uint32 schemaVersion;
        uint8 sensitivity;
        bool endorsementRequired;
        bool retired;
        bytes32 schemaHash;
    }

    /// @notice Emitted when a holder's DATA_STEWARD registers a source (schema version 1).
    /// @param sourceId `keccak256(abi.encode(organizationId, name))`
    /// @param sensitivity tier 0 (public) to 3 (secret)
    /// @param endorsementRequired whether access requests need a supervisor's endorsement (always for tiers 2–3)
    event DataSourceRegistered(
        bytes32 indexed sourceId,
        uint64 indexed organizationId,
        string name,
        bytes32 schemaHash,
        string schemaURI,
        uint8 sensitivity,
        bool endorsementRequired,
        address indexed steward
    );

    /// @notice Emitted when a source's schema changes; `schemaVersion` counts from 1 at registration.
    event DataSourceSchemaUpdated(
        bytes32 indexed sourceId,
        uint32 schemaVersion,
        bytes32 schemaHash,
        string schemaURI,
        address indexed steward
    );

    /// @notice Emitted when a source is retired: no new access requests or attestations for it.
    event DataSourceRetired(bytes32 indexed sourceId, address indexed steward);

    /// @notice Thrown when the organization's kind does not hold data (PUBLIC_SECURITY, OVERSIGHT).
    error DataSourceRegistryNotHolder(uint64 organizationId, OrganizationKind kind);

    /// @notice Thrown when registering a source whose id (organization and name) is taken.
    error DataSourceRegistryAlreadyRegistered(bytes32 sourceId);

    /// @notice Thrown when a source is registered without a name.
    error DataSourceRegistryEmptyName();

    /// @notice Thrown when a schema hash is zero.
    error DataSourceRegistryInvalidSchemaHash();

    /// @notice Thrown when a sensitivity tier is above 3.
    error DataSourceRegistryInvalidSensitivity(uint8 sensitivity);

    /// @notice Thrown when acting on a retired source.
    error DataSourceRegistrySourceRetired(bytes32 sourceId);

    /// @notice Thrown when a source id was never registered.
    error DataSourceRegistryUnknownSource(bytes32 sourceId);

    /// @notice Registers a data source of the caller's organization. DATA_STEWARD of an active holder organization.
    /// @dev `endorsementRequired` is forced on for sensitivity tiers 2 and 3.
    /// @return sourceId the new source's id
    function registerSource(
        string calldata name,
        bytes32 schemaHash,
        string calldata schemaURI,
        uint8 sensitivity,
        bool endorsementRequired
    ) external returns (bytes32 sourceId);

    /// @notice Replaces a source's schema and bumps its version. DATA_STEWARD of the source's organization.
    /// @return schemaVersion the new version
    function updateSchema(
        bytes32 sourceId,
        bytes32 schemaHash,
        string calldata schemaURI
    ) external returns (uint32 schemaVersion);

    /// @notice Retires a source for good. DATA_STEWARD of the source's organization.
    function retireSource(bytes32 sourceId) external;

    /// @notice A source as stored. Reverts for an unknown id.
    function getSource(bytes32 sourceId) external view returns (DataSource memory);

    /// @notice The id a source named `name` of `organizationId` has or would have.
    function sourceIdOf(uint64 organizationId, string calldata name) external pure returns (bytes32);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A contract that reports the release of the suite it belongs to.
interface IVersioned {
    /// @notice The semantic version of the contract suite, for example "1.0.0".
    function version() external pure returns (string memory);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IVersioned} from "../interfaces/IVersioned.sol";

/// @notice The release of the dxl contract suite that a deployment runs, recorded in every deployment file.
abstract contract Versioned is IVersioned {
    string private constant _VERSION = "1.0.0";

    /// @inheritdoc IVersioned
    function version() external pure returns (string memory) {
        return _VERSION;
    }
}

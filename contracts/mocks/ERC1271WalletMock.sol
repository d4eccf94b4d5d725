// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Test double of a contract wallet: approves a signature when it is its owner's and the wallet is set
/// to approve; refuses everything otherwise.
contract ERC1271WalletMock is IERC1271 {
    address private immutable _owner;
    bool private _approves;

    constructor(address owner_, bool approves_) {
        _owner = owner_;
        _approves = approves_;
    }

    /// @notice Makes the wallet approve (true) or refuse (false) every signature from now on.
    function setApproves(bool approves_) external {
        _approves = approves_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, , ) = ECDSA.tryRecover(hash, signature);
        return _approves && signer == _owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

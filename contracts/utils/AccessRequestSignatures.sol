// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IAccessGrants} from "../interfaces/IAccessGrants.sol";

/// @notice The EIP-712 side of access grants: the two typed structures, their hashes under the
/// `dxl AccessGrants` version 1 domain, per-signer sequential nonces, and signature checks for EOAs and
/// ERC-1271 contract wallets.
abstract contract AccessRequestSignatures is IAccessGrants, EIP712, Nonces {
    /// @dev The type strings are the wire format of DESIGN.md, verbatim.
    bytes32 private constant _ACCESS_REQUEST_TYPEHASH = keccak256(
        "AccessRequest(address requester,bytes32 sourceId,bytes32 caseRef,bytes32 scopeHash,uint8 purpose,uint64 notBefore,uint64 notAfter,uint32 maxDeliveries,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant _ENDORSEMENT_TYPEHASH = keccak256(
        "Endorsement(bytes32 requestHash,address supervisor,uint256 deadline)"
    );

    /// @notice The furthest one {increaseNonce} call may move a nonce, bounding its gas.
    uint256 public constant MAX_NONCE_INCREASE = 256;

    constructor() EIP712("dxl AccessGrants", "1") {}

    /// @inheritdoc IAccessGrants
    function hashAccessRequest(AccessRequest calldata request) public pure returns (bytes32) {
        // Every member is a static type, so abi.encode lays them out word by word, as EIP-712 encodeData does.
        return keccak256(abi.encode(_ACCESS_REQUEST_TYPEHASH, request));
    }

    /// @inheritdoc IAccessGrants
    function requestIdOf(AccessRequest calldata request) public view returns (bytes32) {
        return _hashTypedDataV4(hashAccessRequest(request));
    }

    /// @inheritdoc IAccessGrants
    function endorsementDigest(Endorsement calldata endorsement) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(_ENDORSEMENT_TYPEHASH, endorsement)));
    }

    /// @dev Reverts unless the deadline is still ahead and `signer` signed `digest` (ECDSA with low s, or
    /// ERC-1271 `isValidSignature` for a contract wallet).
    function _checkSignature(address signer, bytes32 digest, uint256 deadline, bytes calldata signature) internal view {
        _checkDeadline(deadline);
        if (!SignatureChecker.isValidSignatureNow(signer, digest, signature)) {
            revert AccessGrantsInvalidSignature(signer);
        }
    }

    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert AccessGrantsSignatureExpired(deadline);
    }

    /// @dev Consumes nonces up to `newNonce`, so every signature over a lower nonce becomes unusable.
    function _increaseNonce(address signer, uint256 newNonce) internal {
        uint256 currentNonce = nonces(signer);
        if (newNonce <= currentNonce || newNonce - currentNonce > MAX_NONCE_INCREASE) {
            revert AccessGrantsInvalidNonceIncrease(currentNonce, newNonce);
        }
        for (uint256 i = currentNonce; i < newNonce; ++i) {
            _useNonce(signer);
        }
        emit NonceIncreased(signer, currentNonce, newNonce);
    }
}

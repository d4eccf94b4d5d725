/**
 * The record-batch Merkle library of `dxl attest`: canonical record bytes (RFC 8785) and their digests, a fast
 * builder of OpenZeppelin StandardMerkleTree-compatible trees with leaves (record index, digest), proofs, the
 * OpenZeppelin dump format, the proofs file and proof verification. The only door to `scripts/lib/merkle/`.
 */
export { CanonicalJsonError, canonicalJson } from "./canonical-json";
export type { Json } from "./canonical-json";
export { createRecordDigester, digestRecords, recordDigestHex } from "./record-digest";
export type { RecordDigester } from "./record-digest";
export { buildRecordTree, MAX_RECORDS } from "./tree-builder";
export { DigestList } from "./digest-list";
export type { DigestSource } from "./tree-builder";
export { RECORD_LEAF_ENCODING, RecordMerkleTree } from "./record-tree";
export { fromStandardDump, readStandardDump, toStandardDump, writeStandardDump } from "./standard-dump";
export type { StandardTreeDump } from "./standard-dump";
export { PROOFS_FILE_FORMAT, ProofsFileError, readProofsFile, verifyProofsFile, writeProofsFile } from "./proofs-file";
export type { ProofsFileHeader, ProofsFileRecord } from "./proofs-file";
export { processProof, recordLeafHash, rootOfRecordProof, verifyRecordProof } from "./verify";
export type { RecordProof } from "./verify";

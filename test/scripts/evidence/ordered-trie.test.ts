import { expect } from "chai";
import type { TransactionResponse } from "ethers";
import { readBlockHeader, readReceipt, readSignedTransaction } from "../../../scripts/lib/evidence/chain-reader";
import { orderedTrieRoot } from "../../../scripts/lib/evidence/ordered-trie";
import { encodeReceipt } from "../../../scripts/lib/evidence/receipt-encoding";
import { evidenceScenario } from "../../helpers/evidence-scenario";

/** keccak256 of RLP(""): the root of a trie without items (a block without transactions). */
const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

describe("ordered trie roots", function () {
  this.timeout(60_000);

  it("should rebuild the transactions and receipts roots of a hardhat block of 20 transactions", async function () {
    const { deployment } = await evidenceScenario();
    const { provider, signers, addresses } = deployment;
    await provider.send("evm_setAutomine", [false]);
    const sent: TransactionResponse[] = [];
    try {
      for (let count = 0; count < 20; count++) {
        sent.push(await signers.temporary.sendTransaction({ to: addresses.visitor, value: BigInt(count + 1) }));
      }
      await provider.send("evm_mine", []);
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    const blockHash = (await sent[0].wait())!.blockHash;
    const { header, transactionHashes } = await readBlockHeader(provider, blockHash);
    expect(transactionHashes).to.have.length(20);
    const signed = await Promise.all(transactionHashes.map((hash) => readSignedTransaction(provider, hash)));
    const receipts = await Promise.all(transactionHashes.map((hash) => readReceipt(provider, hash)));
    expect(orderedTrieRoot(signed.map((transaction) => transaction.signed))).to.equal(header.transactionsRoot);
    expect(orderedTrieRoot(receipts.map(encodeReceipt))).to.equal(header.receiptsRoot);
  });

  it("should give the empty trie's root for no items", function () {
    expect(orderedTrieRoot([])).to.equal(EMPTY_TRIE_ROOT);
  });
});

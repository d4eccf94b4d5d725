import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { JsonRpcProvider, Wallet } from "ethers";
import { createChainReader, createLogRangeReader, RpcError } from "../../../indexer/chain";
import type { BlockHeader, ChainReader, RawLog } from "../../../indexer/chain";
import { startFaultProxy } from "../../helpers/fault-proxy";
import { startAnvil, startHardhatNode } from "../../helpers/node";
import type { NodeProcess } from "../../helpers/node";

chai.use(chaiAsPromised);

/** The well-known key of account 0 of the development mnemonic both nodes fund. */
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/**
 * A contract whose every call emits LOG1 with the calldata as data and the block number as topic. Init code: copy the
 * 12 runtime bytes (CALLDATACOPY to memory 0, LOG1(0, CALLDATASIZE, NUMBER), STOP) and return them.
 */
const EMITTER_INIT_CODE = "0x600c80600b6000396000f3" + "366000600037" + "43366000a1" + "00";

/** What was put on the chain: the contracts whose logs are read, one whose logs are not, and the head. */
interface ProducedChain {
  wanted: string[];
  unwanted: string;
  head: number;
}

/** Deploys three emitters, then mines blocks of zero to three emitting transactions with runs of empty blocks. */
async function produceChain(provider: JsonRpcProvider): Promise<ProducedChain> {
  const wallet = new Wallet(DEV_KEY, provider);
  const emitters: string[] = [];
  for (let index = 0; index < 3; index++) {
    const receipt = await (await wallet.sendTransaction({ data: EMITTER_INIT_CODE })).wait();
    emitters.push(receipt!.contractAddress!);
  }
  await provider.send("evm_setAutomine", [false]);
  for (let round = 0; round < 40; round++) {
    for (let call = 0; call < round % 4; call++) {
      const to = emitters[(round + call) % 3];
      const data = `0x${round.toString(16).padStart(2, "0")}${call.toString(16).padStart(2, "0")}`;
      await provider.send("eth_sendTransaction", [{ from: wallet.address, to, data, gas: "0x186a0" }]);
    }
    await provider.send("evm_mine", []);
    if (round % 5 === 4) await provider.send("hardhat_mine", ["0x5"]);
  }
  await provider.send("evm_setAutomine", [true]);
  return { wanted: emitters.slice(0, 2), unwanted: emitters[2], head: await provider.getBlockNumber() };
}

/** Every log of `addresses` up to the head, read range by range as the sync layer will. */
async function readAllLogs(reader: ChainReader, addresses: string[], head: number, maxRange: number) {
  const ranges = createLogRangeReader(reader, { initialRange: maxRange, maxRange, targetLogsPerRange: 4 });
  const logs: RawLog[] = [];
  for (let from = 0; from <= head;) {
    const batch = await ranges.next({ fromBlock: from, toBlock: head, addresses });
    logs.push(...batch.logs);
    from = batch.toBlock + 1;
  }
  return logs;
}

const blockNumbers = (head: number) => Array.from({ length: head + 1 }, (_, number) => number);

for (const start of [startHardhatNode, startAnvil]) {
  describe(`chain reader on a real ${start.name.replace(/^start/, "")} process`, function () {
    this.timeout(60_000);
    let node: NodeProcess;
    let provider: JsonRpcProvider;
    let chain: ProducedChain;
    let reader: ChainReader;

    before(async () => {
      node = await start();
      provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
      chain = await produceChain(provider);
      reader = createChainReader({ url: node.url });
    });

    after(async () => {
      provider?.destroy();
      await node?.stop();
    });

    it("should read the chain id and the head", async () => {
      expect(await reader.chainId()).to.equal(31337);
      expect(await reader.headNumber()).to.equal(chain.head);
    });

    it("should read headers in the order asked, as ethers sees the blocks", async () => {
      const numbers = [chain.head, 0, 17, 3, 17];
      const expected = await Promise.all(
        numbers.map(async (number) => {
          const block = (await provider.getBlock(number))!;
          return { number, hash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp };
        }),
      );
      expect(await reader.headers(numbers)).to.deep.equal(expected);
    });

    it("should read more headers than one batch carries, forming one hash chain", async () => {
      const batched = createChainReader({ url: node.url, headersPerBatch: 7 });
      const headers = await batched.headers(blockNumbers(chain.head));
      expect(headers.map((header) => header.number)).to.deep.equal(blockNumbers(chain.head));
      for (let number = 1; number <= chain.head; number++) {
        expect(headers[number].parentHash).to.equal(headers[number - 1].hash);
      }
    });

    it("should throw an RpcError naming a block past the head", async () => {
      const missing = chain.head + 5;
      await expect(reader.headers([1, missing])).to.be.rejectedWith(RpcError, `block ${missing} not found`);
    });

    it("should read the logs of the wanted contracts only, in the node's order, as ethers sees them", async () => {
      const logs = await reader.logs({ fromBlock: 0, toBlock: chain.head, addresses: chain.wanted });
      const expected = await provider.getLogs({ address: chain.wanted, fromBlock: 0, toBlock: chain.head });
      expect(logs).to.have.length.above(20);
      expect(logs).to.deep.equal(
        expected.map((log) => ({
          blockNumber: log.blockNumber,
          blockHash: log.blockHash,
          transactionHash: log.transactionHash,
          transactionIndex: log.transactionIndex,
          logIndex: log.index,
          address: log.address.toLowerCase(),
          topics: [...log.topics],
          data: log.data,
        })),
      );
      expect(logs.map((log) => log.address)).to.not.include(chain.unwanted);
      expect(logs.some((log) => log.logIndex > 0)).to.be.true;
    });

    it("should return no logs for no addresses", async () => {
      expect(await reader.logs({ fromBlock: 0, toBlock: chain.head, addresses: [] })).to.deep.equal([]);
    });

    it("should return the same logs and headers through a faulty, range-limited proxy as read directly", async () => {
      const direct: { logs: RawLog[]; headers: BlockHeader[] } = {
        logs: await reader.logs({ fromBlock: 0, toBlock: chain.head, addresses: chain.wanted }),
        headers: await reader.headers(blockNumbers(chain.head)),
      };
      const rates = { http429: 0.1, http500: 0.1, timeout: 0.1, drop: 0.1, truncated: 0.1, rangeLimit: 0.1 };
      const proxy = await startFaultProxy({ target: node.url, seed: 20_240_601, rates, maxLogRange: 8 });
      try {
        const observed: boolean[] = [];
        const faulty = createChainReader({
          url: proxy.url,
          headersPerBatch: 10,
          timeoutMs: 250,
          baseDelayMs: 2,
          maxDelayMs: 20,
          maxAttempts: 20,
          observer: { onRpcError: (_method, _error, willRetry) => observed.push(willRetry) },
        });
        expect(await readAllLogs(faulty, chain.wanted, chain.head, 32)).to.deep.equal(direct.logs);
        expect(await faulty.headers(blockNumbers(chain.head))).to.deep.equal(direct.headers);
        for (const kind of ["http429", "http500", "timeout", "drop", "truncated", "rangeLimit"] as const) {
          expect(proxy.stats[kind], kind).to.be.above(0);
        }
        expect(observed.filter((willRetry) => willRetry)).to.have.length.above(5);
      } finally {
        await proxy.stop();
      }
    });
  });
}

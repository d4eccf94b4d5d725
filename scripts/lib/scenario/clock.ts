/**
 * The scenario's clock on a development chain. Request windows are written from a fixed start instant, not from
 * whatever time the node happens to have, so the same seed and start give the same request ids (EIP-712 digests
 * over those times); and one grant must be seen to expire, which takes moving the chain's time forward. Both use
 * development-node methods (`evm_setNextBlockTimestamp`, `evm_increaseTime`, `evm_mine`: Hardhat, Anvil): the
 * scenario cannot run on a production chain, whose clock nobody sets.
 */
import type { JsonRpcProvider } from "ethers";

const DAY = 86_400;

/** Seconds of the chain's latest block. */
export async function latestBlockTime(provider: JsonRpcProvider): Promise<number> {
  const block = await provider.getBlock("latest");
  if (!block) throw new Error("the node returned no latest block");
  return block.timestamp;
}

/** The first midnight (UTC) after `seconds`: the default start, the same all day long. */
export function nextMidnight(seconds: number): number {
  return (Math.floor(seconds / DAY) + 1) * DAY;
}

/**
 * Mines a block at `start`, so the scenario's windows, written from `start`, hold from the first request on.
 * @throws Error when the chain's time is already past `start` (a chain's time cannot go back).
 */
export async function startClockAt(provider: JsonRpcProvider, start: number): Promise<void> {
  const now = await latestBlockTime(provider);
  if (now >= start) {
    throw new Error(
      `the chain's time (${now}) is already at or past the scenario's start (${start}): pick a later one`,
    );
  }
  await provider.send("evm_setNextBlockTimestamp", [start]);
  await provider.send("evm_mine", []);
}

/** Moves the chain's time past `instant` (if it is not already) and mines a block there. */
export async function advanceClockPast(provider: JsonRpcProvider, instant: number): Promise<number> {
  const gap = instant + 1 - (await latestBlockTime(provider));
  if (gap > 0) await provider.send("evm_increaseTime", [gap]);
  await provider.send("evm_mine", []);
  return latestBlockTime(provider);
}

import type { Provider } from "ethers";

/** The latest block's timestamp in unix seconds: "now" as the contracts see it (deadlines, grant windows). */
export async function latestBlockTime(provider: Provider): Promise<bigint> {
  const latest = await provider.getBlock("latest");
  if (!latest) throw new Error("the node returned no latest block");
  return BigInt(latest.timestamp);
}

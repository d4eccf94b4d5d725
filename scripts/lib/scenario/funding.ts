/**
 * Gas money for the actors. `hardhat node` funds the first 20 dev accounts, Anvil only the first 10 unless told
 * otherwise (`--accounts`): governance tops up every actor the node left without funds, so the scenario runs on
 * either.
 */
import { parseEther } from "ethers";
import type { ScenarioContext } from "./context";
import type { ScenarioAccountName } from "./accounts";

/** What an actor the node did not fund is given: far more than the scenario spends. */
const ACTOR_FUNDING = parseEther("100");

/** Sends {@link ACTOR_FUNDING} from governance to every actor whose balance is zero. */
export async function fundActors(context: ScenarioContext): Promise<void> {
  const provider = context.accounts.governance.provider;
  if (!provider) throw new Error("the governance account is not connected to a provider");
  const names = Object.keys(context.addresses) as ScenarioAccountName[];
  const balances = await Promise.all(names.map((name) => provider.getBalance(context.addresses[name])));
  const unfunded = names.filter((_, index) => balances[index] === 0n);
  for (const name of unfunded) {
    await context.sender.send(
      context.accounts.governance.sendTransaction({
        to: context.addresses[name],
        value: ACTOR_FUNDING,
        ...context.sender.call,
      }),
    );
  }
  if (unfunded.length > 0) context.report("funding", `gas money for ${unfunded.length} actors the node left unfunded`);
}

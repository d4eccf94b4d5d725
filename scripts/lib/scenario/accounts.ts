/**
 * Who acts in the demo scenario, and with which key: each role is one of the development accounts every local
 * node (`hardhat node`, Anvil) funds from the public test mnemonic. These keys are known to everyone: never use
 * them, or this mapping, on a chain that holds anything of value.
 */
import { HDNodeWallet, Mnemonic, NonceManager } from "ethers";
import type { Provider } from "ethers";

/** The public development mnemonic of Hardhat and Anvil ("test test … junk"): test keys only. */
export const DEV_MNEMONIC_PHRASE = "test test test test test test test test test test test junk";

/** The scenario's actors, by the index `i` of the dev account (`m/44'/60'/0'/0/i`) each one uses. */
export const SCENARIO_ACCOUNT_INDEXES = {
  /** The consortium operator: deploys the suite and registers the organizations. */
  governance: 0,
  telecomAdmin: 1,
  telecomSteward: 2,
  bankAdmin: 3,
  bankSteward: 4,
  waterAdmin: 5,
  waterSteward: 6,
  powerAdmin: 7,
  powerSteward: 8,
  bureauAdmin: 9,
  leadInvestigator: 10,
  fraudInvestigator: 11,
  dutySupervisor: 12,
  chiefSupervisor: 13,
  oversightAdmin: 14,
  auditor: 15,
  /** Relays signed requests and endorsements (a service account of no organization): pays the gas, signs nothing. */
  relayer: 16,
} as const;

/** The name of a scenario actor. */
export type ScenarioAccountName = keyof typeof SCENARIO_ACCOUNT_INDEXES;

/** A signer per scenario actor, each tracking its own nonces so its transactions can go out back to back. */
export type ScenarioAccounts = Record<ScenarioAccountName, NonceManager>;

/** `m/44'/60'/0'/0` of the test mnemonic: the parent of every dev account, derived once. */
const DEV_ACCOUNTS_PARENT = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC_PHRASE), "m/44'/60'/0'/0");

/** The wallet of dev account `index` (`m/44'/60'/0'/0/index` of the test mnemonic), not connected. */
export function devWallet(index: number): HDNodeWallet {
  return DEV_ACCOUNTS_PARENT.deriveChild(index);
}

/** The address of a scenario actor's dev account. */
export function scenarioAccountAddress(name: ScenarioAccountName): string {
  return devWallet(SCENARIO_ACCOUNT_INDEXES[name]).address;
}

/** Every scenario actor's dev account on `provider`, each behind its own {@link NonceManager}. */
export function scenarioAccounts(provider: Provider): ScenarioAccounts {
  const entries = Object.entries(SCENARIO_ACCOUNT_INDEXES).map(([name, index]) => [
    name,
    new NonceManager(devWallet(index).connect(provider)),
  ]);
  return Object.fromEntries(entries) as ScenarioAccounts;
}

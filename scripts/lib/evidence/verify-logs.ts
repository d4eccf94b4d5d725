/**
 * Checking a step against its log: the log the step names is in its transaction's receipt, was emitted by the
 * bundle's contract, and decodes to the event the step claims with exactly the step's values.
 */
import type { EvidenceBundle, LogReference, RpcLog } from "./bundle-format";
import { check, sameHex, short } from "./checks";
import { firstDifference } from "./plain-compare";
import type { EvidenceCheck } from "./checks";
import { decodeLog } from "./suite-events";
import type { EvidenceContract, PlainValue } from "./suite-events";

/** What a step claims its log holds: the contract, the event and (some of) its arguments. */
export interface ClaimedEvent {
  contract: EvidenceContract;
  name: string;
  args: Record<string, PlainValue>;
}

/** The check that the log `logged` of `bundle` is `claimed`; `step` names the step (`request 0x…: approval`). */
export function checkLoggedStep(
  bundle: EvidenceBundle,
  step: string,
  logged: LogReference,
  claimed: ClaimedEvent,
): EvidenceCheck {
  return check(
    `${step}: log ${logged.logIndex} of transaction ${short(logged.transactionHash)} is ${claimed.name}`,
    () => {
      const log = findLog(bundle, logged);
      if (typeof log === "string") return log;
      const contractAddress = bundle.contracts[claimed.contract];
      if (!sameHex(log.address, contractAddress)) {
        return `the log was emitted by ${log.address}, not the bundle's ${claimed.contract} ${contractAddress}`;
      }
      const event = decodeLog(claimed.contract, log);
      if (!event) return `the log is no event of ${claimed.contract}`;
      if (event.name !== claimed.name) return `the log is ${event.name}, not ${claimed.name}`;
      return firstDifference(claimed.args, event.args, "log");
    },
  );
}

/** The log a reference names, or why it cannot be found. */
function findLog(bundle: EvidenceBundle, logged: LogReference): RpcLog | string {
  const transaction = bundle.transactions[logged.transactionHash.toLowerCase()];
  if (!transaction) return `transaction ${logged.transactionHash} is not in the bundle`;
  const log = transaction.receipt.logs.find((candidate) => Number(candidate.logIndex) === logged.logIndex);
  return log ?? `the receipt of ${logged.transactionHash} has no log ${logged.logIndex}`;
}

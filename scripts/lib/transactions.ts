/**
 * Sending a contract transaction only once it is known to succeed: a static call first (so a wrong role, a stale
 * head or a passed deadline is reported by its custom error and nothing is sent), then the transaction, then its
 * receipt; and reading the events a receipt carries.
 */
import type { BaseContract, ContractTransactionReceipt, ContractTransactionResponse, LogDescription } from "ethers";
import { decodeContractError, explainContractError } from "./contract-errors";
import type { DecodedContractError } from "./contract-errors";

/** A TypeChain contract method that changes state. */
export interface StateChangingMethod {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeChain's argument tuples vary per method
  staticCall(...args: any[]): Promise<unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(...args: any[]): Promise<ContractTransactionResponse>;
}

/** Thrown when a call reverts; `decoded` is the suite's custom error when the revert data names one. */
export class ContractRevertError extends Error {
  override name = "ContractRevertError";

  constructor(
    readonly method: string,
    readonly decoded: DecodedContractError | undefined,
    detail: string,
  ) {
    super(`${method} would revert: ${detail}`);
  }
}

/**
 * Checks `method(...args)` with a static call, then sends it and waits for its receipt.
 * @returns the static call's result (what the transaction returns: a new id) and the receipt.
 * @throws ContractRevertError when the static call or the transaction reverts; nothing is sent for the former.
 */
export async function sendChecked<M extends StateChangingMethod>(
  method: M,
  ...args: Parameters<M["send"]>
): Promise<{ result: Awaited<ReturnType<M["staticCall"]>>; receipt: ContractTransactionReceipt }> {
  const result = await checkCall(method, ...args);
  const response = await method.send(...args).catch((error: unknown) => {
    throw revertError(method.name, error);
  });
  const receipt = await response.wait();
  if (!receipt) throw new Error(`${method.name}: transaction ${response.hash} has no receipt`);
  return { result, receipt };
}

/**
 * Runs `method(...args)` as a static call: what the transaction would return, sending nothing.
 * @throws ContractRevertError naming the custom error it would revert with.
 */
export async function checkCall<M extends StateChangingMethod>(
  method: M,
  ...args: Parameters<M["send"]>
): Promise<Awaited<ReturnType<M["staticCall"]>>> {
  try {
    return (await method.staticCall(...args)) as Awaited<ReturnType<M["staticCall"]>>;
  } catch (error) {
    throw revertError(method.name, error);
  }
}

/** The arguments of every `eventName` event `contract` emitted in `receipt`. */
export function eventsIn(
  receipt: ContractTransactionReceipt,
  contract: BaseContract,
  eventName: string,
): LogDescription[] {
  const events: LogDescription[] = [];
  for (const log of receipt.logs) {
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === eventName) events.push(parsed);
  }
  return events;
}

/** The revert of `error` as a {@link ContractRevertError}, or `error` itself when it is no revert. */
export function revertError(method: string, error: unknown): unknown {
  const decoded = decodeContractError(error);
  if (decoded) {
    const meaning = explainContractError(decoded);
    return new ContractRevertError(method, decoded, meaning ? `${decoded.text}: ${meaning}` : decoded.text);
  }
  const code = (error as { code?: string }).code;
  if (code === "CALL_EXCEPTION") {
    const reason = (error as { shortMessage?: string }).shortMessage ?? "execution reverted";
    return new ContractRevertError(method, undefined, reason);
  }
  return error;
}

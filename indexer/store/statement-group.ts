/**
 * Group statements: many callers, one statement each time. While a statement runs, the items that arrive wait and
 * go together in the next one, so under load a few statements serve dozens of callers, and with no load each item
 * goes at once, alone. Every caller still waits for the statement that carries its own item (which was sent after
 * the item arrived) and gets that statement's answer for it, or its error.
 *
 * On these machines a statement's round trip costs far more CPU (two processes woken, a loopback socket written
 * and read on each side) than the rows it reads or writes, so the API's per-request statements go this way.
 */

/** Runs the items of one group as one statement: one result for each item, in their order. */
export type GroupStatement<Item, Result> = (items: Item[]) => Promise<Result[]>;

interface Waiting<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/** A function of one item that runs it in the next group of `statement`. */
export function groupStatements<Item, Result>(
  statement: GroupStatement<Item, Result>,
): (item: Item) => Promise<Result> {
  let waiting: Waiting<Item, Result>[] = [];
  let isRunning = false;

  async function runWhileWaiting(): Promise<void> {
    isRunning = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const results = await statement(group.map((entry) => entry.item));
        if (results.length !== group.length) {
          throw new Error(`a group statement returned ${results.length} results for ${group.length} items`);
        }
        group.forEach((entry, index) => entry.resolve(results[index]));
      } catch (error) {
        group.forEach((entry) => entry.reject(error));
      }
    }
    isRunning = false;
  }

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!isRunning) void runWhileWaiting();
    });
}

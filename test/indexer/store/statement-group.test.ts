import chai, { expect } from "chai";
import chaiAsPromised from "chai-as-promised";
import { groupStatements } from "../../../indexer/store/statement-group";

chai.use(chaiAsPromised);

/**
 * `run`, grouping the items given to it, over a statement whose runs the test finishes by hand (`runs`, recording
 * the items of each).
 */
function controlledGroup() {
  const runs: { items: number[]; finish(results?: string[]): void; fail(error: Error): void }[] = [];
  const statement = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push({
        items,
        finish: (results) => resolve(results ?? items.map((item) => `result of ${item}`)),
        fail: reject,
      });
    });
  return { runs, run: groupStatements(statement) };
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("groupStatements", function () {
  it("runs a lone item at once, alone", async function () {
    const { runs, run } = controlledGroup();
    const answer = run(7);
    expect(runs.map((entry) => entry.items)).to.deep.equal([[7]]);
    runs[0].finish();
    expect(await answer).to.equal("result of 7");
  });

  it("sends the items that arrive during a run together in the next one, each caller getting its own result", async function () {
    const { runs, run } = controlledGroup();
    const first = run(1);
    const waiting = [run(2), run(3), run(4)];
    expect(runs).to.have.length(1, "nothing more is sent while the first statement runs");
    runs[0].finish();
    await first;
    await settle();
    expect(runs.map((entry) => entry.items)).to.deep.equal([[1], [2, 3, 4]]);
    runs[1].finish();
    expect(await Promise.all(waiting)).to.deep.equal(["result of 2", "result of 3", "result of 4"]);
  });

  it("never answers an item from a statement sent before it arrived", async function () {
    const { runs, run } = controlledGroup();
    const early = run(1);
    const late = run(2);
    runs[0].finish(["early answer"]);
    expect(await early).to.equal("early answer");
    await settle();
    runs[1].finish(["late answer"]);
    expect(await late).to.equal("late answer");
  });

  it("rejects the callers of a failed statement only, and goes on with the next group", async function () {
    const { runs, run } = controlledGroup();
    const failing = run(1);
    const next = run(2);
    runs[0].fail(new Error("connection reset"));
    await expect(failing).to.be.rejectedWith("connection reset");
    await settle();
    runs[1].finish();
    expect(await next).to.equal("result of 2");
  });

  it("rejects the whole group when the statement returns a result count other than its item count", async function () {
    const { runs, run } = controlledGroup();
    const first = run(1);
    const pair = [run(2), run(3)];
    runs[0].finish();
    await first;
    await settle();
    runs[1].finish(["only one"]);
    for (const answer of pair) await expect(answer).to.be.rejectedWith("returned 1 results for 2 items");
  });

  it("starts afresh, alone, once the last group is done", async function () {
    const { runs, run } = controlledGroup();
    const first = run(1);
    runs[0].finish();
    await first;
    const again = run(5);
    expect(runs.map((entry) => entry.items)).to.deep.equal([[1], [5]]);
    runs[1].finish();
    expect(await again).to.equal("result of 5");
  });
});

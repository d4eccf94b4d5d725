/**
 * Fails when the contracts' coverage (coverage.json, written by `hardhat coverage`) is under the project's
 * floors: 95% of lines and 90% of branches of contracts/.
 */
import fs from "node:fs";
import path from "node:path";

const FLOORS = { lines: 95, branches: 90 };

interface FileCoverage {
  l: Record<string, number>;
  b: Record<string, number[]>;
}

function percent(covered: number, total: number): number {
  return total === 0 ? 100 : (100 * covered) / total;
}

function main(): void {
  const file = path.resolve(__dirname, "../coverage.json");
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, FileCoverage>;
  let lines = 0;
  let coveredLines = 0;
  let branches = 0;
  let coveredBranches = 0;
  for (const [name, coverage] of Object.entries(report)) {
    if (!name.includes(`${path.sep}contracts${path.sep}`) && !name.startsWith("contracts/")) continue;
    const hits = Object.values(coverage.l);
    lines += hits.length;
    coveredLines += hits.filter((count) => count > 0).length;
    const arms = Object.values(coverage.b).flat();
    branches += arms.length;
    coveredBranches += arms.filter((count) => count > 0).length;
  }
  const result = { lines: percent(coveredLines, lines), branches: percent(coveredBranches, branches) };
  console.log(
    `contracts/ coverage: lines ${result.lines.toFixed(2)}% (${coveredLines}/${lines}), ` +
      `branches ${result.branches.toFixed(2)}% (${coveredBranches}/${branches}); floors ${FLOORS.lines}% / ${FLOORS.branches}%`,
  );
  if (result.lines < FLOORS.lines || result.branches < FLOORS.branches) {
    console.error("coverage is under its floor");
    process.exitCode = 1;
  }
}

main();

/**
 * How benches report: progress lines on stderr, then on stdout a table of figures against their targets, notes
 * that say how the figures were taken, and last one JSON line for machines.
 */
import os from "node:os";

/** Writes `[bench:<name>] message` lines to stderr. */
export function progressOf(name: string): (message: string) => void {
  return (message) => process.stderr.write(`[bench:${name}] ${message}\n`);
}

/** A number with thousands separators and at most one decimal. */
export function format(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** "yes" or a shouting "NO", for the table's last column. */
export function yes(isMet: boolean): string {
  return isMet ? "yes" : "NO";
}

/** Prints rows of cells under `header`: the first column left-aligned, the others right-aligned. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((width) => "-".repeat(width))));
  rows.forEach((row) => console.log(line(row)));
}

/** Prints each note as a `*` bullet, after a blank line. */
export function printNotes(notes: string[]): void {
  console.log(`\n${notes.map((note) => `* ${note}`).join("\n")}`);
}

/** The note on the machine: cores, load average at start and now, and the bench's duration. */
export function machineNote(loadBefore: number[], seconds: number): string {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" ");
  return (
    `machine: ${os.cpus().length} cores; load average ${load(loadBefore)} at start, ${load(os.loadavg())} at end; ` +
    `bench took ${seconds.toFixed(0)} s.`
  );
}

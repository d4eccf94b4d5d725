/**
 * What a command prints: human lines on stdout by default, or with `--json` one JSON object (bigints as decimal
 * strings) for scripts. Progress and notes go to stderr, and never in JSON mode.
 */
import { jsonText } from "../lib/json-text";

/** The printer of one command run. */
export interface Output {
  /** Prints the command's result: `lines` for people, `data` for `--json`. */
  result(data: Record<string, unknown>, lines: string[]): void;
  /** A note on what is happening, on stderr; silent with `--json`. */
  note(line: string): void;
  readonly json: boolean;
}

/** The printer for a run with or without `--json`. */
export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, lines) {
      if (json) process.stdout.write(`${jsonText(data)}\n`);
      else for (const line of lines) process.stdout.write(`${line}\n`);
    },
    note(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

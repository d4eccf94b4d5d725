/** A progress bar on stderr when it is a terminal (cli-progress); nothing otherwise, or with `--json`. */
import { Presets, SingleBar } from "cli-progress";

/** A running progress display. */
export interface Progress {
  update(value: number): void;
  stop(): void;
}

/** A bar towards `total`; with `bytes`, `total` and the updates are byte counts, shown in MB. */
export function startProgress(label: string, total: number, options: { enabled: boolean; bytes?: boolean }): Progress {
  if (!options.enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const scale = options.bytes ? 1024 * 1024 : 1;
  const unit = options.bytes ? " MB" : "";
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {percentage}% {value}/{total}${unit} eta {eta}s`,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(1, Math.round(total / scale)), 0);
  return {
    update: (value) => bar.update(Math.round(value / scale)),
    stop: () => bar.stop(),
  };
}

import type { Progress } from '../probe/progress.js';

/** Redraws at most this often: a progress line must not cost more than the scan. */
const REDRAW_MS = 100;

export interface ProgressLine {
  /** Undefined when no line is shown (not a TTY, or --quiet): pass it straight to the engine. */
  readonly onProgress?: (progress: Progress) => void;
  /** Erases the line. */
  end(): void;
}

export function formatProgress(progress: Progress): string {
  const rate = progress.ratePerSecond >= 10 ? Math.round(progress.ratePerSecond) : progress.ratePerSecond.toFixed(1);
  return (
    `scanning ${progress.done}/${progress.total}  open ${progress.open}  closed ${progress.closed}  ` +
    `filtered ${progress.filtered}  other ${progress.other}  ${rate}/s`
  );
}

/** A single redrawn line on stderr, only on a TTY and without --quiet. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr, quiet = false, now: () => number = () => performance.now()): ProgressLine {
  if (quiet || !stream.isTTY) return { end: () => undefined };
  let last = -Infinity;
  let drawn = false;
  return {
    onProgress(progress) {
      const time = now();
      if (time - last < REDRAW_MS && progress.done < progress.total) return;
      last = time;
      drawn = true;
      const columns = stream.columns || 80;
      stream.write(`\r\x1b[2K${formatProgress(progress).slice(0, columns - 1)}`);
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

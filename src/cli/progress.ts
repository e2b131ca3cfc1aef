/** Where progress goes: process.stderr, or anything with `write` (tests). */
export interface ProgressOutput {
  write(text: string): unknown;
  /** A terminal gets a bar redrawn in place; anything else gets plain lines. */
  isTTY?: boolean;
}

/** One phase of work with a known total. */
export interface PhaseProgress {
  /** `done` so far (not an increment); values past the total count as the total. */
  update(done: number): void;
  /** Prints the final state once; later calls do nothing. */
  finish(): void;
}

export type Progress = (label: string, total: number) => PhaseProgress;

const BAR_WIDTH = 30;
/** Labels are padded to this on a terminal, so the bars of successive phases line up. */
const LABEL_WIDTH = 16;
/** Redraws of a terminal bar per second, at most: a replay can handle thousands of messages a second. */
const REDRAW_INTERVAL_MS = 100;
/** Plain output prints a line each time another tenth is done. */
const LINE_STEP = 0.1;

/**
 * Progress of phases on `out`: on a terminal a bar (`label [####------] done/total pct%`) redrawn
 * in place, elsewhere (logs, CI) a plain line every 10 % and at the end.
 */
export function createProgress(out: ProgressOutput, now: () => number = Date.now): Progress {
  return (label, total) => {
    let done = 0;
    let finished = false;
    let lastDraw = -Infinity;
    let linesPrinted = 0;
    const fraction = () => (total > 0 ? Math.min(done, total) / total : 1);
    const counts = () => `${Math.min(done, total)}/${total}`;
    const percent = () => `${Math.floor(fraction() * 100)}%`;
    const drawBar = () => {
      const filled = Math.round(fraction() * BAR_WIDTH);
      out.write(`\r${label.padEnd(LABEL_WIDTH)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${counts()} ${percent()}\x1b[K`);
      lastDraw = now();
    };
    const printLine = () => void out.write(`${label}: ${counts()} (${percent()})\n`);
    if (out.isTTY) drawBar();
    return {
      update(value) {
        if (finished) return;
        done = value;
        if (out.isTTY) {
          if (now() - lastDraw >= REDRAW_INTERVAL_MS) drawBar();
          return;
        }
        const steps = Math.floor(fraction() / LINE_STEP + 1e-9);
        if (steps > linesPrinted && fraction() < 1) {
          linesPrinted = steps;
          printLine();
        }
      },
      finish() {
        if (finished) return;
        finished = true;
        done = Math.max(done, total);
        if (out.isTTY) {
          drawBar();
          out.write('\n');
        } else {
          printLine();
        }
      },
    };
  };
}

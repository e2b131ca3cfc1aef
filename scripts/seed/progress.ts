/**
 * Progress on stderr: a redrawn bar on a terminal, plain lines (at most every two seconds, and at
 * the end of each phase) otherwise, so logs of CI runs stay readable.
 */
export interface Progress {
  /** Starts a phase of `total` units (rows, edges, entries…). */
  phase(name: string, total: number): void;
  advance(units: number): void;
  /** Ends the current phase (prints its final line). */
  done(): void;
}

export const silentProgress: Progress = { phase() {}, advance() {}, done() {} };

const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(Math.round(n)));

export function stderrProgress(options: { label: string; stream?: NodeJS.WriteStream } = { label: 'seed' }): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  let name = '';
  let total = 0;
  let done = 0;
  let started = 0;
  let lastDraw = 0;
  const line = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 1e-3);
    const share = total === 0 ? 1 : done / total;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const head = `${options.label}: ${name.padEnd(16)}`;
    const tail = `${(share * 100).toFixed(0).padStart(3)}% ${compact(done)}/${compact(total)} ${compact(rate)}/s ${seconds.toFixed(1)}s`;
    if (!tty) return `${head} ${tail}`;
    const width = 24;
    const filled = Math.round(share * width);
    return `${head} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}${done < total ? ` eta ${eta.toFixed(0)}s` : ''}`;
  };
  const draw = (final: boolean) => {
    const now = performance.now();
    if (!final && now - lastDraw < (tty ? 100 : 2_000)) return;
    lastDraw = now;
    if (tty) stream.write(`\r\x1b[2K${line()}${final ? '\n' : ''}`);
    else stream.write(`${line()}\n`);
  };
  return {
    phase(phaseName, phaseTotal) {
      name = phaseName;
      total = phaseTotal;
      done = 0;
      started = performance.now();
      lastDraw = tty ? 0 : started;
    },
    advance(units) {
      done += units;
      draw(false);
    },
    done() {
      draw(true);
    },
  };
}

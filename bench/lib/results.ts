import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import type { MachineInfo } from './machine.js';
import { updateReadme } from './tables.js';

/** One stated target and whether this run met it. */
export interface TargetCheck {
  description: string;
  /** e.g. "≥ 500×" */
  target: string;
  /** e.g. "37×" */
  measured: string;
  met: boolean | 'not measured';
  note?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  date: string;
  quick: boolean;
  machine: MachineInfo & { loadAverageAtEnd: number[] };
  parameters: Record<string, unknown>;
  /** Every number measured, as measured (times in ms unless a field says otherwise). */
  raw: Record<string, unknown>;
  /** Each ratio compares two things measured in this same run. */
  ratios: Record<string, number | null>;
  targets: TargetCheck[];
  /** How it was measured, and what to keep in mind reading it. */
  notes: string[];
}

/**
 * Writes `<resultsDir>/<file>.json` (and `.svg` when a chart is given); returns the JSON path.
 * Settings given with --set are recorded among the parameters. With `ctx.readmePath`, the
 * README's tables for this benchmark are rewritten from the result (see updateReadme).
 */
export async function writeResult(
  ctx: Pick<BenchContext, 'resultsDir' | 'serviceEnv' | 'readmePath'>,
  file: string,
  result: Omit<BenchResult, 'machine'> & { machine: MachineInfo },
  svg?: string,
): Promise<string> {
  const dir = ctx.resultsDir;
  await mkdir(dir, { recursive: true });
  const full: BenchResult = {
    ...result,
    parameters: { ...result.parameters, serviceOverrides: ctx.serviceEnv },
    machine: { ...result.machine, loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
  };
  const path = join(dir, `${file}.json`);
  await writeFile(path, `${JSON.stringify(full, null, 2)}\n`);
  if (svg) await writeFile(join(dir, `${file}.svg`), svg);
  if (ctx.readmePath) await updateReadme(ctx.readmePath, full);
  return path;
}

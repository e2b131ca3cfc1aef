import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import type { MachineInfo } from './machine.js';
import type { BenchResult } from './result-types.js';
import { updateReadme } from './tables.js';

export type { BenchResult, TargetCheck } from './result-types.js';

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

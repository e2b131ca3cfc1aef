import type { MachineInfo } from './machine.js';

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

/** What a benchmark writes to `bench/results/<name>.json`; the README's tables are made from it. */
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

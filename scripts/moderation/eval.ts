/** The moderation eval's fixture reader and table, shared by `npm run eval:moderation` and the unit tests. */
import { readFileSync } from 'node:fs';
import { isModerationCategory, type ModerationCategory } from '../../src/domain/moderation/categories.js';
import type { LabelledText } from './corpora.js';
import type { ModerationFigures } from './measure.js';

/** A hand-written row: what a human says the text is (`[]` for an ordinary text). */
export interface FixtureRow {
  text: string;
  categories: ModerationCategory[];
}

export function readModerationFixture(path: string): FixtureRow[] {
  const rows = JSON.parse(readFileSync(path, 'utf8')) as { text: unknown; categories: unknown }[];
  return rows.map((r, i) => {
    if (typeof r.text !== 'string' || !Array.isArray(r.categories) || !r.categories.every((c) => typeof c === 'string' && isModerationCategory(c))) {
      throw new Error(`${path} row ${i}: needs text and categories from the moderation categories`);
    }
    return { text: r.text, categories: r.categories as ModerationCategory[] };
  });
}

const OFFENSIVE: ReadonlySet<ModerationCategory> = new Set(['profanity', 'insult', 'sexual', 'hate', 'threat']);

/** The fixture as the four sets measureModeration scores. */
export function fixtureSets(rows: readonly FixtureRow[]): { offensive: LabelledText[]; hate: LabelledText[]; spam: LabelledText[]; ordinary: string[] } {
  const label = (hit: boolean): 0 | 1 => (hit ? 1 : 0);
  return {
    offensive: rows.filter((r) => !r.categories.includes('spam')).map((r) => ({ text: r.text, label: label(r.categories.some((c) => OFFENSIVE.has(c))) })),
    hate: rows.filter((r) => !r.categories.includes('spam')).map((r) => ({ text: r.text, label: label(r.categories.includes('hate')) })),
    spam: rows.map((r) => ({ text: r.text, label: label(r.categories.includes('spam')) })),
    ordinary: rows.filter((r) => r.categories.length === 0).map((r) => r.text),
  };
}

export function formatFigures(f: ModerationFigures): string {
  const p = (x: number) => x.toFixed(3);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const ok = (yes: boolean) => (yes ? 'met' : '**missed**');
  return [
    '| figure | target | measured | texts |  |',
    '| --- | --- | --- | --- | --- |',
    `| offensive detected (any of profanity, insult, sexual, hate, threat) | recall ≥ 0.6 at precision ≥ 0.8 | recall ${p(f.offensive.recall)}, precision ${p(f.offensive.precision)} | ${f.offensive.n} (${f.offensive.positives} offensive) | ${ok(f.offensive.recall >= 0.6 && f.offensive.precision >= 0.8)} |`,
    `| hateful detected (a hate label) | recall ≥ 0.5 | recall ${p(f.hate.recall)}, precision ${p(f.hate.precision)}; flagged ${p(f.hate.flaggedRecall)} | ${f.hate.n} (${f.hate.positives} hateful) | ${ok(f.hate.recall >= 0.5)} |`,
    `| spam detected (flagged as spam) | recall ≥ 0.6 | recall ${p(f.spam.recall)}, precision ${p(f.spam.precision)} | ${f.spam.n} (${f.spam.positives} spam) | ${ok(f.spam.recall >= 0.6)} |`,
    `| ordinary texts hidden (flagged) | ≤ 2% | ${pct(f.ordinaryHidden.rate)} | ${f.ordinaryHidden.n} | ${ok(f.ordinaryHidden.rate <= 0.02)} |`,
    ...(f.ordinaryTweetsHidden
      ? [`| everyday tweets hidden (flagged) | ≤ 2% | ${pct(f.ordinaryTweetsHidden.rate)} | ${f.ordinaryTweetsHidden.n} | ${ok(f.ordinaryTweetsHidden.rate <= 0.02)} |`]
      : []),
  ].join('\n');
}

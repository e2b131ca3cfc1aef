import { listSettings } from './index.js';

/** Where the README's configuration table sits; `npm run docs:config` rewrites what is between. */
export const TABLE_START = '<!-- config:table (generated from src/config/settings.ts by `npm run docs:config`) -->';
export const TABLE_END = '<!-- /config:table -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The configuration table, one row per declared setting, in declaration order. */
export function renderSettingsTable(): string {
  const rows = listSettings().map((s) => {
    const fallback = s.unit && s.defaultDoc.startsWith('`') ? `${s.defaultDoc} ${s.unit}` : s.defaultDoc;
    return `| \`${s.env}\` | ${cell(fallback)} | ${cell(s.doc)} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `readme` with the table between the markers replaced; throws when the markers are missing. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README has no configuration table markers (${TABLE_START} … ${TABLE_END})`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderSettingsTable()}\n${readme.slice(end)}`;
}

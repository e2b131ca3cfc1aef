import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSettings } from './index.js';
import { renderSettingsTable, withSettingsTable } from './table.js';

describe('the README configuration table', () => {
  it('is the one rendered from the settings declaration (run `npm run docs:config` when this fails)', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(withSettingsTable(readme) === readme, 'README configuration table is stale: run `npm run docs:config`').toBe(true);
  });

  it('has a row for every setting, and every variable is declared once', () => {
    const names = listSettings().map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    const table = renderSettingsTable();
    for (const name of names) expect(table).toContain(`| \`${name}\` |`);
  });

  it('refuses a README without the markers', () => {
    expect(() => withSettingsTable('# no table here')).toThrow(/markers/);
  });
});

/**
 * Rewrites the README's configuration table from the settings' one declaration
 * (src/config/settings.ts). `npm test` fails while the README is stale.
 *
 *   npm run docs:config
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withSettingsTable } from '../src/config/table.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const before = readFileSync(readmePath, 'utf8');
const after = withSettingsTable(before);
if (after === before) console.log('README configuration table is up to date');
else {
  writeFileSync(readmePath, after);
  console.log('README configuration table rewritten');
}

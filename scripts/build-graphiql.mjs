// Builds the offline GraphiQL page's assets into dist/graphiql/ (served by src/graphql/graphiql.ts):
// GraphiQL, React, graphql-ws and Monaco's workers bundled from node_modules, so the page loads
// nothing from a CDN and the build needs no network. Run by `npm run build`.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'dist', 'graphiql');

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  target: 'es2022',
  // React and friends pick their production code from this.
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'linked',
  logLevel: 'warning',
};

await rm(outdir, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { graphiql: 'scripts/graphiql/entry.js' },
    outdir,
    // ESM so monaco-workers.js can locate the workers with import.meta.url.
    format: 'esm',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  }),
  build({
    ...common,
    entryPoints: {
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    outdir: path.join(outdir, 'workers'),
    // Classic workers: `new Worker(url)` without `type: 'module'` works in every browser.
    format: 'iife',
  }),
]);
console.log(`GraphiQL assets built into ${path.relative(root, outdir)}/`);

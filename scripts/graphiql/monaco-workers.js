// Browser code, bundled by scripts/build-graphiql.mjs (plain JS: the repo's tsconfig has no DOM lib).
// Monaco starts its language workers from URLs this returns; they are our own bundles next to this
// script, so the editor needs nothing from a CDN. Imported before GraphiQL so it is set in time.
const base = new URL('./workers/', import.meta.url);
const files = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(new URL(files[label] ?? 'editor.worker.js', base));
  },
};

import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

/** Where `npm run build` (scripts/build-graphiql.mjs) puts the page's assets; the same path from src/ and dist/. */
const ASSETS_DIR = path.resolve(import.meta.dirname, '../../dist/graphiql');
const ASSETS_PATH = '/graphiql/assets';

/**
 * Everything the page may load comes from this server. It is the guarantee that GraphiQL stays
 * offline, not just a hardening: a dependency that starts fetching from a CDN fails visibly instead
 * of leaking requests. Monaco sets inline styles, hence 'unsafe-inline' for styles only; 'self'
 * covers the same-origin websocket in connect-src.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function page(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · timeline-service</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS_PATH}/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" data-endpoint="${escapeAttribute(endpoint)}"></div>
<script type="module" src="${ASSETS_PATH}/graphiql.js"></script>
</body>
</html>
`;
}

/**
 * A GET for the endpoint is a GraphQL request when it carries an operation (`query`, or only
 * `extensions` for persisted queries); otherwise it is a page view if the client prefers HTML over
 * JSON, which browsers do and GraphQL clients (accepting JSON, or anything) do not.
 */
function wantsPage(req: express.Request): boolean {
  const params = new URL(req.originalUrl, 'http://localhost').searchParams;
  if (params.has('query') || params.has('extensions')) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * Serves GraphiQL, fully offline, at `/graphiql` and to browsers GETting `endpoint` (HTML accepted,
 * no operation in the query string); every other request falls through to the next handler
 * (Apollo). Assets are the bundle `npm run build` writes to dist/graphiql/. Mount it before the
 * GraphQL middleware, at the app root.
 */
export function graphiqlHandler(options: { endpoint: string }): express.Router {
  const router = express.Router();
  const sendPage: express.RequestHandler = (_req, res) => {
    if (!existsSync(path.join(ASSETS_DIR, 'graphiql.js'))) {
      res.status(503).type('text/plain').send('GraphiQL assets are not built: run `npm run build`.\n');
      return;
    }
    res.set('Content-Security-Policy', CONTENT_SECURITY_POLICY).type('html').send(page(options.endpoint));
  };

  router.use(ASSETS_PATH, express.static(ASSETS_DIR, { index: false }));
  router.get('/graphiql', sendPage);
  router.get(options.endpoint, (req, res, next) => {
    // The same URL answers HTML or JSON by Accept; caches must keep them apart.
    res.vary('Accept');
    if (wantsPage(req)) sendPage(req, res, next);
    else next();
  });
  return router;
}

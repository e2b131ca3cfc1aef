// Browser entry of the offline GraphiQL page served by src/graphql/graphiql.ts; bundled by
// scripts/build-graphiql.mjs. Plain JS because the repo's tsconfig has no DOM lib; the logic worth
// typing lives in fetcher.ts.
import './monaco-workers.js';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createServiceFetcher, createSessionAuthorization } from './fetcher.ts';
import { FIRST_SESSION_TABS } from './first-session.ts';

const container = document.getElementById('graphiql');
if (!container) throw new Error('GraphiQL page has no #graphiql element');

// The server names its endpoint in the page, so the bundle is the same for any mount path.
const url = new URL(container.dataset.endpoint ?? '/graphql', location.href);
const wsUrl = new URL(url);
wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

const session = createSessionAuthorization();
const fetcher = createServiceFetcher({ url: url.href, wsUrl: wsUrl.href }, session);
// The first session's tabs, used only while the browser has no tabs of its own stored; the
// Headers editor starts open because that is where the token goes.
const defaultTabs = FIRST_SESSION_TABS.map(({ query }) => ({ query }));
createRoot(container).render(
  createElement(GraphiQL, {
    fetcher,
    isHeadersEditorEnabled: true,
    defaultTabs,
    defaultEditorToolsVisibility: 'headers',
    // A token typed into any tab's headers serves every tab that names none (see fetcher.ts).
    onEditHeaders: (text) => session.noteEdited(text),
  }),
);

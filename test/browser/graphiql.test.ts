import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_SESSION_TABS } from '../../scripts/graphiql/first-session.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { CHROMIUM_ARGS, packagedChromium } from '../harness/chromium.js';
import { startTestApp, type TestApp } from '../harness/test-app.js';
import { postTweet, signUp, type SignedIn } from '../harness/users.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');
const SCREENSHOT = path.join(ROOT_DIR, 'test-artifacts', 'graphiql.png');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Long enough for the first Monaco load and the Kafka fan-out to a subscriber; a deadline, not a sleep. */
const UI_TIMEOUT_MS = 30_000;

/**
 * Replaces an editor's whole content by typing it, as a user would. Monaco auto-closes brackets and
 * quotes as they are typed and types over its own closers, so the text ends up exactly as given
 * (pasting and insertText do not survive Monaco's input handling in headless Chromium).
 */
/** An editor's text as a person reads it: Monaco renders spaces as no-break spaces. */
async function editorText(editor: Locator): Promise<string> {
  return ((await editor.locator('.view-lines').textContent()) ?? '').replace(/\s+/g, ' ');
}

async function fillEditor(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

it("has first-session tabs the schema accepts, each titled by its operation's name", () => {
  const schema = buildSchema();
  for (const tab of FIRST_SESSION_TABS) {
    const document = parse(tab.query);
    expect(validate(schema, document).map((e) => e.message), tab.title).toEqual([]);
    expect(document.definitions.map((d) => ('name' in d ? d.name?.value : undefined))).toEqual([tab.title]);
  }
});

describe('GraphiQL in a browser, offline', () => {
  let t: TestApp;
  let executablePath: string;
  let browser: Browser;
  let page: Page;
  let user: SignedIn;
  /** Every URL the page tried, HTTP and websocket, to prove nothing left the machine. */
  const requested: string[] = [];
  const consoleErrors: string[] = [];
  /** graphql-ws messages the page sent, recorded from the socket's first frame on. */
  const sentOverWebSocket: { url: string; message: { type?: unknown; payload?: unknown } }[] = [];

  beforeAll(async () => {
    // The browser comes with `npm install` (see chromium.ts): never a system one, never a download.
    executablePath = await packagedChromium();
    // Bundle the page from the current sources, as `npm run build` does, so this file runs on its own.
    execFileSync(process.execPath, ['scripts/build-graphiql.mjs'], { cwd: ROOT_DIR, stdio: 'pipe' });
    t = await startTestApp();
    user = await signUp(t, 'gq');
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
    // Recorded above, then refused: a regression must fail the assertion, not reach the internet.
    await context.route(
      (url) => !LOCAL_HOSTS.has(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    page = await context.newPage();
    page.on('websocket', (ws) => {
      requested.push(ws.url());
      ws.on('framesent', (frame) => {
        sentOverWebSocket.push({ url: ws.url(), message: JSON.parse(String(frame.payload)) as object });
      });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT }).catch(() => undefined);
    }
    await browser?.close();
    await t?.stop();
  });

  function expectOffline(): void {
    const remote = requested.filter((url) => {
      const { protocol, hostname } = new URL(url);
      return /^(https?|wss?):$/.test(protocol) && !LOCAL_HOSTS.has(hostname);
    });
    expect(remote, 'requests that left the machine').toEqual([]);
    // The page's CSP turns an off-machine load into a console error before any request is made.
    expect(consoleErrors, 'console errors, CSP violations among them').toEqual([]);
  }

  it('leaves GraphQL GETs and POSTs to Apollo and serves the page only to HTML GETs', async () => {
    const html = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await html.text()).toContain('/graphiql/assets/graphiql.js');

    const alias = await fetch(new URL('/graphiql', t.url), { headers: { accept: 'text/html' } });
    expect(alias.status).toBe(200);

    // A client accepting anything is not a browser asking for a page.
    const anything = await fetch(t.url, { headers: { accept: '*/*' } });
    expect(anything.headers.get('content-type')).not.toMatch(/^text\/html/);

    const get = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html,application/json;q=0.9', 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });

    const post = await t.gql('{ __typename }');
    expect(post.data).toEqual({ __typename: 'Query' });
  });

  it("drives the headless Chromium of the project's own npm install", () => {
    expect(executablePath).toContain(path.join(ROOT_DIR, 'node_modules', '.cache', 'chromium'));
    expect(browser.version()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("opens on the README's first session, one tab a step, and runs its sign-up as it stands", async () => {
    await page.goto(t.url);
    const queryEditor = page.locator('.graphiql-query-editor');
    await queryEditor.locator('.monaco-editor').waitFor({ timeout: UI_TIMEOUT_MS });

    const titles = page.locator('.graphiql-tab-button');
    await expect.poll(() => titles.allTextContents(), { timeout: UI_TIMEOUT_MS }).toEqual([
      'SignUp',
      'PostTweet',
      'Follow',
      'HomeTimeline',
      'LiveHomeTimeline',
      'ForYou',
    ]);
    expect(FIRST_SESSION_TABS.map((tab) => tab.title)).toEqual(await titles.allTextContents());
    // Not GraphiQL's stock welcome text: the first tab says where the token goes.
    await expect.poll(() => editorText(queryEditor)).toContain('signUp(handle: "alice"');
    expect(await page.textContent('body')).not.toContain('Welcome to GraphiQL');
    expect(await editorText(queryEditor)).toContain('{"Authorization": "Bearer <token>"}');
    // The header editor, where the token goes, is open from the start.
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)').waitFor({ timeout: UI_TIMEOUT_MS });

    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window').getByText('"token"').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.locator('.result-window').getByText('"alice"').waitFor({ timeout: UI_TIMEOUT_MS });
    expectOffline();
  });

  it('loads from this server alone and runs a query with a token typed once into another tab', async () => {
    const queryEditor = page.locator('.graphiql-query-editor');
    await page.locator('button[data-name="headers"]').click();
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
    // Typed into the first tab's headers and never sent from there: GraphiQL keeps headers per tab,
    // and the page must remember the token for the tabs that name none.
    await fillEditor(page, headersEditor, JSON.stringify({ Authorization: `Bearer ${user.token}` }));
    await page.locator('.graphiql-tab-button', { hasText: /^HomeTimeline$/ }).click();
    await expect.poll(() => editorText(queryEditor)).toContain('query HomeTimeline');
    await fillEditor(page, queryEditor, '{ me { handle } }');
    // At once, as a person pressing Ctrl-Enter would: GraphiQL still names the tab's previous
    // operation (HomeTimeline) for a moment, and the fetcher must not send that name with this query.
    await page.locator('.graphiql-execute-button').click();

    await page.locator('.result-window').getByText(`"${user.handle}"`).waitFor({ timeout: UI_TIMEOUT_MS });
    expectOffline();
  });

  it("runs the LiveHomeTimeline tab over graphql-ws with the token in connectionParams and shows a new tweet", async () => {
    await page.locator('.graphiql-tab-button', { hasText: /^LiveHomeTimeline$/ }).click();
    await expect.poll(() => editorText(page.locator('.graphiql-query-editor'))).toContain('subscription LiveHomeTimeline');

    await page.locator('.graphiql-execute-button').click();

    // graphql-ws sends `subscribe` only after the server accepted `connection_init`. The protocol does
    // not acknowledge `subscribe`; the tweet's trip through Kafka to the subscriber takes far longer
    // than the server takes to start the subscription it has just received.
    const sentTypes = () => sentOverWebSocket.map(({ message }) => message.type);
    await expect.poll(sentTypes, { timeout: UI_TIMEOUT_MS }).toContain('subscribe');
    expect(sentOverWebSocket.map(({ url }) => new URL(url).pathname)).toContain('/graphql');
    expect(sentOverWebSocket.find(({ message }) => message.type === 'connection_init')?.message).toEqual({
      type: 'connection_init',
      payload: { authorization: `Bearer ${user.token}` },
    });

    const text = `live-from-graphiql-${Date.now()}`;
    await postTweet(t, user, text);
    await page.locator('.result-window').getByText(text).waitFor({ timeout: UI_TIMEOUT_MS });
    expectOffline();
  });
});

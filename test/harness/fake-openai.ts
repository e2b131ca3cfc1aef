import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible HTTP server for tests: the real `openai` SDK talks to it by base URL.
 * Its behaviour is chosen by markers in the text it is asked about:
 *   [hang]       never answers (the client's timeout fires)
 *   [malformed]  answers 200 with content that is not JSON
 *   [offvocab]   answers tags outside the vocabulary (plus one inside)
 *   [429]        answers 429 with Retry-After the first time for a text, then normally
 *   [500]        always answers 500
 *   [flag]       the moderation endpoint flags it as harassment and harassment/threatening
 *   [insult]     the moderation endpoint flags it as harassment only (score 0.6)
 *   [slow]       answers after 1.5 s
 *   [gate]       answers once `release()` is called (a verdict that arrives exactly when a test says)
 * Otherwise chat completions answer `defaultTags(text)`.
 */
export interface FakeOpenAI {
  baseURL: string;
  /** Every request received, in order. */
  requests: { path: string; text: string; body: Record<string, unknown> }[];
  count(path: string, marker?: string): number;
  /** Lets every `[gate]` request held so far, and every later one, be answered. */
  release(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(defaultTags: (text: string) => string[] = () => ['sports_fans', 'fitness_freaks']): Promise<FakeOpenAI> {
  const requests: FakeOpenAI['requests'] = [];
  const seen429 = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let released = false;
  const gated: (() => void)[] = [];

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const path = (req.url ?? '').replace(/^\/v1/, '');
    const messages = (body.messages as { role: string; content: string }[] | undefined) ?? [];
    const text = path === '/moderations' ? String(body.input) : (messages.find((m) => m.role === 'user')?.content ?? '');
    requests.push({ path, text, body });

    if (text.includes('[hang]')) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (text.includes('[slow]')) await new Promise((r) => setTimeout(r, 1500));
    if (text.includes('[gate]') && !released) await new Promise<void>((resolve) => gated.push(resolve));
    if (text.includes('[500]')) return json(res, 500, { error: { message: 'upstream exploded', type: 'server_error' } });
    if (text.includes('[429]') && !seen429.has(path + text)) {
      seen429.add(path + text);
      return json(res, 429, { error: { message: 'slow down', type: 'rate_limit' } }, { 'retry-after-ms': '20' });
    }
    if (path === '/moderations') {
      const flagged = text.includes('[flag]');
      const insult = text.includes('[insult]');
      return json(res, 200, {
        id: 'modr-1',
        model: body.model,
        results: [
          {
            flagged: flagged || insult,
            categories: { harassment: flagged || insult, 'harassment/threatening': flagged, violence: false, 'self-harm': false },
            category_scores: { harassment: flagged ? 0.9 : insult ? 0.6 : 0.01, 'harassment/threatening': flagged ? 0.85 : 0.01, violence: 0, 'self-harm': 0 },
          },
        ],
      });
    }
    if (path === '/chat/completions') {
      let content: string;
      if (text.includes('[malformed]')) content = 'Sure! Here are some tags: sports, fun';
      else if (text.includes('[offvocab]')) content = JSON.stringify({ tags: ['book_club', 'goodvib', 'bookworms', 'Bookworms', 'eco-friendly'] });
      else content = JSON.stringify({ tags: defaultTags(text) });
      return json(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      });
    }
    json(res, 404, { error: { message: `no route ${path}` } });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: { message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    count: (path, marker) => requests.filter((r) => r.path === path && (marker === undefined || r.text.includes(marker))).length,
    release() {
      released = true;
      for (const resolve of gated.splice(0)) resolve();
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

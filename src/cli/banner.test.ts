import { describe, expect, it } from 'vitest';
import { firstCommand, startBanner } from './banner.js';

describe('the start banner', () => {
  it('names GraphiQL, a first command and how to stop', () => {
    const banner = startBanner({ apiUrl: 'http://127.0.0.1:4000/graphql', consumerGroups: 7, startedLocalServices: true });
    expect(banner).toContain('GraphiQL    http://127.0.0.1:4000/graphql');
    expect(banner).toContain('the GraphQL API and 7 consumer groups');
    expect(banner).toContain(firstCommand('http://127.0.0.1:4000/graphql'));
    expect(banner).toMatch(/Ctrl-C \(it stops the local Kafka broker and Redis/);
    expect(startBanner({ apiUrl: 'http://h/graphql', consumerGroups: 0, startedLocalServices: false })).toMatch(/up: the GraphQL API\.\n[\s\S]*Stop {8}Ctrl-C\n/);
  });

  it('gives a shell command whose body is a JSON GraphQL request', () => {
    const command = firstCommand('http://127.0.0.1:4000/graphql');
    expect(command).toMatch(/^curl -s http:\/\/127\.0\.0\.1:4000\/graphql -H 'content-type: application\/json' -d '/);
    const body = /-d '(.*)'$/.exec(command)?.[1];
    expect(body).not.toContain("'");
    expect(JSON.parse(body!)).toEqual({ query: 'mutation { signUp(handle: "alice", password: "correct horse") { token } }' });
  });
});

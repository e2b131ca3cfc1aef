import type { TestApp } from './test-app.js';

export interface SignedIn {
  id: string;
  handle: string;
  token: string;
}

let counter = 0;

/** Signs up a fresh user with a unique handle; throws if the API refuses. */
export async function signUp(t: TestApp, prefix = 'user'): Promise<SignedIn> {
  const handle = `${prefix}${process.pid % 1000}_${++counter}`.slice(0, 15);
  const res = await t.gql<{ signUp: { token: string; user: { id: string; handle: string } } }>(
    'mutation($h: String!, $p: String!) { signUp(handle: $h, password: $p) { token user { id handle } } }',
    { h: handle, p: 'correct horse battery' },
  );
  if (!res.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(res.errors)}`);
  return { ...res.data.signUp.user, token: res.data.signUp.token };
}

export async function postTweet(t: TestApp, user: SignedIn, text: string): Promise<string> {
  const res = await t.gql<{ postTweet: { id: string } }>('mutation($t: String!) { postTweet(text: $t) { id } }', { t: text }, user.token);
  if (!res.data?.postTweet) throw new Error(`postTweet failed: ${JSON.stringify(res.errors)}`);
  return res.data.postTweet.id;
}

export async function follow(t: TestApp, user: SignedIn, handle: string): Promise<void> {
  const res = await t.gql('mutation($h: String!) { follow(handle: $h) { id } }', { h: handle }, user.token);
  if (res.errors) throw new Error(`follow failed: ${JSON.stringify(res.errors)}`);
}

export interface TimelinePage {
  edges: { cursor: string; node: { id: string; text: string; author: { handle: string } } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null; partial: boolean };
}

export async function homeTimeline(t: TestApp, user: SignedIn, first = 20, after?: string): Promise<TimelinePage> {
  const res = await t.gql<{ homeTimeline: TimelinePage }>(
    `query($first: Int, $after: String) { homeTimeline(first: $first, after: $after) {
       edges { cursor node { id text author { handle } } } pageInfo { hasNextPage endCursor partial } } }`,
    { first, after },
    user.token,
  );
  if (!res.data?.homeTimeline) throw new Error(`homeTimeline failed: ${JSON.stringify(res.errors)}`);
  return res.data.homeTimeline;
}

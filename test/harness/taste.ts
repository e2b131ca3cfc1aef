import type { GraphQLResponse, TestApp } from './test-app.js';
import type { SignedIn } from './users.js';

export interface RankedPage {
  edges: { cursor: string; score: number; reasons: string[]; node: { id: string; text: string; tags: string[]; author: { handle: string } } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface TagWeight {
  tag: string;
  weight: number;
}

/** The raw response, for tests that look at errors. */
export function recordClickRaw(t: TestApp, user: SignedIn, tweetId: string): Promise<GraphQLResponse<{ recordClick: boolean }>> {
  return t.gql<{ recordClick: boolean }>('mutation($id: ID!) { recordClick(tweetId: $id) }', { id: tweetId }, user.token);
}

export async function recordClick(t: TestApp, user: SignedIn, tweetId: string): Promise<void> {
  const res = await recordClickRaw(t, user, tweetId);
  if (res.data?.recordClick !== true) throw new Error(`recordClick failed: ${JSON.stringify(res.errors)}`);
}

export async function taste(t: TestApp, user: SignedIn, first = 10): Promise<TagWeight[]> {
  const res = await t.gql<{ me: { taste: TagWeight[] } }>('query($first: Int) { me { taste(first: $first) { tag weight } } }', { first }, user.token);
  if (!res.data?.me) throw new Error(`taste failed: ${JSON.stringify(res.errors)}`);
  return res.data.me.taste;
}

export const FOR_YOU = `query($first: Int, $after: String) { forYou(first: $first, after: $after) {
  edges { cursor score reasons node { id text tags author { handle } } } pageInfo { hasNextPage endCursor } } }`;

export async function forYou(t: TestApp, user: SignedIn, first = 20, after?: string): Promise<RankedPage> {
  const res = await t.gql<{ forYou: RankedPage }>(FOR_YOU, { first, after }, user.token);
  if (!res.data?.forYou) throw new Error(`forYou failed: ${JSON.stringify(res.errors)}`);
  return res.data.forYou;
}

/** Waits until the tweet has tags: the taste group retries clicks on untagged tweets, tests need not. */
export async function tagsOf(t: TestApp, tweetId: string): Promise<string[]> {
  const res = await t.gql<{ tweet: { tags: string[] } | null }>('query($id: ID!) { tweet(id: $id) { tags } }', { id: tweetId });
  return res.data?.tweet?.tags ?? [];
}

async function mutate<K extends string>(t: TestApp, user: SignedIn, query: string, variables: Record<string, unknown>, field: K): Promise<unknown> {
  const res = await t.gql<Record<K, unknown>>(query, variables, user.token);
  if (res.data?.[field] == null) throw new Error(`${field} failed: ${JSON.stringify(res.errors)}`);
  return res.data[field];
}

export interface LikedTweet {
  id: string;
  likeCount: number;
  viewerHasLiked: boolean;
}

export const likeTweet = (t: TestApp, user: SignedIn, id: string) =>
  mutate(t, user, 'mutation($id: ID!) { likeTweet(id: $id) { id likeCount viewerHasLiked } }', { id }, 'likeTweet') as Promise<LikedTweet>;
export const unlikeTweet = (t: TestApp, user: SignedIn, id: string) =>
  mutate(t, user, 'mutation($id: ID!) { unlikeTweet(id: $id) { id likeCount viewerHasLiked } }', { id }, 'unlikeTweet') as Promise<LikedTweet>;
export const notInterested = (t: TestApp, user: SignedIn, tweetId: string) =>
  mutate(t, user, 'mutation($id: ID!) { notInterested(tweetId: $id) }', { id: tweetId }, 'notInterested') as Promise<boolean>;
export const removeTasteTag = (t: TestApp, user: SignedIn, tag: string) =>
  mutate(t, user, 'mutation($tag: String!) { removeTasteTag(tag: $tag) { tag weight } }', { tag }, 'removeTasteTag') as Promise<TagWeight[]>;
export const setInterests = (t: TestApp, user: SignedIn, tags: readonly string[]) =>
  mutate(t, user, 'mutation($tags: [String!]!) { setInterests(tags: $tags) { tag weight } }', { tags }, 'setInterests') as Promise<TagWeight[]>;

import type { GraphQLResponse, TestApp } from './test-app.js';
import type { SignedIn } from './users.js';

export type RelationMutation = 'mute' | 'unmute' | 'block' | 'unblock' | 'follow' | 'unfollow';

/** mute / unmute / block / unblock / follow / unfollow by handle, raw (for tests that look at errors). */
export function relateRaw(t: TestApp, user: SignedIn, mutation: RelationMutation, handle: string): Promise<GraphQLResponse<Record<string, { handle: string }>>> {
  return t.gql<Record<string, { handle: string }>>(`mutation($h: String!) { ${mutation}(handle: $h) { handle } }`, { h: handle }, user.token);
}

/** The same, throwing unless it succeeded. */
export async function relate(t: TestApp, user: SignedIn, mutation: RelationMutation, handle: string): Promise<void> {
  const res = await relateRaw(t, user, mutation, handle);
  if (res.errors || res.data?.[mutation]?.handle !== handle) throw new Error(`${mutation} failed: ${JSON.stringify(res.errors)}`);
}

/** The ids on the first page of the user's home timeline, newest first. */
export async function homeIds(t: TestApp, user: SignedIn, first = 50): Promise<string[]> {
  const res = await t.gql<{ homeTimeline: { edges: { node: { id: string } }[] } }>(
    'query($first: Int) { homeTimeline(first: $first) { edges { node { id } } } }',
    { first },
    user.token,
  );
  if (!res.data?.homeTimeline) throw new Error(`homeTimeline failed: ${JSON.stringify(res.errors)}`);
  return res.data.homeTimeline.edges.map((e) => e.node.id);
}

export async function counts(t: TestApp, handle: string): Promise<{ followerCount: number; followingCount: number }> {
  const res = await t.gql<{ user: { followerCount: number; followingCount: number } }>(
    'query($h: String!) { user(handle: $h) { followerCount followingCount } }',
    { h: handle },
  );
  if (!res.data?.user) throw new Error(`user failed: ${JSON.stringify(res.errors)}`);
  return res.data.user;
}

/**
 * The service's public GraphQL API as scripts see it: a POST per operation, the token as a Bearer
 * header. Scripts that drive the service (the demo, evaluations) take a `Gql` so tests can hand
 * them the test app's own.
 */
export type Gql = <T>(
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<{ data?: T | null; errors?: readonly GqlError[] }>;

export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** A GraphQL error answer, with the first error's code; thrown by `must`. */
export class GqlRequestError extends Error {
  override name = 'GqlRequestError';
  constructor(
    readonly operation: string,
    readonly errors: readonly GqlError[],
  ) {
    super(`${operation} failed: ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ')}`);
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** A `Gql` over HTTP against `url` (the /graphql endpoint). Network failures reject. */
export function httpGql(url: string): Gql {
  return async (query, variables, token) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: never; errors?: GqlError[] };
  };
}

/** Runs an operation and returns its data; throws GqlRequestError when the answer has errors or no data. */
export async function must<T>(gql: Gql, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await gql<T>(query, variables, token);
  if (res.errors?.length || !res.data) {
    // The first field of the selection names the operation well enough for a message.
    const operation = /\{\s*(\w+)/.exec(query)?.[1] ?? 'operation';
    throw new GqlRequestError(operation, res.errors ?? [{ message: 'no data in the answer' }]);
  }
  return res.data;
}

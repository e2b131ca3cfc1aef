/** What the load-generator child process is asked to do (sent over IPC). */
export interface LoadSpec {
  /** GraphQL endpoint on this machine. */
  url: string;
  /** One token per simulated user; requests cycle through them. */
  tokensFile: string;
  query: string;
  /** Variables of every request; a string value containing `{n}` gets the request's sequence number. */
  variables?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Total requests per second across connections; unset = as fast as the server answers. */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Per response, measured from the client's send to the full response (ms, float). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number; count: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx responses whose body carried GraphQL errors. */
  graphqlErrors: number;
  firstGraphqlError?: string;
}

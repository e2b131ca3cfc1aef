/** What the banner says about the process that just started. */
export interface BannerFacts {
  /** The GraphQL endpoint (GraphiQL answers browsers there). */
  apiUrl: string;
  /** The ops routes (/healthz, /readyz, /metrics), on OPS_PORT. */
  opsUrl?: string;
  /** Consumer groups running in this process. */
  consumerGroups: number;
  /** True when this process started its own Kafka broker or Redis (Ctrl-C stops them too). */
  startedLocalServices: boolean;
}

/**
 * The first command worth trying: a sign-up over plain HTTP, copy-pasteable into a shell. Apollo's
 * CSRF prevention wants a JSON content type, which curl's -H gives.
 */
export function firstCommand(apiUrl: string): string {
  const body = JSON.stringify({ query: 'mutation { signUp(handle: "alice", password: "correct horse") { token } }' });
  return `curl -s ${apiUrl} -H 'content-type: application/json' -d '${body}'`;
}

/**
 * The lines printed once the service is up, for a person at a terminal: where GraphiQL is, the
 * first thing to try, how to stop. Pure.
 */
export function startBanner(facts: BannerFacts): string {
  const what = facts.consumerGroups > 0 ? `the GraphQL API and ${facts.consumerGroups} consumer groups, in this process` : 'the GraphQL API';
  const stop = facts.startedLocalServices ? 'Ctrl-C (it stops the local Kafka broker and Redis it started, too)' : 'Ctrl-C';
  return [
    '',
    `  timeline-service is up: ${what}.`,
    '',
    `    GraphiQL    ${facts.apiUrl}   open it in a browser: its tabs are a first session`,
    `    Try first   ${firstCommand(facts.apiUrl)}`,
    ...(facts.opsUrl ? [`    Metrics     ${facts.opsUrl}/metrics   (OPS_PORT; also /healthz, /readyz)`] : []),
    '    Demo        npm run demo   (this service plus a small synthetic population posting, following, clicking)',
    `    Stop        ${stop}`,
    '',
    '',
  ].join('\n');
}

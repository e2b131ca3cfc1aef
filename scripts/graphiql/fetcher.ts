import {
  createGraphiQLFetcher,
  type Fetcher,
  type FetcherOpts,
  type FetcherParams,
  type FetcherReturnType,
} from '@graphiql/toolkit';
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/** Where GraphiQL sends operations: HTTP for queries and mutations, graphql-ws for subscriptions. */
export interface ServiceFetcherOptions {
  /** Absolute http(s) URL of the GraphQL endpoint. */
  url: string;
  /** Absolute ws(s) URL of the graphql-ws endpoint. */
  wsUrl: string;
}

type ConnectionParams = Record<string, string>;

/**
 * The header editor's headers as graphql-ws `connectionParams`. Names are lower-cased because HTTP
 * header names are case-insensitive while connectionParams keys are not, and the server reads
 * `authorization`; a user typing `Authorization` must reach the websocket as well as HTTP.
 */
export function headersToConnectionParams(headers: FetcherOpts['headers']): ConnectionParams {
  const params: ConnectionParams = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') params[name.toLowerCase()] = value;
  }
  return params;
}

/**
 * The operation to run, decided from the query text actually sent: GraphiQL's `documentAST` and
 * operation name are updated after a debounce, so right after an edit (or a switch of tabs) they can
 * still name the previous operation, which the server would refuse as unknown. A name the text does
 * not define is dropped when the text has a single operation. Unparseable text is sent as it is,
 * over HTTP, for the server to report the syntax error.
 */
function resolveOperation(params: FetcherParams): { params: FetcherParams; subscription: boolean } {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(params.query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return { params, subscription: false };
  }
  const named = operations.find((op) => op.name?.value === params.operationName);
  const operation = named ?? (operations.length === 1 ? operations[0] : undefined);
  const operationName = named || operations.length !== 1 ? params.operationName : (operation?.name?.value ?? null);
  return { params: { ...params, operationName }, subscription: operation?.operation === OperationTypeNode.SUBSCRIPTION };
}

type Headers = NonNullable<FetcherOpts['headers']>;

/** The token every tab uses unless it names its own (see createSessionAuthorization). */
export interface SessionAuthorization {
  /** A request's headers: its tab's own, plus the remembered Authorization when the tab names none. */
  headersFor(headers: FetcherOpts['headers']): Headers;
  /** Remembers the Authorization of headers as they are typed into any tab (GraphiQL's onEditHeaders). */
  noteEdited(text: string): void;
}

function authorizationOf(headers: Record<string, unknown>): { name: string; value: unknown } | undefined {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'authorization');
  return name === undefined ? undefined : { name, value: headers[name] };
}

const isToken = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * GraphiQL keeps headers per tab, so a token pasted into the first tab would be missing from the
 * next one. This remembers the last non-empty Authorization typed into or sent from any tab and
 * adds it to requests from tabs that name none: paste the token once, every tab uses it. A tab
 * that names Authorization always sends exactly its own (an empty value sends none).
 */
export function createSessionAuthorization(): SessionAuthorization {
  let remembered: string | undefined;
  return {
    headersFor(headers) {
      const own = { ...(headers ?? {}) };
      const auth = authorizationOf(own);
      if (auth === undefined) return remembered === undefined ? own : { ...own, Authorization: remembered };
      if (isToken(auth.value)) remembered = auth.value;
      else delete own[auth.name];
      return own;
    },
    noteEdited(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return; // half-typed
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const auth = authorizationOf(parsed as Record<string, unknown>);
      if (auth && isToken(auth.value)) remembered = auth.value;
    },
  };
}

/**
 * The server closes an unauthenticated socket with 4403; graphql-ws would retry that for a while
 * (a spinner, then the error), though another attempt with the same token cannot succeed.
 */
function retriesMightHelp(errOrCloseEvent: unknown): boolean {
  return isCloseEvent(errOrCloseEvent) && errOrCloseEvent.code !== 4403;
}

function isCloseEvent(err: unknown): err is { code: number; reason: string } {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' && 'reason' in err;
}

/**
 * Keeps graphql-ws' own iterator (its `return()` unsubscribes at once, where an async generator
 * wrapper would wait for the next event before GraphiQL's Stop took effect) and only turns a
 * CloseEvent, which GraphiQL would print as `{}`, into a readable error.
 */
function withReadableCloseErrors<T>(inner: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: () =>
      inner.next().catch((err: unknown) => {
        if (!isCloseEvent(err)) throw err;
        // 4403: no valid token reached connection_init; say where it goes.
        const hint = err.code === 4403 ? ': put {"Authorization": "Bearer <token>"} in Headers (sign up or log in for one)' : '';
        throw new Error(`WebSocket closed: ${err.code}${err.reason ? ` ${err.reason}` : ''}${hint}`);
      }),
    return: (value?: T | PromiseLike<T>) =>
      inner.return ? inner.return(value) : Promise.resolve({ done: true as const, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * A GraphiQL fetcher for this service. Queries and mutations go over HTTP with the header editor's
 * headers (the toolkit fetcher; a tab without a token borrows the last one sent, see
 * createSessionAuthorization); subscriptions go over graphql-ws with those same headers as
 * `connectionParams`, since a browser cannot set headers on a websocket upgrade. The toolkit's own
 * websocket path copies header names verbatim and opens a new client per subscription; here one lazy
 * client is kept per set of connection params and replaced when the headers change, so a token change
 * never reuses a socket authenticated as someone else.
 */
export function createServiceFetcher(options: ServiceFetcherOptions, session: SessionAuthorization = createSessionAuthorization()): Fetcher {
  const http = createGraphiQLFetcher({ url: options.url });
  let ws: { key: string; client: Client } | null = null;

  function wsClientFor(params: ConnectionParams): Client {
    const key = JSON.stringify(params);
    if (ws?.key !== key) {
      void ws?.client.dispose();
      ws = { key, client: createClient({ url: options.wsUrl, lazy: true, connectionParams: params, shouldRetry: retriesMightHelp }) };
    }
    return ws.client;
  }

  return (requested, opts) => {
    const headers = session.headersFor(opts?.headers);
    const { params, subscription } = resolveOperation(requested);
    if (!subscription) return http(params, { ...opts, headers });
    const client = wsClientFor(headersToConnectionParams(headers));
    const variables: unknown = params.variables;
    const results = withReadableCloseErrors(
      client.iterate({
        query: params.query,
        operationName: params.operationName ?? null,
        variables: typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : null,
      }),
    );
    // The toolkit types results with GraphQLError instances, but every fetcher (its own HTTP one too)
    // yields JSON from the wire, i.e. formatted errors; GraphiQL only prints them.
    return results as unknown as FetcherReturnType;
  };
}

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

/**
 * GraphiQL keeps headers per tab, so a token pasted into the first tab would be missing from the
 * next one. Returns a function that gives each request its tab's headers and, when the tab names no
 * Authorization header, the last non-empty one any tab sent: paste the token once, every tab uses
 * it. A tab that names Authorization always sends exactly its own (an empty value sends none).
 */
export function createSessionAuthorization(): (headers: FetcherOpts['headers']) => Headers {
  let remembered: string | undefined;
  return (headers) => {
    const own = { ...(headers ?? {}) };
    const name = Object.keys(own).find((key) => key.toLowerCase() === 'authorization');
    if (name === undefined) return remembered === undefined ? own : { ...own, Authorization: remembered };
    const value: unknown = own[name];
    if (typeof value === 'string' && value.trim() !== '') {
      remembered = value;
      return own;
    }
    delete own[name];
    return own;
  };
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
        throw new Error(`WebSocket closed: ${err.code}${err.reason ? ` ${err.reason}` : ''}`);
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
export function createServiceFetcher(options: ServiceFetcherOptions): Fetcher {
  const http = createGraphiQLFetcher({ url: options.url });
  const withAuthorization = createSessionAuthorization();
  let ws: { key: string; client: Client } | null = null;

  function wsClientFor(params: ConnectionParams): Client {
    const key = JSON.stringify(params);
    if (ws?.key !== key) {
      void ws?.client.dispose();
      ws = { key, client: createClient({ url: options.wsUrl, lazy: true, connectionParams: params }) };
    }
    return ws.client;
  }

  return (requested, opts) => {
    const headers = withAuthorization(opts?.headers);
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

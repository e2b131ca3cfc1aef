import { GraphQLError, getOperationAST, type ExecutionArgs } from 'graphql';

/** Close code for a user over WS_MAX_SOCKETS_PER_USER (graphql-ws leaves 4400-4499 to applications; 429 as in HTTP). */
export const CLOSE_TOO_MANY_SOCKETS = 4429;

/** The error code of a subscription over WS_MAX_SUBSCRIPTIONS_PER_SOCKET (an `error` message; the socket stays open). */
export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';

/**
 * Open sockets per user on this instance. `open` counts one in, or says no when the user is at
 * the limit; the returned release is idempotent (call it on close, whichever way the socket ends).
 */
export class SocketsPerUser {
  private readonly open = new Map<string, number>();
  constructor(private readonly limit: number) {}

  take(userId: string): (() => void) | null {
    const n = this.open.get(userId) ?? 0;
    if (n >= this.limit) return null;
    this.open.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }

  count(userId: string): number {
    return this.open.get(userId) ?? 0;
  }
}

/**
 * The subscriptions one socket runs. graphql-ws keeps every running operation of a socket in
 * `ctx.subscriptions` (by id, until it ends, however it ends); this set remembers which of them
 * are subscriptions and forgets those graphql-ws no longer has, so no completion path can leak a slot.
 */
export class SubscriptionSlots {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}

  /**
   * Admits the operation `id` (always, unless it is a subscription and the socket already runs
   * `limit` of them), or returns the error to answer it with.
   */
  admit(id: string, args: ExecutionArgs, running: Readonly<Record<string, unknown>>): readonly GraphQLError[] | null {
    if (getOperationAST(args.document, args.operationName)?.operation !== 'subscription') return null;
    for (const known of this.ids) if (!(known in running)) this.ids.delete(known);
    if (this.ids.size >= this.limit) {
      return [
        new GraphQLError(`this connection already runs ${this.limit} subscriptions, the most one may (WS_MAX_SUBSCRIPTIONS_PER_SOCKET): complete one first`, {
          extensions: { code: TOO_MANY_SUBSCRIPTIONS, limit: this.limit },
        }),
      ];
    }
    this.ids.add(id);
    return null;
  }
}

/** Domain records as stored. Relations are foreign ids; field resolvers load them. */
export interface Tweet {
  id: string;
  authorId: string;
  text: string;
  /** ISO-8601, derived from the id's timestamp. */
  createdAt: string;
  /** Filled in by the tagger group; absent until it has run. Best first. */
  tags?: TweetTags | null;
  /** Filled in by the moderator group; absent until it has run. */
  moderation?: ModerationVerdict | null;
}

export type TaggerBackendName = 'openai' | 'lexicon';
export type ModeratorBackendName = 'openai' | 'rules';

export interface TweetTags {
  tags: string[];
  /** Which backend chose them: the LLM, or the lexicon (by configuration or as fallback). */
  backend: TaggerBackendName;
}

export interface ModerationVerdict {
  flagged: boolean;
  categories: string[];
  backend: ModeratorBackendName;
}

/** A flagged tweet is shown only to its author; everything else to everyone. */
export function isVisibleTo(tweet: Tweet, viewerId: string | null): boolean {
  return !tweet.moderation?.flagged || tweet.authorId === viewerId;
}

export interface User {
  id: string;
  handle: string;
  createdAt: string;
}

/** A page of ids from an ordered collection, newest first. */
export interface IdPage {
  ids: string[];
  /** Score of each id (milliseconds), parallel to `ids`; cursors are built from it. */
  scores: number[];
  hasNextPage: boolean;
}

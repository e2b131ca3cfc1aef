/** Domain records as stored. Relations are foreign ids; field resolvers load them. */
export interface Tweet {
  id: string;
  authorId: string;
  text: string;
  /** ISO-8601, derived from the id's timestamp. */
  createdAt: string;
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

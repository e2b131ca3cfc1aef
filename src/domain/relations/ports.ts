/** Mutes and blocks between users. Adapters implement these; only the composition root knows which. */

export type RelationKind = 'mute' | 'block';

/** Whether two users have blocked each other, seen from `userId`. */
export interface BlockState {
  /** `userId` blocked the other. */
  blocked: boolean;
  /** The other blocked `userId`. */
  blockedBy: boolean;
}

/**
 * Who muted and blocked whom, with when (unix ms). A muted user's content is hidden from the one
 * who muted them; a block hides each side's content from the other. Both directions of each
 * relation are kept (the user's own list, and the other's reverse one that fan-out reads), written
 * in that order so that repeating a write after a crash between the two completes it.
 */
export interface RelationStore {
  /** Records the relation from `at`; false (and nothing written) if it already existed. */
  add(kind: RelationKind, userId: string, otherId: string, at: number): Promise<boolean>;
  /** False if there was no such relation. */
  remove(kind: RelationKind, userId: string, otherId: string): Promise<boolean>;
  /**
   * Everyone whose content `viewerId` must not see: those they muted or blocked and those who
   * blocked them. One command, so a read issues it beside its page.
   */
  hiddenFrom(viewerId: string): Promise<Set<string>>;
  /** Blocks either way between `userId` and each of `otherIds`, in input order; one round trip. */
  blockStates(userId: string, otherIds: readonly string[]): Promise<BlockState[]>;
  /**
   * Which of `candidateIds` must not receive `authorId`'s content posted at `at`: they muted the
   * author, or a block stands between them, since before `at`. One round trip. Fan-out on a Redis
   * Cluster filters chunks with it (the single-server fan-out script checks the same inside Redis).
   */
  excludedAudience(authorId: string, candidateIds: readonly string[], at: number): Promise<boolean[]>;
}

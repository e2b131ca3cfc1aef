import type { NotificationKind } from './grouping.js';

/** Notifications of each user, grouped (grouping.ts). Adapters implement these; only the composition root knows which. */

/** One activity that notifies `recipientId`: `actorId` did `kind` (on `tweetId`) at `at` (unix ms). */
export interface NotificationActivity {
  recipientId: string;
  actorId: string;
  kind: NotificationKind;
  tweetId: string | null;
  at: number;
}

/** A group as a page shows it: what it is about, how many actors, and when it last changed. */
export interface NotificationGroup {
  recipientId: string;
  /** groupKey(kind, tweetId, at): unique among the recipient's groups. */
  key: string;
  kind: NotificationKind;
  tweetId: string | null;
  /** Actors counted in the group (all of them, not only those kept for the preview). */
  actorCount: number;
  /** Unix ms of the group's latest activity: its position. */
  latestAt: number;
  /** At or before the recipient's read marker. */
  read: boolean;
}

export interface NotificationPage {
  groups: NotificationGroup[];
  hasNextPage: boolean;
}

export interface NotificationStore {
  /**
   * Adds the actor to the activity's group, creating it, and moves the group to the activity's
   * time if that is newer. Idempotent: an actor already in the group (a redelivered event) changes
   * nothing. Keeps the newest actors per group and groups per user (the caps), and gives the
   * user's keys their TTL. Returns the group's key when something changed, else null.
   */
  record(activity: NotificationActivity): Promise<string | null>;
  /** Takes the actor out of the group (an unlike, an unfollow); the group goes when it has no actor left. Idempotent. */
  retract(activity: NotificationActivity): Promise<boolean>;
  /** Newest first, after the position (exclusive); one round trip, read flags and counts included. */
  page(recipientId: string, first: number, after?: { score: number; group: string }): Promise<NotificationPage>;
  /** One group, or null once it is gone (trimmed, expired, retracted). */
  group(recipientId: string, key: string): Promise<NotificationGroup | null>;
  /** The newest `first` actors of each group, newest first, in input order; one round trip for all. */
  actors(recipientId: string, keys: readonly string[], first: number): Promise<string[][]>;
  /** Groups newer than the read marker; one round trip. */
  unreadCount(recipientId: string): Promise<number>;
  /** Moves the read marker forward to `upTo` (never back); returns how many groups went from unread to read. */
  markReadUpTo(recipientId: string, upTo: number): Promise<number>;
}

/**
 * Whose activity a recipient does not want to hear about: the seam mutes and blocks plug into.
 * Asked by the notifications consumer before anything is recorded and by reads before actors
 * are shown, so a mute or block applies to new activity and to what is already stored.
 */
export interface ActorFilter {
  /** The ones of `actorIds` that `recipientId` hides (muted or blocked, either way for a block); one round trip. */
  hiddenActors(recipientId: string, actorIds: readonly string[]): Promise<Set<string>>;
  /**
   * Everyone `recipientId` hides, whoever the actors turn out to be: one command that a read issues
   * beside the one loading the actors, so the filter costs no round trip of its own.
   */
  hiddenFrom(recipientId: string): Promise<ReadonlySet<string>>;
}

/** Hides nobody: for tests and deployments without mutes and blocks (the app wires hiddenFromFilter). */
export const noActorFilter: ActorFilter = {
  hiddenActors: async () => new Set<string>(),
  hiddenFrom: async () => new Set<string>(),
};

/**
 * An ActorFilter from "everyone whose content this user must not see" — the shape of
 * `RelationStore.hiddenFrom` (those the user muted or blocked, and those who blocked them; one
 * command). The composition root wires mutes and blocks into notifications with
 * `actorFilter: hiddenFromFilter(relations)`.
 */
export function hiddenFromFilter(relations: { hiddenFrom(userId: string): Promise<Set<string>> }): ActorFilter {
  return {
    async hiddenActors(recipientId, actorIds) {
      if (actorIds.length === 0) return new Set();
      const hidden = await relations.hiddenFrom(recipientId);
      return new Set(actorIds.filter((id) => hidden.has(id)));
    },
    hiddenFrom: (recipientId) => relations.hiddenFrom(recipientId),
  };
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The versioned envelope every Kafka message carries, and the events of each topic.
 * Consumers validate with these schemas on decode; a message that fails is not processed.
 */
export const ENVELOPE_VERSION = 1;

const Id = z.string().regex(/^[1-9][0-9]{0,18}$/);

const TweetRecord = z.object({
  id: Id,
  authorId: Id,
  text: z.string().min(1).max(4 * 280),
  createdAt: z.iso.datetime(),
});

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    v: z.literal(ENVELOPE_VERSION),
    type: z.literal(type),
    /** Unique per event; consumers use it for logs and correlation. */
    id: z.string().min(1).max(64),
    /** Unix ms when the producer created the message; lag is measured from it. */
    producedAt: z.number().int().positive(),
    data,
  });

export const TweetEvent = z.discriminatedUnion('type', [
  envelope('tweet.created', z.object({ tweet: TweetRecord })),
  envelope('tweet.deleted', z.object({ id: Id, authorId: Id })),
]);
export type TweetEvent = z.infer<typeof TweetEvent>;

export const FollowEvent = z.discriminatedUnion('type', [
  envelope('follow.created', z.object({ followerId: Id, followeeId: Id })),
  envelope('follow.removed', z.object({ followerId: Id, followeeId: Id })),
]);
export type FollowEvent = z.infer<typeof FollowEvent>;

type AnyEvent = TweetEvent | FollowEvent;

/** Builds an envelope with a fresh id and the current time. */
export function makeEvent<E extends AnyEvent>(type: E['type'], data: E['data'], now = Date.now()): E {
  return { v: ENVELOPE_VERSION, type, id: randomUUID(), producedAt: now, data } as E;
}

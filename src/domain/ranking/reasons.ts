import type { Reason, TasteSource } from './types.js';

const tweets = (n: number) => (n === 1 ? '1 tweet' : `${n} tweets`);

/** The signal behind a liked tag, in words: "you chose foodies", "you liked 3 tweets about sports_fans". */
function describeTaste(tag: string, source: TasteSource | undefined): string {
  // Reasons stored before signals were named came from clicks, the only signal then.
  const s = source ?? { signal: 'click', count: 0 };
  if (s.signal === 'chosen') return `you chose ${tag}`;
  const verb = s.signal === 'like' ? 'liked' : 'clicked';
  return s.count > 0 ? `you ${verb} ${tweets(s.count)} about ${tag}` : `you ${verb} tweets about ${tag}`;
}

/**
 * The sentence a client shows for a reason; each names the signal behind it. `authorHandle` is
 * needed for the follow reason only; without it that reason reads generically.
 */
export function describeReason(reason: Reason, authorHandle: string | null): string {
  switch (reason.kind) {
    case 'taste':
      return describeTaste(reason.tag, reason.source);
    case 'follow':
      return authorHandle ? `from @${authorHandle}, whom you follow` : 'from someone you follow';
    case 'popular':
      return 'popular right now';
    case 'recent':
      return 'new on the timeline';
  }
}

/**
 * What the moderator can detect. Each label has a severity; the policy of which labels hide a
 * tweet (flag it) is configuration (`MODERATION_FLAG_CATEGORIES`), applied in `decideFlag`.
 */
export const MODERATION_CATEGORIES = ['profanity', 'insult', 'sexual', 'hate', 'threat', 'spam'] as const;
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One finding: what was detected, how sure or how grave, and which detector said so. */
export interface ModerationLabel {
  category: ModerationCategory;
  severity: Severity;
  /** `wordlist`, `classifier`, `pattern:<name>`, `blocklist` or `openai:<their category>`. */
  source: string;
}

/** Hate, threats and spam: the categories that hide a tweet from others unless configured otherwise. */
export const DEFAULT_FLAG_CATEGORIES: readonly ModerationCategory[] = ['hate', 'threat', 'spam'];

export function isModerationCategory(value: string): value is ModerationCategory {
  return (MODERATION_CATEGORIES as readonly string[]).includes(value);
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

/**
 * One label per category, at the highest severity any detector gave it (its source is that
 * detector's), in MODERATION_CATEGORIES order.
 */
export function mergeLabels(labels: readonly ModerationLabel[]): ModerationLabel[] {
  const best = new Map<ModerationCategory, ModerationLabel>();
  for (const l of labels) {
    const seen = best.get(l.category);
    if (!seen || RANK[l.severity] > RANK[seen.severity]) best.set(l.category, l);
  }
  return MODERATION_CATEGORIES.flatMap((c) => (best.has(c) ? [best.get(c)!] : []));
}

/** The policy: a tweet is flagged (hidden from everyone but its author) by a high-severity label in a flagging category. */
export function decideFlag(labels: readonly ModerationLabel[], flagCategories: readonly ModerationCategory[]): boolean {
  return labels.some((l) => l.severity === 'high' && flagCategories.includes(l.category));
}

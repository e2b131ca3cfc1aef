/** The offline moderator's rules; every threshold is configuration. */
export interface ModerationRules {
  /** Terms (lower-case words or phrases) that flag a tweet wherever they appear as whole words. */
  blocklist: readonly string[];
  /** More links than this is spam. */
  maxLinks: number;
  /** More @mentions than this is spam. */
  maxMentions: number;
  /** A single character repeated more than this many times in a row is spam. */
  maxRepeatedChars: number;
}

export const DEFAULT_BLOCKLIST = ['buy followers', 'free crypto', 'crypto giveaway', 'click here to win', 'hate you all'];

export interface RuleVerdict {
  flagged: boolean;
  /** Which rules fired, in a fixed order: blocklist, spam_links, spam_mentions, repeated_characters. */
  categories: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Deterministic, pure: the same text and rules always give the same verdict. */
export function moderateByRules(text: string, rules: ModerationRules): RuleVerdict {
  const lower = text.toLowerCase();
  const categories: string[] = [];
  if (rules.blocklist.some((term) => term && new RegExp(`(^|[^\\p{L}\\p{N}])${escape(term.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(lower))) {
    categories.push('blocklist');
  }
  if ((lower.match(/https?:\/\/\S+|www\.\S+/g) ?? []).length > rules.maxLinks) categories.push('spam_links');
  if ((text.match(/(^|\s)@\w+/g) ?? []).length > rules.maxMentions) categories.push('spam_mentions');
  if (new RegExp(`(.)\\1{${rules.maxRepeatedChars},}`, 'su').test(text)) categories.push('repeated_characters');
  return { flagged: categories.length > 0, categories };
}

import type { ModerationLabel } from './categories.js';
import { foldForMatching } from './normalize.js';

/** Thresholds of the rule-based spam signals; every one is configuration. */
export interface SpamRules {
  /** Extra phrases (any case, whole words, after normalisation) that mark a tweet as spam. */
  blocklist: readonly string[];
  /** More links than this is spam. */
  maxLinks: number;
  /** More @mentions than this in the body (after the leading ones a reply starts with) is spam. */
  maxMentions: number;
  /** A single character repeated more than this many times in a row is spam. */
  maxRepeatedChars: number;
}

export const DEFAULT_BLOCKLIST = ['buy followers', 'free followers', 'free crypto', 'crypto giveaway', 'click here to win'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A threat is a harm verb aimed at someone ("I will kill you", "hope you get shot", "kys"); a
 * verb with no person after it ("this exam is killing me", "I'd kill for a pizza") is not one.
 */
const THREATS: readonly RegExp[] = [
  /\b(?:i ?(?:will|'ll|ll|am going to|'m going to|m going to|am gonna|'m gonna|m gonna|gonna|wanna|want to|would|'d)|we(?: will|'ll| are going to| gonna)|someone (?:should|needs to|ought to)|somebody (?:should|needs to)|let's|lets)\s+(?:\w+\s+){0,4}?(?:kill|murder|shoot|stab|strangle|choke|hang|lynch|behead|rape|burn|bomb|slaughter|execute|beat the \w+ out of|break your)\s+(?:you|u|ya|him|her|them|ur|your|his|their|all of (?:you|them)|every (?:one|single)|these|those)\b/,
  /\b(?:hope|wish|pray) (?:you|u|he|she|they|ur \w+|your \w+) (?:die|dies|get raped|gets raped|get shot|gets shot|get killed|gets killed|burn|rot|choke)\b/,
  /\b(?:you|u|they|he|she) (?:should|deserve to|need to|ought to) (?:die|be (?:killed|shot|hanged|hung|raped|lynched|executed|burned))\b/,
  /\b(?:kill|hang) (?:yourself|urself|your self)\b|\bkys\b|\bdie in a (?:fire|hole)\b/,
  /\bi know where (?:you|u) live\b|\bwatch your back\b|\byou(?:'re| are) (?:dead|next)\b/,
];

/** Prize, money and urgency language of spam (SMS and social), matched on the folded text. */
const SPAM_PHRASES =
  /\b(?:you(?:'ve| have)? (?:won|been selected|been chosen)|(?:claim|collect) (?:your|ur|a|the)? ?(?:prize|reward|cash|gift|voucher|bonus)|(?:free|win|won) (?:an? )?(?:iphone|ipad|gift ?card|voucher|cash|prize|entry|ringtone|holiday|cruise)|(?:call|text|txt|reply|send) (?:now|today|free)|urgent[!:]|(?:guaranteed|guarantee) (?:cash|prize|income|returns?)|(?:double|triple) your (?:money|bitcoin|crypto|investment)|dm (?:me )?(?:for|to) (?:promo|promotion|collab|earn)|(?:earn|make) \$?\d+[k]? (?:a|per) (?:day|week|hour)|work from home and earn|100% free|risk[- ]free|limited (?:time )?offer|act now|click (?:here|the link|below)|unsubscribe|opt[- ]out|stop to end)\b/;

/**
 * Premium-rate SMS spam: a keyword to text to a short code ("txt MUSIC to 87066", "reply YES to
 * 85023") or a per-message price ("150p/msg", "£1.50/wk", "3GBP"). Video resolutions (720p,
 * 1080p) are not prices.
 */
const PREMIUM_RATE =
  /\b(?:txt|text|send|reply|rply|sms)\b[^.!?\n]{0,30}?\bto\s+(?:no:?\s*)?\d{4,6}\b|\b(?!(?:144|240|360|480|720|1080|1440|2160)p)\d{2,3}p\s?(?:\/|per|each|a)?\s?(?:msg|mtmsg|min|minute|wk|week|day|tone|sms|txt|text|rcvd|recd)|(?:£|gbp\s?)\d+(?:\.\d\d)?\s?(?:\/|per)\s?(?:msg|min|minute|wk|week|day|tone|sms|txt|text)\b|\b\d+(?:\.\d\d)?\s?gbp\b/;
/** The fine print of a subscription service: how to stop it, its terms, its age limit or its PO box. */
const SUBSCRIPTION_TERMS =
  /\b(?:txt|text|send|reply) stop\b|\bstop ?(?:2|to) ?(?:end|exit|cancel|unsub)|\bt ?& ?c'?s?\b|\bts ?(?:&|and) ?cs\b|\bpo ?box ?\d+|\b(?:free ?msg|ringtones?|polyphonic)\b/;
/** A cash prize named with its amount ("win £100", "£500 prize", "worth £5000"). */
const CASH_PRIZE = /\b(?:win|won|winner|worth)\b[^.!?\n]{0,25}?[£$€]\s?\d|[£$€]\s?\d[\d,]*\s?(?:cash|prize|award|voucher|gift)/;

/** 9+ digits, possibly grouped: a phone number, or a premium-rate short code of 5+ digits after call/text. */
const PHONE = /(?:\+?\d[\d\s().-]{7,}\d)|(?:\b(?:call|text|txt|ring|send \w+ to)\s+\d{5,}\b)/;
/** Link shorteners (t.co is every tweet's own and does not count). */
const SHORT_LINK = /\b(?:bit\.ly|tinyurl\.com|goo\.gl|ow\.ly|is\.gd|buff\.ly|cutt\.ly|rebrand\.ly|shorturl\.at|tiny\.cc|rb\.gy)\/\S+/i;
const LINK = /https?:\/\/\S+|www\.\S+/gi;
const MENTION = /(?:^|\s)@\w+/g;
/** The run of @handles a reply starts with: the conversation's participants, not a mass mention. */
const REPLY_PREFIX = /^(?:\s*@\w+)+/;

/**
 * Threat labels found in a (normalised) text: high severity, since a threat is grave whatever
 * words carry it.
 */
export function threatLabels(text: string): ModerationLabel[] {
  const folded = foldForMatching(text);
  const hit = THREATS.find((re) => re.test(folded));
  return hit ? [{ category: 'threat', severity: 'high', source: 'pattern:threat' }] : [];
}

// The blocklist's patterns are compiled once per list (a list is configuration, fixed at start),
// not once per tweet.
const compiledBlocklists = new WeakMap<readonly string[], RegExp[]>();
function blocklistMatchers(blocklist: readonly string[]): RegExp[] {
  let out = compiledBlocklists.get(blocklist);
  if (!out) {
    out = blocklist.filter((term) => term.trim()).map((term) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(foldForMatching(term))}($|[^\\p{L}\\p{N}])`, 'u'));
    compiledBlocklists.set(blocklist, out);
  }
  return out;
}

/** What the spam rules see in a text; `strong` signals alone are spam, `weak` ones need company. */
export interface SpamSignals {
  strong: string[];
  weak: string[];
}

/**
 * Each rule that fired, by name: strong `blocklist`, `links`, `mentions`, `repeated-characters`;
 * weak `phone-number`, `short-link`, `prize-language`, `premium-rate`, `subscription-terms`.
 */
export function spamSignals(text: string, rules: SpamRules): SpamSignals {
  const folded = foldForMatching(text);
  const strong: string[] = [];
  const weak: string[] = [];
  if (blocklistMatchers(rules.blocklist).some((re) => re.test(folded))) strong.push('blocklist');
  if ((text.match(LINK) ?? []).length > rules.maxLinks) strong.push('links');
  if ((text.replace(REPLY_PREFIX, '').match(MENTION) ?? []).length > rules.maxMentions) strong.push('mentions');
  if (new RegExp(`(.)\\1{${rules.maxRepeatedChars},}`, 'su').test(text)) strong.push('repeated-characters');
  if (PHONE.test(text)) weak.push('phone-number');
  if (SHORT_LINK.test(text)) weak.push('short-link');
  if (SPAM_PHRASES.test(folded) || CASH_PRIZE.test(text.toLowerCase())) weak.push('prize-language');
  if (PREMIUM_RATE.test(text.toLowerCase())) weak.push('premium-rate');
  if (SUBSCRIPTION_TERMS.test(text.toLowerCase())) weak.push('subscription-terms');
  return { strong, weak };
}

/**
 * The one text form every moderation rule reads, so that what a person sees and what the rules
 * see cannot drift apart: invisible characters, odd spaces, look-alike letters from other
 * scripts and leetspeak are how blocklist-style rules are evaded.
 */

/** Zero-width characters, soft hyphen, word joiner, BOM, Mongolian vowel separator, bidi controls. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
/** Control characters other than tab/newline, and every Unicode space that is not a plain one. */
const ODD_SPACE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/g;

/**
 * Cyrillic and Greek letters that render like Latin ones (Unicode's confusables, the common
 * subset). NFKC already folds full-width and mathematical letters (𝐟 → f).
 */
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's',
  і: 'i', ї: 'i', ј: 'j', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w', ү: 'y', ɡ: 'g', ı: 'i',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ѕ: 'S', І: 'I', Ј: 'J',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  Α: 'A', Β: 'B', Ε: 'E', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ζ: 'Z',
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'g');

/** Digits and symbols read as letters, applied only inside words that also have letters (h3ll0, $hit, @ss). */
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };
const LEET_WORD = /(?<![\p{L}\p{N}])(?=[\p{L}0-9@$!|]*\p{L})(?=[\p{L}0-9@$!|]*[0-9@$!|])[\p{L}0-9@$!|]{3,}/gu;

/** Single letters spelled apart, "f u c k", "f.u.c.k", "f-u-c-k", "f*u*c*k" (4+ letters, so "a b c" stays). */
const SPACED_OUT = /(?<![\p{L}\p{N}])\p{L}(?:[ .\-_*]\p{L}){3,}(?![\p{L}\p{N}])/gu;

/**
 * The display-faithful form: NFKC, invisible and control characters removed, every kind of space
 * a plain space, runs of spaces one, look-alike letters folded to Latin, trimmed. Case is kept
 * (spam rules look at shouting); URLs and @handles survive intact.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(ODD_SPACE, ' ')
    .replace(CONFUSABLE, (c) => CONFUSABLES[c]!)
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * The matching form, for word lists and patterns: `normalizeText`, lowercased, diacritics
 * dropped, leetspeak decoded inside words, spelled-apart letters joined, and any letter
 * repeated 3+ times cut to two (fuuuuck → fuuck; obscenity's matcher also collapses).
 */
export function foldForMatching(text: string): string {
  return normalizeText(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(SPACED_OUT, (run) => run.replace(/[ .\-_*]/g, ''))
    .replace(LEET_WORD, (word) => word.replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c))
    .replace(/(\p{L})\1{2,}/gu, '$1$1');
}

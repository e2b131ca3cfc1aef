import { badInput } from './errors.js';

/**
 * Free text as people will see it (tweets are the API's only free text that others read: handles
 * are [A-Za-z0-9_], passwords are never shown). Three rules, in this order:
 *
 * 1. Refused (BAD_USER_INPUT): text with a lone surrogate (not Unicode: no font, no JSON encoder
 *    elsewhere, can show or keep it), and text with nothing visible: only white space, zero-width
 *    and other invisible format characters, control characters, ANSI escape sequences or bidi
 *    controls, including blank-looking fillers (Hangul fillers, the Braille blank, variation
 *    selectors, tag characters).
 * 2. Removed from the rest: ANSI escape sequences (they recolour and move the cursor in terminals
 *    and log viewers), control characters other than tab and line breaks (line breaks become \n),
 *    and bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (they reorder the
 *    text around them: "Trojan Source"). Zero-width joiners and non-joiners stay (emoji sequences
 *    and Persian or Indic spelling need them), and so do the bidi marks LRM, RLM and ALM.
 * 3. Counted in grapheme clusters (Intl.Segmenter), what a reader sees as one character: 👨‍👩‍👧‍👦
 *    is one, not seven code points or eleven UTF-16 units. A text of more than 16 UTF-16 units per
 *    allowed character on average is refused too, so a few characters stacked with thousands of
 *    combining marks stay small.
 */

/** ANSI/ECMA-48 escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other ESC sequences, and 8-bit CSI. */
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[PX^_][^\u001B]*\u001B\\|\u001B[ -/]*[0-~]|\u009B[0-?]*[ -/]*[@-~]/g;
/** C0 and C1 controls and DEL, except tab and the line breaks, which are handled apart. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Bidi embeddings, overrides and isolates (not the marks LRM, RLM, ALM). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;
/** What renders as nothing: white space, format characters, controls, default-ignorables, blank-looking letters and symbols. */
const INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0\u115F\u1160]*$/u;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Characters as a reader counts them: grapheme clusters. */
export function displayLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/** The text with what no reader should get removed (rule 2 above); no refusal. */
export function stripUnsafe(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(BIDI_CONTROL, '');
}

/** Whether anything in `text` would show. */
export function hasVisibleContent(text: string): boolean {
  return !INVISIBLE.test(text);
}

/**
 * The free text to store, after the three rules; throws BAD_USER_INPUT naming `field` and `what`
 * ("tweet text") with what is allowed.
 */
export function cleanFreeText(text: string, options: { field: string; what: string; maxChars: number }): string {
  const { field, what, maxChars } = options;
  if (LONE_SURROGATE.test(text)) throw badInput(field, `${what} contains a lone surrogate (not valid Unicode): send well-formed UTF-8 or UTF-16`);
  const cleaned = stripUnsafe(text);
  if (!hasVisibleContent(cleaned)) {
    throw badInput(field, `${what} must not be blank: white space, invisible, control, escape and bidi characters alone show nothing`);
  }
  const length = displayLength(cleaned);
  if (length > maxChars) throw badInput(field, `${what} must be at most ${maxChars} characters as people see them (got ${length})`);
  if (cleaned.length > maxChars * 16) throw badInput(field, `${what} is too long in storage: at most ${maxChars * 16} UTF-16 units (heavy combining marks?)`);
  return cleaned;
}

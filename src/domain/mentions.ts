/**
 * `@handle` mentions in a tweet's text: an @ not preceded by a letter, digit, underscore or @ (so
 * `a@b.com` is no mention), followed by a whole handle (3-15 of [A-Za-z0-9_]). Handles are
 * case-insensitive: returns each once, lower-cased, in order of first appearance, at most `max`.
 * Which of them name existing users is for the caller to find out: the others are plain text.
 */
export function mentionedHandles(text: string, max = 50): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{3,15})(?![A-Za-z0-9_])/g)) {
    found.add(match[1]!.toLowerCase());
    if (found.size >= max) break;
  }
  return [...found];
}

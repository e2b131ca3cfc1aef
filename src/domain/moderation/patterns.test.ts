import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';
import { DEFAULT_BLOCKLIST, spamSignals, threatLabels } from './patterns.js';

const rules = { blocklist: DEFAULT_BLOCKLIST, maxLinks: 3, maxMentions: 5, maxRepeatedChars: 9 };
const signals = (text: string) => spamSignals(normalizeText(text), rules);

describe('spam signals', () => {
  it('finds nothing in ordinary tweets', () => {
    for (const text of ['Lovely hike this morning 🌲', 'New blog post: https://example.com/a', 'cc @a @b thoughts?', 'Sooooo good', 'See you at 10, room 404']) {
      expect(signals(text), text).toEqual({ strong: [], weak: [] });
    }
  });

  it('matches blocklisted phrases as whole words, ignoring case', () => {
    expect(signals('Want to BUY FOLLOWERS cheap?').strong).toEqual(['blocklist']);
    expect(signals('I can’t buy followership').strong).toEqual([]);
  });

  it('is not evaded by zero-width characters, odd or doubled spaces, look-alike letters or leetspeak', () => {
    for (const text of [
      'buy\u200B followers now',
      'buy fol\u200Clowers now',
      'buy\u00A0followers now',
      'buy   followers now',
      'buy\u2003\u2003followers',
      'bυy fоllоwers now', // Greek upsilon, Cyrillic o
      'ｂｕｙ ｆｏｌｌｏｗｅｒｓ',
      'fr33 crypt0 for everyone',
      'FREE\u00AD CRYPTO',
    ]) {
      expect(signals(text).strong, JSON.stringify(text)).toEqual(['blocklist']);
    }
  });

  it('counts links, body mentions and repeated characters over their limits', () => {
    expect(signals('deals http://a.co http://b.co http://c.co http://d.co').strong).toEqual(['links']);
    expect(signals('look @a @b @c @d @e @f').strong).toEqual(['mentions']);
    // The handles a reply starts with are the conversation, not a mass mention.
    expect(signals('@a @b @c @d @e @f @g I agree with you').strong).toEqual([]);
    expect(signals(`wow${'!'.repeat(10)}`).strong).toEqual(['repeated-characters']);
    expect(signals(`wow${'!'.repeat(9)}`).strong).toEqual([]);
  });

  it('sees phone numbers, link shorteners and prize language as weak signals', () => {
    expect(signals('WINNER!! You have won a £1000 prize. Call 09061701461 to claim your prize now').weak).toEqual(['phone-number', 'prize-language']);
    expect(signals('free iphone giveaway bit.ly/abc123').weak).toEqual(['short-link', 'prize-language']);
  });

  it('sees premium-rate codes and prices, subscription fine print and named cash prizes as weak signals', () => {
    expect(signals('Txt MUSIC to 80231 for your tones').weak).toEqual(['premium-rate']);
    expect(signals('only 150p/msg, enjoy').weak).toEqual(['premium-rate']);
    expect(signals('tones cost £1.50/wk').weak).toEqual(['premium-rate']);
    expect(signals('new tones each week, send STOP to quit').weak).toEqual(['subscription-terms']);
    expect(signals('T&Cs apply, PO Box 123').weak).toEqual(['subscription-terms']);
    expect(signals('you could win £250 this week').weak).toEqual(['prize-language']);
    // Numbers in ordinary tweets are none of these.
    for (const text of ['round 1 from followee 49', 'watching it in 1080p tonight', 'text me when you get to 5th street', 'I paid £12 for lunch', 'reply to this with your fav song']) {
      expect(signals(text).weak, text).toEqual([]);
    }
  });
});

describe('threat patterns', () => {
  it('finds harm aimed at someone', () => {
    for (const text of ['I will kill you', "i'm gonna find you and shoot you", 'hope you die', 'you should be shot', 'kys', 'I know where you live']) {
      expect(threatLabels(text), text).toEqual([{ category: 'threat', severity: 'high', source: 'pattern:threat' }]);
    }
  });

  it('leaves figures of speech alone', () => {
    for (const text of ['this exam is killing me', "I'd kill for a pizza right now", 'that set killed', 'we will shoot the video tomorrow']) {
      expect(threatLabels(text), text).toEqual([]);
    }
  });
});

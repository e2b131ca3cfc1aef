/**
 * Scores the offline moderator against the targets and prints a Markdown table.
 *
 *   npm run eval:moderation [-- --corpora DIR]
 *
 * With `--corpora` (or MODERATOR_CORPORA / TAGGER_CORPORA; models/moderator/PROVENANCE.md):
 * TweetEval's offensive (OLID) and hate (HatEval) validation splits and the validation part of
 * the SMS Spam Collection (never their held-out parts), and TweetEval's emotion, irony and emoji
 * validation tweets as everyday tweets that should not be hidden. Always: the hand-written fixture
 * fixtures/moderation/labelled.json. Exits 1 when a file is unreadable.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { moderatorModelFile } from '../src/adapters/offline/model-files.js';
import { DEFAULT_FLAG_CATEGORIES } from '../src/domain/moderation/categories.js';
import { createOfflineModerator } from '../src/domain/moderation/offline-moderator.js';
import { DEFAULT_BLOCKLIST } from '../src/domain/moderation/patterns.js';
import { readOrdinaryTweetsValidation, readSmsSpam, readTweetEvalTask } from './moderation/corpora.js';
import { fixtureSets, formatFigures, readModerationFixture } from './moderation/eval.js';
import { measureModeration } from './moderation/measure.js';

const { values: args } = parseArgs({ options: { corpora: { type: 'string' } } });
const root = args.corpora ?? process.env.MODERATOR_CORPORA ?? process.env.TAGGER_CORPORA;
try {
  const moderate = createOfflineModerator(moderatorModelFile(), {
    spam: { blocklist: DEFAULT_BLOCKLIST, maxLinks: 3, maxMentions: 5, maxRepeatedChars: 9 },
    flagCategories: DEFAULT_FLAG_CATEGORIES,
  });
  if (root) {
    const olid = readTweetEvalTask(root, 'offensive', 'val');
    const hate = readTweetEvalTask(root, 'hate', 'val');
    const sms = readSmsSpam(root, 'val');
    const ordinary = [...olid, ...hate, ...sms].filter((e) => e.label === 0).map((e) => e.text);
    const tweets = readOrdinaryTweetsValidation(root);
    console.log('Public validation data (OLID val, HatEval val, SMS Spam Collection validation part; everyday tweets: TweetEval emotion, irony and emoji val):\n');
    console.log(formatFigures(measureModeration(moderate, { offensive: olid, hate, spam: sms, ordinary, tweets })));
  } else {
    console.error('eval-moderation: no --corpora given, so only the hand-written fixture is scored');
  }
  const fixture = readModerationFixture(fileURLToPath(new URL('../fixtures/moderation/labelled.json', import.meta.url)));
  console.log('\nHand-written fixture (fixtures/moderation/labelled.json):\n');
  console.log(formatFigures(measureModeration(moderate, fixtureSets(fixture))));
} catch (err) {
  console.error(`eval-moderation: ${(err as Error).message}`);
  process.exit(1);
}

/**
 * Scores the offline taggers (the shipped model, and the lexicon it grew from) and prints a
 * Markdown table for the README.
 *
 *   npm run eval:tagger [-- --corpora DIR]
 *
 * Always: the hand-written fixture (fixtures/tagger/labeled-tweets.json), tag level, per split.
 * With `--corpora` (or TAGGER_CORPORA; see models/tagger/PROVENANCE.md): TweetTopicXL's public
 * English validation split, which the shipped model never saw, scored at the level of
 * TweetTopic's topics (scripts/tagger/metrics.ts). Exits 1 when a fixture or corpus is unreadable.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { taggerModelFile } from '../src/adapters/offline/model-files.js';
import { tagWithLexicon } from '../src/domain/tags/lexicon-tagger.js';
import { createModelTagger } from '../src/domain/tags/model-tagger.js';
import { readTweetTopic } from './tagger/corpora.js';
import { formatRows, handWrittenRows, readHandWritten, topicRow, topicScores, type Row } from './tagger/eval.js';

const { values: args } = parseArgs({ options: { corpora: { type: 'string' } } });
const root = args.corpora ?? process.env.TAGGER_CORPORA;
try {
  const model = createModelTagger(taggerModelFile());
  const taggers = [
    { name: 'offline model', tag: (t: string) => model.tag(t) },
    { name: 'lexicon', tag: (t: string) => tagWithLexicon(t) },
  ];
  const handWritten = readHandWritten(fileURLToPath(new URL('../fixtures/tagger/labeled-tweets.json', import.meta.url)));
  const rows: Row[] = [];
  if (root) {
    const validation = readTweetTopic(root, 'validation');
    for (const t of taggers) rows.push(topicRow('TweetTopicXL en validation (topics)', t.name, topicScores(t.tag, validation)));
  } else {
    console.error('eval-tagger: no --corpora given, so only the hand-written fixture is scored');
  }
  for (const t of taggers) rows.push(...handWrittenRows(t.name, t.tag, handWritten));
  console.log(formatRows(rows));
} catch (err) {
  console.error(`eval-tagger: ${(err as Error).message}`);
  process.exit(1);
}

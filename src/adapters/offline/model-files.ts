import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import { ModeratorModelFile } from '../../domain/moderation/classifier.js';
import { TaggerModelFile } from '../../domain/tags/model-tagger.js';

/**
 * The trained models shipped in the repository (`models/`), read from disk once per process: no
 * download at run time. The same relative path works from `src/` (tsx, tests) and `dist/`.
 */
const MODELS = new URL('../../../models/', import.meta.url);

/** Where a model file is; exported for error messages and the benchmark. */
export function modelPath(name: 'tagger' | 'moderator'): string {
  return fileURLToPath(new URL(`${name}/model.json.gz`, MODELS));
}

function load<T>(name: 'tagger' | 'moderator', schema: z.ZodType<T>): T {
  const path = modelPath(name);
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  } catch (err) {
    throw new Error(`cannot read the ${name} model at ${path}: ${(err as Error).message} (it is committed; rebuild it with npm run train:${name})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`the ${name} model at ${path} is not a valid model file: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

let tagger: TaggerModelFile | undefined;
let moderator: ModeratorModelFile | undefined;

/** The tagger model file, parsed and validated; throws with the path and the fix when it is missing or corrupt. */
export function taggerModelFile(): TaggerModelFile {
  return (tagger ??= load('tagger', TaggerModelFile));
}

/** The moderator model file, parsed and validated; throws like taggerModelFile. */
export function moderatorModelFile(): ModeratorModelFile {
  return (moderator ??= load('moderator', ModeratorModelFile));
}

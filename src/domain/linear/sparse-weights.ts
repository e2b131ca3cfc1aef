import { z } from 'zod';

/**
 * Sparse int8 weights of a linear model with several outputs, as the trained models store them:
 * for each feature key, the (output, weight) pairs that are not zero. Shared by the tagger's and
 * the moderator's model files.
 */
export const SparseWeightsFile = z.object({
  scale: z.number().positive(),
  keys: z.array(z.string()),
  /** keys.length + 1 offsets into the pairs (base64 Int32 little-endian). */
  offsets: z.string(),
  /** Pairs (output index, int8 weight), base64. */
  entries: z.string(),
});
export type SparseWeightsFile = z.infer<typeof SparseWeightsFile>;

/** Adds each known feature's weights to `z` (one slot per output). */
export type SparseScorer = (features: readonly string[], z: Float64Array) => void;

/** Decodes stored weights; throws when offsets and pairs do not fit together or name an output ≥ `outputs`. */
export function decodeSparseWeights(file: SparseWeightsFile, outputs: number): SparseScorer {
  const offsetBytes = Buffer.from(file.offsets, 'base64');
  const offsets = new Int32Array(offsetBytes.buffer, offsetBytes.byteOffset, offsetBytes.byteLength / 4);
  const entries = new Int8Array(Buffer.from(file.entries, 'base64'));
  if (offsets.length !== file.keys.length + 1 || offsets[offsets.length - 1]! * 2 !== entries.length) {
    throw new Error('model file: sparse offsets do not match their entries');
  }
  for (let e = 0; e < entries.length; e += 2) if (entries[e]! < 0 || entries[e]! >= outputs) throw new Error('model file: weight for an unknown output');
  const index = new Map<string, number>();
  file.keys.forEach((k, i) => index.set(k, i));
  const scale = file.scale;
  return (features, z) => {
    for (const f of features) {
      const i = index.get(f);
      if (i === undefined) continue;
      for (let e = offsets[i]!; e < offsets[i + 1]!; e++) z[entries[2 * e]!]! += entries[2 * e + 1]! * scale;
    }
  };
}

/**
 * Encodes trained weights (`weights[key * outputs + output]`) for storage: int8 with one scale,
 * keys whose weights all round to zero left out. The training scripts' half of the codec.
 */
export function encodeSparseWeights(keys: readonly string[], weights: ArrayLike<number>, outputs: number): SparseWeightsFile {
  let max = 0;
  for (let k = 0; k < keys.length * outputs; k++) max = Math.max(max, Math.abs(weights[k]!));
  const scale = max === 0 ? 1 : max / 127;
  const kept: string[] = [];
  const offsets: number[] = [0];
  const entries: number[] = [];
  keys.forEach((key, i) => {
    const before = entries.length;
    for (let g = 0; g < outputs; g++) {
      const q = Math.round(weights[i * outputs + g]! / scale);
      if (q !== 0) entries.push(g, q);
    }
    if (entries.length > before) {
      kept.push(key);
      offsets.push(entries.length / 2);
    }
  });
  const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return { scale, keys: kept, offsets: b64(Int32Array.from(offsets)), entries: b64(Int8Array.from(entries)) };
}

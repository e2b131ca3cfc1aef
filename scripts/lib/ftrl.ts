/**
 * Logistic regression per tag group, trained with FTRL-Proximal (McMahan et al., "Ad Click
 * Prediction: a View from the Trenches", 2013): per-coordinate learning rates and an L1 term
 * that leaves most weights exactly zero, which keeps the shipped model small.
 */

export interface FtrlOptions {
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
  epochs: number;
  /** Seed of the shuffle, so a training run is repeatable. */
  seed: number;
}

export const DEFAULT_FTRL: FtrlOptions = { alpha: 0.1, beta: 1, l1: 0.5, l2: 1, epochs: 3, seed: 1 };

/** One training row: sparse feature indices (value 1), dense values appended after them, labels per output (-1 = unknown). */
export interface Row {
  sparse: Int32Array;
  dense: Float32Array | null;
  labels: Int8Array;
  weight: number;
}

export interface LinearModel {
  outputs: number;
  sparseSize: number;
  denseSize: number;
  /** (sparseSize + denseSize) × outputs, row-major by coordinate. */
  weights: Float64Array;
  bias: Float64Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainFtrl(rows: readonly Row[], outputs: number, sparseSize: number, denseSize: number, o: FtrlOptions): LinearModel {
  const D = sparseSize + denseSize + 1; // last coordinate: bias
  const z = new Float64Array(D * outputs);
  const rootN = new Float64Array(D * outputs);
  // The current weights are kept beside z and √n, so the forward pass is reads only.
  const w = new Float64Array(D * outputs);
  const denseFrom = sparseSize * outputs;
  const biasFrom = (D - 1) * outputs;
  const l1Of = (k: number) => (k >= biasFrom ? 0 : k >= denseFrom ? o.l1 / 10 : o.l1);
  const update = (k: number, grad: number) => {
    const r = rootN[k]!;
    const r2 = Math.sqrt(r * r + grad * grad);
    const zk = (z[k]! += grad - ((r2 - r) / o.alpha) * w[k]!);
    rootN[k] = r2;
    const l1 = l1Of(k);
    w[k] = Math.abs(zk) <= l1 ? 0 : -(zk - Math.sign(zk) * l1) / ((o.beta + r2) / o.alpha + o.l2);
  };
  const order = rows.map((_, i) => i);
  const random = mulberry32(o.seed);
  // Features outer, outputs inner: one feature's weights for every output are contiguous.
  const sums = new Float64Array(outputs);
  const grads = new Float64Array(outputs);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order) {
      const row = rows[r]!;
      const sp = row.sparse;
      const dn = row.dense;
      const labels = row.labels;
      for (let g = 0; g < outputs; g++) sums[g] = w[biasFrom + g]!;
      for (let f = 0; f < sp.length; f++) {
        const base = sp[f]! * outputs;
        for (let g = 0; g < outputs; g++) sums[g]! += w[base + g]!;
      }
      if (dn) for (let d = 0; d < dn.length; d++) {
        const base = denseFrom + d * outputs;
        const x = dn[d]!;
        for (let g = 0; g < outputs; g++) sums[g]! += w[base + g]! * x;
      }
      for (let g = 0; g < outputs; g++) {
        const y = labels[g]!;
        if (y < 0) {
          grads[g] = 0;
          continue;
        }
        const p = 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, sums[g]!))));
        grads[g] = (p - y) * row.weight;
      }
      for (let f = 0; f < sp.length; f++) {
        const base = sp[f]! * outputs;
        for (let g = 0; g < outputs; g++) if (labels[g]! >= 0) update(base + g, grads[g]!);
      }
      if (dn) for (let d = 0; d < dn.length; d++) {
        const base = denseFrom + d * outputs;
        const x = dn[d]!;
        for (let g = 0; g < outputs; g++) if (labels[g]! >= 0) update(base + g, grads[g]! * x);
      }
      for (let g = 0; g < outputs; g++) if (labels[g]! >= 0) update(biasFrom + g, grads[g]!);
    }
  }
  return { outputs, sparseSize, denseSize, weights: w.slice(0, biasFrom), bias: w.slice(biasFrom) };
}

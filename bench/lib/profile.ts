import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  function: string;
  location: string;
  selfShare: number;
}

/** Self time per function, biggest first: where this process spent its CPU while profiling. */
export function hottest(profile: CpuProfile, top = 25): HotFunction[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const f = node.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src|bench|scripts)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}\t${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [fn, location] = key.split('\t') as [string, string];
      return { function: fn, location, selfShare: Math.round((us / total) * 1000) / 1000 };
    });
}

/**
 * Self time by where the code lives: an npm package, our src/, Node's internals, or V8's own
 * entries ((garbage collector), (idle), (program)). Coarser than functions, and it adds up to 1.
 */
export function byPackage(profile: CpuProfile): Record<string, number> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const shares = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    const dt = profile.timeDeltas[i] ?? 0;
    if (!f) return;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)?.[1];
    const ours = /\/(src|bench|scripts)\//.exec(f.url)?.[1];
    const native = f.functionName.startsWith('(') ? f.functionName : 'native';
    const where = pkg ?? (ours ? `our ${ours}/` : f.url.startsWith('node:') ? 'node internals' : f.url ? 'other' : native);
    shares.set(where, (shares.get(where) ?? 0) + dt);
    total += dt;
  });
  return Object.fromEntries([...shares].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / total) * 1000) / 1000]));
}

/** Runs `work` under the V8 CPU profiler of this process; writes the .cpuprofile and returns the hottest functions and packages. */
export async function profileCpu<T>(file: string, work: () => Promise<T>): Promise<{ value: T; hottest: HotFunction[]; packages: Record<string, number> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    const value = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    await writeFile(file, JSON.stringify(profile));
    return { value, hottest: hottest(profile), packages: byPackage(profile) };
  } finally {
    session.disconnect();
  }
}

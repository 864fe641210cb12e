// `node tools/bench/profile-summary.ts <file.cpuprofile> [top]`: where a process spent its CPU,
// from a V8 profile (`--cpu-prof`): self time grouped by package (or repository area), and the
// hottest functions. Used to explain the benchmark's figures in docs/performance.md.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<pkg> (scoped too), services/<name>, or the node: internals and GC. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.split('/')[0];
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const service = /\/(services\/[^/]+|scripts\/[^/]+)\//.exec(url);
  return service ? service[1] : url;
}

export function summarize(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let total = 0;
  let idle = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    // Shares are of busy time: a service waits for its load most of a run.
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / total }));
  return {
    busyMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    areas: rank(areas),
    functions: rank(functions),
  };
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, topText] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node tools/bench/profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  const top = Number(topText ?? 15);
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  console.log(
    `busy CPU time: ${summary.busyMs} ms (idle ${summary.idleMs} ms)\n\nby area (share of busy self time):`,
  );
  for (const a of summary.areas.slice(0, top)) console.log(`  ${pct(a.share)}  ${a.name}`);
  console.log('\nhottest functions (self time):');
  for (const f of summary.functions.slice(0, top)) console.log(`  ${pct(f.share)}  ${f.name}`);
}

import { readFileSync } from 'node:fs';

/**
 * npx ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [top]
 * Self time of a `node --cpu-prof` profile, by function and by package (node_modules/<name>, our src,
 * Node internals), so a per-request cost can be read off: total ms / requests served.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const [file, topArgument] = process.argv.slice(2);
const profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number } = JSON.parse(readFileSync(file, 'utf8'));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const packageOf = (url: string) => {
  if (!url) return '(native/idle)';
  const modules = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.includes('/dist/')) return `ours: ${url.replace(/.*\/dist\//, '')}`;
  if (url.startsWith('node:')) return url;
  return url;
};
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (!micros) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${packageOf(url)}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const pkg = packageOf(url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
}
const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
const top = Number(topArgument ?? 25);
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};
console.log(`profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
print('self time by package', byPackage);
print('self time by function', byFunction);

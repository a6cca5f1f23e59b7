/**
 * npx ts-node --transpile-only bench/heap-profile-summary.ts <file.heapprofile>
 * Bytes sampled by allocating function and by the last six frames of the allocating stack.
 */
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const by = new Map<string, number>();
const stacks = new Map<string, number>();
function walk(n: any, path: string[]) {
  const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'ours:')}:${n.callFrame.lineNumber}`;
  const here = [...path, k];
  by.set(k, (by.get(k) ?? 0) + (n.selfSize ?? 0));
  if (n.selfSize) {
    const s = here.slice(-6).join(' < ');
    stacks.set(s, (stacks.get(s) ?? 0) + n.selfSize);
  }
  for (const c of n.children ?? []) walk(c, here);
}
walk(p.head, []);
// only samples after start; use p.samples if present to weight
const total = [...by.values()].reduce((a, b) => a + b, 0);
console.log('total MB', (total / 1e6).toFixed(1));
[...by.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 25)
  .forEach(([k, v]) => console.log(((100 * v) / total).toFixed(1).padStart(5), '%', k));
console.log('--- stacks');
[...stacks.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12)
  .forEach(([k, v]) => console.log(((100 * v) / total).toFixed(1).padStart(5), '%', k.split(' < ').reverse().join('\n          < ')));

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * npm run bench:summary: BENCHMARKS.md from the runs in bench/results/ (each written by
 * `npm run bench -- --output bench/results/run-N.md`): the median of every cell across runs.
 */
const RESULTS = join(__dirname, 'results');
const files = readdirSync(RESULTS)
  .filter((file) => /^run-\d+\.md$/.test(file))
  .sort();
if (files.length === 0) throw new Error('No bench/results/run-N.md files: run npm run bench -- --output bench/results/run-1.md first');
const runs = files.map((file) => readFileSync(join(RESULTS, file), 'utf8'));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
type Cells = { rps: number; p50: number; p99: number; rss: number; errors: number };
const table = new Map<string, Cells[]>();
for (const run of runs) {
  for (const line of run.split('\n').filter((row) => /^\| (PUT|GET|list)/.test(row))) {
    const [scenario, server, connections, rps, p50, p99, rss, errors] = line
      .split('|')
      .slice(1, 9)
      .map((cell) => cell.trim());
    const key = `${scenario}|${server}|${connections}`;
    table.set(key, [...(table.get(key) ?? []), { rps: Number(rps), p50: Number(p50), p99: Number(p99), rss: Number(rss), errors: Number(errors) }]);
  }
}
const medians = new Map(
  [...table].map(([key, cells]) => [
    key,
    {
      rps: median(cells.map((c) => c.rps)),
      p50: median(cells.map((c) => c.p50)),
      p99: median(cells.map((c) => c.p99)),
      rss: median(cells.map((c) => c.rss)),
      errors: cells.reduce((sum, c) => sum + c.errors, 0),
    },
  ]),
);

const latest = runs[runs.length - 1];
const header = latest.split('\n').slice(2, 7);
const lines = [
  '# Benchmarks',
  '',
  `Medians of ${runs.length} runs (bench/results/${files.join(', ')}), each:`,
  ...header,
  '',
  '| scenario | server | connections | req/s | p50 ms | p99 ms | server RSS MB | errors | vs reference (req/s, p99) |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const [key, cells] of medians) {
  const [scenario, server, connections] = key.split('|');
  const reference = medians.get(`${scenario}|reference|${connections}`);
  const ratio =
    server !== 'reference' && reference ? `${(cells.rps / reference.rps).toFixed(2)}×, ${(cells.p99 / Math.max(reference.p99, 1)).toFixed(2)}×` : '';
  lines.push(`| ${scenario} | ${server} | ${connections} | ${cells.rps} | ${cells.p50} | ${cells.p99} | ${cells.rss} | ${cells.errors} | ${ratio} |`);
}
const starts = runs.flatMap((run) => /\(process start to "ready", 3 runs\): ([\d, ]+) ms/.exec(run)?.[1].split(', ').map(Number) ?? []);
lines.push(
  '',
  `Embedded start to ready on an existing data directory, process start to the "ready" log line: median ${median(starts)} ms of ${starts.length} starts (${starts.join(', ')} ms).`,
  '',
);
const notes = readFileSync(join(__dirname, 'NOTES.md'), 'utf8');
lines.push(notes.trim(), '');
lines.push(latest.slice(latest.indexOf('## Query plans')));
writeFileSync(join(__dirname, '..', 'BENCHMARKS.md'), lines.join('\n'));
console.log(`Wrote BENCHMARKS.md from ${files.length} runs`);

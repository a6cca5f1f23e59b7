#!/usr/bin/env node
// Runs `nest build` only when something under src/ (or the build config) is newer than the last
// build, so `npm start` and scripts that need the compiled app (npm run openapi) do not rebuild it on
// every call. The last build is dist/.built, written after a build that succeeded.
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
};
let built = 0;
try {
  built = Math.min(statSync(join(root, 'dist', '.built')).mtimeMs, statSync(join(root, 'dist', 'main.js')).mtimeMs);
} catch {
  // never built
}
const sources = Math.max(
  newest(join(root, 'src')),
  ...['nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => newest(join(root, file))),
);
if (sources > built) {
  execFileSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' });
  writeFileSync(join(root, 'dist', '.built'), `${new Date().toISOString()}\n`);
}

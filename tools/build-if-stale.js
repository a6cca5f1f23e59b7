#!/usr/bin/env node
// Runs `nest build` only when something under src/ (or the build config) is newer than dist/main.js,
// so scripts that need the compiled app (npm run openapi) do not rebuild it on every call.
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
};
let built = 0;
try {
  built = statSync(join(root, 'dist', 'main.js')).mtimeMs;
} catch {
  // never built
}
const sources = Math.max(
  newest(join(root, 'src')),
  ...['nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => newest(join(root, file))),
);
if (sources > built) execFileSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' });

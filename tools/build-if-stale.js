#!/usr/bin/env node
// Runs `nest build` only when something under src/ (or the build config, or the lockfile) is newer
// than the last build, so `npm start`, `npm test` and scripts that need the compiled app (npm run
// openapi) do not rebuild it on every call. The last build is dist/.built, written after a build
// that succeeded.
const { execFileSync } = require('node:child_process');
const { readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const BUILD_INPUTS = ['nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
};

/** True when `root`'s build is missing or older than one of its inputs. */
function isStale(root) {
  let built = 0;
  try {
    built = Math.min(statSync(join(root, 'dist', '.built')).mtimeMs, statSync(join(root, 'dist', 'main.js')).mtimeMs);
  } catch {
    // never built
  }
  const inputs = BUILD_INPUTS.map((file) => join(root, file)).filter((file) => {
    try {
      return statSync(file) !== undefined;
    } catch {
      return false;
    }
  });
  return Math.max(newest(join(root, 'src')), ...inputs.map(newest)) > built;
}

module.exports = { isStale };

if (require.main === module) {
  const root = join(__dirname, '..');
  if (isStale(root)) {
    execFileSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' });
    writeFileSync(join(root, 'dist', '.built'), `${new Date().toISOString()}\n`);
  }
}

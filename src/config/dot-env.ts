import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads `.env` from the working directory (or the file `ENV_FILE` names; `ENV_FILE=none` reads
 * nothing) into `process.env`, the usual way: a variable already set in the environment wins over
 * the file. Returns the file read, if any. Called first by main.ts and the CLIs, before validation.
 */
export function loadDotEnv(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = environment.ENV_FILE ?? '.env';
  if (name === 'none') return undefined;
  const path = resolve(name);
  if (!existsSync(path)) {
    if (environment.ENV_FILE !== undefined) throw new Error(`ENV_FILE=${name}: no such file`);
    return undefined;
  }
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (environment[key] === undefined) environment[key] = value;
  }
  return path;
}

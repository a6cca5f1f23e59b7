import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The service's version, from package.json (the OpenAPI document's info.version, the traces' service.version). */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

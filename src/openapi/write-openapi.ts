import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from '../app.setup';
import { stableOpenApiJson } from './stable-openapi';
import { getDataSourceToken } from '@nestjs/typeorm';

export const OPENAPI_FILE = join(__dirname, '..', '..', 'openapi.json');

/** Writes openapi.json from the code (`npm run openapi`), or with --check fails when the committed file is stale. */
async function main(): Promise<void> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ databaseUrl: 'postgres://unused@127.0.0.1:1/unused' })] })
    .overrideProvider(getDataSourceToken())
    .useValue({})
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  const json = stableOpenApiJson(buildOpenApiDocument(app));
  if (process.argv.includes('--check')) {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== json) {
      console.error('openapi.json is stale: run `npm run openapi` and commit the result.');
      process.exit(1);
    }
    console.log('openapi.json is up to date.');
  } else {
    writeFileSync(OPENAPI_FILE, json);
    console.log(`Wrote ${OPENAPI_FILE}`);
  }
}

void main();

import { readFileSync, writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { OPENAPI_PATH, README_PATH, renderCoverage, renderOpenapi, withCoverage } from './openapi-document.js';

const app = await buildApp();
await app.ready();
writeFileSync(OPENAPI_PATH, renderOpenapi(app));
const document = app.swagger() as unknown as Parameters<typeof renderCoverage>[0];
writeFileSync(README_PATH, withCoverage(readFileSync(README_PATH, 'utf8'), renderCoverage(document)));
await app.close();
process.stdout.write(`wrote ${OPENAPI_PATH} and README.md's coverage table\n`);

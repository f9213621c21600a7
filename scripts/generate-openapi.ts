import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { OPENAPI_PATH, renderOpenapi } from './openapi-document.js';

const app = await buildApp();
await app.ready();
writeFileSync(OPENAPI_PATH, renderOpenapi(app));
await app.close();
process.stdout.write(`wrote ${OPENAPI_PATH}\n`);

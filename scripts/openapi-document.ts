import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const OPENAPI_PATH = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

/** The committed form of the OpenAPI document: stable key order, trailing newline. */
export function renderOpenapi(app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}

import type { FastifyRequest } from 'fastify';
import { formatPath, MAX_JSON_DEPTH, pathTooDeep } from '../domain/depth.js';
import { InvalidInputError } from '../domain/errors.js';

/** Admin plane preValidation hook: a body nested deeper than MAX_JSON_DEPTH is refused with 400 naming the path. */
export async function refuseDeepBodies(request: FastifyRequest): Promise<void> {
  const path = pathTooDeep(request.body);
  if (path) {
    throw new InvalidInputError(`The body is nested deeper than ${MAX_JSON_DEPTH} levels`, [
      { path: formatPath('body', path), message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
}

import type { FastifyRequest } from 'fastify';
import { MarketoError } from '../../domain/errors.js';
import { DETAIL_MESSAGES, formatMessage, marketoMessage } from '../../domain/marketo-codes.js';
import type { PermissionKey } from '../../domain/permissions.js';

/** Who may see and change an asset: the per-workspace rule every asset family follows. */

export const READ: readonly PermissionKey[] = ['read-only-assets', 'read-write-assets'];
export const WRITE: readonly PermissionKey[] = ['read-write-assets'];

/** The workspaces where the caller holds Read-Only or Read-Write Assets, and where Read-Write. */
export interface AssetScope {
  readable: ReadonlySet<number>;
  writable: ReadonlySet<number>;
}

export function scopeOf(request: FastifyRequest): AssetScope {
  return {
    readable: new Set(request.access.workspaces('read', 'assets')),
    writable: new Set(request.access.workspaces('write', 'assets')),
  };
}

/**
 * The per-workspace rule (README, "Decisions"; custom-services.md: "a user can read or write an asset when the user
 * has a role with the required permission in the asset's workspace"). Adobe documents no answer for the rest; ours:
 * an asset in a workspace the caller cannot read is absent (the "No assets found" warning, by id too), and a
 * create into, update, delete or approve in a workspace where the caller cannot write is a response-level 603.
 */
export function canSee(scope: AssetScope, workspaceId: number): boolean {
  return scope.readable.has(workspaceId);
}

export function assertWritable(scope: AssetScope, workspaceId: number): void {
  if (!scope.writable.has(workspaceId)) throw new MarketoError('603', marketoMessage('603'));
}

/**
 * Decision (README): a write naming an asset id that does not exist is 702 (ours: "Folder 12 not found"); one that
 * exists in a workspace the caller cannot write is 603 (assertWritable).
 */
export function notFound(scope: AssetScope, what: string, id: number, workspaceId: number | undefined): never {
  if (workspaceId !== undefined) assertWritable(scope, workspaceId);
  throw new MarketoError('702', formatMessage(DETAIL_MESSAGES.assetNotFound, what, id));
}

export function businessRule(template: string, ...details: (string | number)[]): MarketoError {
  return new MarketoError('709', formatMessage(template, ...details));
}

import type { AppContext } from '../context.js';
import type { AccessContext, Decision } from '../domain/access.js';
import type { Principal } from '../domain/identity.js';
import type { PermissionKey } from '../domain/permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The subscription this call is addressed to (set by the root onRequest hook): its state, clock and harness. */
    ctx: AppContext;
    /** The Marketo requestId of this request, made on first use. */
    marketoRequestId(): string;
    /** Set by the authenticate hook on the Marketo plane. */
    principal?: Principal;
    /**
     * What the caller may read and write: set by the gate's authorize step before any Marketo handler runs; until
     * then (and off the Marketo plane) NO_ACCESS, which sees and changes nothing.
     */
    access: AccessContext;
    /** The authorization decision, for the log and the journal. */
    decision?: Decision;
    /** The response-level Marketo error code this request was answered with, if any. */
    marketoCode?: string;
    /** The injected fault that answered or delayed this request. */
    faultId?: string;
    /** A `failJob` fault matched this call: the job it enqueues fails with this error when it begins processing. */
    injectedJobFailure?: string;
    /** When the limits admitted this call (counted against the rate window). */
    limitAdmittedAt?: number;
    /** When (on the instance's clock) the request arrived; cleared once it is journaled. */
    receivedAt?: number;
    /** The Marketo requestId, once made. */
    requestIdValue?: string;
    /** The gate left this call to the stubs, which look at it once its body is read (src/http/stubs.ts). */
    stubPending?: boolean;
    /** A form POST sent straight to its route, its gate waiting for the body (marketo-gate.ts). */
    formPending?: boolean;
    /** Answered by a call run again through the form tunnel: the journal records that call, not this one. */
    redispatched?: boolean;
    /** A call to an endpoint the fake does not serve (no route, no stub that could match): 610, body read. */
    unserved?: boolean;
    /** A form tunnel request the tunnel answered itself (605, 612): the journal records it at its Marketo path. */
    tunnelAnswered?: boolean;
    /** The stub that answered this request. */
    stubId?: string;
    /** No route or stub served the call (answered 605 or 610): the journal lists it as unmatched. */
    notServed?: true;
    /** Answered with what a fault rule says (an HTTP status and body), not with a route's answer. */
    answeredAsIs?: boolean;
    /**
     * The body as parsed from what was sent, before validation replaced it with the route's view of it (defaults
     * added, unknown fields dropped, values coerced): what the journal records (issue 23, item 7).
     */
    receivedBody?: unknown;
    /** How many records of the answer had each status (a Marketo write's `result`), for the journal. */
    outcomes?: Record<string, number>;
  }
  interface FastifyContextConfig {
    /** Marketo plane: permission keys of which any one unlocks the route (all of them when `requireAll`). */
    permissions?: readonly PermissionKey[];
    requireAll?: boolean;
    /**
     * More permissions Adobe requires when a parameter is passed (Get Email Full Content with `leadId`: Read-Only
     * Lead). Documented in OpenAPI; the handler asks `request.access` for them, for the record it names.
     */
    permissionsWhen?: { parameter: string; permissions: readonly PermissionKey[] };
    /**
     * The Design Studio (UI) permissions Adobe names beside the API ones (the asset v2 operations: "Access Design
     * Studio, Edit Email"), as Adobe names them. Documented in OpenAPI (`x-marketo-ui-permissions`), not checked: UI
     * permissions do not apply to API-only users (custom-services.md).
     */
    uiPermissions?: readonly string[];
    /**
     * Marketo plane: the multipart parser's limits on this route, over the plane's (src/http/multipart.ts); the parts
     * together stay within `totalBytes`, else the route's `bodyLimit` (which also bounds its JSON and form bodies).
     */
    multipartLimits?: {
      fileSize?: number;
      files?: number;
      fields?: number;
      parts?: number;
      fieldSize?: number;
      totalBytes?: number;
    };
    /**
     * Marketo plane: how the route sees a multipart form's file parts: as UTF-8 text (the default: HTML documents),
     * or as `UploadedFile`s, bytes with their filename and type (Create File, bulk import).
     */
    multipartFiles?: 'text' | 'bytes';
    /** The Marketo plane's catch-all routes (stubs on unknown paths): no gate, not in the route table or OpenAPI. */
    catchAll?: boolean;
    /**
     * A multipart route whose form may carry the legacy `access_token` field (RudderStack's bulk import sends it
     * there, after the file): with ACCESS_TOKEN_QUERY=accept and no other token, the gate waits for the body.
     */
    tokenInBody?: boolean;
  }
}

import { z } from 'zod';
import { RECORD_STATUSES, type RecordStatus } from '../domain/results.js';

/** A list parameter, comma-joined (`a,b`) or repeated (`x=a&x=b`), as Marketo takes both. */
export function commaList<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === null) return undefined;
    // Each piece trimmed, the empty ones left out; in one loop, as every query's filterValues goes through it.
    const parts: unknown[] = [];
    for (const part of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof part !== 'string') {
        parts.push(part);
        continue;
      }
      for (const piece of part.split(',')) {
        const trimmed = piece.trim();
        if (trimmed !== '') parts.push(trimmed);
      }
    }
    return parts;
  }, z.array(item));
}

export const marketoErrorSchema = z.object({ code: z.string(), message: z.string() }).meta({ id: 'MarketoError' });

// The envelope's fields but `result`, built once: a hundred routes' envelopes share them (zod schemas made at start-up
// are a large part of the CLI's cold start, issue 32; OpenAPI inlines each use, so the document is the same).
const envelopeFields = {
  requestId: z.string().describe('<1–5 hex>#<epoch ms in hex>'),
  success: z.boolean(),
  errors: z.array(marketoErrorSchema).optional(),
  warnings: z.array(z.string()).optional(),
  nextPageToken: z.string().optional(),
  moreResult: z.boolean().optional(),
};

/** Marketo's envelope around `item` results; on failure `success` is false and `errors` holds one code. */
export function envelopeOf<T extends z.ZodType>(item: T) {
  const { requestId, success, errors, warnings, nextPageToken, moreResult } = envelopeFields;
  return z.object({
    requestId,
    success,
    result: z.array(item).optional(),
    errors,
    warnings,
    nextPageToken,
    moreResult,
  });
}

export const reasonSchema = z.object({ code: z.string(), message: z.string() });

const recordStatusSchema = z.enum(RECORD_STATUSES);

/** A lead-database record result (`{id, status, reasons?}`) whose status is one of `statuses`. */
export function recordResultOf<const S extends readonly [RecordStatus, ...RecordStatus[]]>(statuses: S) {
  return z.object({
    id: z.number().int().optional(),
    status: recordStatusSchema.extract(statuses),
    reasons: z.array(reasonSchema).optional(),
  });
}

/** An object-API record result (`{seq, id | marketoGUID, status, reasons?}`) whose status is one of `statuses`. */
export function objectResultOf<const S extends readonly [RecordStatus, ...RecordStatus[]]>(statuses: S) {
  return z.object({
    seq: z.number().int().describe("The record's index in the input"),
    id: z.number().int().optional(),
    marketoGUID: z.string().optional(),
    status: recordStatusSchema.extract(statuses),
    reasons: z.array(reasonSchema).optional(),
  });
}

/** Record-level result in input order; skipped leads carry reasons (and no id on sync). */
export const recordResultSchema = recordResultOf(['created', 'updated', 'deleted', 'skipped']).meta({
  id: 'RecordResult',
});

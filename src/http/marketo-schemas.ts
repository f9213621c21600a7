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

/** Marketo's envelope around `item` results; on failure `success` is false and `errors` holds one code. */
export function envelopeOf<T extends z.ZodType>(item: T) {
  return z.object({
    requestId: z.string().describe('<1–5 hex>#<epoch ms in hex>'),
    success: z.boolean(),
    result: z.array(item).optional(),
    errors: z.array(marketoErrorSchema).optional(),
    warnings: z.array(z.string()).optional(),
    nextPageToken: z.string().optional(),
    moreResult: z.boolean().optional(),
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

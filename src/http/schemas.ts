import { z } from 'zod';

export const idParams = z.object({
  id: z.coerce.number().int().positive().describe('Numeric id'),
});

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(255);

export const descriptionSchema = z.string().max(2000);

/** Adobe-style paging: `limit` items from offset `start`. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  start: z.coerce.number().int().min(0).default(0),
});

export const pageMeta = z.object({ limit: z.number().int(), count: z.number().int() });

export const links = z.object({
  self: z.object({ href: z.string() }),
  next: z.object({ href: z.string() }).optional(),
});

/** `_page` and `_links` for a page of `count` items out of `total`. */
export function pageOf(path: string, page: { limit: number; start: number }, count: number, total: number) {
  const next = page.start + count < total ? page.start + count : undefined;
  return {
    _page: { limit: page.limit, count },
    _links: {
      self: { href: `${path}?limit=${page.limit}&start=${page.start}` },
      ...(next !== undefined ? { next: { href: `${path}?limit=${page.limit}&start=${next}` } } : {}),
    },
  };
}

import type { Clock } from '../clock.js';

export interface MarketoErrorItem {
  code: string;
  message: string;
}

export interface MarketoEnvelope {
  requestId: string;
  success: boolean;
  result?: unknown[];
  errors?: MarketoErrorItem[];
  warnings?: string[];
  nextPageToken?: string;
  moreResult?: boolean;
}

/**
 * Marketo request ids: `<1–5 hex>#<epoch ms in lowercase hex>`, e.g. `e42b#14272d07d78` (marketo-reference.md §2.2).
 * The time is on the clock of the subscription the call is addressed to; `defaultClock` for a call that reached none
 * (a request the HTTP parser refused).
 */
export function createRequestIds(defaultClock: Clock): (clock?: Clock) => string {
  let counter = 0;
  // Calls within one millisecond share the time part (a number in hex is slow to format).
  let lastNow = NaN;
  let nowHex = '';
  return (clock = defaultClock) => {
    counter = (counter % 0xfffff) + 1;
    const now = clock.now();
    if (now !== lastNow) {
      lastNow = now;
      nowHex = now.toString(16);
    }
    return `${counter.toString(16)}#${nowHex}`;
  };
}

export function failureEnvelope(requestId: string, code: string, message: string): MarketoEnvelope {
  return { requestId, success: false, errors: [{ code, message }] };
}

/** A successful lead-database envelope: empty errors/warnings are omitted (marketo-reference.md §2.2). */
export function successEnvelope<T>(
  requestId: string,
  result: T[],
  paging: { moreResult?: boolean; nextPageToken?: string } = {},
): { requestId: string; result: T[]; success: true; moreResult?: boolean; nextPageToken?: string } {
  // Assigned rather than spread in: every envelope then shares a few object shapes (spreads made each one new).
  const envelope: { requestId: string; result: T[]; success: true; moreResult?: boolean; nextPageToken?: string } = {
    requestId,
    result,
    success: true,
  };
  if (paging.moreResult) envelope.moreResult = true;
  if (paging.nextPageToken !== undefined) envelope.nextPageToken = paging.nextPageToken;
  return envelope;
}

/**
 * The daily export quota's day: "the daily quota resets at midnight Central Time" (bulk-extract.md), daylight saving
 * time included (America/Chicago).
 */

// Made on first use: loading the time zone data took about 10 ms of every start (issue 32's cold start).
let central: Intl.DateTimeFormat | undefined;
const centralTime = () =>
  (central ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Chicago',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }));

/** Central Time's offset from UTC at `ms`, in ms (−6 h or −5 h). */
function centralOffset(ms: number): number {
  const parts = Object.fromEntries(
    centralTime()
      .formatToParts(ms)
      .map((part) => [part.type, Number(part.value)] as const),
  ) as Record<string, number>;
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** When the Central Time day holding `ms` began, in epoch ms. */
export function centralDayStart(ms: number): number {
  const local = ms + centralOffset(ms);
  const midnight = Math.floor(local / 86_400_000) * 86_400_000;
  // Midnight's own offset (it differs from now's on the days the clocks change).
  return midnight - centralOffset(midnight - centralOffset(ms));
}

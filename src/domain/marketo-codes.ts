/** Marketo's response-level messages by code (error-codes.md), for injected faults and limits. */
export const MARKETO_MESSAGES: Record<string, string> = {
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '603': 'Access denied',
  '604': 'Request time-out',
  '605': 'HTTP Method not supported',
  '606': "Max rate limit '100' exceeded with in '20' secs",
  '607': 'Daily quota reached',
  '608': 'API Temporarily Unavailable',
  '609': 'Invalid JSON',
  '610': 'Requested resource not found',
  '611': 'System error',
  '612': 'Invalid Content Type',
  '613': 'Invalid Multipart Request',
  '614': 'Invalid Subscription',
  '615': "Concurrent access limit '10' reached",
  '616': 'Invalid subscription type',
  '701': 'cannot be blank',
  '702': 'No data found for a given search scenario',
  '703': 'The feature is not enabled for the subscription',
  '704': 'Invalid date format',
  '709': 'Business Rule Violation',
  '710': 'Parent Folder Not Found',
  '711': 'Incompatible Folder Type',
  '713': 'Transient Error',
  '719': 'Lock wait timeout exception',
  '1029': 'Too many jobs in queue',
};

/** Codes whose calls count against neither the daily quota nor the rate limit (error-codes.md, marked *). */
export const UNCOUNTED_CODES: ReadonlySet<string> = new Set(['601', '602', '604', '605', '608', '611']);

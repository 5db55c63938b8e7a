import { errors } from '@elastic/elasticsearch';

/**
 * What is worth retrying, in one table: the search side's "try again later" statuses and
 * transport failures, and PostgreSQL's serialization failure and deadlock. Nothing else is
 * retried: a 400 will be a 400 the next time too.
 */
export const RETRYABLE_HTTP_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);
export const RETRYABLE_PG_CODES: ReadonlySet<string> = new Set(['40001', '40P01']);

/** Whether an error from the client (or its HTTP status) is worth another try. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof errors.ResponseError) return RETRYABLE_HTTP_STATUS.has(error.statusCode ?? 0);
  if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError || error instanceof errors.NoLivingConnectionsError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRYABLE_PG_CODES.has(code)) return true;
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code);
}

/**
 * Statuses with which the search side refuses a document for what it is (a 400:
 * document_parsing_exception, mapper_parsing_exception, strict_dynamic_mapping_exception,
 * illegal_argument_exception...; a 413: too large): sending it again fails the same way, so a
 * queue parks it at once instead of backing off. Anything else that is not a success is the
 * environment's (429, 5xx, connection errors; also 401/403 credentials and blocks, 404 an index
 * not created yet, 408) and may pass later. Elasticsearch's own bulk helpers draw the same line:
 * they retry 429 and never a 400.
 */
export const PERMANENT_ITEM_STATUS: ReadonlySet<number> = new Set([400, 413]);

/** Whether a bulk item failure with this status will fail the same way every time. */
export const isPermanentItemFailure = (status: number): boolean => PERMANENT_ITEM_STATUS.has(status);

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential, capped, with
 * "equal jitter" (half fixed, half random) so that many writers retrying at once spread out
 * while each still waits longer than the time before.
 *   delay = d/2 + random * d/2, d = min(maxMs, baseMs * 2^attempt)
 */
export function backoffDelay(attempt: number, { baseMs = 100, maxMs = 10_000, random = Math.random }: BackoffOptions = {}): number {
  const d = Math.min(maxMs, baseMs * 2 ** attempt);
  return d / 2 + random() * (d / 2);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

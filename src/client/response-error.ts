import { errors } from '@elastic/elasticsearch';

/** One Elasticsearch error object, as `error`, `caused_by`, `root_cause[]` and `failed_shards[].reason` hold it. */
interface EsErrorObject {
  type?: string;
  reason?: string | null;
  caused_by?: EsErrorObject;
  root_cause?: EsErrorObject[];
  failed_shards?: Array<{ reason?: EsErrorObject }>;
}

/**
 * The reason Elasticsearch gives for a refused request, as one line: `type: reason`, followed by
 * the deepest cause when the top level says little (`search_phase_execution_exception: all shards
 * failed` tells nothing; the shard's `caused_by` says "Fielddata is disabled on [title]…").
 * Undefined when the error is not an Elasticsearch-shaped answer (a connection failure, an HTML
 * page from another server).
 */
export function elasticsearchReason(error: unknown): string | undefined {
  const body = responseBody(error);
  const top = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (typeof top === 'string') return top;
  if (!top || typeof top !== 'object') return undefined;
  const node = top as EsErrorObject;
  const head = `${node.type ?? 'error'}: ${node.reason ?? ''}`.trim();
  const root = deepestCause(node);
  if (!root || !root.reason || (node.reason ?? '').includes(root.reason)) return head;
  return `${head}: ${root.type ?? 'error'}: ${root.reason ?? ''}`.trim();
}

/** The most specific cause: the end of the `caused_by` chain of the first failed shard or root cause. */
function deepestCause(node: EsErrorObject): EsErrorObject | undefined {
  const candidates = [node.failed_shards?.[0]?.reason, node.caused_by, node.root_cause?.[0]].filter((c): c is EsErrorObject => Boolean(c && typeof c === 'object'));
  let best: EsErrorObject | undefined = candidates[0];
  while (best?.caused_by && typeof best.caused_by === 'object') best = best.caused_by;
  // A root cause that names the actual reason beats a wrapper that repeats "all shards failed".
  if (best && !best.reason && candidates[1]) best = candidates[1];
  return best;
}

/** The response body of a client ResponseError (or an error carrying one), else undefined. */
export function responseBody(error: unknown): unknown {
  if (error instanceof errors.ResponseError) return error.meta.body;
  return (error as { meta?: { body?: unknown } } | null)?.meta?.body;
}

/** Whether the server answered with something that is not Elasticsearch (HTML, plain text, another product). */
export function isForeignServerAnswer(error: unknown): boolean {
  if (error instanceof errors.ProductNotSupportedError || error instanceof errors.DeserializationError) return true;
  if (!(error instanceof errors.ResponseError)) return false;
  const body = error.meta.body;
  if (typeof body === 'string') return !looksLikeJson(body);
  const type = String(error.meta.headers?.['content-type'] ?? '');
  return body === undefined && type !== '' && !type.includes('json');
}

const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

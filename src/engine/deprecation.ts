import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Elasticsearch's deprecation warnings (HeaderWarning): a request that uses a deprecated option is
 * answered as usual, with a `Warning` response header per distinct message, `299 Elasticsearch-
 * <version>-<build hash> "<message>"`. The router runs each request in its own collection (an
 * AsyncLocalStorage, so concurrent requests never see each other's warnings); code that parses a
 * deprecated option calls `deprecationWarning` wherever it is.
 */

const current = new AsyncLocalStorage<Set<string>>();

/** Runs `fn` collecting the deprecation warnings raised meanwhile into `into`. */
export function collectDeprecations<T>(into: Set<string>, fn: () => T): T {
  return current.run(into, fn);
}

/** Records a deprecation warning for the request being answered (none outside a request). */
export function deprecationWarning(message: string): void {
  current.getStore()?.add(message);
}

/** The `Warning` header value of the messages (HeaderWarning.formatWarning: quotes and backslashes escaped). */
export function warningHeader(messages: Iterable<string>, version: string, buildHash: string): string {
  return [...messages].map((m) => `299 Elasticsearch-${version}-${buildHash} "${m.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(', ');
}

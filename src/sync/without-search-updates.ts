import { AsyncLocalStorage } from 'node:async_hooks';

const suspended = new AsyncLocalStorage<boolean>();

/**
 * Runs `fn` with the built-in sending switched off for everything it calls, awaited or not
 * (events still fire, with `disabled: true`). The state is scoped to `fn`'s async context, so it
 * is restored when `fn` returns or throws, and concurrent requests are not affected.
 *
 * @example
 * await withoutSearchUpdates(async () => {
 *   for (const post of posts) await savePost(post); // no sends; run update-index after
 * });
 */
export function withoutSearchUpdates<T>(fn: () => T): T {
  return suspended.run(true, fn);
}

/** Whether the caller runs inside withoutSearchUpdates. */
export function searchUpdatesSuspended(): boolean {
  return suspended.getStore() === true;
}

import type { FailureGroup } from '../indexes/bulk-writer.js';

/** Bulk failures, one group per reason with every id, so nothing that failed goes unreported. */
export function printFailures(groups: readonly FailureGroup[], print: (line: string) => void): void {
  for (const group of groups) {
    print(`failed: ${group.count} document${group.count === 1 ? '' : 's'}: ${group.type}: ${group.reason}`);
    print(`  ids: ${group.ids.join(', ')}`);
  }
}

import { EngineError, illegalArgument, indexNotFound } from '../errors.js';
import type { IndexService } from './index-service.js';
import { isWildcard, wildcardMatch } from './index-names.js';

/** The states `expand_wildcards` lets a wildcard reach (IndicesOptions.WildcardStates). */
export interface WildcardStates {
  open: boolean;
  closed: boolean;
  hidden: boolean;
  none: boolean;
}

const STATES = ['open', 'closed', 'hidden', 'none', 'all'] as const;

/** `expand_wildcards`: a comma list of open, closed, hidden, none, all. */
export function wildcardStates(expression: string): WildcardStates {
  const out: WildcardStates = { open: false, closed: false, hidden: false, none: false };
  for (const raw of expression.split(',')) {
    const value = raw.trim();
    if (!(STATES as readonly string[]).includes(value)) throw illegalArgument(`No valid expand wildcard value [${value}]`);
    if (value === 'all') {
      out.open = true;
      out.closed = true;
      out.hidden = true;
    } else out[value as keyof WildcardStates] = true;
  }
  if (out.none) return { open: false, closed: false, hidden: false, none: true };
  return out;
}

/** IndexClosedException: a read or write of a closed index. */
export function indexClosed(service: IndexService): EngineError {
  return new EngineError(400, 'index_closed_exception', 'closed', { index_uuid: service.uuid, index: service.name });
}

/** Where the close/open APIs find their indices. */
export interface StateTargets {
  all(): IndexService[];
  get(name: string): IndexService | undefined;
  aliasTargets(alias: string): IndexService[];
  /** Opens again an index that failed at start-up (see IndicesService.retryFailed). */
  retryFailed(service: IndexService): IndexService;
}

export interface StateChangeOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  expandWildcards?: string;
  /** action.destructive_requires_name: closing by wildcard or `_all` is refused while true. */
  destructiveRequiresName?: boolean;
}

/**
 * The indices a `_close` (wildcards reach open indices by default) or `_open` (closed ones) names:
 * concrete names, aliases, wildcards per `expand_wildcards`, `-exclusions`.
 */
function targetsOf(cluster: StateTargets, expression: string, close: boolean, options: StateChangeOptions): IndexService[] {
  const states = wildcardStates(options.expandWildcards ?? (close ? 'open' : 'closed'));
  const out = new Map<string, IndexService>();
  const parts = expression.split(',').map((p) => p.trim()).filter((p) => p !== '');
  parts.forEach((part, i) => {
    if (part.startsWith('-') && i > 0) {
      for (const name of [...out.keys()]) if (wildcardMatch(part.slice(1), name)) out.delete(name);
      return;
    }
    if ((part === '_all' || isWildcard(part)) && !states.none) {
      if (close && options.destructiveRequiresName !== false) throw illegalArgument('Wildcard expressions or all indices are not allowed');
      const pattern = part === '_all' ? '*' : part;
      for (const service of cluster.all()) {
        const hidden = service.name.startsWith('.') || service.meta.settings['index.hidden'] === 'true';
        if (hidden && !states.hidden && !pattern.startsWith('.')) continue;
        if ((service.closed ? states.closed : states.open) && wildcardMatch(pattern, service.name)) out.set(service.name, service);
      }
      return;
    }
    const direct = cluster.get(part);
    const targets = direct ? [direct] : cluster.aliasTargets(part);
    if (targets.length === 0 && !options.ignoreUnavailable) throw indexNotFound(part);
    for (const service of targets) out.set(service.name, service);
  });
  if (out.size === 0 && options.allowNoIndices === false) throw indexNotFound(expression);
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** POST /<index>/_close: the response names every index closed (CloseIndexResponse). */
export function closeIndices(cluster: StateTargets, expression: string, options: StateChangeOptions = {}): Record<string, unknown> {
  const targets = targetsOf(cluster, expression, true, options);
  const indices: Record<string, unknown> = {};
  for (const service of targets) {
    service.setClosed(true);
    indices[service.name] = { closed: true };
  }
  // the closed shards of a red index do not start either: the wait for active shards is not met
  return { acknowledged: true, shards_acknowledged: targets.every((service) => !service.failure), indices };
}

/** POST /<index>/_open (OpenIndexResponse). */
export function openIndices(cluster: StateTargets, expression: string, options: StateChangeOptions = {}): Record<string, unknown> {
  let started = true;
  for (const service of targetsOf(cluster, expression, false, options)) {
    const reopening = service.closed;
    service.setClosed(false);
    // opening allocates the shards afresh: a red index is tried again (its word files may be back)
    const now = reopening && service.failure ? cluster.retryFailed(service) : service;
    if (now.failure) started = false;
  }
  return { acknowledged: true, shards_acknowledged: started };
}

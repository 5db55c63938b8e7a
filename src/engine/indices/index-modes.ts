import { illegalArgument, unsupported } from '../errors.js';
import { parseIndexMode, parseSourceMode } from '../index/mapping/source-mode.js';
import type { IndexMode, SourceModes } from '../index/mapping/source-mode.js';

type Settings = Record<string, unknown>;

const TSDB = '[index.mode=time_series]';
/** IndexMode.VALIDATE_WITH_SETTINGS: the settings only a time_series index may set. */
const TIME_SERIES_ONLY = ['index.routing_path', 'index.time_series.start_time', 'index.time_series.end_time'];
/** IndexMode.TIME_SERIES_UNSUPPORTED: a time_series index sorts itself (by _tsid and @timestamp). */
const TIME_SERIES_UNSUPPORTED = ['index.sort.field', 'index.sort.order', 'index.sort.mode', 'index.sort.missing'];

const present = (value: unknown): boolean => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0) && value !== '';

/** The index mode of flat settings (`standard` when unset). */
export function indexModeOf(settings: Settings): IndexMode {
  const mode = settings['index.mode'];
  return mode === undefined || mode === null ? 'standard' : parseIndexMode(String(mode).toLowerCase());
}

/** The index mode and `index.mapping.source.mode` of flat settings, as the `_source` mapper reads them. */
export function sourceModesOf(settings: Settings): SourceModes {
  const setting = settings['index.mapping.source.mode'];
  return { indexMode: indexModeOf(settings), ...(present(setting) ? { setting: parseSourceMode(setting, true) } : {}) };
}

/**
 * IndexMode#validateWithOtherSettings at index creation: time_series needs `index.routing_path`
 * and refuses index sorting and routing partitions; the other modes refuse the time_series settings.
 * `index.time_series.*` bounds are refused: the engine does not check documents against them.
 */
export function validateIndexModeSettings(settings: Settings): void {
  const mode = indexModeOf(settings);
  const source = settings['index.mapping.source.mode'];
  if (present(source)) parseSourceMode(source, true);
  if (mode !== 'time_series') {
    for (const key of TIME_SERIES_ONLY) if (present(settings[key])) throw illegalArgument(`[${key}] requires ${TSDB}`);
    return;
  }
  const partition = settings['index.routing_partition_size'];
  if (present(partition) && String(partition) !== '1') throw illegalArgument(`${TSDB} is incompatible with [index.routing_partition_size]`);
  for (const key of TIME_SERIES_UNSUPPORTED) if (present(settings[key])) throw illegalArgument(`${TSDB} is incompatible with [${key}]`);
  if (!present(settings['index.routing_path'])) throw illegalArgument(`${TSDB} requires a non-empty [index.routing_path]`);
  for (const key of ['index.time_series.start_time', 'index.time_series.end_time']) if (present(settings[key])) throw unsupported(`${key} (time_series index bounds)`);
}

const ROUTING_FORBIDDEN = `routing is forbidden on CRUD operations that target indices in ${TSDB}`;

/** IndexMode.TIME_SERIES#validateAlias: an alias of a time_series index may not carry routing. */
export function checkAliasRouting(mode: IndexMode, alias: { index_routing?: string; search_routing?: string }): void {
  if (mode === 'time_series' && (alias.index_routing !== undefined || alias.search_routing !== undefined)) throw illegalArgument(ROUTING_FORBIDDEN);
}

/** IndexMode.TIME_SERIES#validateMapping: `_routing: {required: true}` is forbidden. */
export function checkRoutingRequired(mode: IndexMode, required: boolean): void {
  if (mode === 'time_series' && required) throw illegalArgument(ROUTING_FORBIDDEN);
}

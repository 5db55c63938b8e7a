import type { EngineError } from '../../errors.js';
import { illegalArgument, unsupported } from '../../errors.js';
import { mapperParsing } from './mapping-errors.js';

type Json = Record<string, unknown>;

/** IndexSettings.MODE (`index.mode`): the index modes of Elasticsearch 8.19 the engine knows. */
export const INDEX_MODES = ['standard', 'time_series', 'logsdb'] as const;
export type IndexMode = (typeof INDEX_MODES)[number];

/** SourceFieldMapper.Mode: `_source.mode` in a mapping, `index.mapping.source.mode` in the settings. */
export const SOURCE_MODES = ['disabled', 'stored', 'synthetic'] as const;
export type SourceMode = (typeof SOURCE_MODES)[number];

/** What decides the `_source` of an index besides its mapping: its index mode and `index.mapping.source.mode`. */
export interface SourceModes {
  indexMode: IndexMode;
  /** `index.mapping.source.mode` when the settings set it. */
  setting?: SourceMode;
}

export const STANDARD_MODES: SourceModes = { indexMode: 'standard' };

const SOURCE_PARAMS = new Set(['enabled', 'mode', 'includes', 'excludes']);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `index.mode` as IndexMode.fromString reads it. */
export function parseIndexMode(value: unknown): IndexMode {
  const text = String(value);
  if ((INDEX_MODES as readonly string[]).includes(text)) return text as IndexMode;
  // lookup indices (one shard joined by ES|QL LOOKUP JOIN) are not built
  if (text === 'lookup') throw unsupported('index.mode [lookup]');
  // IndexMode.fromString joins the names without a separator (Collectors.joining())
  throw illegalArgument(`[${text}] is an invalid index mode, valid modes are: [${[...INDEX_MODES, 'lookup'].join('')}]`);
}

/** A source mode as `Mode.valueOf(value.toUpperCase(Locale.ROOT))` reads it (the mapping parameter and the setting). */
export function parseSourceMode(value: unknown, setting: boolean): SourceMode {
  const text = String(value).toLowerCase();
  if ((SOURCE_MODES as readonly string[]).includes(text)) return text as SourceMode;
  const reason = `No enum constant org.elasticsearch.index.mapper.SourceFieldMapper.Mode.${String(value).toUpperCase()}`;
  if (setting) throw illegalArgument(reason);
  throw mapperParsing(reason);
}

/** The index mode's own refusal of a non-synthetic source (IndexMode.validateSourceFieldMapper). */
function onlySynthetic(indexMode: IndexMode): EngineError {
  return mapperParsing(indexMode === 'time_series' ? 'time series indices only support synthetic source' : `Indices with with index mode [${indexMode}] only support synthetic source`);
}

/**
 * SourceFieldMapper.Builder#build as Elasticsearch 8.19 runs it: returns the `_source` section the
 * mapping keeps (and prints) and the mode the index stores its `_source` in.
 *
 * - time_series and logsdb indices only have synthetic source: `enabled`, or a `mode` other than
 *   synthetic, is refused; `index.mapping.source.mode` does not change it; the mapping always
 *   prints `mode: synthetic`.
 * - standard indices: `index.mapping.source.mode` wins over the mapping's `mode` (which then
 *   prints as the setting says); without a `mode`, `enabled: false` disables the source.
 */
export function resolveSource(raw: unknown, modes: SourceModes): { json: Json | undefined; mode: SourceMode } {
  if (raw !== undefined && raw !== null && !isRecord(raw)) throw mapperParsing('[_source] must be an object');
  const given = isRecord(raw) ? raw : undefined;
  for (const key of Object.keys(given ?? {})) {
    if (!SOURCE_PARAMS.has(key)) throw mapperParsing(`unknown parameter [${key}] on metadata field [_source]`);
  }
  const requested = given?.mode !== undefined && given.mode !== null ? parseSourceMode(given.mode, false) : undefined;
  const enabledGiven = given?.enabled !== undefined && given.enabled !== null;
  const filtered = listOf(given?.includes).length > 0 || listOf(given?.excludes).length > 0;
  if (modes.indexMode !== 'standard') {
    if (enabledGiven) throw mapperParsing(`Indices with with index mode [${modes.indexMode}] only support synthetic source`);
    if (requested !== undefined && requested !== 'synthetic') throw onlySynthetic(modes.indexMode);
    if (filtered) throw illegalArgument('filtering the stored _source is incompatible with synthetic source');
    return { json: { ...(given ?? {}), mode: 'synthetic' }, mode: 'synthetic' };
  }
  if (enabledGiven && requested !== undefined) throw mapperParsing('Cannot set both [mode] and [enabled] parameters');
  const enabled = String(given?.enabled ?? true) !== 'false';
  let mode: SourceMode = requested ?? (enabled ? 'stored' : 'disabled');
  let json = given;
  if (modes.setting !== undefined) {
    // the setting with `enabled` in the mapping: Elasticsearch builds a mapper its own assertions refuse
    if (enabledGiven) throw unsupported('[index.mapping.source.mode] together with [_source.enabled] in the mapping');
    mode = modes.setting;
    if (requested !== undefined) json = { ...given, mode: modes.setting };
  }
  if (mode === 'synthetic' && filtered) throw illegalArgument('filtering the stored _source is incompatible with synthetic source');
  return { json, mode };
}

/**
 * The `mode` merge validator of SourceFieldMapper: a mode may change to anything but `stored`
 * (synthetic or disabled cannot go back to stored).
 */
export function checkSourceModeUpdate(before: unknown, after: unknown): void {
  const previous = isRecord(before) && before.mode !== undefined ? String(before.mode).toLowerCase() : undefined;
  const next = isRecord(after) && after.mode !== undefined ? String(after.mode).toLowerCase() : undefined;
  if (next === undefined || previous === next || next !== 'stored') return;
  throw illegalArgument(`Mapper for [_source] conflicts with existing mapper:\n\tCannot update parameter [mode] from [${previous ?? 'null'}] to [${next}]`);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/**
 * IndexMode#getDefaultMapping: what a time_series or logsdb index maps before its own mapping
 * (`@timestamp` as a date; logsdb also `host.name`, the field its default index sort leads with).
 */
export function defaultModeMapping(indexMode: IndexMode): Json | undefined {
  if (indexMode === 'time_series') return { properties: { '@timestamp': { type: 'date' } } };
  if (indexMode === 'logsdb') return { properties: { '@timestamp': { type: 'date' }, host: { properties: { name: { type: 'keyword', ignore_above: 1024 } } } } };
  return undefined;
}

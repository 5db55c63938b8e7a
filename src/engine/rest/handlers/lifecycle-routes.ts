import { unsupported } from '../../errors.js';
import type { DataStreamLifecycle } from '../../indices/data-stream-lifecycle.js';
import { isInternalStream, parseLifecycle } from '../../indices/data-stream-lifecycle.js';
import { MANAGED_BY_DSL, generationDate, globalRetentionOf, managedBy } from '../../indices/data-stream-lifecycle-service.js';
import type { DataStream } from '../../indices/data-streams.js';
import { boolParam, jsonBody } from '../request-params.js';
import { ok } from '../rest-types.js';
import type { RestContext, RestRequest, RestResult, Route } from '../rest-types.js';
import { streamsNamed } from './data-stream-routes.js';
import { renderLifecycle } from './lifecycle-render.js';

/**
 * The data stream lifecycle APIs of modules/data-streams (8.x, GA since 8.14): PUT, GET and
 * DELETE `_data_stream/<name>/_lifecycle`, `GET <index>/_lifecycle/explain` and
 * `GET _lifecycle/stats`. What the lifecycle does at each run is DataStreamLifecycleService's.
 */

type Json = Record<string, unknown>;

/** TimeValue.toHumanReadableString(2): the largest unit reached, two fraction digits cut (not rounded), a zero fraction dropped. */
export function humanReadable(ms: number): string {
  if (ms <= 0) return '0s';
  const units: Array<[number, string]> = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's'], [1, 'ms']];
  const [size, suffix] = units.find(([unit]) => ms >= unit) ?? [0.001, 'micros'];
  const text = String(ms / size);
  const dot = text.indexOf('.');
  if (dot === -1) return `${text}${suffix}`;
  const fraction = text.slice(dot + 1, dot + 3);
  return Number(fraction) === 0 ? `${text.slice(0, dot)}${suffix}` : `${text.slice(0, dot + 1)}${fraction}${suffix}`;
}

/** A time series stream would be downsampled by x-pack's downsample action, which the engine does not have. */
function refuseDownsamplingOnTimeSeries(ctx: RestContext, stream: DataStream, lifecycle: DataStreamLifecycle): void {
  if (lifecycle.downsampling === undefined) return;
  const write = ctx.indices.get(stream.indices[stream.indices.length - 1]!);
  if (write?.meta.settings['index.mode'] === 'time_series') {
    throw unsupported(`downsampling in the lifecycle of the time series data stream [${stream.name}] (x-pack downsample)`);
  }
}

/** `PUT /_data_stream/<name>/_lifecycle` (PutDataStreamLifecycleAction): every named stream gets the lifecycle, or none does. */
function putLifecycle(req: RestRequest, ctx: RestContext): RestResult {
  const lifecycle = parseLifecycle(jsonBody(req, true), 'lifecycle');
  const streams = streamsNamed(req, ctx, req.params.name);
  for (const stream of streams) refuseDownsamplingOnTimeSeries(ctx, stream, lifecycle);
  for (const stream of streams) ctx.indices.dataStreams.put({ ...stream, lifecycle });
  return ok({ acknowledged: true });
}

/** `DELETE /_data_stream/<name>/_lifecycle` (DeleteDataStreamLifecycleAction): the streams become unmanaged. */
function deleteLifecycle(req: RestRequest, ctx: RestContext): RestResult {
  for (const stream of streamsNamed(req, ctx, req.params.name)) {
    const { lifecycle: _gone, ...rest } = stream;
    void _gone;
    ctx.indices.dataStreams.put(rest);
  }
  return ok({ acknowledged: true });
}

/** `GET /_data_stream/<name>/_lifecycle` (GetDataStreamLifecycleAction.Response): the global retention, then each stream's lifecycle. */
function getLifecycle(req: RestRequest, ctx: RestContext): RestResult {
  const global = globalRetentionOf(ctx.settings);
  const globalRetention: Json = {};
  if (global.max !== undefined) globalRetention.max_retention = global.max.text;
  if (global.default !== undefined) globalRetention.default_retention = global.default.text;
  const data_streams = streamsNamed(req, ctx, req.params.name).map((stream) => ({
    name: stream.name,
    ...(stream.lifecycle !== undefined ? { lifecycle: renderLifecycle(stream.lifecycle, req, ctx, { effective: true, internal: isInternalStream(stream.name) }) } : {}),
  }));
  return ok({ global_retention: globalRetention, data_streams });
}

/** XContentBuilder.timestampFieldsFromUnixEpochMillis: the millis, and with `human` the date. */
function timestampFields(out: Json, req: RestRequest, millisField: string, field: string, millis: number): void {
  out[millisField] = millis;
  if (boolParam(req, 'human', false)) out[field] = new Date(millis).toISOString();
}

/**
 * `GET /<index>/_lifecycle/explain` (ExplainDataStreamLifecycleAction, ExplainIndexDataStreamLifecycle):
 * per concrete index, whether the data stream lifecycle manages it, its creation, rollover and
 * generation ages, the lifecycle and the last error the lifecycle met on it.
 */
function explainLifecycle(req: RestRequest, ctx: RestContext): RestResult {
  const now = ctx.lifecycle.now();
  const resolved = ctx.indices.resolve(req.params.index, { expandWildcards: req.query.expand_wildcards ?? 'open' });
  const names = [...new Set(resolved.map((r) => r.service.name))];
  const indices: Json = {};
  for (const name of names) {
    const service = ctx.indices.get(name)!;
    const stream = ctx.indices.dataStreams.parentOf(name);
    const managed = stream !== undefined && managedBy(stream, service.meta.settings) === MANAGED_BY_DSL;
    const entry: Json = { index: name, managed_by_lifecycle: managed };
    if (managed && stream) {
      timestampFields(entry, req, 'index_creation_date_millis', 'index_creation_date', service.meta.creationDate);
      entry.time_since_index_creation = humanReadable(now - service.meta.creationDate);
      if (service.meta.rolloverDate !== undefined) {
        timestampFields(entry, req, 'rollover_date_millis', 'rollover_date', service.meta.rolloverDate);
        entry.time_since_rollover = humanReadable(now - service.meta.rolloverDate);
      }
      const generated = generationDate(stream, service);
      if (generated !== undefined) entry.generation_time = humanReadable(now - generated);
      if (stream.lifecycle !== undefined) entry.lifecycle = renderLifecycle(stream.lifecycle, req, ctx, { effective: true, internal: isInternalStream(stream.name) });
      const error = ctx.lifecycle.errors.get(name);
      if (error) entry.error = { message: error.message, first_occurrence_timestamp: error.firstOccurrence, recorded_timestamp: error.recorded, retry_count: error.retryCount };
    }
    indices[name] = entry;
  }
  return ok({ indices });
}

/**
 * `GET /_lifecycle/stats` (GetDataStreamLifecycleStatsAction): the last run's duration, the time
 * between the last two runs, and per stream with an enabled lifecycle the backing indices it
 * manages and how many of them are in error.
 */
function lifecycleStats(req: RestRequest, ctx: RestContext): RestResult {
  const out: Json = {};
  const human = boolParam(req, 'human', false);
  if (ctx.lifecycle.lastRunDuration !== undefined) {
    out.last_run_duration_in_millis = ctx.lifecycle.lastRunDuration;
    if (human) out.last_run_duration = humanReadable(ctx.lifecycle.lastRunDuration);
  }
  if (ctx.lifecycle.timeBetweenStarts !== undefined) {
    out.time_between_starts_in_millis = ctx.lifecycle.timeBetweenStarts;
    if (human) out.time_between_starts = humanReadable(ctx.lifecycle.timeBetweenStarts);
  }
  const rows = ctx.indices.dataStreams
    .all()
    .filter((stream) => stream.lifecycle !== undefined && stream.lifecycle.enabled)
    .map((stream) => {
      const managed = stream.indices.filter((name) => {
        const service = ctx.indices.get(name);
        return service !== undefined && managedBy(stream, service.meta.settings) === MANAGED_BY_DSL;
      });
      return { name: stream.name, backing_indices_in_total: managed.length, backing_indices_in_error: managed.filter((name) => ctx.lifecycle.errors.has(name)).length };
    });
  return ok({ ...out, data_stream_count: rows.length, data_streams: rows });
}

const TIMEOUTS = ['master_timeout', 'timeout'];

export const LIFECYCLE_ROUTES: Route[] = [
  { method: 'GET', pattern: '/_data_stream/{name}/_lifecycle', handler: getLifecycle, params: ['expand_wildcards', 'include_defaults', 'master_timeout'] },
  { method: 'PUT', pattern: '/_data_stream/{name}/_lifecycle', handler: putLifecycle, params: ['expand_wildcards', ...TIMEOUTS] },
  { method: 'DELETE', pattern: '/_data_stream/{name}/_lifecycle', handler: deleteLifecycle, params: ['expand_wildcards', ...TIMEOUTS] },
  { method: 'GET', pattern: '/{index}/_lifecycle/explain', handler: explainLifecycle, params: ['include_defaults', 'master_timeout'] },
  { method: 'GET', pattern: '/_lifecycle/stats', handler: lifecycleStats },
];

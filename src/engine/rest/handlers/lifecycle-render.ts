import type { DataStreamLifecycle } from '../../indices/data-stream-lifecycle.js';
import { effectiveRetention } from '../../indices/data-stream-lifecycle.js';
import { globalRetentionOf } from '../../indices/data-stream-lifecycle-service.js';
import { parseRolloverSetting, renderRollover } from '../../indices/rollover-configuration.js';
import { boolParam } from '../request-params.js';
import type { RestContext, RestRequest } from '../rest-types.js';

type Json = Record<string, unknown>;

export interface LifecycleRenderOptions {
  /** DataStreamLifecycle.addEffectiveRetentionParams: data streams' answers show effective_retention and retention_determined_by, templates' do not. */
  effective: boolean;
  /** DataStream.isInternal: a dot-prefixed stream ignores the global retention. */
  internal?: boolean;
}

/**
 * DataStreamLifecycle.toXContent: enabled, data_retention, the effective retention and its source
 * (when asked and there is one), downsampling, and with `include_defaults` the rollover conditions
 * of `cluster.lifecycle.default.rollover` (max_age=auto evaluated from the effective retention).
 */
export function renderLifecycle(lifecycle: DataStreamLifecycle, req: RestRequest, ctx: RestContext, options: LifecycleRenderOptions): Json {
  const out: Json = { enabled: lifecycle.enabled };
  if (lifecycle.data_retention !== undefined) out.data_retention = lifecycle.data_retention;
  const effective = effectiveRetention(lifecycle, globalRetentionOf(ctx.settings), options.internal === true);
  if (options.effective && effective !== undefined) {
    out.effective_retention = effective.text;
    out.retention_determined_by = effective.source;
  }
  if (lifecycle.downsampling !== undefined) out.downsampling = lifecycle.downsampling.map((r) => ({ after: r.after, fixed_interval: r.fixed_interval }));
  if (boolParam(req, 'include_defaults', false)) {
    const conditions = parseRolloverSetting(ctx.settings.get('cluster.lifecycle.default.rollover'), 'cluster.lifecycle.default.rollover');
    out.rollover = renderRollover(conditions, effective?.ms);
  }
  return out;
}

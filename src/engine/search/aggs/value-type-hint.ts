import { EngineError } from '../../errors.js';
import type { Execution } from '../executor.js';
import { ShardTargetFailure } from '../shard-failure.js';

/**
 * An aggregation's `value_type` against the field's type on each shard (ValuesSourceConfig.
 * internalResolve): where the field is mapped with another values-source type than the hint names,
 * Elasticsearch fails that shard with `Field type [keyword] is incompatible with specified
 * value_type [ip]` (typically an older index that mapped an ip as keyword), so the correctly mapped
 * shards still answer. Only the hints ValueType.lenientParse knows are checked, and only against the
 * field types listed below; anything else is left to the aggregation.
 */

type SourceType = 'keyword' | 'numeric' | 'date' | 'ip' | 'boolean';

/** ValueType.lenientParse: the hint's values-source type and its name in messages (ValueType.toString). */
const HINTS: Record<string, { type: SourceType; description: string }> = {
  string: { type: 'keyword', description: 'string' },
  double: { type: 'numeric', description: 'float|double' },
  float: { type: 'numeric', description: 'float|double' },
  long: { type: 'numeric', description: 'byte|short|integer|long' },
  integer: { type: 'numeric', description: 'byte|short|integer|long' },
  short: { type: 'numeric', description: 'byte|short|integer|long' },
  byte: { type: 'numeric', description: 'byte|short|integer|long' },
  date: { type: 'date', description: 'date' },
  ip: { type: 'ip', description: 'ip' },
  boolean: { type: 'boolean', description: 'boolean' },
};

/** The values-source type of a mapped field type (its IndexFieldData's getValuesSourceType). */
const FIELD_TYPES: Record<string, SourceType> = {
  keyword: 'keyword',
  constant_keyword: 'keyword',
  long: 'numeric',
  integer: 'numeric',
  short: 'numeric',
  byte: 'numeric',
  double: 'numeric',
  float: 'numeric',
  half_float: 'numeric',
  scaled_float: 'numeric',
  unsigned_long: 'numeric',
  date: 'date',
  date_nanos: 'date',
  ip: 'ip',
  boolean: 'boolean',
};

/** Throws a ShardTargetFailure for the first shard whose field contradicts `value_type` (none: returns). */
export function checkValueTypeHint(exec: Execution, field: string, hint: unknown): void {
  if (typeof hint !== 'string' || !Object.hasOwn(HINTS, hint)) return;
  const wanted = HINTS[hint]!;
  for (const st of exec.states) {
    const info = st.view.mapping.field(field);
    if (!info || !Object.hasOwn(FIELD_TYPES, info.type)) continue;
    if (FIELD_TYPES[info.type] === wanted.type) continue;
    throw new ShardTargetFailure(st.target, new EngineError(400, 'illegal_argument_exception', `Field type [${info.type}] is incompatible with specified value_type [${wanted.description}]`));
  }
}

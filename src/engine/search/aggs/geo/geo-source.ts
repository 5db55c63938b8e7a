import { EngineError } from '../../../errors.js';
import { pointReader } from '../../../geo/geo-doc-values.js';
import type { GeoPoint } from '../../../geo/geo-encoding.js';
import type { PointReader } from '../../../geo/geo-doc-values.js';
import type { AggSpec, DocSet } from '../agg-types.js';
import { byTarget } from '../values-source.js';

/**
 * The values source of the geo aggregations (ValuesSourceType.GEOPOINT): each leaf's points
 * (quantized, as doc values give them), and the DocSet's positions per shard, in shard order, as
 * each shard's aggregator sees them before the reduce.
 */

/** One reader per leaf; null where the field is unmapped. */
export function geoReaders(spec: AggSpec, docs: DocSet, field: string): Array<PointReader | null> {
  return docs.leaves.map((leaf) => {
    const info = leaf.view.mapping.field(field);
    if (!info) return null;
    if (info.type !== 'geo_point') throw new EngineError(400, 'illegal_argument_exception', `Field [${field}] of type [${info.type}] is not supported for aggregation [${spec.type}]`);
    if (!info.docValues) {
      throw new EngineError(400, 'illegal_argument_exception', `Can't load fielddata on [${field}] because fielddata is unsupported on fields of type [geo_point]. Use doc values instead.`);
    }
    return pointReader(leaf.segment, info);
  });
}

/** The points of position `i` of `docs`. */
export function pointsAt(readers: ReadonlyArray<PointReader | null>, docs: DocSet, i: number): readonly GeoPoint[] | undefined {
  return readers[docs.leaf[i] as number]?.(docs.doc[i] as number);
}

/** The DocSet's positions per shard (every shard that holds a leaf), in shard order. */
export function shardPositions(docs: DocSet): Int32Array[] {
  const targets = docs.leaves.reduce((n, l) => Math.max(n, l.target + 1), 0);
  return [...byTarget(docs, targets).entries()].sort((a, b) => a[0] - b[0]).map(([, pos]) => pos);
}

/** The field of a geo aggregation (required; scripts are refused). */
export function geoField(spec: AggSpec): string {
  const f = spec.body.field;
  if (spec.body.script !== undefined) throw new EngineError(400, 'illegal_argument_exception', `[script] in aggregation [${spec.name}] of type [${spec.type}] is not supported by the indexkit embedded engine: aggregate on a field instead`);
  if (f === undefined) throw new EngineError(400, 'illegal_argument_exception', 'Required one of fields [field, script], but none were specified. ');
  if (typeof f !== 'string') throw new EngineError(400, 'x_content_parse_exception', `[1:1] [${spec.type}] field [field] must be a string`);
  return f;
}

import { illegalArgument } from '../errors.js';
import { Mapping } from '../index/mapping/mapping.js';
import type { DataStream } from './data-streams.js';
import type { IndexService } from './index-service.js';
import type { IndicesService } from './indices-service.js';

type Json = Record<string, unknown>;

const TIMESTAMP_META = { _data_stream_timestamp: { enabled: true } };

/**
 * `POST /_data_stream/_migrate/<alias>` (MetadataMigrateToDataStreamService): an alias with a
 * write index and no filter or routing, whose name a data stream template matches, becomes a data
 * stream of its indices (the write index last). Each index loses the alias, becomes hidden and
 * takes the timestamp meta field, which needs its `@timestamp` mapped as a date; every index is
 * checked before any changes.
 */
export function migrateToDataStream(indices: IndicesService, alias: string): DataStream {
  const members = indices.aliasTargets(alias);
  if (members.length === 0 || indices.get(alias) || indices.dataStreams.has(alias)) throw illegalArgument(`alias [${alias}] does not exist`);
  const flagged = members.filter((m) => m.meta.aliases[alias]!.is_write_index === true);
  const writeIndex = flagged.length === 1 ? flagged[0]! : members.length === 1 && members[0]!.meta.aliases[alias]!.is_write_index !== false ? members[0]! : undefined;
  if (!writeIndex) throw illegalArgument(`alias [${alias}] must specify a write index`);
  for (const member of members) {
    const definition = member.meta.aliases[alias]!;
    if (definition.filter !== undefined || definition.index_routing !== undefined || definition.search_routing !== undefined) {
      throw illegalArgument(`alias [${alias}] may not have custom filtering or routing`);
    }
  }
  const winner = indices.templates.findComposable(alias, false);
  if (!winner) throw illegalArgument(`no matching index template found for data stream [${alias}]`);
  const dsTemplate = winner.template.data_stream;
  if (dsTemplate === undefined) throw illegalArgument(`matching index template [${winner.name}] for data stream [${alias}] has no data stream template`);
  const ordered = [...members.filter((m) => m !== writeIndex), writeIndex];
  // DataStreamTimestampFieldMapper's validation on each index's mapping with the meta field added
  for (const service of ordered) Mapping.parse({ ...service.mapping.toJSON(), ...TIMESTAMP_META }, service.analysis, service.mapping.fieldLimit, service.mapping.depthLimit, service.mapping.defaults, service.mapping.modes);
  for (const service of ordered) prepareBackingIndex(service, alias);
  const stream: DataStream = {
    name: alias,
    generation: 1,
    indices: ordered.map((s) => s.name),
    hidden: dsTemplate.hidden === true || dsTemplate.hidden === 'true',
    allowCustomRouting: dsTemplate.allow_custom_routing === true || dsTemplate.allow_custom_routing === 'true',
    ...(winner.template._meta !== undefined ? { meta: winner.template._meta as Json } : {}),
    ...(indices.templates.compose(winner.template).lifecycle !== undefined ? { lifecycle: indices.templates.compose(winner.template).lifecycle! } : {}),
    rolloverOnWrite: false,
  };
  indices.dataStreams.put(stream);
  return stream;
}

/** MetadataMigrateToDataStreamService.prepareBackingIndex: the alias removed, hidden, the timestamp meta field added. */
function prepareBackingIndex(service: IndexService, alias: string): void {
  const { [alias]: _removed, ...rest } = service.meta.aliases;
  void _removed;
  service.meta.aliases = rest;
  service.meta.settings = { ...service.meta.settings, 'index.hidden': 'true' };
  service.mapping.merge(TIMESTAMP_META);
  service.persistMeta();
}

import { EngineError, illegalArgument } from '../errors.js';
import type { DataStream } from './data-streams.js';
import type { IndicesService } from './indices-service.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ACTIONS = ['add_backing_index', 'remove_backing_index'] as const;
type ActionType = (typeof ACTIONS)[number];

interface ModifyAction {
  type: ActionType;
  dataStream: string;
  index: string;
}

/** ModifyDataStreamsAction.Request's parser: `actions` of `add_backing_index` / `remove_backing_index` with `data_stream` and `index`. */
function parseActions(body: Json): ModifyAction[] {
  for (const key of Object.keys(body)) if (key !== 'actions') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [data_stream_actions] unknown field [${key}]`);
  if (!Array.isArray(body.actions)) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: must specify at least one data stream modification action;');
  const out: ModifyAction[] = [];
  for (const entry of body.actions) {
    if (!isRecord(entry) || Object.keys(entry).length !== 1) throw new EngineError(400, 'x_content_parse_exception', '[1:2] [data_stream_actions] failed to parse field [actions]');
    const type = Object.keys(entry)[0]!;
    if (!(ACTIONS as readonly string[]).includes(type)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [data_stream_action] unknown field [${type}]`);
    const spec = entry[type];
    if (!isRecord(spec)) throw new EngineError(400, 'x_content_parse_exception', `[1:2] [data_stream_actions] failed to parse field [actions]`);
    for (const key of Object.keys(spec)) if (key !== 'data_stream' && key !== 'index') throw new EngineError(400, 'x_content_parse_exception', `[1:2] [data_stream_action] unknown field [${key}]`);
    out.push({ type: type as ActionType, dataStream: String(spec.data_stream ?? ''), index: String(spec.index ?? '') });
  }
  if (out.length === 0) throw new EngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: must specify at least one data stream modification action;');
  return out;
}

/**
 * `POST /_data_stream/_modify` (MetadataDataStreamsService.modifyDataStream): every action is
 * checked against the state the earlier ones leave, and nothing changes unless all pass. An added
 * index goes first in the stream (the oldest generation) and becomes hidden; a removed one is
 * shown again; a stream's write index cannot be removed.
 */
export function modifyDataStreams(indices: IndicesService, body: Json): void {
  const actions = parseActions(body);
  const streams = new Map<string, DataStream>();
  const streamOf = (name: string): DataStream => {
    const known = streams.get(name) ?? indices.dataStreams.get(name);
    if (!known) throw illegalArgument(`data stream [${name}] not found`);
    return known;
  };
  const parentOf = (index: string): DataStream | undefined => {
    for (const s of streams.values()) if (s.indices.includes(index)) return s;
    const stored = indices.dataStreams.parentOf(index);
    return stored && !streams.has(stored.name) ? stored : undefined;
  };
  const hidden = new Map<string, boolean>();
  for (const action of actions) {
    const stream = streamOf(action.dataStream);
    const service = indices.get(action.index);
    if (!service) throw illegalArgument(`index [${action.index}] not found`);
    if (action.type === 'add_backing_index') {
      const owner = parentOf(action.index);
      if (owner && owner.name !== stream.name) {
        throw illegalArgument(`cannot add index [${action.index}] to data stream [${stream.name}] because it is already a backing index on data stream [${owner.name}]`);
      }
      if (owner) continue;
      const aliases = Object.keys(service.meta.aliases);
      if (aliases.length > 0) throw illegalArgument(`cannot add index [${action.index}] to data stream [${stream.name}] until its ${aliases.length === 1 ? 'alias' : 'aliases'} [${aliases.sort().join(',')}] ${aliases.length === 1 ? 'is' : 'are'} removed`);
      // DataStream.addBackingIndex / removeBackingIndex: each moves the generation on
      streams.set(stream.name, { ...stream, generation: stream.generation + 1, indices: [action.index, ...stream.indices] });
      hidden.set(action.index, true);
    } else {
      if (!stream.indices.includes(action.index)) throw illegalArgument(`index [${action.index}] not part of data stream [${stream.name}]`);
      if (stream.indices[stream.indices.length - 1] === action.index) {
        throw illegalArgument(`cannot remove backing index [${action.index}] of data stream [${stream.name}] because it is the write index`);
      }
      streams.set(stream.name, { ...stream, generation: stream.generation + 1, indices: stream.indices.filter((i) => i !== action.index) });
      hidden.set(action.index, false);
    }
  }
  for (const stream of streams.values()) indices.dataStreams.put(stream);
  for (const [name, value] of hidden) {
    const service = indices.get(name)!;
    service.meta.settings = { ...service.meta.settings, 'index.hidden': String(value) };
    service.persistMeta();
  }
}

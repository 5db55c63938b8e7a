import type { IndexView, MappingLookup } from '../../contract.js';
import { EngineError } from '../../errors.js';
import type { ParsedDocument } from '../../index/parsed-document.js';
import type { IndexService } from '../../indices/index-service.js';
import type { MltItem } from '../../search/more-like-this/more-like-this-query.js';
import type { DocumentLookup, TermVectors } from '../../search/document-lookup.js';
import type { RestContext } from '../rest-types.js';

type Json = Record<string, unknown>;

/** TermVectorsService.isValidField: string fields (text, keyword) that are indexed. */
const STRING_TYPES: ReadonlySet<string> = new Set(['text', 'keyword']);

/**
 * The documents of every index, as a shard's query rewrite reaches them through Elasticsearch's
 * client and mapper service: the term vectors of more_like_this items, generated from `_source`
 * (realtime) or from the artificial `doc` with the index's mapping (fields it lacks are left out,
 * as the term vectors API leaves out fields without a mapped string type); the document a
 * percolate query names; the in-memory index of percolated documents.
 */
export function documentLookup(ctx: RestContext): DocumentLookup {
  return {
    termVectors(index: string, item: MltItem, fields: readonly string[] | undefined): TermVectors | undefined {
      const service = indexNamed(ctx, index);
      if (!service) return undefined;
      const source = item.doc ?? (item.id !== undefined ? service.get(item.id, item.routing)?.source : undefined);
      if (!source) return undefined;
      return termVectorsOf(service.parseDetached(source), service.mapping.lookup(), fields);
    },
    indexExists(index: string): boolean {
      return indexNamed(ctx, index) !== undefined;
    },
    source(index: string, id: string, routing: string | undefined): Json | null | undefined {
      const doc = indexNamed(ctx, index)?.get(id, routing);
      return doc === undefined ? undefined : (doc.source ?? null);
    },
    memoryIndex(index: string, docs: readonly Json[]): IndexView {
      return ctx.indices.resolveSingle(index).memoryView(docs);
    },
  };
}

/** The index a multi term vectors item names; undefined (the item fails and is skipped) when it does not exist. */
function indexNamed(ctx: RestContext, index: string): IndexService | undefined {
  try {
    return ctx.indices.resolveSingle(index);
  } catch (error) {
    if (error instanceof EngineError && error.status === 404) return undefined;
    throw error;
  }
}

/** Per string field of the document (nested objects included), each indexed term with its frequency, terms sorted. */
function termVectorsOf(parsed: ParsedDocument, mapping: MappingLookup, fields: readonly string[] | undefined): TermVectors {
  const patterns = fields?.map(globPattern);
  const counts = new Map<string, Map<string, number>>();
  for (const fieldsOfDoc of [parsed.fields, ...parsed.children.map((c) => c.fields)]) {
    for (const [path, field] of fieldsOfDoc) {
      const info = mapping.field(path);
      if (!info || info.path !== path || !STRING_TYPES.has(info.type) || !info.indexed) continue;
      if (patterns && !patterns.some((p) => p.test(path))) continue;
      let terms = counts.get(path);
      if (!terms) counts.set(path, (terms = new Map()));
      for (const term of (info.type === 'text' ? field.terms : field.keywords) ?? []) terms.set(term, (terms.get(term) ?? 0) + 1);
    }
  }
  const out: TermVectors = new Map();
  for (const [path, terms] of counts) {
    if (terms.size > 0) out.set(path, new Map([...terms].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  }
  return out;
}

/** Regex.simpleMatch: `*` matches any run of characters. */
function globPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

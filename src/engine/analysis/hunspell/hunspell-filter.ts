import { illegalArgument } from '../../errors.js';
import type { ComponentParams } from '../analysis-settings.js';
import type { TokenFilter } from '../analysis-types.js';
import type { FactoryContext } from '../tokenizer-factories.js';
import { HunspellService } from './hunspell-service.js';
import { HunspellStemFilter } from './hunspell-stemmer.js';

/**
 * Elasticsearch's HunspellTokenFilterFactory (`hunspell`): `locale` (or `language`, or `lang`)
 * names the node's dictionary; `dedup` (default true) and `longest_only` (default false). The
 * documented `dictionary` and `ignore_case` parameters are not read by Elasticsearch 8's factory
 * (every .dic file of the locale is used; ignore_case is a dictionary setting), so not here either.
 */
export function hunspellFilter(p: ComponentParams, ctx: FactoryContext): TokenFilter {
  const locale = p.has('locale') ? p.string('locale', '') : p.has('language') ? p.string('language', '') : p.has('lang') ? p.string('lang', '') : undefined;
  if (locale === undefined) throw illegalArgument('missing [locale | language | lang] configuration for hunspell token filter');
  // without a node (a registry built alone) no dictionary can be found: the same failure as a missing folder
  const service = ctx.hunspell ?? new HunspellService(undefined, { 'indices.analysis.hunspell.dictionary.lazy': true });
  const dictionary = service.getDictionary(locale);
  return new HunspellStemFilter(dictionary, p.bool('dedup', true), p.bool('longest_only', false));
}

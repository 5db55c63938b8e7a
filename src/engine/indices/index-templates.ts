import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, illegalArgument } from '../errors.js';
import { writeFileAtomic } from '../index/store/record-file.js';
import type { AliasMetadata } from './index-service.js';
import type { FlatSettings } from './index-settings.js';
import { isWildcard, wildcardMatch } from './index-names.js';
import { anyPatternMatches, isMatchAll, patternListsIntersect } from './template-patterns.js';
import type { ComponentTemplate, ComposableTemplate, DataStreamLifecycle, LegacyTemplate } from './template-parsing.js';
import { invalidTemplate, validateTemplateNames } from './template-parsing.js';

type Json = Record<string, unknown>;

/** What the templates give a new index, before the create request's own settings, mappings and aliases. */
export interface ResolvedTemplate {
  /** The composable template that won, when one matched (legacy templates are then ignored). */
  composable?: { name: string; template: ComposableTemplate };
  /** The legacy templates that matched, highest order first. */
  legacy: Array<{ name: string; template: LegacyTemplate }>;
  settings: FlatSettings;
  /** Composable: mappings to merge in order (MergeReason.INDEX_TEMPLATE). Legacy: highest order first (mergeDefaults). */
  mappings: Json[];
  /** Alias maps by precedence: an alias in an earlier map wins. */
  aliases: Array<Record<string, AliasMetadata>>;
  /** A composable template's data stream lifecycle (its components' merged under its own). */
  lifecycle?: DataStreamLifecycle;
}

/** Checks that settings + mappings make an index (MetadataIndexTemplateService.validateTemplate / validateCompositeTemplate). */
export type TemplateValidator = (settings: FlatSettings, mappings: Json[], composable: boolean) => void;

interface TemplateState {
  component_templates: Record<string, ComponentTemplate>;
  index_templates: Record<string, ComposableTemplate>;
  templates: Record<string, LegacyTemplate>;
}

/**
 * The index templates of the cluster state (Metadata.componentTemplates, templatesV2, templates):
 * kept in `templates.json` of the data directory, written whole on each change (temp file +
 * rename), read at open. MetadataIndexTemplateService's rules: composable templates of one
 * priority may not overlap, a component template in use cannot be removed, a composable template
 * that matches wins over every legacy template.
 */
export class IndexTemplates {
  private state: TemplateState = { component_templates: {}, index_templates: {}, templates: {} };
  private readonly file: string;

  constructor(
    root: string,
    private readonly validate: TemplateValidator,
  ) {
    this.file = join(root, 'templates.json');
    if (existsSync(this.file)) this.state = JSON.parse(readFileSync(this.file, 'utf8')) as TemplateState;
  }

  private persist(): void {
    writeFileAtomic(this.file, JSON.stringify(this.state));
  }

  // --- lookups ---

  component(name: string): ComponentTemplate | undefined {
    return Object.hasOwn(this.state.component_templates, name) ? this.state.component_templates[name] : undefined;
  }

  composable(name: string): ComposableTemplate | undefined {
    return Object.hasOwn(this.state.index_templates, name) ? this.state.index_templates[name] : undefined;
  }

  legacy(name: string): LegacyTemplate | undefined {
    return Object.hasOwn(this.state.templates, name) ? this.state.templates[name] : undefined;
  }

  /** Names matching a name or `*` pattern, sorted. */
  matchNames(kind: keyof TemplateState, pattern: string): string[] {
    const names = Object.keys(this.state[kind]).sort();
    return isWildcard(pattern) ? names.filter((n) => wildcardMatch(pattern, n)) : names.filter((n) => n === pattern);
  }

  // --- component templates ---

  putComponent(name: string, template: ComponentTemplate, create: boolean): void {
    if (create && this.component(name)) throw illegalArgument(`component template [${name}] already exists`);
    validateTemplateNames(name, []);
    const settings = template.template.settings ?? {};
    this.checkValid(name, () => this.validate(settings, template.template.mappings ? [template.template.mappings] : [], true));
    // the composable templates that use it must still make valid indices (validateIndexTemplateV2 per dependent)
    const next = { ...this.state.component_templates, [name]: template };
    for (const [user, composable] of Object.entries(this.state.index_templates)) {
      if (!composable.composed_of.includes(name)) continue;
      try {
        this.validateComposable(user, composable, next);
      } catch (error) {
        const cause = error instanceof EngineError ? error : undefined;
        throw new EngineError(400, 'illegal_argument_exception', `updating component template [${name}] results in invalid composable template [${user}] after templates are merged`, {}, cause);
      }
    }
    this.state = { ...this.state, component_templates: next };
    this.persist();
  }

  /** Removes component templates (a name, a `*` pattern, or a comma list of names). */
  deleteComponents(expression: string): void {
    const names = this.resolveDeletion('component_templates', expression, (missing) => new EngineError(404, 'resource_not_found_exception', missing));
    const used = names.filter((n) => Object.values(this.state.index_templates).some((t) => t.composed_of.includes(n)));
    if (used.length > 0) {
      const users = Object.keys(this.state.index_templates).filter((t) => this.state.index_templates[t]!.composed_of.some((c) => used.includes(c)));
      throw illegalArgument(`component templates [${used.join(', ')}] cannot be removed as they are still in use by index templates [${users.sort().join(', ')}]`);
    }
    const next = { ...this.state.component_templates };
    for (const n of names) delete next[n];
    this.state = { ...this.state, component_templates: next };
    this.persist();
  }

  // --- composable templates ---

  putComposable(name: string, template: ComposableTemplate, create: boolean): void {
    if (create && this.composable(name)) throw illegalArgument(`index template [${name}] already exists`);
    this.checkComposable(name, template);
    this.state = { ...this.state, index_templates: { ...this.state.index_templates, [name]: template } };
    this.persist();
  }

  /** Every check a put makes (used by the simulate APIs too, which change nothing). */
  checkComposable(name: string, template: ComposableTemplate): void {
    const priority = template.priority ?? 0;
    const same = Object.entries(this.state.index_templates).filter(([other, t]) => other !== name && (t.priority ?? 0) === priority && patternListsIntersect(t.index_patterns, template.index_patterns));
    if (same.length > 0) {
      const names = same.map(([n]) => n).join(',');
      const patterns = same.map(([n, t]) => `${n} => [${t.index_patterns.join(', ')}]`).join(',');
      throw illegalArgument(
        `index template [${name}] has index patterns [${template.index_patterns.join(', ')}] matching patterns from existing templates [${names}] with patterns (${patterns}) that have the same priority [${priority}], multiple index templates may not match during index creation, please use a different priority`,
      );
    }
    this.validateComposable(name, template, this.state.component_templates);
  }

  private validateComposable(name: string, template: ComposableTemplate, components: Record<string, ComponentTemplate>): void {
    validateTemplateNames(name, template.index_patterns);
    const missing = template.composed_of.filter((c) => !Object.hasOwn(components, c));
    const ignore = template.ignore_missing_component_templates ?? [];
    if (missing.length > 0 && ignore.length === 0) throw invalidTemplate(name, `index template [${name}] specifies component templates [${missing.join(', ')}] that do not exist`);
    for (const m of missing) {
      if (!ignore.includes(m)) throw invalidTemplate(name, `index template [${name}] specifies a missing component templates [${m}] that does not exist and is not part of 'ignore_missing_component_templates'`);
    }
    const resolved = composeTemplate(template, components);
    // MetadataIndexTemplateService.validateLifecycle: a lifecycle is for data streams
    if (resolved.lifecycle && template.data_stream === undefined) {
      throw illegalArgument(`index template [${name}] specifies lifecycle configuration that can only be used in combination with a data stream`);
    }
    if (template.index_patterns.some(isMatchAll) && resolved.settings['index.hidden'] !== undefined) {
      throw invalidTemplate(name, 'global composable templates may not specify the setting index.hidden');
    }
    const parts = template.composed_of.filter((c) => Object.hasOwn(components, c));
    this.checkValid(name, () => this.validate(resolved.settings, resolved.mappings, true), parts);
  }

  /** Runs a validation; its failure becomes "composable template [x] template after composition ... is invalid". */
  private checkValid(name: string, run: () => void, parts?: string[]): void {
    try {
      run();
    } catch (error) {
      if (!(error instanceof EngineError) || /is not supported by the indexkit embedded engine/.test(error.message)) throw error;
      const what = parts === undefined ? `component template [${name}]` : `composable template [${name}] template after composition${parts.length > 0 ? ` with component templates [${parts.join(', ')}]` : ''}`;
      throw new EngineError(400, 'illegal_argument_exception', `${what} is invalid`, {}, error);
    }
  }

  /** Removes composable templates; `checkInUse` may refuse the names (the data streams that need them). */
  deleteComposables(expression: string, checkInUse?: (names: string[]) => void): void {
    const names = this.resolveDeletion('index_templates', expression, (missing) => new EngineError(404, 'index_template_missing_exception', `index_template [${missing}] missing`));
    checkInUse?.(names);
    const next = { ...this.state.index_templates };
    for (const n of names) delete next[n];
    this.state = { ...this.state, index_templates: next };
    this.persist();
  }

  // --- legacy templates ---

  putLegacy(name: string, template: LegacyTemplate, create: boolean): void {
    if (create && this.legacy(name)) throw illegalArgument(`index_template [${name}] already exists`);
    validateTemplateNames(name, template.index_patterns);
    if (template.index_patterns.some(isMatchAll) && template.settings['index.hidden'] !== undefined) {
      throw invalidTemplate(name, 'global templates may not specify the setting index.hidden');
    }
    this.validate(template.settings, Object.keys(template.mappings).length > 0 ? [template.mappings] : [], false);
    this.state = { ...this.state, templates: { ...this.state.templates, [name]: template } };
    this.persist();
  }

  deleteLegacy(expression: string): void {
    const names = this.matchNames('templates', expression);
    if (names.length === 0) {
      if (isMatchAll(expression)) return;
      throw new EngineError(404, 'index_template_missing_exception', `index_template [${expression}] missing`);
    }
    const next = { ...this.state.templates };
    for (const n of names) delete next[n];
    this.state = { ...this.state, templates: next };
    this.persist();
  }

  /** innerRemoveIndexTemplateV2 / innerRemoveComponentTemplate: a list names concrete templates; one name may be a pattern. */
  private resolveDeletion(kind: 'index_templates' | 'component_templates', expression: string, missingError: (names: string) => EngineError): string[] {
    const parts = expression.split(',').filter((p) => p !== '');
    if (parts.length > 1) {
      const out = new Set<string>();
      const missing: string[] = [];
      for (const part of parts) {
        const found = this.matchNames(kind, part);
        if (found.length === 0 && !isWildcard(part)) missing.push(part);
        for (const f of found) out.add(f);
      }
      if (missing.length > 0) throw missingError(missing.join(','));
      return [...out];
    }
    const found = this.matchNames(kind, parts[0] ?? '');
    if (found.length === 0 && !isMatchAll(parts[0] ?? '')) throw missingError(parts[0] ?? '');
    return found;
  }

  // --- resolution ---

  /**
   * MetadataIndexTemplateService.findV2Template: the highest-priority composable template matching
   * `index`; a hidden index skips the global (`*`) ones.
   */
  findComposable(index: string, hidden: boolean, extra?: { name: string; template: ComposableTemplate }): { name: string; template: ComposableTemplate } | undefined {
    return this.composableCandidates(index, hidden, extra)[0];
  }

  /** MetadataIndexTemplateService.findV2CandidateTemplates: every composable template matching `index`, highest priority first. */
  composableCandidates(index: string, hidden: boolean, extra?: { name: string; template: ComposableTemplate }): Array<{ name: string; template: ComposableTemplate }> {
    const all = { ...this.state.index_templates };
    if (extra) all[extra.name] = extra.template;
    return Object.entries(all)
      .filter(([, t]) => (!hidden || !t.index_patterns.some(isMatchAll)) && anyPatternMatches(t.index_patterns, index))
      .sort(([an, a], [bn, b]) => (b.priority ?? 0) - (a.priority ?? 0) || (an < bn ? -1 : an > bn ? 1 : 0))
      .map(([name, template]) => ({ name, template }));
  }

  /** MetadataIndexTemplateService.findV1Templates: matching legacy templates, highest order first. */
  findLegacy(index: string, hidden: boolean | undefined): Array<{ name: string; template: LegacyTemplate }> {
    let matched = Object.entries(this.state.templates)
      .filter(([, t]) => (hidden !== true || !t.index_patterns.some(isMatchAll)) && anyPatternMatches(t.index_patterns, index))
      .sort(([an, a], [bn, b]) => b.order - a.order || (an < bn ? -1 : an > bn ? 1 : 0))
      .map(([name, template]) => ({ name, template }));
    // a create request that does not say index.hidden, made hidden by a template: the global templates step aside
    if (hidden === undefined) {
      const decides = matched.find((m) => m.template.settings['index.hidden'] !== undefined);
      if (decides && decides.template.settings['index.hidden'] === 'true') matched = matched.filter((m) => !m.template.index_patterns.some(isMatchAll));
    }
    return matched;
  }

  /** What the templates give a new index named `index` (hidden: the request's index.hidden, if it says). */
  resolveFor(index: string, hidden: boolean | undefined): ResolvedTemplate {
    const composable = this.findComposable(index, hidden === true);
    if (composable) return { composable, legacy: [], ...composeTemplate(composable.template, this.state.component_templates) };
    const legacy = this.findLegacy(index, hidden);
    const settings: FlatSettings = {};
    for (const { template } of [...legacy].reverse()) Object.assign(settings, template.settings);
    return { legacy, settings, mappings: legacy.map((l) => l.template.mappings), aliases: legacy.map((l) => l.template.aliases) };
  }

  /** A composable template's parts, resolved against the stored component templates. */
  compose(template: ComposableTemplate): Pick<ResolvedTemplate, 'settings' | 'mappings' | 'aliases' | 'lifecycle'> {
    return composeTemplate(template, this.state.component_templates);
  }

  /** Templates other than `exclude` whose patterns overlap `patterns`: legacy first, then composable (the simulate APIs' `overlapping`). */
  overlapping(patterns: readonly string[], exclude: string): Array<{ name: string; index_patterns: string[] }> {
    const out: Array<{ name: string; index_patterns: string[] }> = [];
    for (const name of Object.keys(this.state.templates).sort()) {
      const t = this.state.templates[name]!;
      if (patternListsIntersect(t.index_patterns, patterns)) out.push({ name, index_patterns: t.index_patterns });
    }
    for (const name of Object.keys(this.state.index_templates).sort()) {
      const t = this.state.index_templates[name]!;
      if (name !== exclude && patternListsIntersect(t.index_patterns, patterns)) out.push({ name, index_patterns: t.index_patterns });
    }
    return out;
  }
}

/** The mapping a data stream's backing indices start from. */
const DATA_STREAM_MAPPING: Json = { _data_stream_timestamp: { enabled: true }, properties: { '@timestamp': { type: 'date' } } };

/**
 * MetadataIndexTemplateService.resolveSettings / collectMappings / resolveAliases: component
 * templates in `composed_of` order, then the template's own part over them.
 */
function composeTemplate(template: ComposableTemplate, components: Record<string, ComponentTemplate>): Pick<ResolvedTemplate, 'settings' | 'mappings' | 'aliases' | 'lifecycle'> {
  const parts = template.composed_of.filter((c) => Object.hasOwn(components, c)).map((c) => components[c]!.template);
  const own = template.template ?? {};
  const settings: FlatSettings = {};
  const mappings: Json[] = [];
  const aliases: Array<Record<string, AliasMetadata>> = [];
  let lifecycle: DataStreamLifecycle | undefined;
  // MetadataIndexTemplateService.collectMappings: a data stream template's indices start from the
  // timestamp mapping (DEFAULT_TIMESTAMP_MAPPING_WITHOUT_ROUTING), which every later mapping may override
  if (template.data_stream !== undefined) mappings.push(DATA_STREAM_MAPPING);
  for (const part of [...parts, own]) {
    Object.assign(settings, part.settings ?? {});
    if (part.mappings) mappings.push(part.mappings);
    if (part.aliases) aliases.unshift(part.aliases);
    // MetadataIndexTemplateService.resolveLifecycle: a later lifecycle's fields over an earlier one's
    if (part.lifecycle) lifecycle = { ...lifecycle, ...part.lifecycle };
  }
  return { settings, mappings, aliases, ...(lifecycle ? { lifecycle } : {}) };
}

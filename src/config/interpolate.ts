import { isScalar, parse as parseYamlScalar, visit, type Document } from 'yaml';
import { ConfigError } from '../errors.js';
import type { SourceLocator } from './source-locator.js';

/**
 * `${VAR}`, `${VAR:-default}` (default when unset or empty), `${VAR-default}` (default when
 * unset) and `$$` for a literal `$`, in every string value of the settings file.
 *
 * A plain (unquoted) scalar that is exactly one `${...}` is re-read as YAML after
 * substitution, so `chunkSize: ${CHUNK_SIZE:-500}` is the number 500, as the user meant;
 * quoted scalars stay strings.
 */
const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$\{([^}]*)\}/g;

export interface InterpolationContext {
  env: Readonly<Record<string, string | undefined>>;
  file: string;
  locator: SourceLocator;
}

export function interpolateString(value: string, ctx: InterpolationContext, where: () => { line?: number }): string {
  return value.replace(PATTERN, (match, name: string | undefined, op: string | undefined, fallback: string | undefined, bad: string | undefined) => {
    if (match === '$$') return '$';
    if (bad !== undefined || name === undefined) {
      const { line } = where();
      throw new ConfigError('CONFIG_SYNTAX', `${ctx.file}${line ? `:${line}` : ''}: "${match}" is not a valid variable reference, expected \${NAME}, \${NAME:-default} or \${NAME-default}`, {
        location: { file: ctx.file, line },
      });
    }
    const current = ctx.env[name];
    if (op === ':-') return current === undefined || current === '' ? (fallback ?? '') : current;
    if (op === '-') return current === undefined ? (fallback ?? '') : current;
    if (current === undefined) {
      const { line } = where();
      throw new ConfigError('CONFIG_ENV_UNSET', `${ctx.file}${line ? `:${line}` : ''}: environment variable ${name} is not set and \${${name}} has no default; set it or write \${${name}:-default}`, {
        location: { file: ctx.file, line },
      });
    }
    return current;
  });
}

/** Substitutes variables in place in every scalar value (keys are left alone). */
export function interpolateDocument(doc: Document, ctx: InterpolationContext, lineOf: (offset: number) => number): void {
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const original = node.value;
      const where = () => ({ line: node.range ? lineOf(node.range[0]) : undefined });
      const replaced = interpolateString(original, ctx, where);
      const whole = /^\$\{[^}]*\}$/.test(original.trim());
      if (whole && node.type === 'PLAIN' && replaced !== '') {
        const reread: unknown = parseYamlScalar(replaced);
        node.value = isScalar(reread) ? reread.value : reread !== null && typeof reread !== 'object' ? reread : replaced;
      } else {
        node.value = replaced;
      }
    },
  });
}

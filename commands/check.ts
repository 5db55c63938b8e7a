import { relative } from 'node:path';
import { Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { explainError } from '../src/cli/explain-error.js';
import type { ServerReport } from '../src/client/server-probe.js';
import { connectChecks } from '../src/indexes/connect-check.js';
import { parseConnection } from '../src/config/connection-url.js';
import { EXIT } from '../src/errors.js';
import { primaryKeyOf } from '../src/models/search-model.js';
import type { Problem } from '../src/models/problem.js';
import { captureProblemsIfReachable } from '../src/sync/capture-check.js';

export interface CheckResult {
  ok: boolean;
  file: string;
  connections: Record<string, string>;
  database: string;
  indexes: Array<{
    name: string;
    connection: string;
    mapping: { file: string; exists: boolean; invalid?: boolean; fields?: number; hash?: string };
    models: Array<{ ref: string; name: string; file: string; table?: string; primaryKey: string; indexes: string[] }>;
  }>;
  problems: Problem[];
  /** With --connect: what was reached, and what failed. */
  connect?: Array<{ kind: string; name: string; ok: boolean; detail?: string; error?: { code: string; message: string }; server?: ServerReport }>;
}

export default class Check extends SearchCommand<typeof Check> {
  static override summary = 'Validate the settings, mapping files and models.';
  static override description = `Loads search.config.yaml, checks every mapping file (JSON, shape, field types) and every model (the module resolves, the export exists, getSearchQueryset and asSearchDocument are functions), and lists each index with its models and mapping.

When the database answers, it also checks every table, column and key that change capture would use (models' tables and keys, settings.sync.related and relatedTables entries, their selects planned without running), as search sync install does. With --connect it also reaches what the settings name: every connection answers, the database answers, and each model's queryset runs for each of its indexes with \`limit 0\` and selects its key.

Exit codes: 0 when everything is valid (warnings allowed), 2 when anything is invalid, 1 when --connect cannot reach something or a queryset fails.`;
  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check --connect', '<%= config.bin %> check --config deploy/search.config.yaml', '<%= config.bin %> check --json'];
  static override flags = {
    connect: Flags.boolean({ summary: 'Also reach every connection and the database, and run each queryset with limit 0.' }),
  };
  protected static override failOnInvalidProject = false;

  public async run(): Promise<CheckResult> {
    const { config, registry, mappings } = this.report;
    // Whenever the database answers: the tables, columns and keys change capture would use.
    const capture = await captureProblemsIfReachable(this.project);
    const problems = [...this.report.problems, ...capture.problems];
    const valid = this.report.ok && capture.problems.length === 0;
    const connect = this.flags.connect && valid ? await this.connect(problems) : undefined;
    const ok = valid && (connect ?? []).every((c) => c.ok);
    const invalidMapping = (index: string) => problems.some((p) => p.index === index && p.severity === 'error' && String(p.code).startsWith('MAPPING_') && p.code !== 'MAPPING_NOT_FOUND');
    const redact = (s: string) => this.redactor.redact(s);
    const result: CheckResult = {
      ok,
      file: config.displayFile,
      connections: Object.fromEntries(Object.entries(config.connections).map(([name, c]) => [name, redact(describeConnection(c))])),
      database: redact(typeof config.database.connection === 'string' ? config.database.connection : `${config.database.connection.host ?? 'localhost'}:${config.database.connection.port ?? 5432}/${config.database.connection.database ?? ''}`),
      indexes: Object.entries(config.indexes).map(([name, index]) => {
        const mapping = mappings.get(name);
        return {
          name,
          connection: index.connection,
          mapping: mapping
            ? { file: mapping.displayFile, exists: true, fields: mapping.fieldCount, hash: mapping.hash }
            : { file: index.mapping ?? `${config.settings.mappingsDir}/${name}.json`, exists: invalidMapping(name), ...(invalidMapping(name) ? { invalid: true } : {}) },
          models: registry.modelsFor(name).map((m) => ({
            ref: m.ref.raw,
            name: m.name,
            file: relative(config.baseDir, m.file),
            ...(m.model.table ? { table: m.model.table } : {}),
            primaryKey: primaryKeyOf(m.model),
            indexes: m.indexes,
          })),
        };
      }),
      problems: problems.map((p) => ({ ...p, message: redact(p.message) })),
      ...(connect ? { connect } : {}),
    };
    // Invalid settings are bad usage (2); settings that are valid but cannot be reached are a failure (1).
    const exitCode = !valid ? EXIT.usage : EXIT.failure;
    if (this.jsonEnabled()) {
      if (!ok) {
        this.logJson(result);
        this.exit(exitCode);
      }
      return result;
    }
    this.print(result);
    if (!ok) this.exit(exitCode);
    return result;
  }

  /** Reaches connections, the database and each queryset; each failure becomes a problem. */
  private async connect(problems: Problem[]): Promise<NonNullable<CheckResult['connect']>> {
    const checks = await connectChecks(this.project);
    const results: NonNullable<CheckResult['connect']> = [];
    for (const c of checks) {
      if (c.ok) {
        results.push({ kind: c.kind, name: c.name, ok: true, ...(c.detail ? { detail: c.detail } : {}), ...(c.server ? { server: c.server } : {}) });
        continue;
      }
      const explained = await explainError(c.error, this.settings);
      const message = this.redactor.redact(explained.lines.join('; '));
      problems.push({ severity: 'error', code: explained.code as Problem['code'], message, ...(c.index ? { index: c.index } : {}), ...(c.model ? { model: c.model } : {}) });
      results.push({ kind: c.kind, name: c.name, ok: false, error: { code: explained.code, message } });
    }
    return results;
  }

  private print(result: CheckResult): void {
    this.log(`settings  ${result.file}`);
    for (const [name, c] of Object.entries(result.connections)) this.log(`connection ${name}: ${c}`);
    this.log(`database  ${result.database}`);
    for (const index of result.indexes) {
      this.log('');
      this.log(`index ${index.name}${index.connection === 'default' ? '' : ` (connection ${index.connection})`}`);
      this.log(
        index.mapping.invalid
          ? `  mapping  ${index.mapping.file} (invalid, see the error below)`
          : index.mapping.exists
            ? `  mapping  ${index.mapping.file} (${index.mapping.fields} fields, sha256 ${index.mapping.hash?.slice(0, 12)})`
            : `  mapping  ${index.mapping.file} (missing)`,
      );
      for (const m of index.models) {
        this.log(`  model    ${m.name}  ${m.ref}${m.table ? `  table ${m.table}` : ''}  key ${m.primaryKey}${m.indexes.length > 1 ? `  (also in ${m.indexes.filter((i) => i !== index.name).join(', ')})` : ''}`);
      }
    }
    if (result.connect) {
      this.log('');
      for (const c of result.connect) this.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
    }
    const errors = result.problems.filter((p) => p.severity === 'error');
    const warnings = result.problems.filter((p) => p.severity === 'warning');
    for (const p of result.problems) process.stderr.write(`${p.severity}: ${p.message}\n`);
    const models = new Set(result.indexes.flatMap((i) => i.models.map((m) => m.file + m.ref))).size;
    this.log('');
    this.log(`${result.indexes.length} index${result.indexes.length === 1 ? '' : 'es'}, ${models} model${models === 1 ? '' : 's'}: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
  }
}

function describeConnection(c: Parameters<typeof parseConnection>[0]): string {
  const parsed = parseConnection(c);
  switch (parsed.kind) {
    case 'embedded':
      return `embedded engine, data in ${parsed.dir}`;
    case 'url':
      return parsed.nodes.join(', ');
    case 'cloud':
      return `Elastic Cloud ${parsed.cloudId.split(':')[0]}`;
    case 'invalid':
      return 'invalid';
  }
}

import { relative } from 'node:path';
import { SearchCommand } from '../src/cli/base-command.js';
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
    mapping: { file: string; exists: boolean; fields?: number; hash?: string };
    models: Array<{ ref: string; name: string; file: string; table?: string; primaryKey: string; indexes: string[] }>;
  }>;
  problems: Problem[];
}

export default class Check extends SearchCommand<typeof Check> {
  static override summary = 'Validate the settings, mapping files and models.';
  static override description = `Loads search.config.yaml, checks every mapping file (JSON, shape, field types) and every model (the module resolves, the export exists, getSearchQueryset and asSearchDocument are functions), and lists each index with its models and mapping.

When the database answers, it also checks every table, column and key that change capture would use (models' tables and keys, settings.sync.related and relatedTables entries, their selects planned without running), as search sync install does.

Exit codes: 0 when everything is valid (warnings allowed), 2 when anything is invalid.`;
  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check --config deploy/search.config.yaml', '<%= config.bin %> check --json'];
  protected static override failOnInvalidProject = false;

  public async run(): Promise<CheckResult> {
    const { config, registry, mappings } = this.report;
    // Whenever the database answers: the tables, columns and keys change capture would use.
    const capture = await captureProblemsIfReachable(this.project);
    const problems = [...this.report.problems, ...capture.problems];
    const ok = this.report.ok && capture.problems.length === 0;
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
            : { file: index.mapping ?? `${config.settings.mappingsDir}/${name}.json`, exists: false },
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
    };
    if (this.jsonEnabled()) {
      if (!ok) {
        this.logJson(result);
        this.exit(EXIT.usage);
      }
      return result;
    }
    this.print(result);
    if (!ok) this.exit(EXIT.usage);
    return result;
  }

  private print(result: CheckResult): void {
    this.log(`settings  ${result.file}`);
    for (const [name, c] of Object.entries(result.connections)) this.log(`connection ${name}: ${c}`);
    this.log(`database  ${result.database}`);
    for (const index of result.indexes) {
      this.log('');
      this.log(`index ${index.name}${index.connection === 'default' ? '' : ` (connection ${index.connection})`}`);
      this.log(index.mapping.exists ? `  mapping  ${index.mapping.file} (${index.mapping.fields} fields, sha256 ${index.mapping.hash?.slice(0, 12)})` : `  mapping  ${index.mapping.file} (missing)`);
      for (const m of index.models) {
        this.log(`  model    ${m.name}  ${m.ref}${m.table ? `  table ${m.table}` : ''}  key ${m.primaryKey}${m.indexes.length > 1 ? `  (also in ${m.indexes.filter((i) => i !== index.name).join(', ')})` : ''}`);
      }
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

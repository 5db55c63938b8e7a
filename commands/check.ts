import { relative } from 'node:path';
import { Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { describeServer, probeServer, type ServerReport } from '../src/client/server-probe.js';
import { parseConnection } from '../src/config/connection-url.js';
import { EXIT } from '../src/errors.js';
import { primaryKeyOf } from '../src/models/search-model.js';
import type { Problem } from '../src/models/problem.js';

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
  /** With --connect: each used connection's server and the features tried there. */
  servers?: Record<string, ServerReport | { error: string }>;
}

export default class Check extends SearchCommand<typeof Check> {
  static override summary = 'Validate the settings, mapping files and models.';
  static override description = `Loads search.config.yaml, checks every mapping file (JSON, shape, field types) and every model (the module resolves, the export exists, getSearchQueryset and asSearchDocument are functions), and lists each index with its models and mapping.

Exit codes: 0 when everything is valid (warnings allowed), 2 when anything is invalid.`;
  static override examples = ['<%= config.bin %> check', '<%= config.bin %> check --config deploy/search.config.yaml', '<%= config.bin %> check --json'];
  protected static override failOnInvalidProject = false;
  static override flags = {
    connect: Flags.boolean({ summary: "Also connect to each index's search side: print its product and version, and try the features indexkit uses on a throwaway index." }),
  };

  public async run(): Promise<CheckResult> {
    const { config, registry, mappings, problems, ok: valid } = this.report;
    let ok = valid;
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
    if (this.flags.connect && valid) {
      result.servers = {};
      for (const name of new Set(Object.values(config.indexes).map((i) => i.connection))) {
        try {
          const report = await probeServer(await this.client(name));
          result.servers[name] = report;
          for (const f of report.features.filter((f) => !f.ok)) {
            result.problems.push({ severity: 'error', code: 'CONNECTION_INVALID', message: redact(`connection ${name}: ${f.feature} does not work on ${report.distribution} ${report.version}: ${f.detail ?? ''}`) } as Problem);
          }
        } catch (error) {
          result.servers[name] = { error: redact(error instanceof Error ? error.message : String(error)) };
          result.problems.push({ severity: 'error', code: 'CONNECTION_INVALID', message: redact(`connection ${name}: cannot reach the search side: ${error instanceof Error ? error.message : String(error)}`) } as Problem);
        }
      }
      ok = ok && result.problems.every((p) => p.severity !== 'error');
      result.ok = ok;
    }
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
    for (const [name, server] of Object.entries(result.servers ?? {})) {
      this.log('error' in server ? `server ${name}: unreachable` : `server ${name}: ${describeServer(server)}, ${server.features.filter((f) => f.ok).length}/${server.features.length} features work`);
    }
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

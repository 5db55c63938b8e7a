import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import type { SearchSide as Client } from '../client/search-side.js';
import type { Knex } from 'knex';
import { Redactor, secretsOf } from '../client/redact.js';
import { ConfigValidationError, loadConfig } from '../config/load-config.js';
import type { LoadedConfig } from '../config/settings-types.js';
import { EXIT, IndexkitError } from '../errors.js';
import type { Problem } from '../models/problem.js';
import { validateProject, type ValidationReport } from '../models/validator.js';
import { Project } from '../project.js';
import { ProjectInvalidError, formatProblem } from '../models/project-invalid-error.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof SearchCommand)['baseFlags'] & T['flags']>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * The base of every `search` command: the global --config and --debug flags, settings loaded
 * and validated at start-up (warnings to stderr, errors exit 2), one client per connection and
 * one knex instance built on first use and closed at the end, and errors printed as one clear,
 * redacted message per line without a stack (the stack with --debug).
 */
export abstract class SearchCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    config: Flags.string({
      char: 'c',
      summary: 'Settings file (default: $SEARCH_CONFIG, else ./search.config.yaml).',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({ summary: 'Show stack traces of errors.', helpGroup: 'GLOBAL' }),
  };

  /** Commands that report validation problems themselves (search check) set this false. */
  protected static failOnInvalidProject = true;
  /** Commands that need no settings file (search engine serve) set this false. */
  protected static needsProject = true;

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  protected redactor = new Redactor();
  /** Every positional argument (commands that take several index names set `strict = false`). */
  protected positional: string[] = [];
  private loaded?: Project;

  public override async init(): Promise<void> {
    await super.init();
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: SearchCommand.baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
    this.positional = (argv as string[]).filter((a) => typeof a === 'string');
    const stray = this.positional.find((a) => a.startsWith('-'));
    if (stray) throw new Errors.CLIError(`Nonexistent flag: ${stray}`, { exit: EXIT.usage });
    const ctor = this.constructor as typeof SearchCommand;
    if (!ctor.needsProject) return;
    const config = await loadConfig({ path: this.flags.config });
    for (const secret of secretsOf(config)) this.redactor.add(secret);
    const report = await validateProject(config);
    // The redactor already holds the settings' secrets (added before validation, whose messages it redacts).
    this.loaded = new Project(report, { redactor: this.redactor });
    if (ctor.failOnInvalidProject) {
      for (const warning of report.problems.filter((p) => p.severity === 'warning')) this.logToStderr(`warning: ${this.redactor.redact(warning.message)}`);
      if (!report.ok) throw new ProjectInvalidError(report.problems.filter((p) => p.severity === 'error'));
    }
  }

  /** The loaded project: settings, models per index, mapping files, clients, database. */
  protected get project(): Project {
    if (!this.loaded) throw new Error('this command was declared without a project (needsProject = false)');
    return this.loaded;
  }

  /** The validation report of the settings (problems included). */
  protected get report(): ValidationReport {
    return this.project.report;
  }

  /** The loaded settings (named `settings`: oclif's `this.config` is the CLI's own configuration). */
  protected get settings(): LoadedConfig {
    return this.project.config;
  }

  /** The search side of a connection (Elasticsearch or OpenSearch client), built once. */
  protected client(connection = 'default'): Promise<Client> {
    return this.project.clients.get(connection);
  }

  /** The application database, built once. */
  protected db(): Promise<Knex> {
    return this.project.db();
  }

  /** The index names given on the command line (each must be configured), or every configured index. */
  protected indexNames(): string[] {
    return this.project.indexNames(this.positional);
  }

  /** Whether to draw progress: a terminal, and no --json. */
  protected get interactive(): boolean {
    return Boolean(process.stderr.isTTY) && !this.jsonEnabled();
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    const debug = this.argv.includes('--debug') || Boolean(process.env.DEBUG);
    const { code, exitCode, lines, problems } = describeError(error);
    const redacted = lines.map((line) => this.redactor.redact(line));
    if (this.jsonEnabled()) {
      this.logJson({ error: { code, message: redacted.join('\n'), exitCode, ...(problems ? { problems: problems.map((p) => ({ ...p, message: this.redactor.redact(p.message) })) } : {}) } });
    } else {
      for (const line of redacted) process.stderr.write(`error: ${line}\n`);
      if (debug && error.stack) process.stderr.write(`${this.redactor.redact(error.stack)}\n`);
      else if (code === 'BUG') process.stderr.write('(this is a bug in indexkit; run again with --debug for the stack trace)\n');
    }
    return this.exit(exitCode);
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.loaded?.close();
    return super.finally(error);
  }
}

function describeError(error: Error & { exitCode?: number; oclif?: { exit?: number } }): { code: string; exitCode: number; lines: string[]; problems?: Problem[] } {
  if (error instanceof ProjectInvalidError) return { code: error.code, exitCode: error.exitCode, lines: error.problems.map(formatProblem), problems: error.problems };
  if (error instanceof ConfigValidationError) return { code: error.code, exitCode: error.exitCode, lines: error.problems };
  if (error instanceof IndexkitError) return { code: error.code, exitCode: error.exitCode, lines: error.message.split('\n') };
  // oclif's own usage errors (unknown flag, missing argument) carry their exit code (2).
  if (error instanceof Errors.CLIError) return { code: 'USAGE', exitCode: error.oclif?.exit ?? EXIT.usage, lines: [error.message.split('\n')[0]!] };
  return { code: 'BUG', exitCode: EXIT.failure, lines: [`unexpected ${error.name}: ${error.message}`] };
}

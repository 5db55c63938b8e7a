import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import type { SearchSide as Client } from '../client/search-side.js';
import type { Knex } from 'knex';
import { Redactor, secretsOf } from '../client/redact.js';
import { loadConfig } from '../config/load-config.js';
import type { LoadedConfig } from '../config/settings-types.js';
import { EXIT, IndexkitError } from '../errors.js';
import { validateProject, type ValidationReport } from '../models/validator.js';
import { Project } from '../project.js';
import { ProjectInvalidError } from '../models/project-invalid-error.js';
import { explainError } from './explain-error.js';
import { Progress } from './progress.js';

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
  /** The progress bar of a long command: cleared before any error or notice is printed. */
  protected progress?: Progress;
  /** Aborted by the first SIGINT or SIGTERM once a long command called catchInterrupts(). */
  private readonly interruption = new AbortController();
  private interruptedBy?: 'SIGINT' | 'SIGTERM';
  private signalHandlers: Array<[NodeJS.Signals, () => void]> = [];

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
    this.loaded = new Project(report, { redactor: this.redactor, onNotice: (line) => this.notice(`warning: ${line}`) });
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

  /** A progress bar for this command (drawn only when interactive), cleared before errors and notices. */
  protected newProgress(): Progress {
    this.progress = new Progress(this.interactive);
    return this.progress;
  }

  /** One line on stderr, never on the progress bar's line. */
  protected notice(line: string): void {
    const text = this.redactor.redact(line);
    if (this.progress) this.progress.interject(text);
    else process.stderr.write(`${text}\n`);
  }

  /**
   * Makes SIGINT and SIGTERM stop this command at the next safe point instead of killing it: the
   * returned signal is aborted on the first one, and the command finishes what is in flight and
   * calls interrupted(). A second signal stops at once.
   */
  protected catchInterrupts(): AbortSignal {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => {
        if (this.interruptedBy) {
          this.progress?.stop();
          process.stderr.write(`interrupted (${name} twice); stopped at once, run again with --resume where the command has it\n`);
          process.exit(name === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
        }
        this.interruptedBy = name;
        this.interruption.abort(new Error(name));
      };
      process.on(name, handler);
      this.signalHandlers.push([name, handler]);
    }
    return this.interruption.signal;
  }

  /** The error that ends an interrupted command: one line saying where it stopped, exit 130 (SIGINT) or 143 (SIGTERM). */
  protected interrupted(where: string): IndexkitError {
    return new IndexkitError('INTERRUPTED', `interrupted ${where}`, { exitCode: this.interruptedBy === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint });
  }

  /** Whether a SIGINT or SIGTERM arrived since catchInterrupts(). */
  protected get wasInterrupted(): boolean {
    return this.interruption.signal.aborted;
  }

  /** Whether to draw progress: a terminal, and no --json. */
  protected get interactive(): boolean {
    return Boolean(process.stderr.isTTY) && !this.jsonEnabled();
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    const debug = this.argv.includes('--debug') || Boolean(process.env.DEBUG);
    const { code, exitCode, lines, problems, bug } = await explainError(error, this.loaded?.config);
    const redacted = lines.map((line) => this.redactor.redact(line));
    this.progress?.stop();
    if (this.jsonEnabled()) {
      this.logJson({ error: { code, message: redacted.join('\n'), exitCode, ...(problems ? { problems: problems.map((p) => ({ ...p, message: this.redactor.redact(p.message) })) } : {}) } });
      if (debug && error.stack) process.stderr.write(`${this.redactor.redact(error.stack)}\n`);
    } else {
      // An interruption is not an error: its one line says where the command stopped.
      for (const line of redacted) process.stderr.write(code === 'INTERRUPTED' ? `${line}\n` : `error: ${line}\n`);
      if (debug && error.stack) process.stderr.write(`${this.redactor.redact(error.stack)}\n`);
      else if (bug) process.stderr.write('(this is a bug in indexkit; run again with --debug for the stack trace)\n');
    }
    return this.exit(exitCode);
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    for (const [name, handler] of this.signalHandlers) process.off(name, handler);
    this.progress?.stop();
    await this.loaded?.close();
    return super.finally(error);
  }
}

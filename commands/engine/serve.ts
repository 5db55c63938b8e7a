import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { SearchCommand } from '../../src/cli/base-command.js';
import { EXIT, IndexkitError } from '../../src/errors.js';

export default class EngineServe extends SearchCommand<typeof EngineServe> {
  static override summary = 'Serve the embedded engine over HTTP, as an Elasticsearch-compatible endpoint.';
  static override description = `Exposes the embedded engine's data folder over HTTP so that curl, other processes and other languages' Elasticsearch clients can use it. Binds to 127.0.0.1 unless --host says otherwise; --api-key or --user/--password require authentication. Ctrl-C (SIGINT) or SIGTERM stops accepting requests, finishes those in flight and flushes the data to disk.`;
  static override examples = ['<%= config.bin %> engine serve', '<%= config.bin %> engine serve --port 9201 --data .search/engine', 'curl http://127.0.0.1:9200/_cluster/health'];
  protected static override needsProject = false;
  static override enableJsonFlag = false;
  static override flags = {
    port: Flags.integer({ char: 'p', summary: 'Port (0 picks a free one).', default: 9200, min: 0, max: 65535 }),
    host: Flags.string({ summary: 'Address to bind.', default: '127.0.0.1' }),
    data: Flags.string({ char: 'd', summary: 'Data folder (default: $INDEXKIT_ENGINE_DIR, else .search/engine).' }),
    'api-key': Flags.string({ summary: 'Require `Authorization: ApiKey <key>`.', env: 'INDEXKIT_ENGINE_API_KEY' }),
    user: Flags.string({ summary: 'Require basic auth with this user.', dependsOn: ['password'] }),
    password: Flags.string({ summary: 'Password for --user.', env: 'INDEXKIT_ENGINE_PASSWORD', dependsOn: ['user'] }),
    'max-body': Flags.integer({ summary: 'Largest request body in megabytes.', default: 100, min: 1 }),
    'allow-host': Flags.string({
      summary: 'Also serve requests whose Host header is this name (repeatable; * for any).',
      description: 'Bound to a loopback address, the engine answers only requests addressed to a loopback name or address (localhost, 127.0.0.1, [::1]), so that a web page cannot reach it through DNS rebinding.',
      multiple: true,
    }),
  };

  public async run(): Promise<void> {
    for (const secret of [this.flags['api-key'], this.flags.password]) this.redactor.add(secret);
    // An empty key (`--api-key ''`, or INDEXKIT_ENGINE_API_KEY set to nothing) would start the engine open.
    if (this.flags['api-key'] === '' || (this.flags['api-key'] === undefined && process.env.INDEXKIT_ENGINE_API_KEY === '')) {
      throw new IndexkitError('ARGUMENT_INVALID', 'the API key is empty (--api-key or INDEXKIT_ENGINE_API_KEY): give a non-empty key, or unset it to serve without authentication', { exitCode: EXIT.usage });
    }
    if (this.flags.user !== undefined && (this.flags.user === '' || !this.flags.password)) {
      throw new IndexkitError('ARGUMENT_INVALID', 'the user or password is empty (--user, --password or INDEXKIT_ENGINE_PASSWORD): give both, non-empty', { exitCode: EXIT.usage });
    }
    const { startEngineServer, folderHolder } = await import('../../src/engine/index.js');
    const dataDir = resolve(this.flags.data ?? process.env.INDEXKIT_ENGINE_DIR ?? '.search/engine');
    let server;
    try {
      server = await startEngineServer({
        dataDir,
        host: this.flags.host,
        port: this.flags.port,
        apiKey: this.flags['api-key'],
        basicAuth: this.flags.user ? { username: this.flags.user, password: this.flags.password! } : undefined,
        maxBodyBytes: this.flags['max-body'] * 1024 * 1024,
        allowedHosts: this.flags['allow-host'],
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new IndexkitError('ARGUMENT_INVALID', `port ${this.flags.port} on ${this.flags.host} is in use; pass --port`, { exitCode: EXIT.usage, cause: error });
      const holder = (error as { type?: string }).type === 'lock_obtain_failed_exception' ? folderHolder(dataDir) : undefined;
      if (holder?.state === 'alive') {
        throw new IndexkitError(
          'SEARCH_UNAVAILABLE',
          `data folder ${dataDir} is held by process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.since}).\n` +
            `Applications and search commands with the connection embedded:${dataDir} already share it through that process; nothing needs serving for them.\n` +
            `That process serves it privately at ${holder.endpoint ?? '(starting)'}, with the secret in ${holder.recordFile} (field "secret", sent as Authorization: ApiKey <secret>).\n` +
            `To serve it over HTTP instead, stop process ${holder.pid} and run this command again.`,
          { cause: error },
        );
      }
      throw error;
    }
    this.log(`engine serving ${dataDir} at ${server.url}${this.flags['api-key'] || this.flags.user ? ' (authentication required)' : ''}`);
    if (this.flags.host !== '127.0.0.1' && this.flags.host !== 'localhost' && !this.flags['api-key'] && !this.flags.user) {
      this.logToStderr(`warning: listening on ${this.flags.host} without authentication`);
    }
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    this.log('stopping: finishing requests in flight and flushing');
    await server.close();
  }
}

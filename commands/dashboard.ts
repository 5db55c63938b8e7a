import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Flags } from '@oclif/core';
import { SearchCommand } from '../src/cli/base-command.js';
import { dashboardHandler } from '../src/dashboard/dashboard-handler.js';
import { EXIT, IndexkitError } from '../src/errors.js';

export default class Dashboard extends SearchCommand<typeof Dashboard> {
  static override summary = 'Serve the search dashboard: searches, terms, zero results, conversions, live.';
  static override description = `Serves the query-log dashboard over HTTP and prints its address with a fresh access token as the first line on stdout (open it in a browser; the token is then kept in a cookie). Binds to 127.0.0.1 unless --host says otherwise. Every route needs the token; pruning needs a POST with the page's CSRF token. Ctrl-C (SIGINT) or SIGTERM stops it.`;
  static override examples = ['<%= config.bin %> dashboard', '<%= config.bin %> dashboard --port 9400', '<%= config.bin %> dashboard --host 0.0.0.0 --port 8080'];
  static override enableJsonFlag = false;
  static override flags = {
    port: Flags.integer({ char: 'p', summary: 'Port (0 picks a free one).', default: 9400, min: 0, max: 65535 }),
    host: Flags.string({ summary: 'Address to bind.', default: '127.0.0.1' }),
  };

  public async run(): Promise<void> {
    const token = randomBytes(24).toString('base64url');
    this.redactor.add(token);
    const handler = dashboardHandler(this.project, { token });
    const server = createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new IndexkitError('ARGUMENT_INVALID', `port ${this.flags.port} on ${this.flags.host} is in use; pass --port`, { exitCode: EXIT.usage, cause: error }) : error),
      );
      server.listen(this.flags.port, this.flags.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const host = this.flags.host.includes(':') ? `[${this.flags.host}]` : this.flags.host;
    // The first line on stdout, for scripts and tests: the address with the token.
    process.stdout.write(`http://${host}:${port}/?token=${token}\n`);
    if (!['127.0.0.1', 'localhost', '::1'].includes(this.flags.host)) this.logToStderr(`warning: the dashboard listens on ${this.flags.host}: anyone who can reach it and has the token sees the query log`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

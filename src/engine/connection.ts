import { Readable } from 'node:stream';
import { BaseConnection } from '@elastic/transport';
import type {
  ConnectionOptions,
  ConnectionRequestOptions,
  ConnectionRequestOptionsAsStream,
  ConnectionRequestParams,
  ConnectionRequestResponse,
  ConnectionRequestResponseAsStream,
} from '@elastic/transport';
import { Client } from '@elastic/elasticsearch';
import type { Engine } from './engine.js';
import { acquireEngine, releaseEngine } from './engine-registry.js';

/** The client's constructor options (the ESM build does not export the type by name). */
export type EmbeddedClientOptions = NonNullable<ConstructorParameters<typeof Client>[0]>;

/** Where an unbound EmbeddedConnection keeps its data: `?dir=` on the node URL, else this env var, else `.search/engine`. */
export const EMBEDDED_DIR_ENV = 'INDEXKIT_ENGINE_DIR';

async function readBody(body: ConnectionRequestParams['body']): Promise<string | Buffer | null> {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * A client Connection answered in-process by the embedded engine (no sockets).
 *
 * @example
 * const client = new Client({ node: 'http://embedded.local/?dir=.search/data', Connection: EmbeddedConnection });
 */
export class EmbeddedConnection extends BaseConnection {
  /** Set on classes bound to a directory by `embeddedConnection(dir)`. */
  static boundDir?: string;
  private engine?: Promise<Engine>;
  private dir: string;
  private released = false;

  constructor(opts: ConnectionOptions) {
    super(opts);
    const ctor = this.constructor as typeof EmbeddedConnection;
    this.dir = ctor.boundDir ?? opts.url.searchParams.get('dir') ?? process.env[EMBEDDED_DIR_ENV] ?? '.search/engine';
  }

  private getEngine(): Promise<Engine> {
    if (!this.engine) {
      const opening = acquireEngine(this.dir);
      this.engine = opening;
      // A failed open (say, the directory is locked by another process) is retried by the next request.
      opening.catch(() => {
        if (this.engine === opening) this.engine = undefined;
      });
    }
    return this.engine;
  }

  override request(params: ConnectionRequestParams, options: ConnectionRequestOptions): Promise<ConnectionRequestResponse>;
  override request(params: ConnectionRequestParams, options: ConnectionRequestOptionsAsStream): Promise<ConnectionRequestResponseAsStream>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
    const engine = await this.getEngine();
    const headers: Record<string, string | string[] | undefined> = { ...this.headers, ...params.headers };
    const response = await engine.handle({
      method: params.method,
      path: params.path,
      querystring: params.querystring ?? '',
      headers,
      body: await readBody(params.body),
    });
    const responseHeaders = { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) };
    if ('asStream' in options && options.asStream === true) {
      return { statusCode: response.statusCode, headers: responseHeaders, body: Readable.from([Buffer.from(response.body)]) };
    }
    return { statusCode: response.statusCode, headers: responseHeaders, body: response.body };
  }

  override async close(): Promise<void> {
    if (this.released || !this.engine) return;
    this.released = true;
    await this.engine.catch(() => undefined);
    await releaseEngine(this.dir);
  }
}

/** A Connection class bound to one data directory. */
export function embeddedConnection(dir: string): typeof EmbeddedConnection {
  return class BoundEmbeddedConnection extends EmbeddedConnection {
    static override boundDir = dir;
  };
}

/** Client options that make `new Client(options)` talk to the embedded engine over `dir`. */
export function createEmbeddedClientOptions(dir: string, options: Partial<EmbeddedClientOptions> = {}): EmbeddedClientOptions {
  return { ...options, node: 'http://embedded.local', Connection: embeddedConnection(dir) } as EmbeddedClientOptions;
}

/**
 * Opens the engine over `dir` (failing early if another process holds it) and returns a client
 * talking to it in-process. `client.close()` releases the engine (the last user closes it).
 */
export async function createEmbeddedClient(dir: string, options: Partial<EmbeddedClientOptions> = {}): Promise<Client> {
  await acquireEngine(dir);
  try {
    const client = new Client(createEmbeddedClientOptions(dir, options));
    // Warm the connection so it holds its own reference before ours is dropped.
    await client.ping();
    return client;
  } finally {
    await releaseEngine(dir);
  }
}

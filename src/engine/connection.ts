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
import { Client, errors } from '@elastic/elasticsearch';
import { FolderUnavailable, SharedFolder } from './shared-folder.js';

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
 * Raised when a request could not be answered through the folder's holder. It is a
 * ConnectionError (callers that retry connection failures, like the sync worker, retry it) under
 * another name, so that the transport itself does not resend it: the Connection has already
 * resent what was safe to resend, for as long as a takeover takes.
 */
export class EmbeddedFolderError extends errors.ConnectionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, undefined, options as ConstructorParameters<typeof errors.ConnectionError>[2]);
    this.name = 'EmbeddedFolderError';
  }
}

/**
 * A client Connection to the embedded engine over one data folder, shared by every process that
 * uses it: answered in-process by the process holding the folder (no sockets), forwarded to that
 * process by the others (see SharedFolder and src/engine/README.md).
 *
 * @example
 * const client = new Client({ node: 'http://embedded.local/?dir=.search/data', Connection: EmbeddedConnection });
 */
export class EmbeddedConnection extends BaseConnection {
  /** Set on classes bound to a directory by `embeddedConnection(dir)`. */
  static boundDir?: string;
  private readonly folder: SharedFolder;

  constructor(opts: ConnectionOptions) {
    super(opts);
    const ctor = this.constructor as typeof EmbeddedConnection;
    this.folder = new SharedFolder(ctor.boundDir ?? opts.url.searchParams.get('dir') ?? process.env[EMBEDDED_DIR_ENV] ?? '.search/engine');
  }

  override request(params: ConnectionRequestParams, options: ConnectionRequestOptions): Promise<ConnectionRequestResponse>;
  override request(params: ConnectionRequestParams, options: ConnectionRequestOptionsAsStream): Promise<ConnectionRequestResponseAsStream>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
    const headers: Record<string, string | string[] | undefined> = { ...this.headers, ...params.headers };
    let response;
    try {
      response = await this.folder.handle(
        { method: params.method, path: params.path, querystring: params.querystring ?? '', headers, body: await readBody(params.body) },
        { timeout: options.timeout === undefined ? undefined : Number(options.timeout), signal: options.signal },
      );
    } catch (error) {
      if (error instanceof FolderUnavailable) throw new EmbeddedFolderError(error.message, { cause: error });
      throw error;
    }
    const responseHeaders = { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) };
    if ('asStream' in options && options.asStream === true) {
      return { statusCode: response.statusCode, headers: responseHeaders, body: Readable.from([Buffer.from(response.body)]) };
    }
    return { statusCode: response.statusCode, headers: responseHeaders, body: response.body };
  }

  override async close(): Promise<void> {
    await this.folder.close();
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
 * A client of the embedded engine over `dir`: in-process when this process holds the folder (it
 * takes it when no other process does), else through the process that holds it. Fails early
 * when neither works. `client.close()` lets the folder go (the last user in the process closes it).
 */
export async function createEmbeddedClient(dir: string, options: Partial<EmbeddedClientOptions> = {}): Promise<Client> {
  const client = new Client(createEmbeddedClientOptions(dir, options));
  try {
    await client.ping();
    return client;
  } catch (error) {
    await client.close();
    throw error;
  }
}

import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ClientOptions } from './client-types.js';
import { parseConnection } from '../config/connection-url.js';
import type { ConnectionSetting, GeneralSettings } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';

/** Client options for a connection setting; `embedded` connections are returned as a data folder to open. */
export type ResolvedClientOptions = { kind: 'remote'; options: ClientOptions } | { kind: 'embedded'; dir: string; options: ClientOptions };

/**
 * Turns one entry of `connections` into @elastic/elasticsearch client options: a URL (with or
 * without credentials), a cloud id, auth by username/password, API key or bearer token, TLS
 * (CA as PEM text or a file, fingerprint, client certificate). Relative paths (embedded data
 * folders, CA files) are relative to the settings file's folder.
 */
export function clientOptionsFor(name: string, setting: ConnectionSetting, context: { baseDir: string; settings?: Pick<GeneralSettings, 'requestTimeout' | 'maxRetries'> }): ResolvedClientOptions {
  const parsed = parseConnection(setting);
  const common: ClientOptions = {
    requestTimeout: context.settings?.requestTimeout,
    // update-index and the sync worker retry with their own backoff; the client's own retries stay small.
    maxRetries: context.settings?.maxRetries,
  };
  switch (parsed.kind) {
    case 'invalid':
      throw new IndexkitError('CONNECTION_INVALID', `connections.${name} ${parsed.reason}`, { exitCode: 2 });
    case 'embedded':
      return { kind: 'embedded', dir: resolve(context.baseDir, parsed.dir), options: common };
    case 'url':
    case 'cloud': {
      const options: ClientOptions = parsed.kind === 'url' ? { ...common, node: parsed.nodes.length === 1 ? parsed.nodes[0] : parsed.nodes } : { ...common, cloud: { id: parsed.cloudId } };
      if (typeof setting === 'object') applyObjectOptions(options, setting, context.baseDir);
      return { kind: 'remote', options };
    }
  }
}

function applyObjectOptions(options: ClientOptions, setting: Exclude<ConnectionSetting, string>, baseDir: string): void {
  const { auth, tls } = setting;
  if (auth?.username !== undefined && auth.password !== undefined) options.auth = { username: auth.username, password: auth.password };
  else if (auth?.apiKey !== undefined) options.auth = { apiKey: auth.apiKey };
  else if (auth?.bearer !== undefined) options.auth = { bearer: auth.bearer };
  if (tls) {
    options.tls = {
      ...(tls.ca ? { ca: pem(tls.ca, baseDir) } : {}),
      ...(tls.cert ? { cert: pem(tls.cert, baseDir) } : {}),
      ...(tls.key ? { key: pem(tls.key, baseDir) } : {}),
      ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
    };
    if (tls.caFingerprint) options.caFingerprint = tls.caFingerprint;
  }
  if (setting.requestTimeout !== undefined) options.requestTimeout = setting.requestTimeout;
  if (setting.maxRetries !== undefined) options.maxRetries = setting.maxRetries;
  if (setting.compression !== undefined) options.compression = setting.compression;
}

/** PEM text as given, or read from a file path. */
function pem(value: string, baseDir: string): string {
  if (value.includes('-----BEGIN')) return value;
  const file = isAbsolute(value) ? value : resolve(baseDir, value);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new IndexkitError('CONNECTION_INVALID', `TLS file ${value} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error, exitCode: 2 });
  }
}

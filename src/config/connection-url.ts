import type { ConnectionSetting } from './settings-types.js';

/** A connection setting, classified. */
export type ParsedConnection =
  | { kind: 'embedded'; dir: string }
  | { kind: 'url'; nodes: string[] }
  | { kind: 'cloud'; cloudId: string }
  | { kind: 'invalid'; reason: string };

/**
 * `embedded:<dir>` (the embedded engine, data in <dir> relative to the settings file),
 * `http(s)://[user:pass@]host[:port]`, or client options with `node` / `cloudId`.
 */
export function parseConnection(setting: ConnectionSetting): ParsedConnection {
  if (typeof setting === 'string') {
    if (setting.startsWith('embedded:')) {
      const dir = setting.slice('embedded:'.length);
      return dir ? { kind: 'embedded', dir } : { kind: 'invalid', reason: 'embedded: needs a data folder, as in embedded:.search/engine' };
    }
    return urlProblem(setting) ?? { kind: 'url', nodes: [setting] };
  }
  if (setting.cloudId) return { kind: 'cloud', cloudId: setting.cloudId };
  const nodes = Array.isArray(setting.node) ? setting.node : setting.node ? [setting.node] : [];
  if (nodes.length === 1 && nodes[0]!.startsWith('embedded:')) return parseConnection(nodes[0]!);
  for (const node of nodes) {
    const problem = urlProblem(node);
    if (problem) return problem;
  }
  return nodes.length ? { kind: 'url', nodes } : { kind: 'invalid', reason: 'has neither node nor cloudId' };
}

function urlProblem(value: string): { kind: 'invalid'; reason: string } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: 'invalid', reason: `is not a URL, expected http(s)://host:9200 or embedded:<dir>` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'invalid', reason: `uses ${url.protocol.slice(0, -1)}:, expected http:, https: or embedded:` };
  return undefined;
}

/** `https://user:secret@host` -> `https://user:***@host`, for every URL in a text. */
export function maskUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi, '$1***@');
}

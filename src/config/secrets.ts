/**
 * Every secret a settings object holds, read from the raw data before any validation, so that a
 * secret of the wrong type (`password: ${ES_PASSWORD}` whose value reads as a number) is known
 * before a message could quote it: passwords in URLs, connection passwords, API keys, bearer
 * tokens, TLS keys, the database password. Values of any scalar type are taken as text.
 */
export function secretValues(settings: unknown): string[] {
  const out: string[] = [];
  const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' ? String(value) : undefined);
  const push = (value: unknown) => {
    const t = text(value);
    if (t !== undefined && t !== '') out.push(t);
  };
  const fromUrl = (value: unknown) => {
    if (typeof value !== 'string') return;
    try {
      const url = new URL(value);
      if (url.password) out.push(url.password, decodeURIComponent(url.password));
    } catch {
      // not a URL: nothing to take
    }
  };
  const root = record(settings);
  for (const connection of Object.values(record(root?.connections) ?? {})) {
    if (typeof connection === 'string') {
      fromUrl(connection);
      continue;
    }
    const c = record(connection);
    if (!c) continue;
    for (const node of [c.node ?? []].flat()) fromUrl(node);
    const auth = record(c.auth);
    if (auth) {
      push(auth.password);
      push(auth.bearer);
      const apiKey = auth.apiKey;
      const key = record(apiKey);
      if (key) {
        push(key.api_key);
        if (text(key.id) !== undefined && text(key.api_key) !== undefined) out.push(`${text(key.id)}:${text(key.api_key)}`);
      } else push(apiKey);
    }
    push(record(c.tls)?.key);
  }
  const database = record(root?.database);
  const db = database?.connection;
  if (typeof db === 'string') fromUrl(db);
  else if (record(db)) {
    push(record(db)!.password);
    fromUrl(record(db)!.connectionString);
  }
  return out;
}

/** Replaces every secret in `text` with `***` (longest first, so a secret containing another goes whole). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return out;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

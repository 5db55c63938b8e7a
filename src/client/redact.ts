import { maskUrlPasswords } from '../config/connection-url.js';
import { secretValues } from '../config/secrets.js';

const MASK = '***';

/** The environment variables of the AWS credential chain that hold secrets. */
const AWS_SECRET_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'] as const;

/**
 * A SigV4 signature and credential scope wherever they appear (an AWS 403 echoes the string to
 * sign and the canonical request), whatever credentials made them: from the environment, a
 * profile, SSO or an instance role.
 */
const SIGV4 = /(Signature=|Credential=)[^\s,'"]+/g;

/**
 * Removes secrets from any text before it is printed or logged: passwords in URLs
 * (`https://user:secret@host` -> `https://user:***@host`), and every secret value the
 * settings hold (passwords, API keys, bearer tokens, TLS keys), in plain, URL-encoded and
 * base64 forms (an API key travels as base64(id:key)).
 */
export class Redactor {
  private readonly secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < 3) return;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    // Longest first, so that a secret containing another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = maskUrlPasswords(text).replace(SIGV4, `$1${MASK}`);
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }
}

/**
 * Every secret a settings object holds (any scalar type, read before validation), and, when a
 * connection signs with SigV4 (`auth.aws`), the AWS credentials the environment gives it.
 */
export function secretsOf(settings: unknown, env: NodeJS.ProcessEnv = process.env): string[] {
  const connections = Object.values((settings as { connections?: Record<string, unknown> } | null)?.connections ?? {});
  const signs = connections.some((c) => typeof c === 'object' && c !== null && typeof (c as { auth?: { aws?: unknown } }).auth?.aws === 'object');
  return [...secretValues(settings), ...(signs ? AWS_SECRET_ENV.flatMap((name) => (env[name] ? [env[name]] : [])) : [])];
}

/** A redactor with no configured secrets still masks URL passwords. */
export const defaultRedactor = new Redactor();

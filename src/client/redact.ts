import { maskUrlPasswords } from '../config/connection-url.js';
import { secretValues } from '../config/secrets.js';

const MASK = '***';

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
    let out = maskUrlPasswords(text);
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return out;
  }
}

/** Every secret a settings object holds (any scalar type, read before validation). */
export function secretsOf(settings: unknown): string[] {
  return secretValues(settings);
}

/** A redactor with no configured secrets still masks URL passwords. */
export const defaultRedactor = new Redactor();

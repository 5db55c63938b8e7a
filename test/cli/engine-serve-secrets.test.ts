import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Issue 12: an empty API key started the engine with authentication off. */
describe('search engine serve with empty secrets', () => {
  it('refuses --api-key "" with exit 2, saying why', async () => {
    const r = await runCli(['engine', 'serve', '--port', '0', '--api-key', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/API key is empty/);
  });

  it('refuses an empty INDEXKIT_ENGINE_API_KEY with exit 2', async () => {
    const r = await runCli(['engine', 'serve', '--port', '0'], { env: { INDEXKIT_ENGINE_API_KEY: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/API key is empty/);
  });
});

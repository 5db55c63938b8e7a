import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

// `npm run demo:web` in a child process (its data in a folder of its own), driven by Debian's
// chromium through playwright-core: a reader's path through the search page, then the
// dashboard showing that reader's searches and click. Screenshots of each page go to
// test/browser/screenshots/ (not committed).
const SHOTS = join(repoRoot, 'test', 'browser', 'screenshots');
let dir: string;
let app: ChildProcess;
let base: string;
let dashboardUrl: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'indexkit-demo-web-'));
  app = spawn(process.execPath, ['--import', 'tsx', 'demo/web.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', ELASTICSEARCH_URL: `embedded:${join(dir, 'engine')}`, DEMO_DATABASE_URL: `pglite:${join(dir, 'db')}`, SEARCH_CONFIG: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  app.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    app.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const page_ = /demo search page: (http:\S+)/.exec(out);
      const dash = /dashboard: (http:\S+)/.exec(out);
      if (page_ && dash) {
        base = page_[1]!.replace(/\/$/, '');
        dashboardUrl = dash[1]!;
        resolve();
      }
    });
    app.once('exit', (code) => reject(new Error(`demo:web exited with ${code}: ${err.slice(-2000)}`)));
  });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'indexkit-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 240_000);

afterAll(async () => {
  await context?.close();
  app?.kill('SIGTERM');
  if (app && app.exitCode === null) await new Promise((resolve) => app.once('exit', resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const countOf = async (label: string): Promise<number> => Number((await page.getByRole('group', { name: 'Tags' }).locator('label', { hasText: new RegExp(`^\\s*${label} \\d+$`) }).locator('.count').textContent()) ?? NaN);
const total = async (): Promise<number> => Number(/^(\d+)/.exec((await page.getByRole('status').textContent()) ?? '')?.[1]);

describe('the demo search page', () => {
  let clicked: { searchId: string; postTitle: string; terms: string };

  it('completes, suggests a spelling, filters by a facet with counts that stay right, and records the click', async () => {
    await page.goto(`${base}/`);
    // A search input with a suggestion list is a combobox (ARIA: input type=search with list=).
    const box = page.getByRole('combobox', { name: 'Search posts' });
    // Autocomplete: the completion suggester fills the list as one types.
    await box.pressSequentially('migr', { delay: 30 });
    await expect.poll(() => page.locator('#completions option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#completions option').first().getAttribute('value')).toMatch(/^Migrating /);
    await page.screenshot({ path: join(SHOTS, '1-autocomplete.png') });

    await box.fill('kubernets postgres');
    await box.press('Enter');
    await page.waitForURL(/q=kubernets\+postgres/);
    const suggestion = page.getByText('Did you mean').getByRole('link');
    await expect.poll(() => suggestion.count()).toBe(1);
    const suggested = (await suggestion.textContent())!;
    expect(suggested).toMatch(/^kubernetes /);
    await page.screenshot({ path: join(SHOTS, '2-did-you-mean.png'), fullPage: true });

    await suggestion.click();
    await page.waitForURL((url) => url.searchParams.get('q') === suggested);
    expect(await box.inputValue()).toBe(suggested);
    const before = await total();
    // Tick the first tag; its count is the number of hits it leaves, and no tag count changes.
    const tags = page.getByRole('group', { name: 'Tags' }).getByRole('checkbox');
    const names = await tags.evaluateAll((boxes) => boxes.map((b) => (b as unknown as { value: string }).value));
    const counts = await Promise.all(names.map(countOf));
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(before);
    const tag = names[1]!;
    await tags.nth(1).check();
    await page.waitForURL((url) => url.searchParams.getAll('tag').includes(tag));
    expect(await tags.nth(1).isChecked()).toBe(true);
    expect(await total()).toBe(counts[1]);
    expect(await Promise.all(names.map(countOf))).toEqual(counts);
    expect(await page.getByRole('list').getByRole('listitem').count()).toBe(Math.min(10, counts[1]!));
    await page.screenshot({ path: join(SHOTS, '3-facet.png'), fullPage: true });

    const first = page.getByRole('list').getByRole('listitem').first().getByRole('link');
    const href = (await first.getAttribute('href'))!;
    const postTitle = (await first.textContent())!;
    await first.click();
    await page.waitForURL(/\/posts\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(postTitle);
    await page.screenshot({ path: join(SHOTS, '4-post.png'), fullPage: true });
    clicked = { searchId: href.split('/')[2]!, postTitle, terms: suggested };
  }, 120_000);

  it('works without JavaScript for a plain search', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const p = await noJs.newPage();
    try {
      await p.goto(`${base}/?q=${encodeURIComponent('<script>alert(1)</script> postgres')}`);
      await expect.poll(() => p.getByRole('status').textContent()).toContain('<script>alert(1)</script> postgres');
      expect(await p.getByRole('button', { name: 'Apply filters' }).isVisible()).toBe(true);
      await p.screenshot({ path: join(SHOTS, '0-no-javascript.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('shows those searches and the click on the dashboard with the right numbers', async () => {
    expect(clicked).toBeDefined();
    await page.goto(dashboardUrl);
    // The reader's searches: the empty front page, "migr" never submitted, the misspelt query,
    // the suggestion, the suggestion with a tag, and the XSS probe: 5 searches, 1 converted.
    const card = (name: string) => page.locator(`[data-figure="${name}"] [data-value]`);
    await expect
      .poll(async () => {
        await page.goto(`${dashboardUrl.split('?')[0]}?period=1h`);
        return [await card('searches').textContent(), await card('conversionRate').textContent()];
      }, { timeout: 15_000 })
      .toEqual(['5', '20.0%']);
    expect(await card('users').textContent()).toBe('2');
    await page.waitForFunction('document.querySelectorAll(".chart canvas").length === 6');
    await page.screenshot({ path: join(SHOTS, '5-dashboard-overview.png'), fullPage: true });

    await page.getByRole('link', { name: 'Live' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: clicked.terms, exact: true }) });
    await expect.poll(() => row.count()).toBe(2);
    expect(await page.getByRole('cell', { name: '<script>alert(1)</script> postgres' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, '6-dashboard-live.png'), fullPage: true });

    await page.goto(`${dashboardUrl.split('?')[0]}searches/${clicked.searchId}`);
    const conversions = page.locator('#conversions tbody tr');
    expect(await conversions.count()).toBe(1);
    expect(await conversions.locator('td').nth(1).textContent()).toBe('click');
    expect(await conversions.locator('td').nth(2).textContent()).toBe('1');
    await page.screenshot({ path: join(SHOTS, '7-dashboard-search.png'), fullPage: true });

    await page.getByRole('link', { name: 'Top terms' }).click();
    const term = page.getByRole('row').filter({ has: page.getByRole('cell', { name: clicked.terms, exact: true }) });
    // The suggestion was searched twice (with and without the tag), one of them converted, at position 1.
    expect(await term.locator('td').nth(2).textContent()).toBe('2');
    expect(await term.locator('td').nth(5).textContent()).toBe('50.0%');
    expect(await term.locator('td').nth(6).textContent()).toBe('1.00');
    await page.screenshot({ path: join(SHOTS, '8-dashboard-terms.png'), fullPage: true });
  });
});

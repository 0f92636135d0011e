// web.mjs - the measurements of bench/web.sh: first page weight and the
// case list's first page render time on a large database, with the bare
// API request's time as the reference of the same run.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(path.resolve('tests/web/package.json'));
const { chromium } = require('playwright-core');
const { CTIS, DB, WEB_DIR, W, N } = process.env;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const portFile = path.join(W, 'port');
const server = spawn(CTIS, ['--db', DB, 'serve', '--listen', '127.0.0.1:0',
  '--port-file', portFile, '--web', WEB_DIR], { stdio: 'ignore' });
let base = '';
for (let i = 0; i < 400 && !base; i++) {
  if (fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()) {
    base = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
  } else {
    await new Promise((r) => setTimeout(r, 50));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ctx = await chromium.launchPersistentContext(
  fs.mkdtempSync(path.join(W, 'profile-')), { executablePath: '/usr/bin/chromium',
    headless: true, args: ARGS, viewport: { width: 1366, height: 768 } });
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(`${base}/`);
  await page.waitForSelector('form.login');
  await page.evaluate(() => document.fonts.ready);
  const first = bytes;
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  console.log(`first page (login, cold cache): ${(first / 1024).toFixed(1)} KB transferred (target < 300 KB)`);
  await page.fill('input[name=username]', 'bench');
  await page.fill('input[name=password]', 'correct-horse-battery-1');
  await page.click('form.login button[type=submit]');
  await page.waitForFunction(() => /^#\/(home|password)$/.test(location.hash));
  if (page.url().endsWith('#/password')) {
    await page.fill('input[name=old_password]', 'correct-horse-battery-1');
    await page.fill('input[name=new_password]', 'correct-horse-battery-2');
    await page.click('main form button[type=submit]');
    await page.waitForFunction(() => location.hash === '#/home');
  }
  const times = [];
  const api = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.goto(`${base}/#/cases`);
    await page.waitForSelector('#case-results tbody tr a.case-id');
    times.push(Date.now() - t0);
    api.push(await page.evaluate(async () => {
      const t = performance.now();
      const r = await fetch('/api/cases?page=1&per_page=50');
      await r.json();
      return performance.now() - t;
    }));
  }
  const rows = await page.locator('#case-results tbody tr').count();
  const ms = median(times);
  const ref = median(api);
  console.log(`case list, first page (${rows} rows) of a ${Number(N).toLocaleString('en')}-case database, full page load: median ${ms} ms of 5 (target < 1000 ms)`);
  console.log(`  the same GET /api/cases alone: median ${ref.toFixed(1)} ms; ratio page/API ${(ms / Math.max(ref, 0.1)).toFixed(1)}`);
} finally {
  await ctx.close();
  server.kill('SIGTERM');
}

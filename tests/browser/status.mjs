// Drives Debian's Chromium (headless, through playwright-core; no browser download) over one
// page: a full-page screenshot at each width, and axe-core's WCAG 2.1 A/AA rules at each.
//
//   node status.mjs <url> <out-dir>
//
// Environment: VAKT_TEST_CHROMIUM (default /usr/bin/chromium). Prints one JSON line per width
// ({"width", "screenshot", "violations": [...]}) and exits 1 when any rule is violated, 2 when
// the browser or the page fails.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [url, outDir] = process.argv.slice(2);
if (!url || !outDir) {
  console.error('usage: node status.mjs <url> <out-dir>');
  process.exit(2);
}
const executablePath = process.env.VAKT_TEST_CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'vakt-chromium-'));
const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

let failed = false;
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  for (const { name, width, height } of WIDTHS) {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || response.status() !== 200) {
      throw new Error(`${url} answered ${response && response.status()}`);
    }
    const screenshot = join(outDir, `status-${name}-${width}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    // The first screen as a person sees it (the full page is too long to judge at a glance).
    await page.screenshot({ path: join(outDir, `status-${name}-${width}-first-screen.png`) });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    );
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
    // Whether the page scrolls sideways at this width (it should not).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    if (violations.length > 0 || overflow) failed = true;
    console.log(JSON.stringify({ width, screenshot, passes: result.passes.length, overflow, violations }));
    await page.close();
  }
} catch (e) {
  console.error(`browser run failed: ${e && e.stack ? e.stack : e}`);
  if (context) await context.close().catch(() => {});
  process.exit(2);
}
await context.close();
process.exit(failed ? 1 : 0);

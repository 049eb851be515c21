// The public dashboard at `/`, on a small phone and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { backend, freshDatabase, launchBrowser, screenshot, sh, sipmasBin, startServer } from '../lib.mjs';

let db;
let server;
let browser;

before(async () => {
  const bin = sipmasBin();
  db = freshDatabase('public');
  sh(bin, ['--database-url', db.dbUrl, 'demo', '--households', '300', '--no-serve']);
  server = await startServer({ bin, dbUrl: db.dbUrl });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  db?.drop();
});

// The dashboard's <h1> names the region shown ("Semua wilayah" at the top);
// the brand sits in the header.
const BRAND = /SIPMAS/;
const HEADING = /^Semua wilayah$/;
// A count as the dashboard prints it ("1.234", Indonesian thousands) or the
// small-number mask.
const COUNT = /^(\d{1,3}(\.\d{3})*|< 5)$/;

test('dasbor publik di layar ponsel 360 px', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    const res = await page.goto(`${server.base}/`);
    assert.equal(res.status(), 200);

    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
    assert.match(await page.locator('header .brand').innerText(), BRAND);
    assert.match(await page.locator('h1').first().innerText(), HEADING);

    const kk = page.locator('#kk-ekstrem');
    assert.equal(await kk.count(), 1, '#kk-ekstrem is present');
    const text = (await kk.textContent()).replace(/\s+/g, ' ').trim();
    assert.match(text, COUNT);

    // Screenshot first, so that a layout failure below still leaves a picture.
    await screenshot(page, `public-${backend()}-dashboard-360`);

    const { scrollWidth, wide } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      // Outermost elements sticking out past the viewport, to say what overflows.
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth)
        .filter((e) => !(e.parentElement?.getBoundingClientRect().right > window.innerWidth))
        .slice(0, 5)
        .map((e) => `<${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}> right=${Math.round(e.getBoundingClientRect().right)}px`),
    }));
    assert.ok(
      scrollWidth <= 360,
      `horizontal overflow at 360 px: scrollWidth ${scrollWidth}; too wide: ${wide.join(', ')}`,
    );
  } finally {
    await context.close();
  }
});

test('dasbor publik tanpa JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const res = await page.goto(`${server.base}/`);
    assert.equal(res.status(), 200);
    assert.match(await page.locator('header .brand').innerText(), BRAND);
    assert.match(await page.locator('h1').first().innerText(), HEADING);
  } finally {
    await context.close();
  }
});

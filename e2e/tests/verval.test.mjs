// The whole verval loop on the demo data, each person on a 360 × 740 phone:
// Dinsos plans a campaign and assigns a village; the village operator fills in
// the visit form (GPS from the browser, a photo) without a connection, and the
// phone sends it when the connection returns; the kecamatan compares it with
// the register and sends it back with a comment; the operator corrects it; the
// kecamatan and then Dinsos approve; the household's status and the dashboard
// move; the berita acara prints (page and PDF). Also: a village operator
// cannot open another village's assignment.
//
// Screenshots: e2e/artifacts/verval-<backend>-<nn>-<step>.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  PASSWORD,
  PHONE,
  backend,
  freshDatabase,
  horizontalOverflow,
  launchBrowser,
  screenshot,
  sh,
  sipmasBin,
  startServer,
} from '../lib.mjs';

const BACKEND = backend();
const CAMPAIGN = 'Verval P3KE uji, November 2026';

let bin;
let db;
let server;
let browser;
/** An extremely poor household of the province, and the village and kecamatan it lies in. */
let home;
let village;
let district;
let other;
let shots = 0;
const overflows = [];

function addUser(username, role, name, region) {
  const args = ['--database-url', db.dbUrl, 'users', 'add', '--username', username, '--role', role, '--name', name];
  if (region) args.push('--region', region);
  args.push('--password-stdin');
  sh(bin, args, { input: `${PASSWORD}\n` });
}

async function step(page, what) {
  shots += 1;
  await screenshot(page, `verval-${BACKEND}-${String(shots).padStart(2, '0')}-${what}`);
  const { scrollWidth, culprits } = await horizontalOverflow(page, 360);
  if (scrollWidth > 360) overflows.push({ what, scrollWidth, culprits });
}

async function phone(options = {}) {
  const context = await browser.newContext({ ...PHONE, ...options });
  context.setDefaultTimeout(10_000);
  return context;
}

async function signIn(context, username) {
  const page = await context.newPage();
  await page.goto(`${server.base}/masuk`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').click()]);
  assert.equal(await page.locator('#pengguna').count(), 1, `${username} signed in`);
  return page;
}

async function go(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation(), page.locator(locator).first().click()]);
  return res;
}

function count(shown) {
  assert.match(shown, /^[\d.]+$/, `a figure, not "${shown}"`);
  return Number(shown.replaceAll('.', ''));
}

async function extremeIn(page, region) {
  await page.goto(`${server.base}/?wilayah=${region}`);
  return (await page.locator('#kk-ekstrem').innerText()).trim();
}

before(async () => {
  bin = sipmasBin();
  db = freshDatabase('verval');
  sh(bin, ['--database-url', db.dbUrl, 'demo', '--households', '300', '--no-serve']);
  addUser('admin', 'admin', 'Ani Admin', null);
  addUser('operator', 'operator', 'Oki Operator', '64');
  server = await startServer({ bin, dbUrl: db.dbUrl });
  browser = await launchBrowser();
  const context = await browser.newContext();
  try {
    const page = await signIn(context, 'admin');
    const res = await page.request.get(`${server.base}/api/v1/households?wilayah=64&status=miskin_ekstrem`);
    const found = (await res.json()).households;
    home = found.find((h) => h.head_name && found.some((o) => o.village !== h.village));
    assert.ok(home, 'an extremely poor household, and another village with one');
    other = found.find((h) => h.village !== home.village);
  } finally {
    await context.close();
  }
  village = home.village;
  district = village.split('.').slice(0, 3).join('.');
  addUser('desa', 'desa', 'Dedi Desa', village);
  addUser('camat', 'kecamatan', 'Kiki Camat', district);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  db?.drop();
});

test('verval: rencana, kunjungan tanpa sinyal, kembalikan, perbaiki, setujui, berita acara', async () => {
  // The province: enough households that the dashboard shows the figure, not "< 5".
  const regency = '64';
  // Dinsos plans the campaign over the kecamatan's extremely poor and assigns the village.
  const opCtx = await phone();
  const op = await signIn(opCtx, 'operator');
  const before = await extremeIn(op, regency);
  await op.goto(`${server.base}/verval`);
  await op.fill('#k-name', CAMPAIGN);
  await op.fill('#k-wilayah', district);
  await op.selectOption('#k-status', 'miskin_ekstrem');
  await op.fill('#k-due', '2027-01-31');
  await step(op, 'plan');
  await go(op, '#buat-kampanye');
  const campaignPath = new URL(op.url()).pathname;
  assert.match(campaignPath, /^\/verval\/[0-9a-f-]{36}$/);
  const row = op.locator(`#desa-${village.replaceAll('.', '\\.')}`);
  await row.locator('input[name=petugas]').fill('desa');
  await Promise.all([op.waitForNavigation(), row.locator('button').click()]);
  assert.match(await op.locator(`#desa-${village.replaceAll('.', '\\.')}`).innerText(), /desa/);
  await step(op, 'assigned');

  // The village operator: GPS from the phone, a photo, and no connection at the moment of sending.
  const desaCtx = await phone({ geolocation: { latitude: -0.512345, longitude: 117.154321 }, permissions: ['geolocation'] });
  const desa = await signIn(desaCtx, 'desa');
  await desa.goto(`${server.base}/tugas`);
  await step(desa, 'tasks');
  const visitPath = `${campaignPath}/kunjungan/${home.id}`;
  await go(desa, `#tugas a[href="${visitPath}"]`);
  assert.equal(await desa.locator('#kunjungan').count(), 1, 'the visit form');
  await desa.check('input[name=hasil][value=graduasi]');
  await desa.selectOption('#f-status_baru', 'rentan');
  await desa.fill('#f-floor', 'keramik');
  await desa.check('input[name=kriteria][value=jamban]');
  await desa.check('input[name=kriteria][value=air]');
  await desa.fill('#f-pengeluaran', '450000');
  await desa.fill('#f-catatan', 'Kepala keluarga sudah bekerja tetap');
  await desa.click('#ambil-gps');
  await desa.waitForFunction(() => document.querySelector('#f-latitude').value.startsWith('-0.51'));
  assert.equal(await desa.inputValue('#f-longitude'), '117.154321');
  const photo = await desa.screenshot({ type: 'png' });
  await desa.setInputFiles('#f-foto', { name: 'rumah.png', mimeType: 'image/png', buffer: photo });
  await step(desa, 'form');
  await desaCtx.setOffline(true);
  await desa.click('#kirim');
  await desa.locator('#antrian:not([hidden])').waitFor();
  assert.match(await desa.locator('#antrian').innerText(), /disimpan di ponsel/);
  await step(desa, 'queued-offline');
  assert.equal(new URL(desa.url()).pathname, visitPath, 'still on the form');
  await desaCtx.setOffline(false);
  await desa.waitForFunction(() => /terkirim/.test(document.querySelector('#antrian').textContent));
  await step(desa, 'sent-online');
  await desa.goto(`${server.base}/tugas`);
  assert.match(await desa.locator(`#tugas tr:has(a[href="${visitPath}"])`).innerText(), /Dikirim desa/);
  // Another village's assignment is not theirs.
  const elsewhere = await desa.goto(`${server.base}${campaignPath}/kunjungan/${other.id}`);
  assert.equal(elsewhere.status(), 404);

  // The kecamatan compares with the register and sends it back.
  const camatCtx = await phone();
  const camat = await signIn(camatCtx, 'camat');
  await camat.goto(`${server.base}/verval`);
  await go(camat, `a[href="${campaignPath}"]`);
  await go(camat, `a[href="${campaignPath}/desa/${village}"]`);
  await go(camat, `a[href="${visitPath}"]`);
  assert.match(await camat.locator('#beda tr.diff').allInnerTexts().then((t) => t.join('\n')), /keramik/);
  assert.match(await camat.locator('#beda tr.diff').allInnerTexts().then((t) => t.join('\n')), /-0\.512345/);
  assert.equal(await camat.locator('.foto img').count(), 1, 'the photo');
  assert.equal(await camat.locator('.foto img').evaluate((img) => img.naturalWidth > 0), true, 'the photo loads');
  assert.equal((await camat.locator('#jumlah-kriteria').innerText()).trim(), '2');
  assert.equal((await camat.locator('#status-baru').innerText()).trim(), 'Rentan Miskin');
  await step(camat, 'review');
  await camat.fill('#f-comment', 'Tambahkan kriteria makan, periksa lagi');
  await go(camat, '#kembalikan');
  assert.equal((await camat.locator('#tahap').innerText()).trim(), 'Dikembalikan');

  // The operator corrects and sends again (online this time).
  await desa.goto(`${server.base}${visitPath}`);
  assert.match(await desa.locator('#komentar').innerText(), /Tambahkan kriteria makan/);
  assert.equal(await desa.inputValue('#f-floor'), 'keramik', 'the earlier entries are there');
  await desa.check('input[name=kriteria][value=makan]');
  await step(desa, 'correct');
  await go(desa, '#kirim');
  assert.equal(await desa.locator('#terkirim').count(), 1);

  // The kecamatan approves, then Dinsos; only then does the register change.
  await camat.goto(`${server.base}${visitPath}`);
  assert.equal((await camat.locator('#jumlah-kriteria').innerText()).trim(), '3');
  await go(camat, '#setujui');
  assert.equal((await camat.locator('#tahap').innerText()).trim(), 'Diperiksa kecamatan');
  assert.equal(await extremeIn(op, regency), before, 'nothing moves before Dinsos approves');
  await op.goto(`${server.base}${visitPath}`);
  await step(op, 'approve');
  await go(op, '#setujui');
  assert.equal((await op.locator('#tahap').innerText()).trim(), 'Disetujui Dinsos');
  await op.goto(`${server.base}/keluarga/${home.id}`);
  assert.equal((await op.locator('#status').innerText()).trim(), 'Rentan Miskin');
  assert.match(await op.locator('#riwayat-status').innerText(), new RegExp(CAMPAIGN));
  await step(op, 'household-after');
  const after = await extremeIn(op, regency);
  assert.equal(count(after), count(before) - 1, 'the dashboard moved');
  await op.goto(`${server.base}${campaignPath}`);
  assert.match(await op.locator(`#hasil-${village.replaceAll('.', '\\.')}`).innerText(), /\b1\b/);
  await step(op, 'campaign-results');

  // The berita acara: a printable page and the PDF.
  await camat.goto(`${server.base}${campaignPath}/desa/${village}`);
  await go(camat, '#berita-acara');
  assert.match(await camat.locator('#judul').innerText(), /BERITA ACARA/);
  const list = await camat.locator('#daftar').innerText();
  assert.ok(list.includes(home.head_name), 'the household is listed');
  assert.match(list, /Tidak lagi miskin ekstrem/);
  await step(camat, 'berita-acara');
  const pdf = await camat.request.get(`${server.base}${campaignPath}/desa/${village}/berita-acara.pdf`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 8).toString(), '%PDF-1.4');

  await Promise.all([opCtx.close(), desaCtx.close(), camatCtx.close()]);
  assert.deepEqual(overflows, [], 'no verval page scrolls sideways at 360 px');
});

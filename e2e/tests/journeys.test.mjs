// User journeys through the register, for every role, on a 360 × 740 phone:
// sign-in, search, household page with NIK masking, sign-out; editing, an
// edit conflict between two users, a household outside the user's region,
// the language switch, the whole round without JavaScript and a wrong
// password. Every page visited is also checked for sideways scrolling at
// 360 px; the last test lists the pages that do.
//
// One server and one fresh database per run of this file, on the backend
// named by $SIPMAS_E2E_BACKEND (sqlite or postgres, see run.sh).
// Screenshots: e2e/artifacts/journeys-<backend>-<role>-<nn>-<step>.png.
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

const NIK_FULL = /^\d{16}$/;
const NIK_MASKED = /^\d{6}\*{8}\d{2}$/;
const NOT_FOUND = 'Halaman atau data tidak ditemukan.';

// Accounts; region and names of kecamatan and desa are filled in by before().
const USERS = {
  admin: { role: 'admin', name: 'Ani Admin', label: 'Admin Dinsos', region: null, masked: false, edits: true },
  operator: { role: 'operator', name: 'Oki Operator', label: 'Operator Dinsos', region: '64.08', masked: false, edits: true },
  opd: { role: 'opd', name: 'Odi Petugas', label: 'Petugas OPD', region: null, masked: true, edits: false },
  kecamatan: { role: 'kecamatan', name: 'Kiki Camat', label: 'Pengawas Kecamatan', region: undefined, masked: false, edits: false },
  desa: { role: 'desa', name: 'Dedi Desa', label: 'Operator Desa/Kelurahan', region: undefined, masked: false, edits: true },
  viewer: { role: 'viewer', name: 'Vivi Pimpinan', label: 'Pimpinan (lihat saja)', region: '64', masked: true, edits: false },
};

let bin;
let db;
let server;
let browser;
/** The household every journey works on: in 64.08, with coordinates. */
let home;
/** A household in another regency (64.01) and one in another village of 64.08. */
let otherRegency;
let otherVillage;
/** Pages seen wider than 360 px: { where, scrollWidth, culprits, shot }. */
const overflows = [];

function addUser(u, username) {
  const args = ['--database-url', db.dbUrl, 'users', 'add', '--username', username, '--role', u.role, '--name', u.name];
  if (u.region) args.push('--region', u.region);
  args.push('--password-stdin');
  sh(bin, args, { input: `${PASSWORD}\n` });
}

function path(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/**
 * Screenshot of the current page under <role>-<nn>-<step>, and the 360 px
 * check (recorded, asserted by the last test so a layout fault does not hide
 * what the journey itself found).
 */
const counters = new Map();
async function step(page, who, what) {
  const n = (counters.get(who) ?? 0) + 1;
  counters.set(who, n);
  const shot = await screenshot(page, `journeys-${BACKEND}-${who}-${String(n).padStart(2, '0')}-${what}`);
  const { scrollWidth, culprits } = await horizontalOverflow(page, 360);
  if (scrollWidth > 360) overflows.push({ where: `${who}/${what} ${path(page)}`, scrollWidth, culprits, shot });
  return shot;
}

async function phone(options = {}) {
  const context = await browser.newContext({ ...PHONE, ...options });
  // Every page here answers in well under a second; fail fast otherwise.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Signs in through the form on /masuk; returns the response of the page landed on. */
async function login(page, username, password = PASSWORD) {
  const res = await page.goto(`${server.base}/masuk`);
  assert.equal(res.status(), 200, 'GET /masuk');
  await page.fill('#username', username);
  await page.fill('#password', password);
  const [nav] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main form button[type=submit]').click(),
  ]);
  return nav;
}

/** Submits the search form (htmx swaps #hasil; without JS it is a plain GET). */
async function search(page, fields) {
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
  await page.click('#cari');
  await page.locator('#hasil-tabel, #kosong, #galat-cari').first().waitFor();
}

/**
 * Searches by the first word of the head's name and returns the result row
 * linking to `hh`, following "next page" links if needed.
 */
async function findByName(page, hh) {
  const first = hh.head_name.split(/\s+/)[0];
  await search(page, { nama: first });
  assert.equal(await page.locator('#galat-cari').count(), 0, `search for "${first}" gave an error`);
  assert.equal(await page.locator('#hasil-tabel').count(), 1, `search for "${first}" found nothing`);
  const href = `a[href="/keluarga/${hh.id}"]`;
  const link = `#hasil-tabel ${href}`;
  for (let pageNo = 1; (await page.locator(link).count()) === 0; pageNo++) {
    const next = page.locator('#berikutnya');
    assert.ok(pageNo < 20 && (await next.count()) === 1, `household ${hh.id} not among results for "${first}"`);
    await Promise.all([page.waitForURL(new RegExp(`hal=${pageNo + 1}`)), next.click()]);
  }
  return page.locator('#hasil-tabel tbody tr').filter({ has: page.locator(href) }).first();
}

/** Clicks a link or submit button and waits for the page it leads to. */
async function navigate(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation(), page.locator(locator).first().click()]);
  return res;
}

async function expectSignedIn(page, u) {
  const who = page.locator('#pengguna');
  assert.equal(await who.count(), 1, '#pengguna is shown after sign-in');
  assert.equal((await who.innerText()).trim(), `${u.name} · ${u.label}`);
}

function checkNiks(niks, masked, where) {
  const pattern = masked ? NIK_MASKED : NIK_FULL;
  assert.ok(niks.some((n) => pattern.test(n)), `${where}: no NIK shown as ${pattern} in ${JSON.stringify(niks)}`);
  for (const n of niks) {
    assert.ok(n === '—' || pattern.test(n), `${where}: NIK "${n}" should match ${pattern}`);
  }
}

async function signOut(page, who) {
  await navigate(page, '#keluar');
  assert.equal(await page.locator('#pengguna').count(), 0, 'no #pengguna after sign-out');
  const res = await page.goto(`${server.base}/cari`);
  assert.equal(new URL(page.url()).pathname, '/masuk', `/cari after sign-out goes to /masuk, got ${page.url()}`);
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('#username').count(), 1);
  await step(page, who, 'after-logout');
}

before(async () => {
  bin = sipmasBin();
  db = freshDatabase('journeys');
  sh(bin, ['--database-url', db.dbUrl, 'demo', '--households', '300', '--no-serve']);
  for (const key of ['admin', 'operator', 'opd', 'viewer']) addUser(USERS[key], key);
  server = await startServer({ bin, dbUrl: db.dbUrl });
  browser = await launchBrowser();

  // Pick the households through the admin's API session.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await login(page, 'admin');
    const api = async (query) => {
      const res = await page.request.get(`${server.base}/api/v1/households?${query}`);
      assert.equal(res.status(), 200, `GET /api/v1/households?${query}`);
      return (await res.json()).households;
    };
    const inRegency = await api('wilayah=64.08');
    for (const hh of inRegency) {
      if (!/^[A-Za-z]{3,}$/.test(hh.head_name?.split(/\s+/)[0] ?? '')) continue;
      const doc = await (await page.request.get(`${server.base}/api/v1/households/${hh.id}`)).json();
      if (doc.fields?.latitude) {
        home = hh;
        break;
      }
    }
    assert.ok(home, 'a household in 64.08 with coordinates and a plain head name');
    otherVillage = inRegency.find((hh) => hh.village !== home.village);
    assert.ok(otherVillage, 'a household in another village of 64.08');
    [otherRegency] = await api('wilayah=64.01');
    assert.ok(otherRegency, 'a household in 64.01');
  } finally {
    await context.close();
  }

  USERS.desa.region = home.village;
  USERS.kecamatan.region = home.village.split('.').slice(0, 3).join('.');
  addUser(USERS.desa, 'desa');
  addUser(USERS.kecamatan, 'kecamatan');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  db?.drop();
});

test('kata sandi salah menampilkan #galat-masuk', async () => {
  const context = await phone();
  try {
    const page = await context.newPage();
    const res = await login(page, 'viewer', 'bukan-kata-sandinya');
    assert.equal(res.status(), 401);
    assert.equal(new URL(page.url()).pathname, '/masuk');
    const error = page.locator('#galat-masuk');
    assert.equal(await error.count(), 1, '#galat-masuk is shown');
    assert.ok((await error.innerText()).trim().length > 0, '#galat-masuk says something');
    assert.equal(await page.locator('#pengguna').count(), 0, 'not signed in');
    assert.equal(await page.inputValue('#username'), 'viewer', 'the username is kept');
    await step(page, 'viewer', 'wrong-password');
  } finally {
    await context.close();
  }
});

for (const key of Object.keys(USERS)) {
  test(`peran ${key}: masuk, cari, buka keluarga, NIK, keluar`, async () => {
    const u = USERS[key];
    const context = await phone();
    try {
      const page = await context.newPage();
      const res = await login(page, key);
      assert.equal(res.status(), 200);
      await expectSignedIn(page, u);
      await step(page, key, 'signed-in');

      assert.equal((await page.goto(`${server.base}/cari`)).status(), 200);
      assert.equal(await page.locator('h1').innerText(), 'Cari keluarga');
      await step(page, key, 'search-form');

      const row = await findByName(page, home);
      checkNiks([(await row.locator('td').nth(2).innerText()).trim()], u.masked, `${key}: head NIK in results`);
      await step(page, key, 'search-results');

      const hh = await navigate(page, `#hasil-tabel a[href="/keluarga/${home.id}"]`);
      assert.equal(hh.status(), 200);
      assert.equal(new URL(page.url()).pathname, `/keluarga/${home.id}`);
      for (const id of ['status', 'alamat', 'anggota', 'rumah', 'riwayat-status', 'riwayat-ubah', 'sumber', 'peta']) {
        assert.equal(await page.locator(`#${id}`).count(), 1, `#${id} on the household page`);
      }
      assert.ok((await page.locator('#anggota td').allInnerTexts()).some((t) => t.includes(home.head_name)),
        `head ${home.head_name} among the members`);
      checkNiks(await page.locator('#anggota td.nik').allInnerTexts(), u.masked, `${key}: member NIKs`);
      assert.equal(await page.locator('#ubah').count(), u.edits ? 1 : 0, `#ubah ${u.edits ? '' : 'not '}shown`);
      await step(page, key, 'household');

      await signOut(page, key);
    } finally {
      await context.close();
    }
  });
}

/** Changes a short numeric text so that it differs ("018" → "019"). */
function bump(value, width = 3) {
  const n = Number.parseInt(value || '0', 10);
  return String(((Number.isNaN(n) ? 0 : n) % 900) + 1).padStart(width, '0');
}

/** Rows of #riwayat-ubah as { field, old, new, by }. */
async function changes(page) {
  return page.locator('#riwayat-ubah tbody tr').evaluateAll((rows) =>
    rows.map((r) => {
      const c = [...r.cells].map((td) => td.textContent.trim());
      return { when: c[0], field: c[1], old: c[2], new: c[3], by: c[4] };
    }),
  );
}

function hasChange(rows, field, oldValue, newValue) {
  return rows.some((r) => r.field === field && r.old === oldValue && r.new === newValue);
}

test('desa mengubah alamat: jalan dan RT, lalu riwayat ubah', async () => {
  const context = await phone();
  try {
    const page = await context.newPage();
    await login(page, 'desa');
    assert.equal((await page.goto(`${server.base}/keluarga/${home.id}`)).status(), 200);
    await step(page, 'desa', 'edit-household');

    const form = await navigate(page, '#ubah');
    assert.equal(form.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/keluarga/${home.id}/ubah`);
    await step(page, 'desa', 'edit-form');

    const oldStreet = await page.inputValue('#f-street');
    const oldRt = await page.inputValue('#f-rt');
    const newStreet = `Jl. Uji Perjalanan No. 7 ${BACKEND}`;
    const newRt = bump(oldRt);
    await page.fill('#f-street', newStreet);
    await page.fill('#f-rt', newRt);
    const saved = await navigate(page, '#simpan');
    assert.equal(saved.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/keluarga/${home.id}`);
    assert.equal((await page.locator('#pesan').innerText()).trim(), 'Perubahan tersimpan (2 isian).');
    assert.match(await page.locator('#alamat').innerText(), new RegExp(`^${newStreet.replace(/\./g, '\\.')} RT ${newRt}\\b`));
    const rows = await changes(page);
    assert.ok(hasChange(rows, 'households.street', oldStreet, newStreet),
      `street change ${oldStreet} → ${newStreet} in #riwayat-ubah: ${JSON.stringify(rows)}`);
    assert.ok(hasChange(rows, 'households.rt', oldRt, newRt),
      `RT change ${oldRt} → ${newRt} in #riwayat-ubah: ${JSON.stringify(rows)}`);
    await step(page, 'desa', 'edit-saved');
  } finally {
    await context.close();
  }
});

test('konflik: desa dan operator mengubah keluarga yang sama', async () => {
  const desaContext = await phone();
  const operatorContext = await phone();
  try {
    const desa = await desaContext.newPage();
    const operator = await operatorContext.newPage();
    await login(desa, 'desa');
    await login(operator, 'operator');
    for (const page of [desa, operator]) {
      assert.equal((await page.goto(`${server.base}/keluarga/${home.id}/ubah`)).status(), 200);
    }
    await step(operator, 'operator', 'conflict-form-opened');

    const desaStreet = `Jl. Konflik Desa ${BACKEND}`;
    await desa.fill('#f-street', desaStreet);
    await step(desa, 'desa', 'conflict-first-save-typed');
    assert.equal((await navigate(desa, '#simpan')).status(), 200);
    assert.match(await desa.locator('#pesan').innerText(), /^Perubahan tersimpan \(1 isian\)\.$/);
    await step(desa, 'desa', 'conflict-first-saved');

    const operatorStreet = `Jl. Konflik Operator ${BACKEND}`;
    await operator.fill('#f-street', operatorStreet);
    const clash = await navigate(operator, '#simpan');
    assert.equal(clash.status(), 409);
    assert.equal(await operator.locator('#konflik').count(), 1, '#konflik is shown');
    assert.ok((await operator.locator('#banding tr.diff').count()) >= 1, '#banding has a .diff row');
    const diffText = await operator.locator('#banding tr.diff').allInnerTexts();
    assert.ok(diffText.some((t) => t.includes(desaStreet) && t.includes(operatorStreet)),
      `a .diff row shows both streets: ${JSON.stringify(diffText)}`);
    assert.equal(await operator.inputValue('#f-street'), operatorStreet, 'the form keeps what the operator typed');
    await step(operator, 'operator', 'conflict-409');

    const resolved = await navigate(operator, '#simpan');
    assert.equal(resolved.status(), 200);
    assert.equal(new URL(operator.url()).pathname, `/keluarga/${home.id}`);
    assert.match(await operator.locator('#pesan').innerText(), /^Perubahan tersimpan \(\d+ isian\)\.$/);
    assert.match(await operator.locator('#alamat').innerText(), new RegExp(`^${operatorStreet}`));
    const rows = await changes(operator);
    assert.ok(hasChange(rows, 'households.street', desaStreet, operatorStreet),
      `street change ${desaStreet} → ${operatorStreet} in #riwayat-ubah: ${JSON.stringify(rows)}`);
    await step(operator, 'operator', 'conflict-resolved');
  } finally {
    await desaContext.close();
    await operatorContext.close();
  }
});

test('desa: keluarga di luar wilayahnya → 404', async () => {
  const context = await phone();
  try {
    const page = await context.newPage();
    await login(page, 'desa');
    for (const [what, hh] of [['other-regency', otherRegency], ['other-village', otherVillage]]) {
      for (const suffix of ['', '/ubah']) {
        const res = await page.goto(`${server.base}/keluarga/${hh.id}${suffix}`);
        assert.equal(res.status(), 404, `${what} ${hh.village}${suffix}`);
        assert.equal(await page.locator('html').getAttribute('lang'), 'id');
        assert.equal((await page.locator('#pesan-galat').innerText()).trim(), NOT_FOUND);
        if (!suffix) await step(page, 'desa', `404-${what}`);
      }
    }
    const api = await page.request.get(`${server.base}/api/v1/households/${otherRegency.id}`);
    assert.equal(api.status(), 404, 'the API hides it too');
  } finally {
    await context.close();
  }
});

test('ganti bahasa: Indonesia → English → Indonesia', async () => {
  const context = await phone();
  try {
    const page = await context.newPage();
    await login(page, 'kecamatan');
    await page.goto(`${server.base}/cari`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
    assert.equal(await page.locator('h1').innerText(), 'Cari keluarga');
    assert.equal((await page.locator('#ganti-bahasa').innerText()).trim(), 'English');

    await navigate(page, '#ganti-bahasa');
    assert.equal(new URL(page.url()).pathname, '/cari', 'back on the search page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('h1').innerText(), 'Find a household');
    assert.equal((await page.locator('#pengguna').innerText()).trim(), `${USERS.kecamatan.name} · District supervisor`);
    await step(page, 'kecamatan', 'lang-en');

    // The choice sticks to the session: the household page is in English too.
    await page.goto(`${server.base}/keluarga/${home.id}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await step(page, 'kecamatan', 'lang-en-household');

    await navigate(page, '#ganti-bahasa');
    assert.equal(new URL(page.url()).pathname, `/keluarga/${home.id}`, 'back on the household page');
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
    await page.goto(`${server.base}/cari`);
    assert.equal(await page.locator('h1').innerText(), 'Cari keluarga');
    await step(page, 'kecamatan', 'lang-id');
  } finally {
    await context.close();
  }
});

test('tanpa JavaScript: masuk, cari, ubah dengan formulir biasa', async () => {
  const context = await phone({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const res = await login(page, 'operator');
    assert.equal(res.status(), 200);
    await expectSignedIn(page, USERS.operator);
    await step(page, 'nojs', 'signed-in');

    await page.goto(`${server.base}/cari`);
    await findByName(page, home);
    assert.match(new URL(page.url()).search, /nama=/, 'the search is a plain GET /cari?nama=…');
    await step(page, 'nojs', 'search-results');

    assert.equal((await navigate(page, `#hasil-tabel a[href="/keluarga/${home.id}"]`)).status(), 200);
    await step(page, 'nojs', 'household');
    assert.equal((await navigate(page, '#ubah')).status(), 200);
    const oldRw = await page.inputValue('#f-rw');
    const newRw = bump(oldRw);
    const newDusun = `Dusun Tanpa JS ${BACKEND}`;
    await page.fill('#f-rw', newRw);
    await page.fill('#f-dusun', newDusun);
    await step(page, 'nojs', 'edit-form');
    const saved = await navigate(page, '#simpan');
    assert.equal(saved.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/keluarga/${home.id}`);
    assert.equal((await page.locator('#pesan').innerText()).trim(), 'Perubahan tersimpan (2 isian).');
    assert.match(await page.locator('#alamat').innerText(), new RegExp(`/RW ${newRw}, ${newDusun}$`));
    assert.ok(hasChange(await changes(page), 'households.rw', oldRw, newRw), 'RW change in #riwayat-ubah');
    await step(page, 'nojs', 'edit-saved');

    await signOut(page, 'nojs');
  } finally {
    await context.close();
  }
});

test('tidak ada halaman yang lebih lebar dari 360 px', (t) => {
  if (counters.size === 0) {
    t.skip('no journey ran (filtered out?)');
    return;
  }
  const report = overflows.map(
    (o) => `${o.where}: scrollWidth ${o.scrollWidth}; sticking out: ${o.culprits.join('; ') || '?'} [${o.shot}]`,
  );
  assert.deepEqual(report, [], `pages wider than 360 px:\n${report.join('\n')}`);
});

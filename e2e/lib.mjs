// Helpers for the SIPMAS browser tests (node:test + playwright-core driving
// Debian's /usr/bin/chromium; see run.sh).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(here, 'artifacts');

export const CHROMIUM = '/usr/bin/chromium';

/** The cheap phone every journey runs on: 360 × 740, touch. */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** The password of the accounts the journeys create. */
export const PASSWORD = 'kata-sandi-uji-123';

/** Path of the sipmas binary under test, from $SIPMAS_BIN. */
export function sipmasBin() {
  const bin = process.env.SIPMAS_BIN;
  if (!bin) throw new Error('SIPMAS_BIN is not set: point it at a built `sipmas` binary');
  return bin;
}

/** A scratch directory for this run: $SIPMAS_E2E_TMP (set by run.sh) or a new one. */
export function tmpDir() {
  return process.env.SIPMAS_E2E_TMP || mkdtempSync(join(tmpdir(), 'sipmas-e2e-'));
}

/**
 * The database backend under test, from $SIPMAS_E2E_BACKEND: `sqlite`
 * (default) or `postgres` (needs $SIPMAS_TEST_POSTGRES_URL, an account
 * allowed to create databases). run.sh runs the suite once per backend.
 */
export function backend() {
  const b = process.env.SIPMAS_E2E_BACKEND || 'sqlite';
  if (b !== 'sqlite' && b !== 'postgres') {
    throw new Error(`SIPMAS_E2E_BACKEND=${b}: expected sqlite or postgres`);
  }
  return b;
}

function psql(adminUrl, sql) {
  const res = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', adminUrl, '-c', sql], {
    encoding: 'utf8',
  });
  if (res.error) throw new Error(`psql: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`psql -c '${sql}' exited with ${res.status}\n${res.stderr}`);
}

/**
 * A new, empty database for one test file on the backend under test.
 * SQLite: a file in the scratch dir. PostgreSQL: `create database` through
 * $SIPMAS_TEST_POSTGRES_URL, the app URL being the same with the database
 * name replaced. Returns { dbUrl, backend, drop() }; call drop() after the
 * server has stopped.
 */
export function freshDatabase(label) {
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  if (backend() === 'sqlite') {
    const dir = mkdtempSync(join(tmpDir(), `${safe}-`));
    return { backend: 'sqlite', dbUrl: `sqlite://${join(dir, 'sipmas.db')}`, drop() {} };
  }
  const adminUrl = process.env.SIPMAS_TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error('SIPMAS_E2E_BACKEND=postgres needs SIPMAS_TEST_POSTGRES_URL');
  const name = `sipmas_e2e_${safe}_${process.pid}_${Date.now().toString(36)}`;
  psql(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    backend: 'postgres',
    dbUrl: url.toString(),
    drop() {
      if (dropped) return;
      dropped = true;
      psql(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * Whether the page scrolls sideways at `width` CSS px (default: the
 * viewport's): { scrollWidth, width, culprits }, where
 * culprits names the outermost elements sticking out past the viewport that
 * no scrolling or clipping box (e.g. `.scroll` table wrappers) contains.
 */
export async function horizontalOverflow(page, width = page.viewportSize()?.width ?? 360) {
  return page.evaluate((width) => {
    const clipped = (e) => {
      for (let p = e.parentElement; p && p !== document.documentElement; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const sticksOut = (e) => e.getBoundingClientRect().right > width + 0.5 && !clipped(e);
    const name = (e) =>
      `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${
        typeof e.className === 'string' && e.className.trim() ? `.${e.className.trim().split(/\s+/).join('.')}` : ''
      }`;
    const path = (e) => {
      const parts = [];
      for (let n = e; n && n !== document.body && parts.length < 4; n = n.parentElement) parts.unshift(name(n));
      return parts.join(' > ');
    };
    const seen = new Set();
    const culprits = [];
    for (const e of document.querySelectorAll('body *')) {
      if (!sticksOut(e) || (e.parentElement && e.parentElement !== document.body && sticksOut(e.parentElement))) continue;
      const p = path(e);
      const text = (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
      const key = `${p}`;
      if (seen.has(key)) continue;
      seen.add(key);
      culprits.push(`${p} (right ${Math.round(e.getBoundingClientRect().right)} px${text ? `, "${text}"` : ''})`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 6) };
  }, width);
}

/** Asks the kernel for a free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs a sipmas CLI command synchronously and returns its stdout.
 * Throws with the command's stderr when it exits non-zero.
 */
export function sh(bin, args, { input, env } = {}) {
  const res = spawnSync(bin, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, SIPMAS_LOG_FORMAT: 'json', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new Error(`${bin} ${args.join(' ')}: ${res.error.message}`);
  if (res.status !== 0) {
    throw new Error(
      `${bin} ${args.join(' ')} exited with ${res.status ?? res.signal}\n--- stderr ---\n${res.stderr}`,
    );
  }
  return res.stdout;
}

/**
 * Starts `sipmas serve` on a free loopback port and waits until GET /health
 * answers 200 (30 s at most). Returns { base, stop() }.
 */
export async function startServer({ bin = sipmasBin(), dbUrl, timeoutMs = 30_000 } = {}) {
  if (!dbUrl) throw new Error('startServer: dbUrl is required');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['--database-url', dbUrl, 'serve', '--bind', `127.0.0.1:${port}`], {
    env: { ...process.env, SIPMAS_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
  });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { error: err };
      resolve(exited);
    });
  });

  async function stop() {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exitPromise;
    clearTimeout(timer);
  }

  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (exited) {
      const how = exited.error ? exited.error.message : `exit ${exited.code ?? exited.signal}`;
      throw new Error(`sipmas serve stopped before it was ready (${how})\n--- stderr ---\n${stderr}`);
    }
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return { base, stop, stderr: () => stderr };
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `sipmas serve did not answer GET /health with 200 within ${timeoutMs} ms (last: ${last})\n--- stderr ---\n${stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Launches Debian's Chromium headless. Use a fresh browser.newContext() per
 * test: each context starts with an empty profile.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page PNG of `page` as e2e/artifacts/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

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

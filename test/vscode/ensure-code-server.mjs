#!/usr/bin/env node
// Makes sure a real VS Code (code-server, from the npm registry) and Debian's
// Chromium are available on this machine, installing them if needed.
//
//   import { ensureCodeServer } from './ensure-code-server.mjs';
//   const { codeServerBin } = await ensureCodeServer({ log: console.log });
//
// or as a script:  node test/vscode/ensure-code-server.mjs
//
// Idempotent: once an install has completed, a marker file makes re-runs
// return immediately. See test/vscode/README.md and
// /work/shared/docs/real-vscode-testing.md for why each step exists.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

/** System packages needed: the browser, ripgrep, and headers for code-server's native modules. */
export const SYSTEM_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev'];

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
const MARKER_NAME = '.krl-install-complete.json';

/** Folder that holds the code-server install (outside git: `.cache/` is ignored). */
export function codeServerDir() {
  const cacheRoot = process.env.KRL_CACHE_DIR || path.join(REPO_ROOT, '.cache');
  return path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
}

/** Path of the code-server launcher inside an install folder. */
function codeServerBinIn(dir) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/**
 * Ensures system packages and code-server are installed.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ codeServerBin: string, installDir: string }>}
 *   codeServerBin is a Node script: run it with `node codeServerBin ...` (or directly; it has a shebang).
 */
export async function ensureCodeServer({ log = defaultLog } = {}) {
  await ensureSystemPackages(log);
  const installDir = codeServerDir();
  const codeServerBin = codeServerBinIn(installDir);
  if (readMarker(installDir) && fs.existsSync(codeServerBin)) {
    return { codeServerBin, installDir };
  }
  await installCodeServer(installDir, log);
  return { codeServerBin, installDir };
}

function defaultLog(line) {
  console.error(`[ensure-code-server] ${line}`);
}

// ---------------------------------------------------------------------------
// System packages (Debian)
// ---------------------------------------------------------------------------

/** True when `dpkg -s` reports the package as installed. */
function isDebPackageInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

async function ensureSystemPackages(log) {
  const missing = SYSTEM_PACKAGES.filter((p) => !isDebPackageInstalled(p));
  if (missing.length === 0) return;
  const aptCommand = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isDebian = fs.existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isDebian || !isRoot) {
    throw new Error(
      `Missing system packages: ${missing.join(', ')}.\n` +
        `Install them first (as root on Debian/Ubuntu):\n  ${aptCommand}`,
    );
  }
  log(`installing system packages: ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, log, label: 'apt-get update' });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, log, label: 'apt-get install' });
  const still = missing.filter((p) => !isDebPackageInstalled(p));
  if (still.length) throw new Error(`apt-get finished but these packages are still missing: ${still.join(', ')}`);
}

// ---------------------------------------------------------------------------
// code-server
// ---------------------------------------------------------------------------

function readMarker(dir) {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER_NAME), 'utf8'));
    return marker.version === CODE_SERVER_VERSION ? marker : null;
  } catch {
    return null;
  }
}

async function installCodeServer(dir, log) {
  const started = Date.now();
  // A previous attempt that did not write the marker may have left a half-built tree: start clean.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tmpDir = os.tmpdir(); // passed explicitly as TMPDIR to npm so both sides agree on the cache path

  log(`inspecting code-server@${CODE_SERVER_VERSION} for the @vscode/ripgrep it needs`);
  const needs = await findRipgrepNeeds(dir, log);
  for (const need of needs) {
    const tarball = placeRipgrepTarball(need, tmpDir);
    log(`ripgrep cache ready: @vscode/ripgrep ${need.packageVersion}, release ${need.release} -> ${tarball}`);
  }

  const logFile = path.join(dir, 'npm-install.log');
  log(`npm install code-server@${CODE_SERVER_VERSION} into ${dir} (usually under a minute, up to ~2 min; full log: ${logFile})`);
  await run('npm', ['install', '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--foreground-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...process.env, npm_config_yes: 'true', TMPDIR: tmpDir },
    log,
    label: 'npm install code-server',
    logFile,
    heartbeatMs: 20_000,
  });

  verifyInstall(dir, needs);
  for (const need of needs) removeRipgrepCache(need, tmpDir);
  const durationMs = Date.now() - started;
  fs.writeFileSync(
    path.join(dir, MARKER_NAME),
    JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString(), durationMs, ripgrep: needs }, null, 2),
  );
  log(`code-server ${CODE_SERVER_VERSION} installed in ${(durationMs / 1000).toFixed(0)} s`);
}

/**
 * Finds which @vscode/ripgrep version(s) code-server's nested installs will pull in,
 * and which ripgrep release each one's post-install downloads.
 * Reads the lock files inside the published code-server tarball (code-server's own
 * postinstall runs `npm install` in lib/vscode and lib/vscode/extensions), then reads
 * `VERSION` from each @vscode/ripgrep's lib/postinstall.js. `npm pack` fills npm's
 * cache, so the real install afterwards does not download these again.
 * @returns {Promise<Array<{ packageVersion: string, release: string, target: string }>>}
 */
async function findRipgrepNeeds(dir, log) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-cs-inspect-'));
  try {
    const csTgz = await npmPack(`code-server@${CODE_SERVER_VERSION}`, work, log);
    const lockTexts = extractFromTarball(csTgz, (e) => /(^|\/)(npm-shrinkwrap|package-lock)\.json$/.test(e), work);
    const versions = new Set();
    for (const text of lockTexts) {
      for (const [key, info] of Object.entries(JSON.parse(text).packages || {})) {
        if (key.endsWith('node_modules/@vscode/ripgrep') && info.version) versions.add(info.version);
      }
    }
    if (versions.size === 0) {
      throw new Error(`could not find @vscode/ripgrep in code-server@${CODE_SERVER_VERSION}'s lock files; the install recipe needs updating`);
    }
    const needs = [];
    for (const packageVersion of versions) {
      const rgTgz = await npmPack(`@vscode/ripgrep@${packageVersion}`, work, log);
      const [postinstall] = extractFromTarball(rgTgz, (e) => e === 'package/lib/postinstall.js', work);
      const match = /const VERSION = ['"]([^'"]+)['"]/.exec(postinstall || '');
      if (!match) throw new Error(`could not read the ripgrep release from @vscode/ripgrep@${packageVersion}/lib/postinstall.js`);
      needs.push({ packageVersion, release: match[1], target: ripgrepTarget() });
    }
    return needs;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The ripgrep target triple @vscode/ripgrep's postinstall picks on this machine (Linux only). */
function ripgrepTarget() {
  const arch = process.env.npm_config_arch || os.arch();
  if (os.platform() !== 'linux') throw new Error(`unsupported platform ${os.platform()} (this recipe is for Linux)`);
  if (arch === 'x64') return 'x86_64-unknown-linux-musl';
  if (arch === 'arm64') return 'aarch64-unknown-linux-musl';
  throw new Error(`unsupported architecture ${arch}`);
}

/**
 * Puts a tarball with Debian's /usr/bin/rg at its root where @vscode/ripgrep looks
 * for a cached download: $TMPDIR/vscode-ripgrep-cache-<pkg>/ripgrep-<release>-<target>.tar.gz
 */
function placeRipgrepTarball({ packageVersion, release, target }, tmpDir) {
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${packageVersion}`);
  const tarball = path.join(cacheDir, `ripgrep-${release}-${target}.tar.gz`);
  fs.mkdirSync(cacheDir, { recursive: true });
  // Always rewrite: a stale or truncated file there would make the postinstall fail.
  const r = spawnSync('tar', ['czf', tarball, '-C', '/usr/bin', 'rg'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`creating ${tarball} failed: ${r.stderr}`);
  return tarball;
}

/** Removes the cache folder placeRipgrepTarball() filled (it is only needed during the install). */
function removeRipgrepCache({ packageVersion }, tmpDir) {
  fs.rmSync(path.join(tmpDir, `vscode-ripgrep-cache-${packageVersion}`), { recursive: true, force: true });
}

/** Checks the install really produced a runnable code-server and ripgrep. */
function verifyInstall(dir, needs) {
  const bin = codeServerBinIn(dir);
  if (!fs.existsSync(bin)) throw new Error(`npm install finished but ${bin} is missing`);
  const rg = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!fs.existsSync(rg)) throw new Error(`npm install finished but ${rg} is missing (ripgrep cache: ${JSON.stringify(needs)})`);
  // Point code-server's config and data folders into the install folder so that this
  // check does not write ~/.config/code-server or ~/.local/share/code-server.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), XDG_DATA_HOME: path.join(dir, 'xdg-data') };
  const v = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env });
  // Output looks like "4.100.3 409c64e… with Code 1.100.3" (possibly after log lines).
  if (v.status !== 0 || !v.stdout.includes(`${CODE_SERVER_VERSION} `)) {
    throw new Error(`code-server --version failed: status ${v.status}\n${v.stdout}\n${v.stderr}`);
  }
}

// ---------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------

/** `npm pack <spec>` into `dest`; returns the tarball's path. */
async function npmPack(spec, dest, log) {
  const out = await run('npm', ['pack', spec, '--pack-destination', dest, '--json'], { cwd: dest, log, label: `npm pack ${spec}`, quiet: true });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
  return path.join(dest, filename);
}

/** Extracts the entries of a .tgz accepted by `isWanted(entryPath)`; returns their contents. */
function extractFromTarball(tgz, isWanted, dest) {
  const list = spawnSync('tar', ['tzf', tgz], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (list.status !== 0) throw new Error(`tar tzf ${tgz} failed: ${list.stderr}`);
  const wanted = list.stdout.split('\n').filter((entry) => entry && isWanted(entry));
  if (wanted.length === 0) return [];
  const x = spawnSync('tar', ['xzf', tgz, '-C', dest, ...wanted], { encoding: 'utf8' });
  if (x.status !== 0) throw new Error(`tar xzf ${tgz} failed: ${x.stderr}`);
  return wanted.map((entry) => fs.readFileSync(path.join(dest, entry), 'utf8'));
}

/**
 * Runs a command, resolving with its stdout. Output goes to `logFile` when given;
 * on failure the error carries the last lines of output.
 */
function run(cmd, args, { cwd, env, log, label, logFile, heartbeatMs, quiet } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sink = logFile ? fs.createWriteStream(logFile) : null;
    let stdout = '';
    let tail = '';
    const onData = (isStdout) => (chunk) => {
      const text = chunk.toString();
      if (isStdout) stdout += text;
      tail = (tail + text).slice(-6000);
      sink?.write(text);
    };
    child.stdout.on('data', onData(true));
    child.stderr.on('data', onData(false));
    const heartbeat = heartbeatMs
      ? setInterval(() => log?.(`${label}: still running (${Math.round((Date.now() - started) / 1000)} s)`), heartbeatMs)
      : null;
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(new Error(`${label}: could not start ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      sink?.end();
      if (code === 0) {
        if (!quiet) log?.(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
        resolve(stdout);
      } else {
        reject(new Error(`${label} failed (exit ${code ?? signal}). Last output:\n${tail}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------
// Script entry
// ---------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  ensureCodeServer()
    .then(({ codeServerBin }) => {
      defaultLog(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${codeServerBin}`);
    })
    .catch((err) => {
      defaultLog(`FAILED: ${err.message}`);
      process.exit(1);
    });
}

// Runs VS Code (code-server's web workbench) for tests, driven by Debian's Chromium
// through playwright-core. Two layers:
//
// Building blocks (used by ui.test.mjs, which drives the UI itself):
//   const server = await startCodeServer({ workspaceFolder, vsixes: ['/abs/x.vsix'] });
//   // server: { url, port, folderUrl(folder), tmp, userDataDir, extensionsDir, logFile,
//   //           output (last lines), tail(n), exited, exitPromise, stop({ artifactsDir }) }
//   const chromium = await launchChromium();
//   // chromium: { context, page, consoleLines, pageProblems, pageClosed, close() }
//   await installExtension({ vsix, extensionsDir })  // code-server --install-extension, isolated
//
// Extension test suites (the @vscode/test-electron kind: a module exporting run()):
//   import { runSuiteInCodeServer } from './harness.mjs';
//   const result = await runSuiteInCodeServer({
//     extensionDevelopmentPath: '/work/main',
//     extensionTestsPath: '/work/main/test/out/vscode/index.js',
//     workspaceFolder: '/work/main/examples',
//   });
//   // result: { passed, failed, pending, total, failures: [{ title, error }], lines, durationMs }
//
// How the suite runner works (details in test/vscode/README.md):
//  1. ensureCodeServer() installs code-server + Chromium when missing.
//  2. code-server starts on a free loopback port with fresh user-data and
//     extensions folders. Its environment carries KRL_TEST_RESULT (where the suite
//     writes its result) and KRL_TEST_WORKSPACE; code-server's environment reaches
//     the extension host, where suite/index.ts reads KRL_TEST_RESULT.
//  3. Chromium opens the workbench with the `payload` query parameter
//     (extensionDevelopmentPath / extensionTestsPath), so the workbench loads the
//     extension under development and calls run() in the Node extension host.
//  4. The harness waits for the result file (fs.watch + a slow poll as a safety
//     net), or fails early when code-server, the page or the extension host dies,
//     or when the overall timeout expires.
//  5. Screenshot + logs go to artifactsDir; Chromium and code-server's process
//     group are shut down.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer, REPO_ROOT } from './ensure-code-server.mjs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const DEFAULT_ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'artifacts', 'vscode');
export const RESULT_ENV = 'KRL_TEST_RESULT';
export const WORKSPACE_ENV = 'KRL_TEST_WORKSPACE';
export const DEFAULT_VIEWPORT = { width: 1400, height: 900 };

const SERVER_READY_TIMEOUT_MS = 60_000;
const OUTPUT_TAIL_LINES = 40;
const CONSOLE_TAIL_LINES = 20;

/** User settings for the throwaway profile: fewer popups and no network chatter. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false, // the built-in Git extension otherwise scans parent folders and shows a notification
};

/**
 * @param {object} opts
 * @param {string} opts.extensionDevelopmentPath absolute folder of the extension under test
 * @param {string} opts.extensionTestsPath absolute path of the compiled suite entry (exports run())
 * @param {string} opts.workspaceFolder absolute folder to open
 * @param {string} [opts.resultFile] where the suite writes its JSON result (default: in a temp folder)
 * @param {number} [opts.timeoutMs] overall limit once code-server is installed (default 180 s)
 * @param {string} [opts.artifactsDir] screenshot + logs (default test/artifacts/vscode)
 * @param {Record<string,string>} [opts.env] extra environment for code-server (reaches the extension host)
 * @param {(line: string) => void} [opts.log] progress lines (default: stderr)
 * @returns {Promise<{ passed: number, failed: number, pending: number, total: number,
 *   failures: Array<{ title: string, error: string }>, lines: string[], durationMs: number, timings: object }>}
 */
export async function runSuiteInCodeServer(opts) {
  const log = opts.log || ((line) => console.error(`[vscode-harness] ${line}`));
  checkInputs(opts);
  const t0 = Date.now();
  const { codeServerBin } = await ensureCodeServer({ log });
  const timings = { ensureMs: Date.now() - t0 };
  const deadline = Date.now() + (opts.timeoutMs ?? 180_000);

  const artifactsDir = path.resolve(opts.artifactsDir || DEFAULT_ARTIFACTS_DIR);
  fs.mkdirSync(artifactsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-vscode-'));
  const resultFile = path.resolve(opts.resultFile || path.join(tmp, 'result.json'));
  fs.rmSync(resultFile, { force: true }); // a stale result must never be read as this run's

  const run = { log, tmp, artifactsDir, server: null, chromium: null };
  try {
    const tStart = Date.now();
    run.server = await startCodeServer({
      codeServerBin,
      tmp,
      workspaceFolder: opts.workspaceFolder,
      env: { ...opts.env, [RESULT_ENV]: resultFile, [WORKSPACE_ENV]: opts.workspaceFolder },
      artifactsDir, // stop() copies the logs here (also when code-server never answers)
      deadline,
      log,
    });
    timings.serverReadyMs = Date.now() - tStart;
    log(`code-server ${run.server.port} ready in ${timings.serverReadyMs} ms`);

    const tSuite = Date.now();
    run.chromium = await launchChromium({ profileDir: path.join(tmp, 'chromium-profile'), log });
    // The workbench calls window.codeAutomationExit(code) when the extension host
    // running the tests exits: exposing it lets us notice "suite ended without a result".
    // Registered (awaited) before navigation so the workbench sees it from the start.
    let extHostExited;
    run.extHostExit = new Promise((resolve) => {
      extHostExited = resolve;
    });
    await run.chromium.page.exposeFunction('codeAutomationExit', (code) => {
      log(`extension host finished the tests (exit code ${code})`);
      extHostExited({ code });
    });
    await run.chromium.page.goto(workbenchUrl(run.server.port, opts), { waitUntil: 'domcontentloaded' });
    const result = await waitForResult(run, resultFile, deadline);
    timings.suiteMs = Date.now() - tSuite;
    timings.totalMs = Date.now() - t0;
    log(`suite reported after ${timings.suiteMs} ms: ${result.passed} passed, ${result.failed} failed, ${result.pending ?? 0} pending`);
    return { ...result, timings };
  } catch (err) {
    throw new Error(`${err.message}\n${failureDetails({ server: run.server, chromium: run.chromium, artifactsDir, screenshot: path.join(artifactsDir, 'workbench.png') })}`, { cause: err });
  } finally {
    await shutDown(run);
  }
}

/**
 * For node:test or scripts: runs the suite, prints a summary, and throws when any
 * test failed or none ran. `exitOnFailure: true` exits the process with code 1 instead.
 */
export async function runSuiteOrFail(opts, { exitOnFailure = false } = {}) {
  try {
    const result = await runSuiteInCodeServer(opts);
    printSummary(result);
    assertSuitePassed(result);
    return result;
  } catch (err) {
    if (!exitOnFailure) throw err;
    console.error(`\nVS Code suite FAILED: ${err.message}`);
    process.exit(1);
  }
}

/** Throws an Error describing the failures when the suite did not pass. */
export function assertSuitePassed(result) {
  if (result.failed > 0) {
    const details = result.failures.map((f) => `  ✗ ${f.title}\n${indent(f.error, 6)}`).join('\n');
    throw new Error(`${result.failed} of ${result.total} VS Code tests failed:\n${details}`);
  }
  if (result.total === 0 || result.passed === 0) {
    throw new Error(`the VS Code suite ran no passing tests (total ${result.total}, pending ${result.pending ?? 0})`);
  }
}

export function printSummary(result, write = (s) => console.log(s)) {
  for (const line of result.lines || []) write(`  ${line}`);
  write(`VS Code suite: ${result.passed} passed, ${result.failed} failed, ${result.pending ?? 0} pending (${result.total} total)`);
}

// ---------------------------------------------------------------------------
// Building blocks: code-server
// ---------------------------------------------------------------------------

/**
 * Starts code-server on a free loopback port, in its own process group, with an
 * isolated profile: user data, extensions, XDG folders and TMPDIR all inside `tmp`,
 * a throwaway --config file, no auth. Resolves once GET /healthz answers.
 *
 * @param {object} [opts]
 * @param {string} [opts.workspaceFolder] absolute folder code-server opens by default
 * @param {string} [opts.tmp] folder for everything of this run (default: a new temp folder,
 *   deleted by stop() unless KRL_KEEP_TMP is set; a caller-provided one is left to the caller)
 * @param {string[]} [opts.vsixes] .vsix files to install (code-server --install-extension) before starting
 * @param {Record<string, unknown>} [opts.userSettings] merged over USER_SETTINGS
 * @param {Record<string,string>} [opts.env] extra environment (reaches the extension host)
 * @param {string} [opts.artifactsDir] where stop() copies code-server.log and VS Code's logs by default
 * @param {number} [opts.deadline] absolute time (ms) by which it must answer (default now + 60 s)
 * @param {string} [opts.codeServerBin] skip ensureCodeServer() and use this entry.js
 * @param {(line: string) => void} [opts.log]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts = {}) {
  const log = opts.log || ((line) => console.error(`[code-server] ${line}`));
  const codeServerBin = opts.codeServerBin || (await ensureCodeServer({ log })).codeServerBin;
  const ownsTmp = !opts.tmp;
  const tmp = opts.tmp || fs.mkdtempSync(path.join(os.tmpdir(), 'krl-code-server-'));
  const dirs = prepareProfile(tmp, { ...USER_SETTINGS, ...opts.userSettings });
  let server;
  try {
    for (const vsix of opts.vsixes || []) {
      await installExtension({ vsix, codeServerBin, tmp, log });
    }
    const port = await findFreePort();
    server = spawnCodeServer({ codeServerBin, port, tmp, dirs, workspaceFolder: opts.workspaceFolder, env: opts.env });
    let stopping;
    server.stop = ({ artifactsDir = opts.artifactsDir } = {}) => {
      stopping ??= (async () => {
        await stopProcessGroup(server);
        if (artifactsDir) copyServerLogs(server, artifactsDir);
        if (ownsTmp) removeTmp(tmp, log);
      })();
      return stopping;
    };
    const deadline = opts.deadline ?? Date.now() + SERVER_READY_TIMEOUT_MS;
    await waitForHttp(port, server, Math.min(deadline, Date.now() + SERVER_READY_TIMEOUT_MS));
    return server;
  } catch (err) {
    if (server) {
      const tail = server.tail(OUTPUT_TAIL_LINES);
      await server.stop();
      throw new Error(`${err.message}\n--- last lines of code-server output ---\n${tail}`, { cause: err });
    }
    if (ownsTmp) removeTmp(tmp, log);
    throw err;
  }
}

/**
 * Installs a .vsix with `code-server --install-extension`, in the same isolated
 * environment as startCodeServer() uses for `tmp` (so nothing is written to $HOME).
 * @param {{ vsix: string, tmp: string, codeServerBin?: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ output: string, extensionsDir: string }>}
 */
export async function installExtension({ vsix, tmp, codeServerBin, log = () => {} }) {
  if (!path.isAbsolute(vsix) || !fs.existsSync(vsix)) throw new Error(`no .vsix at ${vsix}`);
  codeServerBin ||= (await ensureCodeServer({ log })).codeServerBin;
  const dirs = prepareProfile(tmp);
  const started = Date.now();
  const args = [codeServerBin, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix];
  const { code, output } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: isolatedEnv(tmp) });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.stderr.on('data', (c) => (text += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ code: status, output: text }));
  });
  if (code !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${code}):\n${output.trim()}`);
  }
  log(`installed ${path.basename(vsix)} in ${Date.now() - started} ms`);
  return { output, extensionsDir: dirs.extensionsDir };
}

/** Creates the profile folders of a run under `tmp` (idempotent); writes settings when given. */
function prepareProfile(tmp, settings) {
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.join(tmp, 'tmp'), { recursive: true });
  if (settings) fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const configFile = path.join(tmp, 'code-server-config.yaml');
  if (!fs.existsSync(configFile)) fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  return { userDataDir, extensionsDir, configFile };
}

/** code-server's environment: its own config/data/cache and TMPDIR inside `tmp`. */
function isolatedEnv(tmp, extra) {
  return {
    ...process.env,
    // Keep code-server's own config/data/cache (config.yaml, coder-logs, deviceid) out of $HOME.
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    // Extension hosts create sockets (vscode-ipc-*.sock, vscode-git-*.sock) in os.tmpdir():
    // keep them in this run's folder, which is deleted at the end.
    TMPDIR: path.join(tmp, 'tmp'),
    ...extra,
  };
}

/** Asks the OS for a free loopback port. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} CodeServer
 * @property {string} url http://127.0.0.1:PORT/
 * @property {number} port
 * @property {(folder?: string) => string} folderUrl workbench URL opening `folder` (default: the workspaceFolder)
 * @property {string} tmp
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile code-server's whole output (inside tmp; stop() copies it to artifactsDir)
 * @property {string[]} output its last 500 lines
 * @property {(n?: number) => string} tail
 * @property {null | object} exited
 * @property {Promise<object>} exitPromise
 * @property {(opts?: { artifactsDir?: string }) => Promise<void>} stop idempotent
 */

/** Spawns code-server in its own process group; keeps the tail of its output. */
function spawnCodeServer({ codeServerBin, port, tmp, dirs, workspaceFolder, env }) {
  const args = [
    codeServerBin,
    '--config', dirs.configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    ...(workspaceFolder ? [workspaceFolder] : []),
  ];
  const child = spawn(process.execPath, args, {
    detached: true, // own process group, so stop() can kill code-server and its extension hosts together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: isolatedEnv(tmp, env),
  });
  const url = `http://127.0.0.1:${port}/`;
  const server = {
    child,
    port,
    url,
    folderUrl: (folder = workspaceFolder) => `${url}?folder=${encodeURIComponent(path.resolve(folder))}`,
    tmp,
    userDataDir: dirs.userDataDir,
    extensionsDir: dirs.extensionsDir,
    output: [],
    exited: null,
    logFile: path.join(tmp, 'code-server.log'),
    tail: (n = OUTPUT_TAIL_LINES) => server.output.slice(-n).join('\n'),
  };
  const logStream = fs.createWriteStream(server.logFile);
  const keep = (chunk) => {
    logStream.write(chunk);
    server.output.push(...chunk.toString().split('\n').filter(Boolean));
    if (server.output.length > 500) server.output.splice(0, server.output.length - 500);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  server.exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      server.exited = { code, signal };
      resolve(server.exited);
    });
    child.on('error', (err) => {
      server.exited = { error: err.message };
      resolve(server.exited);
    });
  });
  server.logClosed = server.exitPromise.then(() => new Promise((resolve) => logStream.end(resolve)));
  return server;
}

/**
 * Resolves once code-server answers HTTP on /healthz. Each failed connection is
 * retried after a short pause; gives up when code-server exits or at the deadline.
 */
async function waitForHttp(port, server, deadline) {
  let lastError = 'no attempt';
  for (let delay = 50; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
    if (server.exited) throw new Error(`code-server exited before answering HTTP (${JSON.stringify(server.exited)})`);
    try {
      const status = await httpStatus(`http://127.0.0.1:${port}/healthz`);
      if (status < 500) return;
      lastError = `HTTP ${status}`;
    } catch (err) {
      lastError = err.code || err.message;
    }
    // Wait for whichever comes first: the retry pause or code-server exiting.
    await Promise.race([pause(delay), server.exitPromise]);
  }
  throw new Error(`code-server did not answer HTTP on port ${port} in time (last: ${lastError})`);
}

function httpStatus(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy(new Error('ETIMEDOUT')));
    req.on('error', reject);
  });
}

/** SIGTERM to the group, SIGKILL if it has not exited after 5 s. */
async function stopProcessGroup(server) {
  const pgid = server.child.pid;
  if (!server.exited) signalGroup(pgid, 'SIGTERM');
  const gone = await settlesWithin(server.exitPromise, 5000);
  // Kill whatever is left of the group (extension host, file watcher…) either way.
  signalGroup(pgid, 'SIGKILL');
  if (!gone) await server.exitPromise;
  await settlesWithin(server.logClosed, 2000);
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

/** Copies code-server's output and VS Code's logs (extension host etc.) into artifactsDir. */
function copyServerLogs(server, artifactsDir) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  if (fs.existsSync(server.logFile)) fs.copyFileSync(server.logFile, path.join(artifactsDir, 'code-server.log'));
  const logsRoot = path.join(server.userDataDir, 'logs');
  const vscodeLogs = path.join(artifactsDir, 'vscode-logs');
  fs.rmSync(vscodeLogs, { recursive: true, force: true });
  if (fs.existsSync(logsRoot)) fs.cpSync(logsRoot, vscodeLogs, { recursive: true });
}

function removeTmp(tmp, log) {
  if (process.env.KRL_KEEP_TMP) log(`kept temporary folder ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}

/** Workbench URL that makes VS Code load the extension under development and run the suite. */
export function workbenchUrl(port, { extensionDevelopmentPath, extensionTestsPath, workspaceFolder }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(workspaceFolder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// ---------------------------------------------------------------------------
// Building blocks: Chromium
// ---------------------------------------------------------------------------

/**
 * Launches /usr/bin/chromium headless with a fresh profile (playwright-core) and
 * returns its first page. Records console lines, console errors, page errors, and
 * whether the page crashed or closed.
 *
 * @param {object} [opts]
 * @param {string} [opts.profileDir] Chromium profile folder (default: a new temp folder, deleted by close())
 * @param {{ width: number, height: number }} [opts.viewport] default 1400x900
 * @param {(line: string) => void} [opts.log]
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, page: import('playwright-core').Page,
 *   consoleLines: string[], pageProblems: string[], pageClosed: Promise<string>,
 *   screenshot: (file: string) => Promise<string | null>, close: () => Promise<void> }>}
 */
export async function launchChromium(opts = {}) {
  const log = opts.log || (() => {});
  const { chromium } = await import('playwright-core');
  const ownsProfile = !opts.profileDir;
  const profileDir = opts.profileDir || fs.mkdtempSync(path.join(os.tmpdir(), 'krl-chromium-'));
  const xdgRoot = ownsProfile ? profileDir : path.dirname(profileDir);
  let context;
  try {
    context = await chromium.launchPersistentContext(path.join(profileDir, ownsProfile ? 'profile' : ''), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: opts.viewport || DEFAULT_VIEWPORT,
      // Chromium writes crash-reporter and dconf files under these even with a user-data dir.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(xdgRoot, 'chromium-xdg-config'), XDG_CACHE_HOME: path.join(xdgRoot, 'chromium-xdg-cache') },
    });
  } catch (err) {
    if (ownsProfile) fs.rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] || (await context.newPage());
  const session = { context, page, consoleLines: [], pageProblems: [] };
  page.on('console', (msg) => {
    const line = `[${msg.type()}] ${msg.text()}`;
    session.consoleLines.push(line);
    if (msg.type() === 'error') session.pageProblems.push(line);
  });
  page.on('pageerror', (err) => session.pageProblems.push(`[pageerror] ${err.message}`));
  session.pageClosed = new Promise((resolve) => {
    page.on('crash', () => resolve('page crashed'));
    page.on('close', () => resolve('page closed'));
  });
  /** Screenshot of the whole page; returns the path, or null (logged) when it cannot be taken. */
  session.screenshot = async (file) => {
    if (page.isClosed()) return null;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      await page.screenshot({ path: file, timeout: 10_000 });
      return file;
    } catch (err) {
      log(`screenshot ${file} failed: ${err.message}`);
      return null;
    }
  };
  let closing;
  session.close = () => {
    closing ??= (async () => {
      const t = Date.now();
      await context.close().catch(() => {});
      log(`chromium closed in ${Date.now() - t} ms`);
      if (ownsProfile && !process.env.KRL_KEEP_TMP) fs.rmSync(profileDir, { recursive: true, force: true });
    })();
    return closing;
  };
  return session;
}

/**
 * Text for error messages: where the screenshot is, the tail of code-server's output
 * and the page's last console errors.
 */
export function failureDetails({ server, chromium, artifactsDir, screenshot }) {
  const parts = [];
  if (screenshot) parts.push(`--- screenshot: ${screenshot} ---`);
  if (server) {
    const full = artifactsDir ? path.join(artifactsDir, 'code-server.log') : server.logFile;
    parts.push(`--- last lines of code-server output (full log: ${full}) ---`);
    parts.push(...server.output.slice(-OUTPUT_TAIL_LINES));
  }
  if (chromium?.pageProblems.length) {
    const all = artifactsDir ? ` all: ${path.join(artifactsDir, 'browser-console.log')}` : '';
    parts.push(`--- page console errors (last ${CONSOLE_TAIL_LINES};${all}) ---`);
    parts.push(...chromium.pageProblems.slice(-CONSOLE_TAIL_LINES));
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------
// Steps of runSuiteInCodeServer
// ---------------------------------------------------------------------------

function checkInputs({ extensionDevelopmentPath, extensionTestsPath, workspaceFolder }) {
  for (const [name, value] of Object.entries({ extensionDevelopmentPath, extensionTestsPath, workspaceFolder })) {
    if (!value || !path.isAbsolute(value)) throw new Error(`${name} must be an absolute path (got ${value})`);
  }
  // A missing tests module is not checked here on purpose: the harness must (and does)
  // report a suite that never runs; see the wait in waitForResult().
}

/**
 * Waits for the suite's result file. Ends early (with an error) when code-server
 * exits, the page dies, the extension host exits without writing a result, or the
 * deadline passes.
 */
async function waitForResult(run, resultFile, deadline) {
  const dir = path.dirname(resultFile);
  fs.mkdirSync(dir, { recursive: true });
  let watcher;
  let poll;
  let timer;
  try {
    const appeared = new Promise((resolve) => {
      const check = () => {
        if (fs.existsSync(resultFile)) resolve('result');
      };
      watcher = fs.watch(dir, check);
      poll = setInterval(check, 1000); // safety net in case a watch event is missed
      check();
    });
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    // The suite writes the file before run() settles, so once the extension host
    // has exited the file is either there or will never come.
    const extHostExited = run.extHostExit.then(({ code }) =>
      fs.existsSync(resultFile) ? 'result' : `extension host exited (code ${code}) without writing a result`,
    );
    const outcome = await Promise.race([
      appeared,
      timedOut,
      extHostExited,
      run.server.exitPromise.then((e) => `code-server exited (${JSON.stringify(e)})`),
      run.chromium.pageClosed,
    ]);
    if (outcome === 'result') return JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    if (outcome === 'timeout') throw new Error(`the VS Code suite did not report a result before the timeout (suite did not run or hung)`);
    throw new Error(`the VS Code suite did not run: ${outcome}`);
  } finally {
    watcher?.close();
    clearInterval(poll);
    clearTimeout(timer);
  }
}

/** Screenshot, logs to artifactsDir, then close Chromium and kill code-server's process group. */
async function shutDown(run) {
  const started = Date.now();
  if (run.chromium) {
    await run.chromium.screenshot(path.join(run.artifactsDir, 'workbench.png'));
    fs.writeFileSync(path.join(run.artifactsDir, 'browser-console.log'), run.chromium.consoleLines.join('\n') + '\n');
    await run.chromium.close();
  }
  if (run.server) {
    const t = Date.now();
    await run.server.stop({ artifactsDir: run.artifactsDir });
    run.log(`code-server stopped in ${Date.now() - t} ms`);
  }
  removeTmp(run.tmp, run.log);
  run.log(`shut down in ${Date.now() - started} ms`);
}

/** True if `promise` settles within `ms`; the timer is cleared so it never holds the process open. */
async function settlesWithin(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function indent(text, n) {
  const pad = ' '.repeat(n);
  return String(text)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

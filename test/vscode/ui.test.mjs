// UI tests: what a person sees in real VS Code (code-server 4.100.3 in Debian's Chromium,
// driven by playwright-core) with the *packaged* extension installed from its .vsix.
//
//   node --import tsx --test test/vscode/ui.test.mjs
//   UPDATE_SCREENSHOTS=1 node --import tsx --test test/vscode/ui.test.mjs   # also refresh client/media/screenshots/
//
// Every wait is on page state (selectors, text, animations), never on time.
// Screenshots and logs go to test/artifacts/ui/ (git-ignored). See README.md here.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer } from './ensure-code-server.mjs';
import { failureDetails, launchChromium, startCodeServer } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts', 'ui');
const README_SCREENSHOTS = path.join(ROOT, 'client', 'media', 'screenshots');
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
/** Limit of each expectation (indexing can be slower when other test tiers run at the same time). */
const TIMEOUT_MS = Number(process.env.KRL_UI_TIMEOUT_MS || 30_000);
const INDEXING_TIMEOUT_MS = Math.max(TIMEOUT_MS, 60_000);

const EXTENSION_DIR_PREFIX = 'kube-route-lens.kube-route-lens-';
const SOURCE = 'kube-route-lens';

// What examples/ contains (see the comments in examples/mistakes/*.yaml, and
// `node server/dist/cli.js check examples`).
const EXPECTED_OBJECTS = 26; // 19, and the 7 of examples/gateway-api (no findings)
const EXPECTED_PROBLEMS = [
  { file: 'ingress.yaml', line: 15, rule: 'rewrite-target-capture-missing', severity: 'error' },
  { file: 'ingress.yaml', line: 22, rule: 'ingress-backend-port-missing', severity: 'error' },
  { file: 'ingress.yaml', line: 28, rule: 'ingress-backend-service-missing', severity: 'error' },
  { file: 'legacy.yaml', line: 2, rule: 'ingress-api-removed', severity: 'warning' },
  { file: 'legacy.yaml', line: 22, rule: 'hpa-target-missing', severity: 'warning' },
  { file: 'legacy.yaml', line: 33, rule: 'workload-selector-mismatch', severity: 'error' },
  { file: 'shop.yaml', line: 31, rule: 'service-selects-nothing', severity: 'warning' },
  { file: 'shop.yaml', line: 51, rule: 'service-target-port-unresolved', severity: 'error' },
  { file: 'shop.yaml', line: 53, rule: 'nodeport-out-of-range', severity: 'error' },
];
const EDITOR_FILE = 'mistakes/ingress.yaml';
const HOVER_LINE = 28; // ingress-backend-service-missing: "… did you mean `shop-admin`?"
const HOVER_TEXT = 'did you mean `shop-admin`?';

/** Settings on top of the harness's USER_SETTINGS: a calm, dark, README-friendly workbench. */
const UI_SETTINGS = {
  'workbench.colorTheme': 'Default Dark Modern',
  'window.autoDetectColorScheme': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'editor.occurrencesHighlight': 'off',
  'editor.renderLineHighlight': 'none',
  'editor.cursorBlinking': 'solid', // the same picture every time (blurring the editor instead stops the mouse hover)
  'editor.hover.above': false, // the hover opens below line 28: the squiggles above stay visible in the screenshot
};

const SCREENSHOTS = {
  editor: 'editor-diagnostics.png',
  problems: 'problems-panel.png',
  status: 'status-bar.png',
  graph: 'routing-graph.png',
};
const TRACE_URL = 'http://www.test.pri:31085/abc/index.html';

test('UI: the packaged extension in real VS Code shows its diagnostics (status bar, Problems, editor)', { timeout: 600_000 }, async (t) => {
  const timings = {};
  const t0 = Date.now();
  const log = (line) => console.log(`[ui] ${line}`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of fs.readdirSync(ARTIFACTS)) {
    if (name.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, name)); // never show a stale picture
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-ui-'));
  const ctx = { server: null, chromium: null, page: null, log };
  try {
    // 1. The .vsix, installed into a fresh extensions folder.
    const { codeServerBin } = await ensureCodeServer({ log });
    let t1 = Date.now();
    const vsix = await packageVsix(tmp, log);
    timings.packageMs = Date.now() - t1;

    // 2. code-server with the installed extension and a copy of examples/.
    const workspace = path.join(tmp, 'workspace', 'examples'); // the explorer shows "EXAMPLES"
    fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
    t1 = Date.now();
    ctx.server = await startCodeServer({
      codeServerBin,
      tmp: path.join(tmp, 'code-server'),
      workspaceFolder: workspace,
      vsixes: [vsix],
      userSettings: UI_SETTINGS,
      log,
    });
    timings.installAndStartMs = Date.now() - t1;
    const installed = fs.readdirSync(ctx.server.extensionsDir).filter((name) => name.startsWith(EXTENSION_DIR_PREFIX));
    assert.equal(installed.length, 1, `expected the .vsix installed once in ${ctx.server.extensionsDir}, found: ${installed.join(', ') || 'nothing'}`);
    for (const file of ['package.json', 'client/dist/extension.js', 'server/dist/server.js']) {
      assert.ok(fs.existsSync(path.join(ctx.server.extensionsDir, installed[0], file)), `the installed extension lacks ${file}`);
    }
    log(`code-server on ${ctx.server.url} with ${installed[0]} (${timings.installAndStartMs} ms incl. install)`);

    // 3. Chromium on the workbench.
    t1 = Date.now();
    ctx.chromium = await launchChromium({ profileDir: path.join(tmp, 'chromium', 'profile'), log });
    ctx.page = ctx.chromium.page;
    await ctx.page.addInitScript(recordStatusTexts);
    await ctx.page.goto(ctx.server.folderUrl(), { waitUntil: 'domcontentloaded' });
    await step(ctx, 'workbench loads', () => ctx.page.locator('.monaco-workbench #workbench\\.parts\\.statusbar').waitFor({ timeout: TIMEOUT_MS }));
    timings.workbenchMs = Date.now() - t1;

    await t.test(`a. status bar: "Kube Route Lens: ${EXPECTED_OBJECTS} objects" with the error icon once indexing is done`, () => checks(ctx, 'a', async () => {
      const started = Date.now();
      await step(ctx, 'status bar item appears', () =>
        waitUntil(ctx, 'a status bar item containing "Kube Route Lens"', statusBarState, { objects: null }, INDEXING_TIMEOUT_MS),
      );
      const seen = await step(ctx, 'status bar shows the object count', () =>
        waitUntil(ctx, `the status bar item reading "Kube Route Lens: ${EXPECTED_OBJECTS} objects"`, statusBarState, { objects: EXPECTED_OBJECTS }, INDEXING_TIMEOUT_MS),
      );
      timings.statusMs = Date.now() - started;
      assert.match(seen.text, /^Kube Route Lens: \d+ objects$/);
      assert.equal(seen.objects, EXPECTED_OBJECTS);
      assert.deepEqual(seen.icons, ['codicon-error'], 'the examples have errors: the item shows the $(error) icon');
      // Every text the item showed on the way (recorded by a MutationObserver from page load).
      const history = await ctx.page.evaluate(() => window.__krlStatusTexts || []);
      log(`status bar texts seen: ${history.map((s) => JSON.stringify(s)).join(' → ')}`);
      for (const text of history) {
        assert.match(text, /^Kube Route Lens(: (indexing \d+\/(\d+|\?) files|\d+ objects?))?$/, `unexpected status bar text ${JSON.stringify(text)}`);
      }
    }));

    await t.test('c. editor: squiggles on the expected lines of mistakes/ingress.yaml, hover shows message and rule id', () => checks(ctx, 'c', async () => {
      const started = Date.now();
      await step(ctx, 'Quick Open mistakes/ingress.yaml', async () => {
        await ctx.page.locator('#workbench\\.parts\\.editor').click(); // keyboard focus into the workbench
        await ctx.page.keyboard.press('Control+P');
        const input = ctx.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        await input.fill(EDITOR_FILE);
        await ctx.page
          .locator('.quick-input-widget .monaco-list-row.focused[aria-label^="ingress.yaml mistakes"]')
          .waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        await ctx.page.keyboard.press('Enter');
        await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
      });
      const expectedLines = EXPECTED_PROBLEMS.filter((p) => `mistakes/${p.file}` === EDITOR_FILE && p.severity === 'error').map((p) => p.line);
      const squiggles = await step(ctx, 'error squiggles on the expected lines', () =>
        waitUntil(ctx, `error squiggles on lines ${expectedLines.join(', ')} of ${EDITOR_FILE}`, squiggleLines, { uriSuffix: `/${EDITOR_FILE}`, lines: expectedLines }),
      );
      assert.deepEqual(squiggles.lines, expectedLines);

      const hover = await step(ctx, `hover on the squiggle of line ${HOVER_LINE}`, async () => {
        // A hover that does not come (the editor re-rendered under the pointer, a late diagnostics
        // or CodeLens refresh moved the line) is asked for again: leave and re-enter the squiggle,
        // wherever it is now. Each attempt waits on the hover widget, not on a fixed delay.
        const deadline = Date.now() + TIMEOUT_MS;
        for (let attempt = 1; ; attempt++) {
          const box = await ctx.page.evaluate(squiggleBox, { uriSuffix: `/${EDITOR_FILE}`, line: HOVER_LINE });
          assert.ok(box, `no squiggle found on line ${HOVER_LINE}`);
          await ctx.page.mouse.move(box.x + box.width / 2, box.y - 4 * box.height);
          await ctx.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
          const left = deadline - Date.now();
          try {
            return await waitUntil(ctx, `an editor hover containing ${JSON.stringify(HOVER_TEXT)}, fully faded in`, hoverState, { text: HOVER_TEXT }, Math.min(left, 8000));
          } catch (err) {
            if (Date.now() >= deadline - 500) throw err;
            log(`hover attempt ${attempt} showed nothing; hovering again`);
          }
        }
      });
      log(`hover: ${hover.text.replace(/\s+/g, ' ')}`);
      assert.ok(hover.text.includes(HOVER_TEXT), 'hover shows the message');
      assert.ok(hover.text.includes('ingress-backend-service-missing'), 'hover shows the rule id');
      assert.ok(hover.text.includes(SOURCE), 'hover shows the source');
      await screenshot(ctx, SCREENSHOTS.editor);
      timings.editorMs = Date.now() - started;
    }));

    await t.test('e. Trace Request… opens the routing graph with the traced route and its steps', () => checks(ctx, 'e', async () => {
      const started = Date.now();
      await step(ctx, 'make room for the panel (close the editors, hide the side bar)', async () => {
        await ctx.page.keyboard.press('Escape');
        await runCommand(ctx, 'View: Close All Editors', 'Close All Editors');
        await ctx.page.keyboard.press('Control+B');
        await ctx.page.locator('#workbench\\.parts\\.sidebar').waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
      });
      await step(ctx, 'run "Kube Route Lens: Trace Request…"', async () => {
        await ctx.page.keyboard.press('Control+Shift+P');
        const input = ctx.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        await input.fill('>Kube Route Lens: Trace Request');
        await ctx.page.locator('.quick-input-widget .monaco-list-row.focused[aria-label*="Trace Request"]').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        await ctx.page.keyboard.press('Enter');
        await ctx.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Trace Request' }).waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        await input.fill(TRACE_URL);
        await ctx.page.keyboard.press('Enter');
      });
      const frame = ctx.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const svg = await step(ctx, 'the graph renders in the panel', async () => {
        await frame.locator('svg .node').first().waitFor({ state: 'visible', timeout: INDEXING_TIMEOUT_MS });
        return frame.locator('svg').first().textContent();
      });
      for (const label of ['www.test.pri', 'Service abc-svc', 'Deployment abc']) assert.ok(svg.includes(label), `the graph shows ${label}`);
      const trace = await step(ctx, 'the trace box lists the steps', async () => {
        const box = frame.locator('.trace-verdict.found');
        await box.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
        return box.textContent();
      });
      assert.match(trace, /the backend receives \/index\.html/);
      // Issue 12: the seed example's graph opens fitted. The trace draws the whole workspace (the
      // seed example, the mistakes and the Gateway API example: 31 nodes, which may be too many to
      // read whole beside the trace box, and then it opens on the traced route with a note); the host of the seed
      // example, www.test.pri (its Ingress routes, and the Gateway API example's for that host),
      // opens with every node inside the panel and no note.
      log(`workspace graph note: ${JSON.stringify(await frame.locator('#note').evaluate((n) => (n.hidden ? '' : n.textContent)))}`);
      await step(ctx, 'pick the scope Host www.test.pri in the panel', async () => {
        await frame.locator('#scope-kind').selectOption('host');
        await frame.locator('#scope-value').selectOption('www.test.pri');
        await frame.locator('#canvas g.node', { hasText: 'shop.test.pri' }).first().waitFor({ state: 'detached', timeout: TIMEOUT_MS });
        await frame.locator('#canvas g.node.traced').first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
      });
      const fit = await step(ctx, 'the graph opens with every node inside the panel', () =>
        frame.locator('#viewport').evaluate((viewport) => {
          const view = viewport.getBoundingClientRect();
          const nodes = [...viewport.querySelectorAll('#canvas g.node')];
          const outside = nodes.filter((n) => {
            const b = n.getBoundingClientRect();
            return b.left < view.left - 1 || b.top < view.top - 1 || b.right > view.right + 1 || b.bottom > view.bottom + 1;
          });
          return { nodes: nodes.length, outside: outside.map((n) => n.textContent), note: document.getElementById('note').hidden ? '' : document.getElementById('note').textContent, panel: { width: view.width, height: view.height } };
        }),
      );
      log(`graph fit: ${JSON.stringify(fit)}`);
      assert.ok(fit.nodes >= 10, 'the seed example\'s routes are drawn');
      assert.deepEqual(fit.outside, [], 'every node is inside the panel');
      assert.equal(fit.note, '', 'no "showing a part" note');
      await screenshot(ctx, SCREENSHOTS.graph);
      await ctx.page.keyboard.press('Control+B');
      timings.graphMs = Date.now() - started;
    }));

    await t.test('d. status bar tooltip (screenshot)', () => checks(ctx, 'd', async () => {
      const started = Date.now();
      const tip = await step(ctx, 'status bar tooltip', async () => {
        const item = ctx.page.locator('#workbench\\.parts\\.statusbar .statusbar-item').filter({ hasText: 'Kube Route Lens:' });
        await item.hover({ timeout: TIMEOUT_MS });
        return waitUntil(ctx, 'the status bar tooltip ("… Kubernetes objects in … YAML files")', tooltipState, { text: 'Kubernetes objects in' });
      });
      // The tooltip agrees with the item (the count itself is checked in a.).
      const count = /: (\d+) objects?$/.exec(tip.itemText)?.[1];
      assert.ok(count, `status bar item text ${JSON.stringify(tip.itemText)}`);
      assert.match(tip.text, new RegExp(`\\b${count} Kubernetes objects in \\d+ YAML files`));
      await screenshot(ctx, SCREENSHOTS.status, clipAround([tip.box, tip.itemBox], { left: 140, right: 260, top: 24 }));
      await ctx.page.mouse.move(700, 300); // let the tooltip go
      timings.statusTooltipMs = Date.now() - started;
    }));

    await t.test('b. Problems panel: every mistake with its rule id, nothing from seed-routing/', () => checks(ctx, 'b', async () => {
      const started = Date.now();
      await step(ctx, 'open the Problems panel (Ctrl+Shift+M)', async () => {
        await ctx.page.keyboard.press('Control+Shift+M');
        await ctx.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
      });
      const total = await step(ctx, 'Problems badge', () =>
        waitUntil(ctx, `the Problems tab badge "Total ${EXPECTED_PROBLEMS.length} Problems"`, problemsBadge, { total: EXPECTED_PROBLEMS.length }),
      );
      assert.equal(total.total, EXPECTED_PROBLEMS.length, 'number of problems in the Problems badge');

      const filter = ctx.page.locator('#workbench\\.parts\\.panel input[aria-label="Filter Problems"]');
      for (const rule of [...new Set(EXPECTED_PROBLEMS.map((p) => p.rule))]) {
        const expected = EXPECTED_PROBLEMS.filter((p) => p.rule === rule);
        const seen = await step(ctx, `Problems filtered by ${rule}`, async () => {
          await setProblemsFilter(ctx, filter, rule);
          return waitUntil(ctx, `Problems rows for ${rule}: ${JSON.stringify(expected)}`, problemsRows, { filter: rule, expected, total: EXPECTED_PROBLEMS.length, source: SOURCE });
        });
        assert.equal(seen.shown, expected.length);
      }
      // Where the problems are: all in mistakes/, none in seed-routing/ (glob filters; a file glob
      // that must match proves the glob filter works, so the "0" results mean something).
      for (const [glob, shown] of [
        ['**/mistakes/ingress.yaml', EXPECTED_PROBLEMS.filter((p) => p.file === 'ingress.yaml').length],
        ['**/seed-routing/**', 0],
        ['!**/mistakes/**', 0],
      ]) {
        await step(ctx, `Problems filtered by ${glob}`, async () => {
          await setProblemsFilter(ctx, filter, glob);
          return waitUntil(ctx, `"Showing ${shown} of ${EXPECTED_PROBLEMS.length}" for the filter ${glob}`, problemsRows, { filter: glob, expected: null, shown, total: EXPECTED_PROBLEMS.length });
        });
      }

      // Screenshot: no filter, panel maximised so every row is rendered (the tree is virtualised).
      const rows = await step(ctx, 'all problems listed in the maximised panel', async () => {
        await setProblemsFilter(ctx, filter, '');
        await ctx.page.locator('#workbench\\.parts\\.panel .action-label[aria-label^="Maximize Panel"]').click({ timeout: TIMEOUT_MS });
        return waitUntil(ctx, `all ${EXPECTED_PROBLEMS.length} problems rendered, in mistakes/ only`, problemsRows, { filter: '', expected: EXPECTED_PROBLEMS, total: EXPECTED_PROBLEMS.length, source: SOURCE, all: true });
      });
      assert.deepEqual([...new Set(rows.folders)], ['mistakes'], 'folders of the files listed in the Problems panel');
      await ctx.page.evaluate(() => document.activeElement?.blur()); // no caret in the filter box, no focus outline
      const panelBox = await ctx.page.locator('#workbench\\.parts\\.panel').boundingBox();
      await screenshot(ctx, SCREENSHOTS.problems, { x: panelBox.x, y: panelBox.y, width: panelBox.width, height: Math.min(panelBox.height, rows.bottom - panelBox.y + 12) });
      timings.problemsMs = Date.now() - started;
    }));
  } finally {
    const t1 = Date.now();
    if (ctx.chromium) {
      fs.writeFileSync(path.join(ARTIFACTS, 'browser-console.log'), ctx.chromium.consoleLines.join('\n') + '\n');
      await ctx.chromium.close();
    }
    await ctx.server?.stop({ artifactsDir: ARTIFACTS });
    if (process.env.KRL_KEEP_TMP) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
    timings.shutdownMs = Date.now() - t1;
    timings.totalMs = Date.now() - t0;
    log(`timings (ms): ${JSON.stringify(timings)}`);
  }
  if (UPDATE_SCREENSHOTS) {
    fs.mkdirSync(README_SCREENSHOTS, { recursive: true });
    for (const name of Object.values(SCREENSHOTS)) fs.copyFileSync(path.join(ARTIFACTS, name), path.join(README_SCREENSHOTS, name));
    log(`copied ${Object.values(SCREENSHOTS).join(', ')} to ${path.relative(ROOT, README_SCREENSHOTS)}/`);
  }
});

// ---------------------------------------------------------------------------
// Packaging
// ---------------------------------------------------------------------------

/**
 * `vsce package` (which runs the vscode:prepublish production build) in a staging copy of
 * the repository, so the production build never overwrites client/dist and server/dist
 * while other tests (test/vscode/vscode.test.mjs runs in parallel under run-tests.mjs) load
 * them. The copy has everything but node_modules (symlinked), .git, .cache, test/, examples/,
 * old bundles and .vsix files, and is packaged with the repository's own vsce.
 */
async function packageVsix(tmp, log) {
  const stage = path.join(tmp, 'stage');
  const skip = new Set(['node_modules', '.git', '.cache', 'test', 'examples']);
  const isBundle = (src) => /^(client|server|webview)[/\\]dist([/\\]|$)/.test(path.relative(ROOT, src));
  fs.mkdirSync(stage, { recursive: true });
  for (const entry of fs.readdirSync(ROOT)) {
    if (skip.has(entry) || entry.endsWith('.vsix')) continue;
    fs.cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true, filter: (src) => !isBundle(src) });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  const out = path.join(tmp, 'kube-route-lens.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const started = Date.now();
  const { code, output } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], {
      cwd: stage,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.stderr.on('data', (c) => (text += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ code: status, output: text }));
  });
  if (code !== 0 || !fs.existsSync(out)) throw new Error(`vsce package failed (exit ${code}):\n${output.trim().split('\n').slice(-30).join('\n')}`);
  log(`packaged ${path.basename(out)} (${Math.round(fs.statSync(out).size / 1024)} KB) in ${Date.now() - started} ms`);
  return out;
}

// ---------------------------------------------------------------------------
// Waiting and failing
// ---------------------------------------------------------------------------

/**
 * Runs one step; ends it early when code-server exits or the page dies. On failure:
 * a screenshot in test/artifacts/ui/, and an error naming the step, the screenshot,
 * the last lines of code-server's output and the page's console errors.
 */
async function step(ctx, name, fn) {
  const started = Date.now();
  const died = new Promise((_, reject) => {
    ctx.server?.exitPromise.then((e) => reject(new Error(`code-server exited (${JSON.stringify(e)})`)));
    ctx.chromium?.pageClosed.then((why) => reject(new Error(why)));
  });
  died.catch(() => {});
  try {
    const value = await Promise.race([fn(), died]);
    ctx.log(`✓ ${name} (${Date.now() - started} ms)`);
    return value;
  } catch (err) {
    if (err.uiStepFailure) throw err; // an inner step already added the details
    const file = path.join(ARTIFACTS, `failure-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.png`);
    const shot = ctx.chromium ? await ctx.chromium.screenshot(file) : null;
    const failure = new Error(
      `UI step "${name}" failed after ${Date.now() - started} ms: ${err.message}\n` +
        failureDetails({ server: ctx.server, chromium: ctx.chromium, artifactsDir: ARTIFACTS, screenshot: shot || '(none: the page is gone)' }),
      { cause: err },
    );
    failure.uiStepFailure = true;
    throw failure;
  }
}

/** The body of a subtest: a step too, so a failing plain assertion also reports screenshot and logs. */
function checks(ctx, letter, fn) {
  return step(ctx, `checks ${letter}`, fn);
}

/**
 * Waits until `pageFn(arg)` (run in the page, polled every 100 ms) returns `{ ok: true, seen }`;
 * resolves with `seen`. On timeout the error says what was expected and what was last seen.
 * `pageFn` must be self-contained (it is serialised into the page).
 */
async function waitUntil(ctx, what, pageFn, arg, timeout = TIMEOUT_MS) {
  const expression = `(() => {
    const r = (${pageFn.toString()})(${JSON.stringify(arg ?? null)});
    window.__krlLastSeen = r ? r.seen : undefined;
    return r && r.ok ? { seen: r.seen } : false;
  })()`;
  try {
    const handle = await ctx.page.waitForFunction(expression, undefined, { timeout, polling: 100 });
    return (await handle.jsonValue()).seen;
  } catch (err) {
    if (err?.name !== 'TimeoutError') throw err;
    const seen = await ctx.page.evaluate(() => window.__krlLastSeen).catch(() => '(page gone)');
    throw new Error(`expected ${what} within ${timeout} ms.\nLast seen: ${JSON.stringify(seen, null, 1)}`);
  }
}

/**
 * Types `text` into the Problems filter box. The filter applies after a debounce, so it first
 * clears the box and waits for the unfiltered list: the state waited for next can then never
 * be the previous filter's result still on screen.
 */
/** Runs a command from the command palette; `label` is part of its entry's aria-label. */
async function runCommand(ctx, text, label) {
  await ctx.page.keyboard.press('Control+Shift+P');
  const input = ctx.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  await input.fill(`>${text}`);
  await ctx.page.locator(`.quick-input-widget .monaco-list-row.focused[aria-label*="${label}"]`).waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  await ctx.page.keyboard.press('Enter');
  await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT_MS });
}

async function setProblemsFilter(ctx, filter, text) {
  await filter.fill('');
  await waitUntil(ctx, 'the unfiltered Problems list after clearing the filter', problemsRows, { filter: '', cleared: true });
  if (text) await filter.fill(text);
}

/** Screenshot into test/artifacts/ui/<name> (whole window, or `clip`), animations settled. */
async function screenshot(ctx, name, clip) {
  const file = path.join(ARTIFACTS, name);
  await ctx.page.screenshot({ path: file, clip, animations: 'disabled', caret: 'hide', timeout: TIMEOUT_MS });
  ctx.log(`screenshot ${path.relative(ROOT, file)}`);
  return file;
}

/** Smallest rectangle holding `boxes`, widened by `pad`, kept inside the 1400x900 window. */
function clipAround(boxes, pad) {
  const x0 = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad.left);
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad.top);
  const x1 = Math.min(1400, Math.max(...boxes.map((b) => b.x + b.width)) + pad.right);
  const y1 = Math.min(900, Math.max(...boxes.map((b) => b.y + b.height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

// ---------------------------------------------------------------------------
// Page functions (serialised into the page: self-contained, no closures)
// ---------------------------------------------------------------------------

/** Init script: records every distinct text of our status bar item, from page load on. */
function recordStatusTexts() {
  window.__krlStatusTexts = [];
  const read = () => {
    for (const item of document.querySelectorAll('.statusbar-item')) {
      const text = item.textContent.replace(/\s+/g, ' ').trim();
      const all = window.__krlStatusTexts;
      if (text.startsWith('Kube Route Lens') && all[all.length - 1] !== text) all.push(text);
    }
  };
  new MutationObserver(read).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Our status bar item: its text, object count and icons. `objects: null` = just "is it there". */
function statusBarState({ objects }) {
  const items = [...document.querySelectorAll('#workbench\\.parts\\.statusbar .statusbar-item')];
  const item = items.find((e) => e.textContent.includes('Kube Route Lens'));
  if (!item) {
    return { ok: false, seen: `no such item; status bar: ${items.map((e) => e.textContent.trim()).filter(Boolean).join(' | ')}` };
  }
  const text = item.textContent.replace(/\s+/g, ' ').trim();
  const match = /^Kube Route Lens: (\d+) objects?$/.exec(text);
  const icons = [...item.querySelectorAll('.codicon')].map((i) => [...i.classList].find((c) => /^codicon-(?!modifier)/.test(c)));
  const seen = { text, objects: match ? Number(match[1]) : null, icons, visible: item.offsetParent !== null };
  if (!seen.visible) return { ok: false, seen };
  return { ok: objects === null || seen.objects === objects, seen };
}

/** Line numbers carrying an error squiggle in the editor whose data-uri ends with `uriSuffix`. */
function squiggleLines({ uriSuffix, lines }) {
  const editor = [...document.querySelectorAll('.monaco-editor[data-uri]')].find((e) => e.getAttribute('data-uri').endsWith(uriSuffix));
  if (!editor) return { ok: false, seen: `no editor for ${uriSuffix}` };
  const numbers = [...editor.querySelectorAll('.margin-view-overlays > div')];
  const found = [...editor.querySelectorAll('.view-overlays > div')]
    .filter((overlay) => overlay.querySelector('.squiggly-error'))
    .map((overlay) => {
      const margin = numbers.find((m) => m.style.top === overlay.style.top);
      return Number(margin?.querySelector('.line-numbers')?.textContent.trim() ?? NaN);
    })
    .sort((a, b) => a - b);
  return { ok: JSON.stringify(found) === JSON.stringify(lines), seen: { lines: found } };
}

/** Screen box of the error squiggle on `line` (null when there is none). */
function squiggleBox({ uriSuffix, line }) {
  const editor = [...document.querySelectorAll('.monaco-editor[data-uri]')].find((e) => e.getAttribute('data-uri').endsWith(uriSuffix));
  const margin = [...(editor?.querySelectorAll('.margin-view-overlays > div') ?? [])].find(
    (m) => m.querySelector('.line-numbers')?.textContent.trim() === String(line),
  );
  const overlay = margin && [...editor.querySelectorAll('.view-overlays > div')].find((o) => o.style.top === margin.style.top);
  const squiggle = overlay?.querySelector('.squiggly-error');
  if (!squiggle) return null;
  const r = squiggle.getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}

/** A visible hover containing `text` whose fade-in animation has finished. */
function hoverState({ text }) {
  const hovers = [...document.querySelectorAll('.monaco-hover')].filter((h) => h.offsetParent !== null && !h.classList.contains('hidden'));
  const hover = hovers.find((h) => h.textContent.includes(text));
  if (!hover) return { ok: false, seen: hovers.map((h) => h.textContent.slice(0, 200)) };
  const settled = hover.getAnimations({ subtree: true }).every((a) => a.playState !== 'running') && getComputedStyle(hover).opacity === '1';
  return { ok: settled, seen: { text: hover.innerText, settled } };
}

/** The status bar item's tooltip (a workbench hover) containing `text`, settled; with boxes for the screenshot. */
function tooltipState({ text }) {
  const tips = [...document.querySelectorAll('.workbench-hover, .monaco-hover')].filter((h) => h.offsetParent !== null && h.textContent.includes(text));
  const item = [...document.querySelectorAll('#workbench\\.parts\\.statusbar .statusbar-item')].find((e) => e.textContent.includes('Kube Route Lens:'));
  if (!tips.length || !item) return { ok: false, seen: { tips: tips.length, item: Boolean(item) } };
  const tip = tips[0];
  const settled = tip.getAnimations({ subtree: true }).every((a) => a.playState !== 'running') && getComputedStyle(tip).opacity === '1';
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  };
  const itemText = item.textContent.replace(/\s+/g, ' ').trim();
  return { ok: settled, seen: { text: tip.innerText, itemText, box: box(tip), itemBox: box(item), settled } };
}

/** "Total N Problems" of the Problems tab badge. */
function problemsBadge({ total }) {
  const badge = [...document.querySelectorAll('#workbench\\.parts\\.panel .badge[aria-label]')].find((b) => /Problems/.test(b.getAttribute('aria-label')));
  const match = badge && /Total (\d+) Problems?/.exec(badge.getAttribute('aria-label'));
  const seen = { label: badge?.getAttribute('aria-label') ?? null, total: match ? Number(match[1]) : null };
  return { ok: seen.total === total, seen };
}

/**
 * The Problems tree as shown: the filter box's value and "Showing X of Y" badge, and the
 * rendered rows (file rows: level 1; problems: level 2 under their file). ok when the filter
 * is applied; with `cleared`, when the unfiltered list is back; (when `expected` is given) each expected problem is a row with its file,
 * source, rule id, line and severity icon; with `all`, every problem row must be rendered.
 */
function problemsRows({ filter, expected, shown, total, source, all, cleared }) {
  const panel = document.querySelector('#workbench\\.parts\\.panel');
  const input = panel?.querySelector('input[aria-label="Filter Problems"]');
  const badge = panel?.querySelector('.viewpane-filter-badge');
  const badgeText = badge && !badge.classList.contains('hidden') ? badge.textContent.trim() : '';
  const rows = [...(panel?.querySelectorAll('.markers-panel .monaco-list-row') ?? [])].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
  const files = [];
  const problems = [];
  let file = null;
  for (const row of rows) {
    const level = row.getAttribute('aria-level');
    if (level === '1') {
      const m = /in file (.+) of folder (.+)$/.exec(row.getAttribute('aria-label') || '');
      file = m ? { name: m[1], folder: m[2] } : { name: row.textContent, folder: null };
      files.push(file);
    } else if (level === '2') {
      const text = (sel) => row.querySelector(sel)?.textContent.trim() ?? null;
      const icon = row.querySelector('.marker-icon');
      problems.push({
        file: file?.name,
        folder: file?.folder,
        source: text('.marker-source'),
        rule: text('.marker-code'),
        line: Number(/\[Ln (\d+),/.exec(text('.marker-line') || '')?.[1] ?? NaN),
        severity: icon?.classList.contains('error') ? 'error' : icon?.classList.contains('warning') ? 'warning' : icon?.className,
        message: text('.marker-message'),
      });
    }
  }
  const last = rows[rows.length - 1]?.getBoundingClientRect();
  const seen = { filter: input?.value, badge: badgeText, files, problems, folders: files.map((f) => f.folder), bottom: last ? last.bottom : 0 };
  if (!input || input.value !== filter) return { ok: false, seen };
  const noResults = [...(panel.querySelectorAll('.message-box-container') ?? [])].some(
    (m) => m.offsetParent !== null && m.textContent.includes('No results found'),
  );
  seen.noResults = noResults;
  if (cleared) return { ok: badgeText === '' && !noResults && problems.length > 0, seen };
  if (shown !== undefined && shown !== null) {
    if (badgeText !== `Showing ${shown} of ${total}`) return { ok: false, seen };
    if (shown === 0) return { ok: noResults && problems.length === 0, seen };
  }
  if (expected) {
    const missing = expected.filter(
      (e) => !problems.some((p) => p.file === e.file && p.folder === 'mistakes' && p.rule === e.rule && p.line === e.line && p.severity === e.severity && p.source === source),
    );
    seen.missing = missing;
    if (missing.length) return { ok: false, seen };
    if (!all && badgeText !== `Showing ${expected.length} of ${total}`) return { ok: false, seen };
    if (all && (problems.length !== total || badgeText !== '')) return { ok: false, seen };
    seen.shown = all ? problems.length : expected.length;
  }
  return { ok: true, seen };
}

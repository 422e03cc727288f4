// The routing graph webview in real headless Chromium (playwright-core, Debian's /usr/bin/chromium).
// The page is the panel's own HTML (renderGraphHtml) with the built webview/dist bundle, served by
// request interception. As in VS Code, the document and its resources have different origins
// (vscode-webview://… and the cspSource https://…vscode-cdn.net there; two http origins here), so
// the CSP's `${cspSource}` does not cover the document's own origin. A fake acquireVsCodeApi
// records what the webview posts.
// Graphs come from the engine (test/webview/graphData.ts). Every wait is on page state, never time.
// Screenshots: test/artifacts/webview/ (git-ignored).
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { isSvgText, renderGraphHtml } from '../../client/src/graphHtml.ts';
import { renderGraphPage } from '../../server/src/cli/graphPage.ts';
import { HOSTILE, emptyGraph, hostileGraph, largeGraph, mediumGraph, seedGraph, tracedGatewayGraph, tracedSeedGraph, truncatedGraph } from './graphData.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'webview', 'dist');
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts', 'webview');
const PAGE = 'http://webview.krl.test';
const RESOURCES = 'http://resource.krl.test';
const NONCE = 'dGVzdC1ub25jZS0xMjM0NQ==';
const TIMEOUT = 30_000;

/** The bundle must exist and be newer than its sources, or the test would check old code. */
function assertBundleFresh() {
  const bundles = ['graph.js', 'graph.css', 'standalone.js'].map((f) => path.join(DIST, f));
  for (const bundle of bundles) assert.ok(existsSync(bundle), `${path.relative(ROOT, bundle)} is missing: run \`node esbuild.mjs\` first`);
  const built = Math.min(...bundles.map((b) => statSync(b).mtimeMs));
  const sources = ['webview/src', 'webview/media', 'webview/build'].flatMap((dir) => readdirSync(path.join(ROOT, dir)).map((f) => path.join(ROOT, dir, f)));
  const stale = sources.filter((s) => statSync(s).mtimeMs > built);
  assert.deepEqual(stale.map((s) => path.relative(ROOT, s)), [], 'webview/dist is older than these sources: run `node esbuild.mjs` first');
}

// VS Code injects its theme as CSS variables on <html> and a class on <body>; these are a few
// of Light Modern's, Dark Modern's and High Contrast's values.
const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-textCodeBlock-background': '#f0f0f0',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-border': '#454545',
      '--vscode-sideBar-background': '#181818',
      '--vscode-textCodeBlock-background': '#2b2b2b',
    },
  },
  highContrast: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-descriptionForeground': '#ffffffb3',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-foreground': '#ffffff',
      '--vscode-dropdown-border': '#6fc3df',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-focusBorder': '#f38518',
    },
  },
};

/** Runs in the page before its scripts: the fake VS Code API and the recorders. */
function initPage(vars) {
  window.__posted = [];
  window.__state = undefined;
  window.__csp = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
    getState: () => window.__state,
    setState: (state) => {
      window.__state = JSON.parse(JSON.stringify(state));
    },
  });
  document.addEventListener('securitypolicyviolation', (event) => window.__csp.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample }));
  // <html> does not exist yet when this runs: set the variables as soon as the parser creates it.
  const setVariables = () => {
    if (!document.documentElement) return false;
    for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
    return true;
  };
  if (!setVariables()) {
    const observer = new MutationObserver(() => {
      if (setVariables()) observer.disconnect();
    });
    observer.observe(document, { childList: true });
  }
}

let browser;

before(async () => {
  assertBundleFresh();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

function panelHtml(bodyClass) {
  const html = renderGraphHtml({ cspSource: RESOURCES, nonce: NONCE, scriptUri: `${RESOURCES}/dist/graph.js`, styleUri: `${RESOURCES}/dist/graph.css` });
  // As VS Code does: the theme class on <body>.
  return html.replace('<body>', `<body class="${bodyClass}">`);
}

/** Opens a page served only from `files` (URL → [content type, body]); records everything that could go wrong. */
async function openPage(files, vars, entry) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const seen = { requests: [], unexpected: [], dialogs: [], errors: [] };
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => seen.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    const file = Object.prototype.hasOwnProperty.call(files, url) ? files[url] : undefined;
    if (!file) {
      seen.unexpected.push(url);
      return route.abort();
    }
    return route.fulfill({ status: 200, contentType: file[0], body: file[1] });
  });
  await page.addInitScript(initPage, vars);
  await page.goto(entry);
  return { context, page, seen };
}

async function openPanel(theme = THEMES.light) {
  const files = {
    [`${PAGE}/index.html`]: ['text/html; charset=utf-8', panelHtml(theme.bodyClass)],
    [`${RESOURCES}/dist/graph.js`]: ['text/javascript; charset=utf-8', readFileSync(path.join(DIST, 'graph.js'))],
    [`${RESOURCES}/dist/graph.css`]: ['text/css; charset=utf-8', readFileSync(path.join(DIST, 'graph.css'))],
  };
  const opened = await openPage(files, theme.vars, `${PAGE}/index.html`);
  await waitForPosted(opened.page, { type: 'ready' });
  return opened;
}

/** Waits until the webview has posted a message with these fields; returns it. */
async function waitForPosted(page, fields, from = 0) {
  const handle = await page.waitForFunction(
    ({ fields, from }) => window.__posted.slice(from).find((m) => Object.entries(fields).every(([k, v]) => JSON.stringify(m[k]) === JSON.stringify(v))),
    { fields, from },
    { timeout: TIMEOUT },
  );
  return handle.jsonValue();
}

const postedCount = (page) => page.evaluate(() => window.__posted.length);

/** Posts a `graph` message and waits until the webview reports it drawn (or failed). */
async function draw(page, message) {
  const started = Date.now();
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  const handle = await page.waitForFunction((version) => window.__posted.find((m) => (m.type === 'rendered' || m.type === 'renderFailed') && m.version === version), message.version, { timeout: TIMEOUT });
  const result = await handle.jsonValue();
  assert.equal(result.type, 'rendered', `render failed: ${result.message}`);
  return { ...result, wallMs: Date.now() - started };
}

/** No CSP violation, no dialog, no page error, and no request but the served files. */
async function assertClean(opened, served) {
  const violations = await opened.page.evaluate(() => window.__csp);
  assert.deepEqual(violations, [], 'Content-Security-Policy violations');
  assert.deepEqual(opened.seen.dialogs, [], 'dialogs opened');
  assert.deepEqual(opened.seen.errors, [], 'page errors');
  assert.deepEqual(opened.seen.unexpected, [], 'requests to unserved URLs');
  assert.deepEqual([...new Set(opened.seen.requests)].sort(), [...served].sort());
}

const PANEL_FILES = [`${PAGE}/index.html`, `${RESOURCES}/dist/graph.js`, `${RESOURCES}/dist/graph.css`];

const svgText = (page) => page.locator('#canvas svg').evaluate((svg) => svg.textContent ?? '');
const transformOf = (page) => page.locator('#canvas').evaluate((canvas) => canvas.style.transform);
const scaleOf = async (page) => Number(/scale\(([^)]+)\)/.exec(await transformOf(page))?.[1]);

function nodeLocator(page, text) {
  return page.locator('#canvas g.node', { hasText: text }).first();
}

describe('the routing graph panel with the seed example', () => {
  let opened;
  let page;
  const seed = seedGraph(1);
  const idOf = (label) => seed.graph.nodes.find((n) => n.label === label)?.id;

  before(async () => {
    opened = await openPanel();
    page = opened.page;
    await draw(page, seed.message);
  });

  after(async () => {
    await opened?.context.close();
  });

  test('draws every node and edge, the Local edge thick, with counts and legend', async () => {
    const text = await svgText(page);
    for (const label of ['www.test.pri', 'Service abc-svc', 'Service web-nodeport', 'Deployment web', 'IngressClass nginx', 'HPA web', 'node:30000']) assert.ok(text.includes(label), `${label} is not drawn`);
    assert.equal(await page.locator('#canvas g.node').count(), seed.graph.nodes.length);
    assert.equal(await page.locator('#canvas g.node.krl-node').count(), seed.graph.nodes.length, 'every node is mapped back to a graph node');
    assert.equal(await page.locator('#canvas path.flowchart-link').count(), seed.graph.edges.length);
    assert.equal(await page.locator('#canvas path.flowchart-link.edge-thickness-thick').count(), 1, 'the externalTrafficPolicy: Local edge');
    assert.ok(text.includes('30000 → 8080 · Local'));
    assert.equal(await page.locator('#status').textContent(), `${seed.graph.nodes.length} nodes · ${seed.graph.edges.length} edges`);
    assert.ok(await page.locator('.legend').isVisible());
    assert.ok(await page.locator('#placeholder').isHidden());
    assert.ok(await page.locator('#banner').isHidden());
    await page.screenshot({ path: path.join(ARTIFACTS, 'seed-light.png') });
    await assertClean(opened, PANEL_FILES);
  });

  test('a click on a node posts reveal with its graph node id', async () => {
    const from = await postedCount(page);
    await nodeLocator(page, 'Service abc-svc').click();
    const message = await waitForPosted(page, { type: 'reveal' }, from);
    assert.deepEqual(message, { type: 'reveal', nodeId: idOf('Service abc-svc') });
    assert.match(message.nodeId, /^svc:.*shop\.yaml#Service\/default\/abc-svc$/);
  });

  test('Enter on a focused node reveals it too', async () => {
    const from = await postedCount(page);
    await nodeLocator(page, 'Deployment web').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await waitForPosted(page, { type: 'reveal' }, from), { type: 'reveal', nodeId: idOf('Deployment web') });
  });

  test('hovering a node shows its summary as text', async () => {
    await nodeLocator(page, 'Deployment web').hover();
    await page.locator('#tooltip').waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.match(await page.locator('#tooltip').textContent(), /^Deployment web \(3 replicas\) in namespace default/);
    await page.mouse.move(5, 700);
    await page.locator('#tooltip').waitFor({ state: 'hidden', timeout: TIMEOUT });
  });

  test('drag pans without clicking; wheel zooms; both survive a live re-render of the same scope', async () => {
    const from = await postedCount(page);
    const box = await nodeLocator(page, 'Service dfc-svc').boundingBox();
    const before = await transformOf(page);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 6 });
    await page.mouse.up();
    const dragged = await transformOf(page);
    assert.notEqual(dragged, before);
    assert.equal((await page.evaluate((n) => window.__posted.slice(n), from)).filter((m) => m.type === 'reveal').length, 0, 'a drag is not a click');

    const k = await scaleOf(page);
    await page.mouse.move(640, 380);
    await page.mouse.wheel(0, -240);
    await page.waitForFunction((k0) => Number(/scale\(([^)]+)\)/.exec(document.getElementById('canvas').style.transform)?.[1]) > k0, k, { timeout: TIMEOUT });
    const zoomed = await transformOf(page);
    const state = await page.evaluate(() => window.__state);
    assert.ok(state.view.k > k);
    assert.equal(state.viewKey, JSON.stringify({ kind: 'workspace' }));

    await draw(page, seedGraph(2).message);
    assert.equal(await transformOf(page), zoomed, 'the view is kept across a re-render');
    await page.locator('#zoom-fit').click();
    assert.notEqual(await transformOf(page), zoomed);
  });

  test('buttons post copyMermaid and exportSvg (a clean SVG document)', async () => {
    let from = await postedCount(page);
    await page.locator('#copy-mermaid').click();
    await waitForPosted(page, { type: 'copyMermaid' }, from);
    from = await postedCount(page);
    await page.locator('#export-svg').click();
    const { svg } = await waitForPosted(page, { type: 'exportSvg' }, from);
    assert.ok(isSvgText(svg), 'the export is an SVG document the extension accepts');
    assert.ok(svg.includes('Service abc-svc'));
    assert.ok(!/tabindex|krl-node|<script/i.test(svg), 'the export carries no panel decorations');
  });

  test('the scope picker posts setScope with the namespace, host, file or cursor', async () => {
    let from = await postedCount(page);
    await page.locator('#scope-kind').selectOption('namespace');
    assert.deepEqual(await waitForPosted(page, { type: 'setScope' }, from), { type: 'setScope', scope: { kind: 'namespace', namespace: 'default' } });
    assert.ok(await page.locator('#scope-value').isVisible());
    assert.deepEqual(await page.locator('#scope-value option').allTextContents(), seed.message.namespaces);
    from = await postedCount(page);
    await page.locator('#scope-value').selectOption('ingress-nginx');
    assert.deepEqual(await waitForPosted(page, { type: 'setScope' }, from), { type: 'setScope', scope: { kind: 'namespace', namespace: 'ingress-nginx' } });
    from = await postedCount(page);
    await page.locator('#scope-kind').selectOption('host');
    assert.deepEqual(await waitForPosted(page, { type: 'setScope' }, from), { type: 'setScope', scope: { kind: 'host', host: 'www.test.pri' } });
    from = await postedCount(page);
    await page.locator('#scope-kind').selectOption('cursor');
    assert.deepEqual(await waitForPosted(page, { type: 'setScope' }, from), { type: 'setScope', scope: { kind: 'cursor' } });
    assert.ok(await page.locator('#scope-value').isHidden());
    from = await postedCount(page);
    await page.locator('#scope-kind').selectOption('file');
    assert.deepEqual(await waitForPosted(page, { type: 'setScope' }, from), { type: 'setScope', scope: { kind: 'file' } });
  });

  test('a trace lists its steps beside the graph and highlights its route', async () => {
    const traced = tracedSeedGraph(3);
    const { trace } = traced;
    const revealable = new Set(traced.graph.nodes.filter((n) => n.location).map((n) => n.id));
    const highlighted = new Set(trace.steps.flatMap((s) => (s.nodeId ? [s.nodeId] : [])));
    await draw(page, traced.message);
    const box = page.locator('#trace');
    assert.ok(await box.isVisible());
    assert.equal(await box.locator('.trace-url').textContent(), 'http://www.test.pri:31085/abc/index.html');
    assert.match(await box.locator('.trace-verdict.found').textContent(), /the backend receives \/index\.html/);
    assert.equal(await box.locator('li.trace-step').count(), trace.steps.length);
    assert.equal(await box.locator('li.trace-step.revealable').count(), trace.steps.filter((s) => s.nodeId && revealable.has(s.nodeId)).length);
    assert.ok((await box.locator('li.trace-step code').count()) >= trace.steps.length, 'backticked text is shown as code');
    const classes = await page.locator('#canvas g.node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('class')));
    assert.equal(classes.filter((c) => c.split(' ').includes('traced')).length, highlighted.size, classes.join('\n'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'trace-light.png') });
    let from = await postedCount(page);
    await box.locator('li.trace-step.kind-pods').click();
    assert.deepEqual(await waitForPosted(page, { type: 'reveal' }, from), { type: 'reveal', nodeId: idOf('Deployment abc') });
    from = await postedCount(page);
    await box.getByRole('button', { name: 'Close the trace' }).click();
    await waitForPosted(page, { type: 'clearTrace' }, from);
    from = await postedCount(page);
    await page.locator('#trace-request').click();
    await waitForPosted(page, { type: 'trace' }, from);
  });

  test('a trace that goes nowhere says why and what came closest', async () => {
    await draw(page, tracedSeedGraph(4, 'http://nope.test/x').message);
    const box = page.locator('#trace');
    assert.match(await box.locator('.trace-verdict.not-found').textContent(), /no Ingress has a rule for host nope\.test/);
    assert.match(await box.locator('.trace-closest').textContent(), /^Closest: host www\.test\.pri of Ingress test-ingress/);
    assert.equal(await page.locator('#canvas g.node.traced').count(), 0);
  });

  test('an error shows a banner over the last drawing; an empty scope says so', async () => {
    await page.evaluate(() => window.postMessage({ type: 'error', message: 'The language server did not answer: <b>boom</b>' }, '*'));
    await page.locator('#error').waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.equal(await page.locator('#error').textContent(), 'The language server did not answer: <b>boom</b>');
    assert.equal(await page.locator('#error b').count(), 0);
    assert.equal(await page.locator('#canvas g.node').count(), seed.graph.nodes.length);
    const empty = emptyGraph(5);
    await draw(page, empty.message);
    assert.ok(await page.locator('#error').isHidden());
    assert.ok(await page.locator('#placeholder').isVisible());
    assert.match(await page.locator('#placeholder').textContent(), /Nothing in notes\.yaml takes part in a route/);
    assert.equal(await page.locator('#scope-kind').inputValue(), 'file');
    await assertClean(opened, PANEL_FILES);
  });
});

/** Each node's box against the viewport's: which are wholly inside (1 px of rounding allowed). */
async function nodesInView(page, container = '#viewport', nodes = '#canvas g.node') {
  return page.evaluate(({ container, nodes }) => {
    const view = document.querySelector(container).getBoundingClientRect();
    const all = [...document.querySelectorAll(nodes)];
    const inside = all.filter((n) => {
      const b = n.getBoundingClientRect();
      return b.left >= view.left - 1 && b.top >= view.top - 1 && b.right <= view.right + 1 && b.bottom <= view.bottom + 1;
    });
    return { total: all.length, inside: inside.length, outside: all.filter((n) => !inside.includes(n)).map((n) => n.textContent) };
  }, { container, nodes });
}

/** The smallest label font size on screen, in CSS px (font size × scale). */
const LABEL_FONT_PX = 14;

describe('how the graph opens and follows live redraws', () => {
  test('the seed example opens fitted: every node inside the panel, no note', async () => {
    const opened = await openPanel();
    try {
      const seed = seedGraph(1);
      await draw(opened.page, seed.message);
      const seen = await nodesInView(opened.page);
      assert.equal(seen.total, seed.graph.nodes.length);
      assert.deepEqual(seen.outside, [], 'nodes outside the panel');
      assert.ok(await opened.page.locator('#note').isHidden());
      assert.ok((await scaleOf(opened.page)) * LABEL_FONT_PX >= 7, 'labels readable');
    } finally {
      await opened.context.close();
    }
  });

  test('a 67-node graph too large to read whole opens around the active file with a note; F shows every node', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      const medium = mediumGraph(1);
      assert.equal(medium.graph.nodes.length, 67);
      await draw(page, medium.message);
      const note = page.locator('#note');
      // At 1280×760 the whole graph would need a scale below 7/14: the readable part is shown.
      assert.ok(await note.isVisible(), 'the note says only a part is shown');
      assert.equal(await note.textContent(), 'Showing the part around web.yaml at a readable size: press Fit (F) to see all 67 nodes.');
      assert.ok((await scaleOf(page)) * LABEL_FONT_PX >= 7 - 1e-9, `labels readable (scale ${await scaleOf(page)})`);
      for (const label of ['web.example.com/', 'Service web', 'Deployment web']) {
        const box = await nodeLocator(page, label).boundingBox();
        const view = await page.locator('#viewport').boundingBox();
        assert.ok(box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height, `${label} is in sight`);
      }
      const before = await nodesInView(page);
      assert.ok(before.inside < before.total, 'only a part is in sight');
      await page.locator('#viewport').focus();
      await page.keyboard.press('f');
      assert.deepEqual((await nodesInView(page)).outside, [], 'after F every node is inside');
      assert.ok(await note.isHidden());
      // Fit is kept through a live redraw (the user asked for the whole graph).
      await draw(page, mediumGraph(2, { replicas: 3 }).message);
      assert.deepEqual((await nodesInView(page)).outside, []);
      await page.screenshot({ path: path.join(ARTIFACTS, 'medium-fit.png') });
    } finally {
      await opened.context.close();
    }
  });

  test('a new scope refits; a live redraw refits until the user pans, then keeps their view', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      await draw(page, seedGraph(1).message);
      // Untouched: a live redraw with a larger graph of the same scope is fitted again.
      await draw(page, { ...mediumGraph(2).message, scope: { kind: 'workspace' } });
      const fitted = await transformOf(page);
      assert.ok(await page.locator('#note').isVisible() || (await nodesInView(page)).outside.length === 0);
      // The user pans: live redraws keep the view, even when labels change.
      await page.mouse.move(640, 400);
      await page.mouse.down();
      await page.mouse.move(700, 430, { steps: 5 });
      await page.mouse.up();
      const panned = await transformOf(page);
      assert.notEqual(panned, fitted);
      assert.ok(await page.locator('#note').isHidden(), 'the note goes when the user moves the view');
      await draw(page, mediumGraph(3, { replicas: 3 }).message);
      assert.equal(await transformOf(page), panned, 'no refit after the user panned');
      assert.ok((await svgText(page)).includes('3 replicas'), 'the redraw shows the edit');
      // A new scope opens fitted again.
      await draw(page, { ...seedGraph(4).message, scope: { kind: 'namespace', namespace: 'default' } });
      assert.notEqual(await transformOf(page), panned);
      assert.deepEqual((await nodesInView(page)).outside, [], 'the new scope is fitted');
    } finally {
      await opened.context.close();
    }
  });

  test('a live edit that changes only a label keeps the layout (no new Mermaid drawing) and shows the new text', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      await draw(page, mediumGraph(1).message);
      const svgId = await page.locator('#canvas svg').getAttribute('id');
      const result = await draw(page, mediumGraph(2, { replicas: 7 }).message);
      assert.equal(await page.locator('#canvas svg').getAttribute('id'), svgId, 'the same drawing, patched');
      assert.match(await nodeLocator(page, 'Deployment web').textContent(), /7 replicas/);
      console.log(`67-node label edit redrawn in ${result.durationMs} ms`);
      // The export carries the new text too.
      const from = await postedCount(page);
      await page.locator('#export-svg').click();
      const { svg } = await waitForPosted(page, { type: 'exportSvg' }, from);
      assert.ok(svg.includes('7 replicas'), 'the exported SVG has the new label');
      await nodeLocator(page, 'Deployment web').hover();
      await page.locator('#tooltip').waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match(await page.locator('#tooltip').textContent(), /Deployment web \(7 replicas\)/, 'the tooltip is the new summary');
    } finally {
      await opened.context.close();
    }
  });

  test('the filter highlights matching nodes and dims the rest, without a new layout', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      const seed = seedGraph(1);
      await draw(page, seed.message);
      const before = await transformOf(page);
      const svgId = await page.locator('#canvas svg').getAttribute('id');
      await page.locator('#filter').fill('abc');
      const matching = seed.graph.nodes.filter((n) => `${n.label} ${n.details.join(' ')} ${n.summary}`.toLowerCase().includes('abc'));
      assert.ok(matching.length >= 3 && matching.length < seed.graph.nodes.length);
      assert.equal(await page.locator('#canvas g.node.krl-match').count(), matching.length);
      assert.equal(await page.locator('#canvas g.node.krl-dim').count(), seed.graph.nodes.length - matching.length);
      const opacity = await nodeLocator(page, 'Deployment web').evaluate((n) => getComputedStyle(n).opacity);
      assert.ok(Number(opacity) < 0.5, `a non-matching node is dimmed (opacity ${opacity})`);
      assert.equal(await nodeLocator(page, 'Service abc-svc').evaluate((n) => getComputedStyle(n).opacity), '1');
      assert.ok((await page.locator('#canvas path.flowchart-link.krl-dim').count()) > 0, 'edges away from the matches are dimmed');
      assert.match(await page.locator('#status').textContent(), new RegExp(`^${matching.length} of ${seed.graph.nodes.length} nodes`));
      assert.equal(await page.locator('#canvas svg').getAttribute('id'), svgId);
      assert.equal(await transformOf(page), before, 'no re-layout, no refit');
      await page.locator('#filter').press('Escape');
      assert.equal(await page.locator('#canvas .krl-dim, #canvas .krl-match').count(), 0);
    } finally {
      await opened.context.close();
    }
  });

  test('grouping draws a subgraph per namespace; the toggle posts setGroup', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      const seed = seedGraph(1);
      await draw(page, seed.message);
      const namespaces = [...new Set(seed.graph.nodes.map((n) => n.namespace).filter(Boolean))].sort();
      assert.deepEqual(namespaces, ['default', 'ingress-nginx']);
      const clusters = await page.locator('#canvas g.cluster').evaluateAll((gs) => gs.map((g) => g.textContent.trim()).sort());
      assert.deepEqual(clusters, namespaces.map((n) => `namespace ${n}`));
      // Each namespaced node is drawn inside its namespace's box.
      const inBox = await page.evaluate(() => {
        const boxes = [...document.querySelectorAll('#canvas g.cluster')].map((g) => ({ title: g.textContent.trim(), box: g.querySelector('rect').getBoundingClientRect() }));
        return [...document.querySelectorAll('#canvas g.node')].map((n) => {
          const b = n.getBoundingClientRect();
          return { text: n.textContent, boxes: boxes.filter(({ box }) => b.left >= box.left && b.right <= box.right && b.top >= box.top && b.bottom <= box.bottom).map((x) => x.title) };
        });
      });
      for (const node of seed.graph.nodes) {
        const drawn = inBox.find((n) => n.text.startsWith(node.label));
        assert.deepEqual(drawn.boxes, node.namespace ? [`namespace ${node.namespace}`] : [], node.label);
      }
      assert.equal(await page.locator('#group').inputValue(), 'namespace');
      const from = await postedCount(page);
      await page.locator('#group').selectOption('controller');
      assert.deepEqual(await waitForPosted(page, { type: 'setGroup' }, from), { type: 'setGroup', group: 'controller' });
    } finally {
      await opened.context.close();
    }
  });
});

describe('the routing graph panel with a Gateway API route', () => {
  test('Gateway listener nodes are drawn in their own style beside the Ingress route, with a legend entry; the trace highlights the listener', async () => {
    const opened = await openPanel();
    try {
      const { page } = opened;
      const traced = tracedGatewayGraph(1);
      await draw(page, traced.message);
      const text = await svgText(page);
      for (const label of ['Gateway default/test-gateway', 'listener http: 80/HTTP www.test.pri', 'HTTPRoute default/test-route rule 0', 'IngressClass nginx']) assert.ok(text.includes(label), `${label} is not drawn`);
      assert.equal(await page.locator('#canvas g.node').count(), traced.graph.nodes.length);
      const listener = traced.graph.nodes.find((n) => n.kind === 'gateway');
      const gatewayNodes = page.locator('#canvas g.node.gateway');
      assert.equal(await gatewayNodes.count(), 1, 'the listener node carries the gateway class');
      const fill = await gatewayNodes.first().locator('polygon, path, rect').first().evaluate((shape) => getComputedStyle(shape).fill);
      assert.equal(fill, 'rgb(224, 244, 244)', 'drawn in the gateway colour, not the controller\'s');
      assert.ok((await gatewayNodes.first().getAttribute('class')).split(' ').includes('traced'), 'the traced listener is highlighted');
      assert.ok(await page.locator('.legend .swatch.gateway').isVisible(), 'the legend explains the node kind');
      assert.match(await page.locator('#trace .trace-verdict.found').textContent(), /the backend receives \/index\.html/);
      let from = await postedCount(page);
      await nodeLocator(page, 'Gateway default/test-gateway').click();
      assert.deepEqual(await waitForPosted(page, { type: 'reveal' }, from), { type: 'reveal', nodeId: listener.id });
      from = await postedCount(page);
      await nodeLocator(page, 'Gateway default/test-gateway').hover();
      await page.locator('#tooltip').waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.match(await page.locator('#tooltip').textContent(), /^Gateway default\/test-gateway, class nginx \(gateway\.nginx\.org\/nginx-gateway-controller\): listener http: 80\/HTTP www\.test\.pri/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'gateway-trace-light.png') });
      await assertClean(opened, PANEL_FILES);
    } finally {
      await opened.context.close();
    }
  });
});

describe('the routing graph panel in other themes', () => {
  for (const [name, theme, expectedStroke] of [
    ['dark', THEMES.dark, 'rgb(157, 157, 157)'],
    ['high-contrast', THEMES.highContrast, 'rgb(111, 195, 223)'],
  ]) {
    test(`${name}: edges take the theme's colours`, async () => {
      const opened = await openPanel(theme);
      try {
        await draw(opened.page, tracedSeedGraph(1).message);
        const stroke = await opened.page.locator('#canvas path.flowchart-link').first().evaluate((p) => getComputedStyle(p).stroke);
        const normal = await opened.page.locator('#canvas path.flowchart-link').evaluateAll((paths) => paths.map((p) => getComputedStyle(p).stroke));
        assert.ok(normal.includes(expectedStroke), `edges drawn in ${expectedStroke} (got ${[...new Set(normal)].join(', ')}; first ${stroke})`);
        await opened.page.screenshot({ path: path.join(ARTIFACTS, `trace-${name}.png`) });
        await assertClean(opened, PANEL_FILES);
      } finally {
        await opened.context.close();
      }
    });
  }
});

/**
 * Labels written as Mermaid math (`$$…$$`, KaTeX) are drawn as the text they are: literal `$`
 * signs (two of them joined by an invisible U+2060, which the server writes so that they never
 * open math), no KaTeX or MathML element, and the unknown command does not stop the drawing.
 */
async function assertMathIsText(page, svgSelector) {
  const text = (await page.locator(svgSelector).evaluate((svg) => svg.textContent ?? '')).replaceAll('\u2060', '');
  for (const label of [HOSTILE.math, `${HOSTILE.math}/${HOSTILE.badMath}/${HOSTILE.inlineMath}/${HOSTILE.dollar}`, `Service ${HOSTILE.badMath}`, `80/TCP (${HOSTILE.math})`, `Service a${HOSTILE.dollar}${HOSTILE.inlineMath}`]) {
    assert.ok(text.includes(label), `${label} is shown as text`);
  }
  const math = await page.evaluate(() => document.querySelectorAll('.katex, .katex-mathml, .katex-html, .katex-error, math').length);
  assert.equal(math, 0, 'no label is typeset as math');
}

describe('hostile labels', () => {
  test('names, hosts and paths with markup, quotes, backticks, directives and 5000 characters render as text', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      const hostile = hostileGraph(1);
      await draw(page, hostile.message);
      const active = await page.evaluate(() => ({
        inSvg: document.querySelectorAll('#canvas svg script, #canvas svg img, #canvas svg image, #canvas svg iframe, #canvas svg a, #canvas svg object, #canvas svg embed').length,
        scripts: document.querySelectorAll('script').length,
        handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || (/(href|src|action)$/i.test(a.name) && /javascript:/i.test(a.value))).map((a) => `${e.tagName} ${a.name}`)),
      }));
      assert.deepEqual(active, { inSvg: 0, scripts: 1, handlers: [] });
      const text = await svgText(page);
      for (const label of [HOSTILE.script, HOSTILE.img, HOSTILE.js, 'say "hi" `whoami`', '%%{init: {"securityLevel":"loos']) assert.ok(text.includes(label), `${label} is shown as text`);
      assert.ok(!text.includes('x'.repeat(100)), 'the 5000-character name is clipped');
      assert.equal(await page.locator('#canvas g.node.krl-node').count(), hostile.graph.nodes.length);
      await assertMathIsText(page, '#canvas svg');
      await nodeLocator(page, 'Service <img').hover();
      await page.locator('#tooltip').waitFor({ state: 'visible', timeout: TIMEOUT });
      assert.ok((await page.locator('#tooltip').textContent()).includes(HOSTILE.img));
      assert.equal(await page.locator('#tooltip img').count(), 0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'hostile.png') });
      await assertClean(opened, PANEL_FILES);
    } finally {
      await opened.context.close();
    }
  });

  test('Mermaid text the server would not write (a server bug) is refused before Mermaid sees it', async () => {
    const opened = await openPanel();
    const { page } = opened;
    try {
      const seed = seedGraph(1).message;
      const cases = [
        ['flowchart LR', '  n0["<img src=x onerror=alert(1)>"]', "  n1[\"<a href='javascript:alert(3)'>link</a>\"]", '  n0 --> n1'],
        ['%%{init: {"securityLevel":"loose"}}%%', 'flowchart LR', '  n0["a"]'],
        ['flowchart LR', '  n0["a"]', '  click n0 call alert(4)'],
      ];
      let version = 0;
      for (const lines of cases) {
        const message = { ...seed, version: ++version, mermaid: lines.join('\n'), mermaidIds: { n0: 'a', n1: 'b' }, nodes: [], edgeCount: 0 };
        const from = await postedCount(page);
        await page.evaluate((m) => window.postMessage(m, '*'), message);
        const failed = await waitForPosted(page, { type: 'renderFailed', version }, from);
        assert.match(failed.message, /refused to draw this Mermaid text/);
        assert.match(await page.locator('#error').textContent(), /refused to draw/);
      }
      assert.equal(await page.locator('#canvas svg').count(), 0);
      await assertClean(opened, PANEL_FILES);
    } finally {
      await opened.context.close();
    }
  });
});

describe('large and truncated graphs', () => {
  test('a 300-node graph renders (time measured, not asserted)', async () => {
    const opened = await openPanel();
    try {
      const large = largeGraph(1, 300);
      const result = await draw(opened.page, large.message);
      console.log(`300-node graph: ${large.graph.nodes.length} nodes, ${large.graph.edges.length} edges, ${large.message.mermaid.length} characters of Mermaid: rendered in ${result.durationMs} ms in the webview (${result.wallMs} ms from postMessage)`);
      const again = await draw(opened.page, { ...large.message, version: 2 });
      console.log(`300-node graph, second render (live update): ${again.durationMs} ms in the webview (${again.wallMs} ms from postMessage)`);
      assert.equal(await opened.page.locator('#canvas g.node.krl-node').count(), large.graph.nodes.length);
      await opened.page.screenshot({ path: path.join(ARTIFACTS, 'large.png') });
      await assertClean(opened, PANEL_FILES);
    } finally {
      await opened.context.close();
    }
  });

  test('a truncated graph shows what was left out and how to widen the scope', async () => {
    const opened = await openPanel();
    try {
      const truncated = truncatedGraph(1);
      assert.ok(truncated.graph.truncated, 'the generated workspace is over the budget');
      await draw(opened.page, truncated.message);
      const banner = opened.page.locator('#banner');
      assert.ok(await banner.isVisible());
      const { shown, total, hint } = truncated.graph.truncated;
      assert.equal(await banner.textContent(), `Showing ${shown} of ${total} nodes: ${total - shown} left out. ${hint}`);
      assert.equal(await opened.page.locator('#canvas g.node').count(), shown);
      await opened.page.screenshot({ path: path.join(ARTIFACTS, 'truncated.png') });
    } finally {
      await opened.context.close();
    }
  });
});

describe('the standalone page (kube-route-lens graph --format html)', () => {
  test('renders the page the CLI writes (bundle inlined, strict CSP), with pan and zoom', async () => {
    const seed = seedGraph(1);
    const html = renderGraphPage({ mermaid: seed.message.mermaid, title: 'Routing graph of examples/seed-routing', bundle: readFileSync(path.join(DIST, 'standalone.js'), 'utf8'), nonce: NONCE });
    const opened = await openPage({ [`${PAGE}/graph.html`]: ['text/html; charset=utf-8', html] }, {}, `${PAGE}/graph.html`);
    const { page } = opened;
    try {
      await page.locator('#graph[data-rendered="true"] svg').waitFor({ timeout: TIMEOUT });
      const text = await page.locator('#graph svg').evaluate((svg) => svg.textContent);
      for (const label of ['www.test.pri', 'Service abc-svc', 'Deployment web']) assert.ok(text.includes(label));
      assert.equal(await page.locator('#graph svg g.node').count(), seed.graph.nodes.length);
      assert.equal(await page.locator('#graph svg path.flowchart-link').count(), seed.graph.edges.length);
      assert.deepEqual((await nodesInView(page, '#graph', '#graph svg g.node')).outside, [], 'the page opens fitted');
      assert.ok(await page.locator('#graph-note').isHidden());
      await page.screenshot({ path: path.join(ARTIFACTS, 'standalone.png') });
      const canvas = page.locator('#graph > div').first();
      const before = await canvas.evaluate((c) => c.style.transform);
      await page.getByRole('button', { name: 'Zoom in' }).click();
      assert.notEqual(await canvas.evaluate((c) => c.style.transform), before);
      await assertClean(opened, [`${PAGE}/graph.html`]);
    } finally {
      await opened.context.close();
    }
  });

  test('hostile labels (markup, directives, math) render as text on the page too', async () => {
    const hostile = hostileGraph(1);
    const html = renderGraphPage({ mermaid: hostile.message.mermaid, title: `Routing graph of ${HOSTILE.script} ${HOSTILE.math}`, bundle: readFileSync(path.join(DIST, 'standalone.js'), 'utf8'), nonce: NONCE });
    const opened = await openPage({ [`${PAGE}/graph.html`]: ['text/html; charset=utf-8', html] }, {}, `${PAGE}/graph.html`);
    const { page } = opened;
    try {
      // Drawn, or the page says why not (Mermaid's error, e.g. KaTeX's, replaces the graph).
      await page.waitForFunction(() => document.querySelector('#graph[data-rendered="true"] svg') || document.querySelector('#graph > p'), null, { timeout: TIMEOUT });
      assert.equal(await page.locator('#graph > p').count(), 0, `the page shows an error: ${await page.locator('#graph').textContent()}`);
      assert.equal(await page.locator('#graph svg g.node').count(), hostile.graph.nodes.length, 'every node is drawn');
      assert.equal(await page.locator('#graph svg path.flowchart-link').count(), hostile.graph.edges.length);
      const text = await page.locator('#graph svg').evaluate((svg) => svg.textContent);
      for (const label of [HOSTILE.script, HOSTILE.img, HOSTILE.js, 'say "hi" `whoami`', '%%{init: {"securityLevel":"loos']) assert.ok(text.includes(label), `${label} is shown as text`);
      assert.equal(await page.locator('h1').textContent(), `Routing graph of ${HOSTILE.script} ${HOSTILE.math}`);
      await assertMathIsText(page, '#graph svg');
      assert.equal(await page.evaluate(() => document.querySelectorAll('#graph svg script, #graph svg img, #graph svg image, #graph svg a, h1 *').length), 0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'standalone-hostile.png') });
      await assertClean(opened, [`${PAGE}/graph.html`]);
    } finally {
      await opened.context.close();
    }
  });
});

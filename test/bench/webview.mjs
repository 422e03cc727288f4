// `npm run bench`, webview section (also alone: `node --import tsx test/bench/webview.mjs [--only-webview]`):
// the routing graph panel in real headless Chromium (playwright-core, /usr/bin/chromium), as
// test/webview/webview.test.mjs opens it (the panel's own HTML, the built webview/dist bundle, a
// fake acquireVsCodeApi), with a generated ~300-node graph from the engine. Times are the
// webview's own (`rendered.durationMs`: from the message to the drawing on screen, fitted), median
// of RUNS:
//   first render      a fresh page draws the graph (Mermaid already loaded: the page is ready),
//                     boxed by namespace as the panel opens it, and with Group: none
//   live, label edit  the same graph after a small edit (one Deployment's replicas 2 → 3)
//   live, new layout  the graph after an edit that changes its structure (one app more)
// Skipped, with a note, when Chromium or webview/dist is missing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { renderGraphHtml } from '../../client/src/graphHtml.ts';
import { build, generatedFiles } from '../webview/graphData.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'webview', 'dist');
const CHROMIUM = '/usr/bin/chromium';
const PAGE = 'http://webview.krl.test';
const RESOURCES = 'http://resource.krl.test';
const RUNS = 5;
/** 90 generated apps: 10 hosts, a controller, 90 routes, Services and Deployments, 18 HPAs = 299 nodes, plus one app in the structure edit. */
const APPS = 90;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function graphs() {
  const files = generatedFiles(APPS);
  const text = files['apps.yaml'];
  const edited = { 'apps.yaml': text.replace('replicas: 2', 'replicas: 3') };
  if (edited['apps.yaml'] === text) throw new Error('the edit changed nothing');
  return {
    first: build(files, { version: 1, budget: 100_000 }),
    ungrouped: build(files, { version: 1, budget: 100_000, group: 'none' }),
    label: build(edited, { version: 2, budget: 100_000 }),
    structure: build(generatedFiles(APPS + 1), { version: 3, budget: 100_000 }),
  };
}

async function openPanel(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const html = renderGraphHtml({ cspSource: RESOURCES, nonce: 'YmVuY2gtbm9uY2U=', scriptUri: `${RESOURCES}/dist/graph.js`, styleUri: `${RESOURCES}/dist/graph.css` }).replace('<body>', '<body class="vscode-light">');
  const files = {
    [`${PAGE}/index.html`]: ['text/html; charset=utf-8', html],
    [`${RESOURCES}/dist/graph.js`]: ['text/javascript; charset=utf-8', readFileSync(path.join(DIST, 'graph.js'))],
    [`${RESOURCES}/dist/graph.css`]: ['text/css; charset=utf-8', readFileSync(path.join(DIST, 'graph.css'))],
  };
  await context.route('**/*', (route) => {
    const file = files[route.request().url()];
    return file ? route.fulfill({ status: 200, contentType: file[0], body: file[1] }) : route.abort();
  });
  await page.addInitScript(() => {
    window.__posted = [];
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => undefined, setState: () => undefined });
  });
  await page.goto(`${PAGE}/index.html`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  return { context, page };
}

async function draw(page, message) {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  const handle = await page.waitForFunction((v) => window.__posted.find((m) => (m.type === 'rendered' || m.type === 'renderFailed') && m.version === v), message.version, { timeout: 60_000 });
  const result = await handle.jsonValue();
  if (result.type !== 'rendered') throw new Error(`render failed: ${result.message}`);
  return result.durationMs;
}

export async function benchWebview() {
  if (!existsSync(CHROMIUM) || !existsSync(path.join(DIST, 'graph.js'))) {
    console.log(`\nRouting graph in Chromium: skipped (${existsSync(CHROMIUM) ? 'webview/dist is not built' : `${CHROMIUM} is missing`})`);
    return;
  }
  const cases = graphs();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const times = { first: [], ungrouped: [], label: [], structure: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const { context, page } = await openPanel(browser);
      times.first.push(await draw(page, cases.first.message));
      times.label.push(await draw(page, cases.label.message));
      times.structure.push(await draw(page, cases.structure.message));
      await context.close();
      const fresh = await openPanel(browser);
      times.ungrouped.push(await draw(fresh.page, cases.ungrouped.message));
      await fresh.context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`\nRouting graph in Chromium: ${cases.first.graph.nodes.length} nodes, ${cases.first.graph.edges.length} edges (median of ${RUNS}, ms in the webview)`);
  console.table({
    'first render': { ms: median(times.first), runs: times.first.join(' ') },
    'first render, no subgraphs': { ms: median(times.ungrouped), runs: times.ungrouped.join(' ') },
    'live re-render, label edit': { ms: median(times.label), runs: times.label.join(' ') },
    'live re-render, new layout': { ms: median(times.structure), runs: times.structure.join(' ') },
  });
  console.log('Targets (issue 12): first render ≤ 1000 ms, live re-render ≤ 300 ms.');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchWebview();

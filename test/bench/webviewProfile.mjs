// Where the routing graph's first render goes (not part of `npm run bench`; run it when changing
// how the webview calls Mermaid): `node --import tsx test/bench/webviewProfile.mjs [group|none]`.
// 1. One CPU profile (Chromium's sampling profiler over CDP) of the panel drawing the bench's
//    ~300-node graph, as test/bench/webview.mjs opens it; inclusive ms per phase (a phase's
//    function and everything it calls; phases overlap where one calls another, e.g. getConfig is
//    called from inside the others). The profiler's overhead inflates small, hot functions.
// 2. dagre's layout alone (dagre-d3-es, the layout Mermaid runs) in Node on the same graph, every
//    node 180 × 60 px, flat and with the namespaced nodes in one box: the floor under any re-layout
//    that uses dagre, whoever draws the result.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as dagre from 'dagre-d3-es/src/dagre/index.js';
import * as graphlib from 'dagre-d3-es/src/graphlib/index.js';
import { renderGraphHtml } from '../../client/src/graphHtml.ts';
import { build, generatedFiles } from '../webview/graphData.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'webview', 'dist');
const CHROMIUM = '/usr/bin/chromium';
const PAGE = 'http://webview.krl.test';
const RESOURCES = 'http://resource.krl.test';
const APPS = 90;
const group = process.argv[2] === 'none' ? 'none' : 'namespace';

/** Phases: a name and a test on a profile node's call frame (function name, bundled module). */
const PHASES = [
  // Mermaid's own steps (its render is async, so it has no single frame to time as a whole):
  ['Mermaid: parse (Mermaid text → diagram)', (fn) => fn === 'fromText'],
  ['Mermaid: dagre layout', (fn, mod) => fn === 'runLayout' && mod.includes('dagre-d3-es')],
  ['Mermaid: insert and measure nodes', (fn) => fn === 'insertMeasuredNode'],
  ['Mermaid: paint edges', (fn) => fn === 'paintLayoutEdge'],
  ['Mermaid: DOMPurify (labels, then the whole SVG)', (fn) => fn === 'DOMPurify.sanitize'],
  ["Mermaid: getConfig copies (inside the others)", (fn) => fn === 'getConfig' || fn === 'krlCopyConfig'],
  // esbuild renames a function whose name another module also uses (parseSvg → parseSvg2).
  ['ours: parse and strip of the SVG (parseSvg)', (fn, mod) => /^parseSvg\d*$/.test(fn) && mod.includes('webview/src/render.ts')],
  ['ours: view (fit or focus)', (fn) => fn === 'setView'],
  ['garbage collector', (fn) => fn === '(garbage collector)'],
];

async function profileFirstRender() {
  const message = build(generatedFiles(APPS), { version: 1, budget: 100_000, group }).message;
  const js = readFileSync(path.join(DIST, 'graph.js'), 'utf8');
  // The unminified bundle names each module in a `  // path` comment line: line → module.
  const moduleAt = [];
  let current = '?';
  for (const line of js.split('\n')) {
    const found = /^ {2}\/\/ (\S+)$/.exec(line);
    if (found) current = found[1];
    moduleAt.push(current);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const html = renderGraphHtml({ cspSource: RESOURCES, nonce: 'cHJvZmlsZS1ub25jZQ==', scriptUri: `${RESOURCES}/dist/graph.js`, styleUri: `${RESOURCES}/dist/graph.css` }).replace('<body>', '<body class="vscode-light">');
    const files = {
      [`${PAGE}/index.html`]: ['text/html; charset=utf-8', html],
      [`${RESOURCES}/dist/graph.js`]: ['text/javascript; charset=utf-8', js],
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
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.evaluate((m) => window.postMessage(m, '*'), message);
    const handle = await page.waitForFunction((v) => window.__posted.find((m) => (m.type === 'rendered' || m.type === 'renderFailed') && m.version === v), message.version, { timeout: 60_000 });
    const result = await handle.jsonValue();
    const { profile } = await cdp.send('Profiler.stop');
    if (result.type !== 'rendered') throw new Error(`render failed: ${result.message}`);
    const self = new Map();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const inclusive = (id) => (self.get(id) ?? 0) + (byId.get(id).children ?? []).reduce((sum, child) => sum + inclusive(child), 0);
    const totals = PHASES.map(() => 0);
    // Each phase counted once per stack (its outermost frame), so recursion is not double-counted.
    const walk = (id, open) => {
      const node = byId.get(id);
      const frame = node.callFrame;
      const mod = frame.url.endsWith('graph.js') ? moduleAt[frame.lineNumber] ?? '?' : frame.url;
      const inside = new Set(open);
      PHASES.forEach(([, test], i) => {
        if (!open.has(i) && test(frame.functionName, mod)) {
          totals[i] += inclusive(id);
          inside.add(i);
        }
      });
      for (const child of node.children ?? []) walk(child, inside);
    };
    walk(profile.nodes[0].id, new Set());
    const sampled = [...self.entries()].filter(([id]) => byId.get(id).callFrame.functionName !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
    console.log(`\nFirst render of ${message.nodes.length} nodes (group: ${group}) under the profiler: ${result.durationMs} ms in the webview, ${Math.round(sampled)} ms of CPU samples`);
    console.table(Object.fromEntries(PHASES.map(([name], i) => [name, { ms: Math.round(totals[i]) }])));
  } finally {
    await browser.close();
  }
}

function dagreAlone() {
  const rows = {};
  for (const apps of [APPS, APPS + 1]) {
    const { graph } = build(generatedFiles(apps), { version: 1, budget: 100_000, group: 'none' });
    for (const boxed of [false, true]) {
      const times = [];
      for (let run = 0; run < 7; run++) {
        const g = new graphlib.Graph({ multigraph: true, compound: true }).setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 60, marginx: 8, marginy: 8 }).setDefaultEdgeLabel(() => ({}));
        if (boxed) g.setNode('namespace', {});
        for (const node of graph.nodes) {
          g.setNode(node.id, { width: 180, height: 60 });
          if (boxed && node.namespace) g.setParent(node.id, 'namespace');
        }
        graph.edges.forEach((edge, i) => g.setEdge(edge.from, edge.to, {}, `e${i}`));
        const started = performance.now();
        dagre.layout(g);
        times.push(Math.round(performance.now() - started));
      }
      const sorted = [...times].sort((a, b) => a - b);
      rows[`${graph.nodes.length} nodes, ${boxed ? 'one namespace box' : 'no box'}`] = { 'median ms': sorted[3], runs: times.join(' ') };
    }
  }
  console.log('\ndagre layout alone (Node, median of 7)');
  console.table(rows);
}

if (!existsSync(CHROMIUM) || !existsSync(path.join(DIST, 'graph.js'))) console.log('Chromium or webview/dist is missing: profile skipped');
else await profileFirstRender();
dagreAlone();

/** The panel's HTML and message checks (client/src/graphHtml.ts): pure, run in Node. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { graphCsp, isSvgText, parseTraceAnswer, parseWebviewMessage, renderGraphHtml, traceReport } from '../../client/src/graphHtml';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'q1w2e3R4t5Y6u7I8o9P0aA==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/webview/dist/graph.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/webview/dist/graph.css',
};

function metaCsp(html: string): string | undefined {
  return /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
}

describe('renderGraphHtml', () => {
  const html = renderGraphHtml(options);

  test('declares the strict Content-Security-Policy', () => {
    assert.equal(metaCsp(html), `default-src 'none'; script-src 'nonce-${options.nonce}'; style-src ${options.cspSource} 'unsafe-inline'; img-src ${options.cspSource} data:; font-src ${options.cspSource} data:`);
    assert.equal(graphCsp(options.cspSource, options.nonce), metaCsp(html));
    assert.equal((html.match(/Content-Security-Policy/g) ?? []).length, 1);
  });

  test('every <script> carries the nonce and loads the bundle; none is inline', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes, new RegExp(` nonce="${options.nonce.replace(/[+/=]/g, '\\$&')}"`));
      assert.equal(body.trim(), '');
    }
    assert.ok(html.includes(`src="${options.scriptUri}"`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${options.styleUri}">`));
  });

  test('has no inline event handlers, javascript: URLs or inline style attributes', () => {
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /javascript:/i);
    assert.doesNotMatch(html, /\sstyle\s*=/i);
  });

  test('interpolates only the given URIs and nonce', () => {
    const marked = renderGraphHtml({ cspSource: 'CSPSRC', nonce: 'NONCE', scriptUri: 'SCRIPTURI', styleUri: 'STYLEURI' });
    // The same page with other values differs exactly where those values go.
    // The URIs contain the CSP source, so they are replaced first.
    const normalise = (page: string, o: typeof options) => page.split(o.scriptUri).join('@script').split(o.styleUri).join('@style').split(o.cspSource).join('@csp').split(o.nonce).join('@nonce');
    assert.equal(normalise(html, options), normalise(marked, { cspSource: 'CSPSRC', nonce: 'NONCE', scriptUri: 'SCRIPTURI', styleUri: 'STYLEURI' }));
    assert.equal(marked.split('CSPSRC').length - 1, 3);
    assert.equal(marked.split('NONCE').length - 1, 2);
    assert.equal(marked.split('SCRIPTURI').length - 1, 1);
    assert.equal(marked.split('STYLEURI').length - 1, 1);
  });

  test('escapes the URIs as attributes and refuses a nonce that is not base64', () => {
    const page = renderGraphHtml({ ...options, scriptUri: 'https://x/a"><script>alert(1)</script>' });
    assert.ok(!page.includes('"><script>alert(1)'));
    assert.ok(page.includes('https://x/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.throws(() => renderGraphHtml({ ...options, nonce: "abc' 'unsafe-inline" }), /base64/);
  });

  test('has the elements the webview script looks up', () => {
    for (const id of ['scope-kind', 'scope-value', 'zoom-in', 'zoom-out', 'zoom-fit', 'trace-request', 'copy-mermaid', 'export-svg', 'banner', 'error', 'viewport', 'canvas', 'placeholder', 'trace', 'tooltip', 'status']) {
      assert.ok(html.includes(`id="${id}"`), id);
    }
  });
});

describe('parseWebviewMessage', () => {
  test('accepts the documented messages, rebuilt from their fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', nodeId: 'svc:a' }), { type: 'reveal', nodeId: 'svc:a' });
    assert.deepEqual(parseWebviewMessage({ type: 'setScope', scope: { kind: 'namespace', namespace: 'shop', x: 1 } }), { type: 'setScope', scope: { kind: 'namespace', namespace: 'shop' } });
    assert.deepEqual(parseWebviewMessage({ type: 'setScope', scope: { kind: 'cursor', uri: 'file:///etc/passwd' } }), { type: 'setScope', scope: { kind: 'cursor' } });
    assert.deepEqual(parseWebviewMessage({ type: 'exportSvg', svg: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n' })?.type, 'exportSvg');
    assert.deepEqual(parseWebviewMessage({ type: 'rendered', version: 3, nodeCount: 14, durationMs: 80 }), { type: 'rendered', version: 3, nodeCount: 14, durationMs: 80 });
  });

  test('drops anything else', () => {
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'eval', code: '1' },
      { type: 'reveal' },
      { type: 'reveal', nodeId: 42 },
      { type: 'reveal', nodeId: 'x'.repeat(20_000) },
      { type: 'setScope', scope: { kind: 'namespace' } },
      { type: 'setScope', scope: { kind: 'everything' } },
      { type: 'exportSvg', svg: '<html><script>alert(1)</script></html>' },
      { type: 'exportSvg', svg: 7 },
      { type: 'rendered', version: 'x', nodeCount: 1, durationMs: 1 },
      { type: '__proto__' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  test('isSvgText wants one <svg> document', () => {
    assert.ok(isSvgText('<svg viewBox="0 0 1 1"></svg>'));
    assert.ok(!isSvgText('<svgx></svgx>'));
    assert.ok(!isSvgText('text <svg></svg>'));
  });
});

describe('trace answers from the server', () => {
  test('parseTraceAnswer keeps the documented fields and drops the rest', () => {
    const answer = parseTraceAnswer({
      url: 'http://a.test/x',
      found: true,
      upstreamPath: '/x',
      steps: [{ kind: 'host', text: 'Host `a.test`', nodeId: 'host:a.test', extra: 1 }, { kind: 3, text: 'bad' }, ['not', 'a', 'step'], null],
      injected: '<script>',
    });
    assert.deepEqual(answer, { url: 'http://a.test/x', found: true, steps: [{ kind: 'host', text: 'Host `a.test`', nodeId: 'host:a.test' }], upstreamPath: '/x', reason: undefined, closest: undefined });
    for (const bad of [null, [], 'trace', { url: 'x', found: 'yes', steps: [] }, { url: 'x', found: true, steps: {} }]) assert.equal(parseTraceAnswer(bad), undefined);
  });

  test('traceReport: verdict, numbered steps, closest match', () => {
    assert.deepEqual(traceReport({ url: 'http://a.test/x', found: false, reason: 'no rule for host `a.test`', closest: 'host `b.test`', steps: [{ kind: 'host', text: 'no match' }] }), [
      'Trace http://a.test/x: goes nowhere: no rule for host `a.test`',
      '  1. [host] no match',
      '  closest: host `b.test`',
    ]);
    assert.deepEqual(traceReport({ url: 'http://a.test/x', found: true, steps: [] }), ['Trace http://a.test/x: reaches the pods; the path the backend receives cannot be known offline']);
  });
});

// The build-time replacement of Mermaid's getConfig (webview/build/fastMermaidConfig.mjs) must
// return what Mermaid's own `assignWithDepth({}, currentConfig)` returns. Both run here on
// Mermaid's real configuration (as the webview initializes it, theme variables included) and on
// a configuration with the corner cases assignWithDepth handles (nulls, duplicate array members,
// nesting below the copied depth, a `__proto__` key).
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import mermaid from 'mermaid';
import { FAST_GET_CONFIG, MERMAID_GET_CONFIG } from '../../webview/build/fastMermaidConfig.mjs';

const chunks = path.join(path.dirname(createRequire(import.meta.url).resolve('mermaid/package.json')), 'dist', 'chunks', 'mermaid.core');
const configModule = readdirSync(chunks)
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => readFileSync(path.join(chunks, f), 'utf8'))
  .filter((text) => text.includes(MERMAID_GET_CONFIG));

/** Mermaid's own assignWithDepth, from the same module as the getConfig line the plugin replaces. */
function mermaidAssignWithDepth() {
  const text = configModule[0];
  const start = text.indexOf('var assignWithDepth = ');
  const end = text.indexOf('}, "assignWithDepth");', start);
  assert.ok(start >= 0 && end > start, 'assignWithDepth is not where it was in Mermaid 11');
  return new Function('__name', `${text.slice(start, end)}}, "assignWithDepth");\nreturn assignWithDepth;`)((f) => f);
}

/** The replacement getConfig, reading `config` as its currentConfig. */
function fastGetConfig(config) {
  return new Function('__name', 'currentConfig', `${FAST_GET_CONFIG}\nreturn getConfig;`)((f) => f, config)();
}

test("Mermaid's getConfig line is in exactly one module (what the build patches)", () => {
  assert.equal(configModule.length, 1);
});

test("the fast getConfig copies Mermaid's real configuration as assignWithDepth does", () => {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'base', themeVariables: { darkMode: true, primaryColor: '#2d2d30', fontSize: '14px' }, flowchart: { htmlLabels: true, curve: 'basis' } });
  const config = mermaid.mermaidAPI.getConfig();
  assert.ok(Object.keys(config.themeVariables).length > 100, 'theme variables are in the configuration');
  const expected = mermaidAssignWithDepth()({}, config);
  const actual = fastGetConfig(config);
  assert.deepEqual(actual, expected);
  // A copy, not the same objects, down to the depth Mermaid copies.
  assert.notEqual(actual.flowchart, config.flowchart);
  assert.notEqual(actual.themeVariables, config.themeVariables);
});

test('the fast getConfig handles the corner cases as assignWithDepth does', () => {
  const deep = { leaf: 1 };
  const config = JSON.parse('{"__proto__": {"polluted": true}}');
  Object.assign(config, {
    a: 1,
    s: 'text',
    u: undefined,
    n: null,
    f: () => 1,
    list: [1, 2, 2, 'x', 'x'],
    nested: { n: null, list: ['a', 'a'], inner: { deeper: deep, n: null, list: [3, 3] }, v: 2 },
  });
  const expected = mermaidAssignWithDepth()({}, config);
  const actual = fastGetConfig(config);
  assert.deepEqual(actual, expected);
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  assert.deepEqual(Object.keys(actual.nested), Object.keys(expected.nested));
  assert.equal(actual.nested.inner.deeper, expected.nested.inner.deeper, 'below the copied depth, objects are shared as in Mermaid');
  assert.equal(Object.getPrototypeOf(actual), Object.prototype, 'a __proto__ key does not set the prototype');
  assert.equal(({}).polluted, undefined);
});

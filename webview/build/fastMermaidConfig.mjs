// An esbuild plugin for the webview bundles (esbuild.mjs); tested by test/webview/fastMermaidConfig.test.mjs.
import { readFileSync } from 'node:fs';

/**
 * Mermaid's `getConfig()` returns a copy of its whole configuration (every diagram type's
 * settings and ~300 theme variables, ~24 kB as JSON) made by `assignWithDepth`, which defines
 * each key with `Object.defineProperty`: 0.34 ms a call in Chromium. Rendering a flowchart calls
 * it several times per node and edge (label helpers, shape drawing, edge insertion), so for the
 * 300-node graph it was ~1.2 s of a ~2.3 s first render (CPU profile, README "Performance").
 * This replaces the one line of mermaid 11's config module with a copy of the same shape made with
 * plain assignments: objects copied to the same depth, arrays de-duplicated, `null` members
 * dropped, as `assignWithDepth({}, config)` does (`__proto__` still defined, never assigned). The
 * build fails when the line is not found exactly once (a Mermaid upgrade must look at this again).
 */
export const MERMAID_GET_CONFIG = 'var getConfig = /* @__PURE__ */ __name(() => {\n  return assignWithDepth_default({}, currentConfig);\n}, "getConfig");';
export const FAST_GET_CONFIG = `var krlCopyConfig = (src, depth) => {
  const out = {};
  for (const key of Object.keys(src)) {
    let value = src[key];
    if (typeof value === "object") {
      if (value === null) continue;
      value = Array.isArray(value) ? [...new Set(value)] : depth > 1 ? krlCopyConfig(value, depth - 1) : Object.assign({}, value);
    }
    if (key === "__proto__") Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    else out[key] = value;
  }
  return out;
};
var getConfig = /* @__PURE__ */ __name(() => {
  return krlCopyConfig(currentConfig, 2);
}, "getConfig");`;

/** The esbuild plugin that makes the replacement (webview bundles). */
export const fastMermaidConfig = {
  name: 'fast-mermaid-getConfig',
  setup(build) {
    let patched = 0;
    build.onStart(() => {
      patched = 0;
    });
    build.onLoad({ filter: /[\\/]mermaid[\\/]dist[\\/]chunks[\\/]mermaid\.core[\\/]chunk-[A-Za-z0-9]+\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(MERMAID_GET_CONFIG)) return undefined;
      patched += text.split(MERMAID_GET_CONFIG).length - 1;
      return { contents: text.replace(MERMAID_GET_CONFIG, FAST_GET_CONFIG), loader: 'js' };
    });
    build.onEnd((result) => {
      if (result.errors.length === 0 && patched !== 1) {
        return { errors: [{ text: `Mermaid's getConfig was found ${patched} times (expected once): see webview/build/fastMermaidConfig.mjs` }] };
      }
      return undefined;
    });
  },
};

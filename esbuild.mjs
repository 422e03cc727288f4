// The one build script: bundles the VS Code client, the language server (plus the CLI) and the
// webview. `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {Record<string, import('esbuild').BuildOptions>} */
const targets = {
  client: {
    ...common,
    entryPoints: { extension: 'client/src/extension.ts' },
    outdir: 'client/dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  server: {
    ...common,
    entryPoints: { server: 'server/src/lsp/entry.ts', cli: 'server/src/cli/main.ts' },
    outdir: 'server/dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  webview: {
    ...common,
    // graph.js runs in the VS Code panel; standalone.js in the page `kube-route-lens graph --format html` writes.
    entryPoints: { graph: 'webview/src/main.ts', standalone: 'webview/src/standalone.ts' },
    outdir: 'webview/dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
};

async function build(name, options) {
  const entries = Object.values(options.entryPoints);
  if (!entries.every((entry) => existsSync(entry))) {
    console.log(`[build] ${name}: skipped (no entry point yet)`);
    return;
  }
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    console.log(`[build] ${name}: watching`);
    return;
  }
  const started = Date.now();
  await esbuild.build(options);
  console.log(`[build] ${name}: ${Date.now() - started} ms`);
}

try {
  // Start from empty output folders, so no stale bundle or source map is packaged.
  if (!watch) for (const dir of ['client/dist', 'server/dist', 'webview/dist']) rmSync(dir, { recursive: true, force: true });
  await Promise.all(Object.entries(targets).map(([name, options]) => build(name, options)));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

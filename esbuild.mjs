// The one build script: bundles the VS Code client, the language server (plus the CLI) and the
// webview, and writes ThirdPartyNotices.txt for the packages bundled into them (the licence texts
// the bundles would otherwise drop). `--production` minifies and drops source maps; `--watch`
// rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fastMermaidConfig } from './webview/build/fastMermaidConfig.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
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
    plugins: [fastMermaidConfig],
  },
};

async function build(name, options) {
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    console.log(`[build] ${name}: watching`);
    return undefined;
  }
  const started = Date.now();
  const result = await esbuild.build(options);
  console.log(`[build] ${name}: ${Date.now() - started} ms`);
  return result.metafile;
}

/** `node_modules/@scope/name/lib/x.js` → `node_modules/@scope/name` (the innermost package). */
function packageRoot(input) {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  return parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join('/');
}

/** The "License" section of a README (some packages ship their licence only there). */
function licenceSection(readme) {
  const heading = /^(#+)\s*licen[cs]e\b.*$/im.exec(readme);
  if (!heading) return undefined;
  const rest = readme.slice(heading.index + heading[0].length);
  const next = new RegExp(`^#{1,${heading[1].length}}\\s`, 'm').exec(rest);
  return (next ? rest.slice(0, next.index) : rest).trim() || undefined;
}

/** Name, version, licence and licence text of every package any bundle contains. */
function writeNotices(metafiles) {
  const roots = new Set();
  for (const metafile of metafiles) for (const input of Object.keys(metafile.inputs)) {
    const root = packageRoot(input);
    if (root) roots.add(root);
  }
  const sections = [...roots]
    .map((root) => {
      const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
      const files = readdirSync(root);
      const licenseFile = files.find((f) => /^(licen[cs]e|copying)(\.|-|$)/i.test(f));
      const readme = files.find((f) => /^readme(\.|$)/i.test(f));
      const text = licenseFile
        ? readFileSync(path.join(root, licenseFile), 'utf8').trim()
        : ((readme && licenceSection(readFileSync(path.join(root, readme), 'utf8'))) ?? `(no licence file in the package; package.json says: ${manifest.license ?? 'nothing'})`);
      return { name: manifest.name, header: `${manifest.name} ${manifest.version} (${manifest.license ?? 'see below'})`, text };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const intro = 'Kube Route Lens bundles the following packages. Their licences follow.\n';
  writeFileSync('ThirdPartyNotices.txt', `${intro}\n${sections.map((s) => `${'='.repeat(78)}\n${s.header}\n${'='.repeat(78)}\n\n${s.text}\n`).join('\n')}`);
  console.log(`[build] ThirdPartyNotices.txt: ${sections.length} packages`);
}

try {
  // Start from empty output folders, so no stale bundle or source map is packaged.
  if (!watch) for (const dir of ['client/dist', 'server/dist', 'webview/dist']) rmSync(dir, { recursive: true, force: true });
  const metafiles = await Promise.all(Object.entries(targets).map(([name, options]) => build(name, options)));
  if (!watch) writeNotices(metafiles);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

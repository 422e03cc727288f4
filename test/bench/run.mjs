// `npm run bench`: bundles the benchmark with esbuild the way the server is bundled (one scope,
// no per-module interop), then runs it. Timing the engine through a TypeScript loader instead would
// add a getter call to every cross-module call and measure the loader, not what ships.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = path.join(root, '.cache/bench/bench.cjs');
await esbuild.build({ entryPoints: [path.join(root, 'test/bench/bench.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
const onlyWebview = process.argv.includes('--only-webview');
const result = onlyWebview ? { status: 0 } : spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);
// The routing graph webview in real Chromium (test/bench/webview.mjs): TypeScript test data through tsx.
const webview = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'test/bench/webview.mjs')], { stdio: 'inherit', cwd: root });
process.exit(webview.status ?? 1);

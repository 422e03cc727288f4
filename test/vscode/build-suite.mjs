#!/usr/bin/env node
// Bundles the VS Code extension test suite (test/vscode/suite/index.ts and every
// test/vscode/suite/*.test.ts) into CommonJS files the extension host can load:
//
//   test/out/vscode/index.js        <- the extensionTestsPath module (exports run())
//   test/out/vscode/<name>.test.js  <- one bundle per test file
//
// `vscode` is provided by the extension host and `mocha` is left external: it is
// required at run time from the repository's node_modules, which Node finds by
// walking up from the output folder. buildSuite() checks that resolution works,
// so the output folder must stay inside the repository.
//
//   import { buildSuite } from './build-suite.mjs';
//   const { outDir, indexFile, testFiles } = await buildSuite();
// or: node test/vscode/build-suite.mjs [outDir]

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
export const SUITE_DIR = path.join(HERE, 'suite');
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'test', 'out', 'vscode');

/**
 * @param {string} [outDir] where to write the bundles (default test/out/vscode)
 * @returns {Promise<{ outDir: string, indexFile: string, testFiles: string[] }>}
 */
export async function buildSuite(outDir = DEFAULT_OUT_DIR) {
  outDir = path.resolve(outDir);
  const testSources = listTestSources();
  removeStaleOutputs(outDir);
  await esbuild.build({
    entryPoints: [path.join(SUITE_DIR, 'index.ts'), ...testSources],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: true,
    logLevel: 'warning',
  });
  // Pin the module type: the .js files are CommonJS whatever the repo's package.json says.
  fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  const indexFile = path.join(outDir, 'index.js');
  checkMochaResolves(indexFile);
  const testFiles = testSources.map((src) => path.join(outDir, path.basename(src).replace(/\.ts$/, '.js')));
  return { outDir, indexFile, testFiles };
}

/** test/vscode/suite/*.test.ts, sorted. */
function listTestSources() {
  return fs
    .readdirSync(SUITE_DIR)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => path.join(SUITE_DIR, name));
}

/** Deletes earlier bundles so a removed test file does not keep running. */
function removeStaleOutputs(outDir) {
  if (!fs.existsSync(outDir)) return;
  for (const name of fs.readdirSync(outDir)) {
    if (/\.js(\.map)?$/.test(name)) fs.rmSync(path.join(outDir, name));
  }
}

/** The bundles require('mocha') at run time: make sure Node can find it from there. */
function checkMochaResolves(indexFile) {
  try {
    createRequire(indexFile).resolve('mocha');
  } catch {
    throw new Error(
      `mocha cannot be resolved from ${path.dirname(indexFile)}; ` +
        `build the suite into a folder inside the repository (default ${DEFAULT_OUT_DIR}).`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  buildSuite(process.argv[2])
    .then(({ indexFile, testFiles }) => {
      console.log(`built ${indexFile} + ${testFiles.length} test file(s) in ${Date.now() - t0} ms`);
    })
    .catch((err) => {
      console.error(err.message);
      process.exit(1);
    });
}

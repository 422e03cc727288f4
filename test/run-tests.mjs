// Runs the test suites with Node's built-in runner (TypeScript through tsx).
// Usage: node test/run-tests.mjs [tier ...]   tiers: core, cli, lsp, corpus, vscode (default: all)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = path.dirname(fileURLToPath(import.meta.url));
const TIERS = ['core', 'cli', 'lsp', 'corpus', 'vscode'];

function testFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    // test/vscode/suite holds mocha files that run inside VS Code, not under node:test.
    if (statSync(full).isDirectory()) {
      if (!['suite', 'out', 'snapshots', 'fixtures', 'artifacts', 'fixture-extension', 'fixture-workspace'].includes(entry)) files.push(...testFiles(full));
    } else if (entry.endsWith('.test.ts') || entry.endsWith('.test.mjs')) {
      files.push(full);
    }
  }
  return files;
}

function tierOf(file) {
  const relative = path.relative(testDir, file).split(path.sep);
  return relative.length > 1 && TIERS.includes(relative[0]) ? relative[0] : 'core';
}

const wanted = process.argv.slice(2);
for (const tier of wanted) {
  if (!TIERS.includes(tier)) {
    console.error(`unknown test tier '${tier}' (known: ${TIERS.join(', ')})`);
    process.exit(2);
  }
}
const files = testFiles(testDir).filter((file) => wanted.length === 0 || wanted.includes(tierOf(file))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: path.join(testDir, '..') });
process.exit(result.status ?? 1);

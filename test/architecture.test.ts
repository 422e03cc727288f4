/**
 * Keeps the architecture's boundaries true (after rust-analyzer's tidy tests): the engine is
 * pure, the faces depend on it and not on each other.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  const files: string[] = [];
  for (const entry of readdirSync(full)) {
    const child = path.join(full, entry);
    if (statSync(child).isDirectory()) files.push(...sourceFiles(path.relative(ROOT, child)));
    else if (entry.endsWith('.ts')) files.push(child);
  }
  return files;
}

/** Module specifiers of every import, export-from and require in a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specifiers.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return specifiers;
}

function violations(dir: string, allowed: (specifier: string, file: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(dir)) {
    for (const specifier of importsOf(file)) {
      if (!allowed(specifier, file)) found.push(`${path.relative(ROOT, file)} imports '${specifier}'`);
    }
  }
  return found;
}

function resolvesInside(specifier: string, file: string, dir: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target.startsWith(path.join(ROOT, dir));
}

describe('architecture', () => {
  test('the engine (server/src/core) is pure: only yaml, re2js (linear-time regexes), LSP types and itself', () => {
    const allowed = (specifier: string, file: string) =>
      specifier === 'yaml' || specifier === 're2js' || specifier === 'vscode-languageserver-types' || resolvesInside(specifier, file, 'server/src/core');
    assert.deepEqual(violations('server/src/core', allowed), []);
  });

  test('the engine does not use Node globals for IO', () => {
    const offenders = sourceFiles('server/src/core').filter((file) => /\b(process\.|require\(|__dirname|setTimeout|fetch\()/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  test('the CLI and the language server use the engine only through its facade', () => {
    const throughFacade = (specifier: string, file: string) =>
      !resolvesInside(specifier, file, 'server/src/core') || path.resolve(path.dirname(file), specifier) === path.join(ROOT, 'server/src/core');
    assert.deepEqual([...violations('server/src/cli', throughFacade), ...violations('server/src/lsp', throughFacade)], []);
  });

  test('the VS Code client never imports the engine or the server', () => {
    // Besides itself: the protocols it speaks, and the page rules it shares with the CLI's page.
    const allowed = (specifier: string, file: string) => !specifier.startsWith('.') || resolvesInside(specifier, file, 'client/src') || specifier.endsWith('/protocol') || specifier.endsWith('/webview/src/pageHtml');
    assert.deepEqual(violations('client/src', allowed), []);
  });

  test('only the language server and the CLI reach the `vscode-languageserver` connection', () => {
    const offenders = [...violations('server/src/core', (s) => !s.startsWith('vscode-languageserver/')), ...violations('server/src/cli', (s) => !s.startsWith('vscode-languageserver/'))];
    assert.deepEqual(offenders, []);
  });
});

/** Neovim 0.7 (Debian's), headless, as a second real LSP client of `kube-route-lens lsp --stdio`. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');
const hasNeovim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

function runNeovim(file: string, env: Record<string, string>): Record<string, unknown> {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const workspace = mkdtempSync(path.join(tmpdir(), 'krl-nvim-'));
  cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  const result = path.join(workspace, 'result.json');
  const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(__dirname, 'neovim/init.lua'), file], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, ...env, KRL_NVIM_RESULT: result, KRL_CLI: CLI, XDG_CONFIG_HOME: workspace, XDG_DATA_HOME: workspace, XDG_STATE_HOME: workspace },
  });
  assert.ok(existsSync(result), `Neovim wrote no result (exit ${run.status}): ${run.stderr}`);
  const payload = JSON.parse(readFileSync(result, 'utf8')) as Record<string, unknown>;
  assert.equal(payload.error, undefined, String(payload.error));
  return payload;
}

test('Neovim gets hover and definition from the server (an Ingress backend → its Service)', { skip: hasNeovim ? false : 'nvim is not installed (apt-get install neovim)' }, () => {
  const lines = readFileSync(path.join(ROOT, 'examples/seed-routing/ingress.yaml'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('name: abc-svc'));
  const payload = runNeovim('seed-routing/ingress.yaml', { KRL_NVIM_MODE: 'features', KRL_NVIM_LINE: String(line), KRL_NVIM_COL: String(lines[line].indexOf('abc-svc') + 2) });
  const hover = payload.hover as { contents: { value: string } };
  assert.match(hover.contents.value, /\*\*Service `abc-svc`\*\* · ClusterIP/);
  const definition = payload.definition as { uri: string; range: { start: { line: number } } }[];
  assert.equal(definition.length, 1);
  assert.match(definition[0].uri, /seed-routing\/shop\.yaml$/);
});

test('Neovim receives the diagnostics of examples/ from `kube-route-lens lsp --stdio`', { skip: hasNeovim ? false : 'nvim is not installed (apt-get install neovim)' }, () => {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const workspace = mkdtempSync(path.join(tmpdir(), 'krl-nvim-'));
  cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  const result = path.join(workspace, 'result.json');
  const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(__dirname, 'neovim/init.lua'), 'mistakes/ingress.yaml'], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, KRL_NVIM_RESULT: result, KRL_CLI: CLI, KRL_NVIM_EXPECT: '3', XDG_CONFIG_HOME: workspace, XDG_DATA_HOME: workspace, XDG_STATE_HOME: workspace },
  });
  assert.ok(existsSync(result), `Neovim wrote no result (exit ${run.status}): ${run.stderr}`);
  const payload = JSON.parse(readFileSync(result, 'utf8')) as { error?: string; diagnostics?: { line: number; col: number; code: string; source: string; message: string }[] };
  assert.equal(payload.error, undefined, payload.error);
  const codes = payload.diagnostics!.map((d) => d.code).sort();
  assert.deepEqual(codes, ['ingress-backend-port-missing', 'ingress-backend-service-missing', 'rewrite-target-capture-missing']);
  const missing = payload.diagnostics!.find((d) => d.code === 'ingress-backend-service-missing')!;
  assert.deepEqual([missing.line, missing.col, missing.source], [27, 22, 'kube-route-lens']);
  assert.match(missing.message, /did you mean `shop-admin`\?/);
});

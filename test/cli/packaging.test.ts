/** What the .vsix ships (`vsce ls`, the same file list `npm run package` uses) and the licences of what it bundles. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');

describe('packaging', () => {
  test('the .vsix holds the bundles, the documents and the third-party notices, nothing else', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const files = result.stdout.trim().split('\n').sort();
    const screenshots = files.filter((f) => f.startsWith('client/media/screenshots/'));
    assert.deepEqual(
      files.filter((f) => !screenshots.includes(f)),
      ['CHANGELOG.md', 'LICENSE', 'README.md', 'ThirdPartyNotices.txt', 'client/dist/extension.js', 'client/media/icon.png', 'package.json', 'server/dist/server.js', 'server/schemas/kube-route-lens-routes.schema.json', 'server/schemas/kube-route-lens.schema.json', 'syntaxes/kube-route-lens.injection.tmLanguage.json', 'webview/dist/graph.css', 'webview/dist/graph.js'],
    );
    assert.ok(screenshots.length > 0 && screenshots.every((f) => f.endsWith('.png')));
  });

  test('ThirdPartyNotices.txt carries the licence of every package the bundles contain', () => {
    const notices = path.join(ROOT, 'ThirdPartyNotices.txt');
    assert.ok(existsSync(notices), 'ThirdPartyNotices.txt is missing: run `npm run build` first');
    const text = readFileSync(notices, 'utf8');
    for (const name of ['mermaid', 'yaml', 'vscode-languageclient', 'vscode-languageserver', 'vscode-jsonrpc', 'dompurify', 'd3']) {
      assert.match(text, new RegExp(`^${name} \\d+\\.\\d+\\.\\d+ \\(`, 'm'), `${name} is not listed`);
    }
    assert.doesNotMatch(text, /no licence file in the package/, 'every bundled package has its licence text');
  });
});

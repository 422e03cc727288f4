import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { countCaptureGroups, highestCaptureReference, isStrictPath } from '../../server/src/core/semantics/nginx';
import { closestMatch, dns1123LabelError, editDistance, ianaServiceNameError } from '../../server/src/core/semantics/names';
import { LineIndex } from '../../server/src/core/text/lineIndex';
import { RULE_IDS } from '../../server/src/core';
import { resolveRelativeUri } from '../../server/src/core/text/uris';

describe('Kubernetes name rules', () => {
  test('IANA service names (container port names, string targetPorts)', () => {
    for (const valid of ['http', 'h2c', 'n-3456789012345', 'a1']) assert.equal(ianaServiceNameError(valid), undefined, valid);
    const invalid: Record<string, RegExp> = {
      n234567890123456: /15 characters/,
      '8080': /at least one letter/,
      Http: /lowercase/,
      'a--b': /consecutive/,
      '-a': /begin or end/,
      '': /empty/,
    };
    for (const [value, reason] of Object.entries(invalid)) assert.match(ianaServiceNameError(value) ?? '', reason, value);
  });

  test('DNS labels (Service port names) allow digits only and up to 63 characters', () => {
    assert.equal(dns1123LabelError('123'), undefined);
    assert.equal(dns1123LabelError('web-http'), undefined);
    assert.match(dns1123LabelError('Web') ?? '', /DNS label/);
    assert.match(dns1123LabelError('a'.repeat(64)) ?? '', /63/);
  });

  test('did-you-mean counts a transposition as one edit and ignores far candidates', () => {
    assert.equal(editDistance('shpo', 'shop'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(closestMatch('shpo', ['shop', 'cart']), 'shop');
    assert.equal(closestMatch('web-svcc', ['web-svc', 'api-svc']), 'web-svc');
    assert.equal(closestMatch('api', ['database']), undefined);
  });
});

describe('ingress-nginx regex semantics', () => {
  test('capture groups', () => {
    const cases: [string, number][] = [
      ['/something(/|$)(.*)', 2],
      ['/(.*)', 1],
      ['/', 0],
      ['/a(?:b)', 0],
      ['/a(?<rest>.*)', 1],
      ['/a(?P<rest>.*)', 1],
      ['/a(?=b)(?<=c)(?<!d)', 0],
      ['/a[(]\\(b\\)', 0],
      ['/a[]()](x)', 1],
    ];
    for (const [pattern, groups] of cases) assert.equal(countCaptureGroups(pattern), groups, pattern);
  });

  test('rewrite targets and strict paths', () => {
    assert.equal(highestCaptureReference('/$2'), 2);
    assert.equal(highestCaptureReference('/static/$1/x/$3'), 3);
    assert.equal(highestCaptureReference('/'), 0);
    assert.ok(isStrictPath('/api/v1.2/_x-y'));
    assert.ok(!isStrictPath('/api(/|$)(.*)'));
    assert.ok(!isStrictPath('/api/*'));
  });
});

describe('text utilities', () => {
  test('line index handles \\n, \\r\\n and \\r', () => {
    const index = new LineIndex('a\r\nbb\ncc\rd');
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(6), { line: 2, character: 0 });
    assert.deepEqual(index.positionAt(9), { line: 3, character: 0 });
    assert.equal(index.offsetAt({ line: 1, character: 1 }), 4);
  });

  test('relative URIs resolve against the file directory', () => {
    assert.equal(resolveRelativeUri('file:///a/b/kustomization.yaml', 'patch.yaml'), 'file:///a/b/patch.yaml');
    assert.equal(resolveRelativeUri('file:///a/b/kustomization.yaml', '../c/./p.yaml'), 'file:///a/c/p.yaml');
  });
});

describe('package.json stays in step with the rule registry', () => {
  test('every rule has a setting, and every setting is a rule', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../package.json') as { contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } } };
    const configured = Object.keys(manifest.contributes.configuration.properties['kubeRouteLens.rules'].properties ?? {}).sort();
    assert.deepEqual(configured, [...RULE_IDS].sort());
  });
});

describe('the README documents every rule', () => {
  test('each rule id has its own heading, which is the anchor diagnostics link to', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const missing = RULE_IDS.filter((id) => !readme.includes(`\n### ${id}\n`));
    assert.deepEqual(missing, []);
  });
});

/**
 * The JSON schema of `.kube-route-lens.yaml` (what Red Hat YAML completes and validates) and the
 * engine's reader agree: the same keys, and the schema's examples read without problems.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { summarizeFile } from '../../server/src/core';

const ROOT = path.resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'server/schemas/kube-route-lens.schema.json'), 'utf8'));
const options = { defaultNamespace: 'default', maxFileSize: 1_000_000, nodePortRange: { min: 30000, max: 32767 }, ingressClasses: [] };

function problems(text: string): string[] {
  return summarizeFile('file:///repo/.kube-route-lens.yaml', text, options).syntaxProblems.map((p) => p.message);
}

describe('workspace configuration schema', () => {
  test('the package contributes the schema to Red Hat YAML for the configuration file names', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const contribution = manifest.contributes.yamlValidation.find((v: { url: string }) => v.url.endsWith('kube-route-lens.schema.json'));
    assert.deepEqual(contribution.fileMatch, ['.kube-route-lens.yaml', '.kube-route-lens.yml']);
  });

  test('every key the schema knows, the reader knows, and the other way round', () => {
    const top = Object.keys(schema.properties).sort();
    const cluster = Object.keys(schema.properties.cluster.properties).sort();
    assert.deepEqual(problems(top.map((k) => `${k}: ${k === 'cluster' ? '{}' : '[]'}`).join('\n')), []);
    assert.deepEqual(problems(`cluster:\n${cluster.map((k) => `  ${k}: ${k === 'ingressClasses' ? '[]' : k === 'nodePortRange' ? '30000-32767' : 'default'}`).join('\n')}`), []);
    assert.match(problems('routes: []').join('\n'), /unknown key `routes`/);
    assert.match(problems('cluster:\n  nodes: 3').join('\n'), /unknown key `cluster.nodes`/);
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.cluster.additionalProperties, false);
  });

  test('a full example from the README reads without problems', () => {
    const example = [
      'apps: ["apps/*"]',
      'alternatives: [examples/variants]',
      'ignore: [vendor, "**/*.draft.yaml"]',
      'cluster:',
      '  defaultNamespace: shop',
      '  nodePortRange: 30000-32767',
      '  ingressClasses:',
      '    - name: nginx',
      '      controller: k8s.io/ingress-nginx',
      '      default: true',
    ].join('\n');
    assert.deepEqual(problems(example), []);
    const config = summarizeFile('file:///repo/.kube-route-lens.yaml', example, options).config!;
    assert.deepEqual(config.cluster.ingressClasses, [{ name: 'nginx', controller: 'k8s.io/ingress-nginx', isDefault: true }]);
    assert.deepEqual(config.apps, ['apps/*']);
  });
});

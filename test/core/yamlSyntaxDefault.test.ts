import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { applyYamlSyntaxDefault } from '../../client/src/yamlSyntaxDefault';

test('with Red Hat YAML installed, yaml-syntax is off unless the user configured it', () => {
  const section = { rules: { 'ingress-backend-nodeport': 'off' }, defaultNamespace: 'apps' };
  assert.deepEqual(applyYamlSyntaxDefault(section, { redHatYaml: true, userConfigured: false }), { rules: { 'ingress-backend-nodeport': 'off', 'yaml-syntax': 'off' }, defaultNamespace: 'apps' });
  assert.deepEqual(applyYamlSyntaxDefault({ rules: { 'yaml-syntax': 'error' } }, { redHatYaml: true, userConfigured: true }), { rules: { 'yaml-syntax': 'error' } });
  assert.equal(applyYamlSyntaxDefault(section, { redHatYaml: false, userConfigured: false }), section);
  assert.equal(applyYamlSyntaxDefault(null, { redHatYaml: true, userConfigured: false }), null);
});

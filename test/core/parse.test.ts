import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, Workspace, summarizeFile } from '../../server/src/core';
import type { Service, Workload } from '../../server/src/core';
import { checkFindings } from '../helpers/check';
import { dedent } from '../helpers/fixture';
import { isTemplateText } from '../../server/src/core/parse/reader';

function summarize(text: string, uri = 'file:///f.yaml') {
  return summarizeFile(uri, dedent(text), DEFAULT_SETTINGS);
}

describe('parsing manifests', () => {
  test('multi-document streams keep every object with its own ranges', () => {
    const summary = summarize(`
      apiVersion: v1
      kind: Service
      metadata:
        name: a
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: b
    `);
    assert.equal(summary.role, 'manifests');
    assert.deepEqual(summary.resources.map((r) => [r.name?.value, r.anchor.start.line]), [['a', 3], ['b', 8]]);
  });

  test('kind: List and typed *List items are objects', () => {
    const summary = summarize(`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: Service
          metadata:
            name: a
        - apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: b
    ---
      apiVersion: v1
      kind: ServiceList
      items:
        - apiVersion: v1
          kind: Service
          metadata:
            name: c
    `.replace('\n    ---', '\n      ---'));
    assert.deepEqual(summary.resources.map((r) => `${r.kind}/${r.name?.value}`), ['Service/a', 'Deployment/b', 'Service/c']);
  });

  test('flow-style (JSON-like) YAML is read like block style', () => {
    const summary = summarize(`
      { "apiVersion": "v1", "kind": "Service", "metadata": { "name": "web" },
        "spec": { "selector": { "app": "web" }, "ports": [ { "port": 80, "targetPort": "http" } ] } }
    `);
    const service = summary.resources[0] as Service;
    assert.equal(service.type, 'service');
    assert.deepEqual(service.selector?.entries.map((e) => `${e.key}=${e.value}`), ['app=web']);
    assert.equal(service.ports[0].targetPort?.unknown ? undefined : service.ports[0].targetPort?.value, 'http');
  });

  test('API defaults are applied: type ClusterIP, protocol TCP, targetPort = port', () => {
    const service = summarize(`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
          - port: 8080
    `).resources[0] as Service;
    assert.equal(service.serviceType.value, 'ClusterIP');
    assert.equal(service.ports[0].protocol.value, 'TCP');
    const target = service.ports[0].targetPort;
    assert.ok(target && !target.unknown);
    assert.equal(target.value, 8080);
    assert.equal(target.defaulted, true);
  });

  test('anchors, aliases and merge keys are followed', () => {
    const workload = summarize(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: &labels
          app: web
      spec:
        selector:
          matchLabels: *labels
        template:
          metadata:
            labels:
              <<: *labels
              tier: front
          spec:
            containers: []
    `).resources[0] as Workload;
    assert.deepEqual(workload.selector?.matchLabels.map((e) => e.key), ['app']);
    assert.deepEqual(workload.template?.labels.entries.map((e) => `${e.key}=${e.value}`), ['app=web', 'tier=front']);
  });

  test('files that are not Kubernetes manifests are left alone', () => {
    const workflow = summarize(`
      name: CI
      on: [push]
      jobs:
        test:
          runs-on: ubuntu-latest
    `, 'file:///.github/workflows/ci.yaml');
    const compose = summarize(`
      services:
        web:
          image: nginx
          ports: ["8080:80"]
    `, 'file:///docker-compose.yml');
    const values = summarize(`
      replicaCount: 1
      service:
        type: ClusterIP
        port: 80
    `, 'file:///chart/values.yaml');
    for (const summary of [workflow, compose, values]) {
      assert.equal(summary.role, 'other');
      assert.equal(summary.resources.length, 0);
    }
  });

  test('broken YAML that is not a manifest is left alone; a broken manifest reports yaml-syntax', () => {
    assert.equal(summarize('foo: [unclosed\n').role, 'other');
    const broken = summarize('apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n');
    assert.equal(broken.role, 'manifests');
    assert.ok(broken.syntaxProblems.length > 0);
  });

  test('kustomization files are recognised; the patches they name are not checked as objects', () => {
    checkFindings(`
#- /base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
patches:
  - path: patch-replicas.yaml
patchesStrategicMerge:
  - ../overlay/patch-image.yaml
#- /base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web
#- /base/patch-replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
#- /overlay/patch-image.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:2
`);
  });
});

describe('kustomize', () => {
  test('commonLabels are added to selectors and pod templates, namespace to every object', () => {
    checkFindings(`
#- /grafana/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: monitoring
commonLabels:
  app.kubernetes.io/name: grafana
resources:
  - deployment.yaml
  - service.yaml
#- /grafana/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: grafana
spec:
  template:
    spec:
      containers:
        - name: grafana
          image: grafana
          ports:
            - containerPort: 3000
#- /grafana/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: grafana
spec:
  ports:
    - port: 3000
#- /grafana/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: grafana
  namespace: monitoring
spec:
  defaultBackend:
    service:
      name: grafana
      port:
        number: 3000
`);
  });

  test('without the kustomization the same files are wrong, and fixing it re-checks them', () => {
    const workspace = new Workspace();
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: g\nspec:\n  template:\n    spec:\n      containers:\n        - name: g\n          image: g\n';
    workspace.update([{ uri: 'file:///k/deployment.yaml', text: deployment }]);
    assert.deepEqual(workspace.findings('file:///k/deployment.yaml').map((f) => f.rule), ['workload-selector-mismatch']);
    const result = workspace.setFile('file:///k/kustomization.yaml', 'commonLabels:\n  app: g\nresources:\n  - deployment.yaml\n');
    assert.ok(result.affectedUris.includes('file:///k/deployment.yaml'));
    assert.deepEqual(workspace.findings('file:///k/deployment.yaml'), []);
    workspace.removeFile('file:///k/kustomization.yaml');
    assert.deepEqual(workspace.findings('file:///k/deployment.yaml').map((f) => f.rule), ['workload-selector-mismatch']);
  });
});

describe('Helm and Go templates', () => {
  test('a template that is not valid YAML before rendering is skipped without findings', () => {
    const summary = summarize(`
      apiVersion: v1
      kind: Service
      metadata:
        name: {{ include "chart.fullname" . }}
      spec:
        {{- if .Values.service.nodePort }}
        type: NodePort
        {{- end }}
        selector:
          {{- include "chart.selectorLabels" . | nindent 4 }}
    `, 'file:///chart/templates/service.yaml');
    assert.equal(summary.role, 'template');
    assert.equal(summary.syntaxProblems.length, 0);
  });

  test('a file under templates/ is a template even when it happens to parse', () => {
    const summary = summarize(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: "{{ .Release.Name }}"
    `, 'file:///chart/templates/cm.yaml');
    assert.equal(summary.role, 'template');
  });

  test('envsubst-style ${VAR} placeholders are unknown values too', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: \${APP}-service
spec:
  selector:
    app: \${APP}
  ports:
    - port: \${PORT}
      targetPort: \${PORT}
`);
  });

  test('placeholders in otherwise valid manifests make only those values unknown', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: "{{ .Values.app }}"
  ports:
    - port: 80
      targetPort: "{{ .Values.port }}"
      nodePort: 3000
      #         ^^^^ error nodeport-out-of-range
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: "{{ .Values.backend }}"
      port:
        number: 80
`);
  });
});

describe('fill-in markers', () => {
  test('a <marker> between separators is a placeholder; one glued to letters is text', () => {
    for (const text of ['<service-name>', 'gcr.io/<project>/app', '<name>-svc', 'https://<host>:8080/', '$(SERVICE_NAME)', '${HOST:-example.com}', '$MY_HOST']) assert.ok(isTemplateText(text), text);
    for (const text of ['evil<script>alert(1)</script>', 'a<b>c', 'x < y', 'web', '$lower', '<>']) assert.ok(!isTemplateText(text), text);
  });
});

describe('bad input never crashes or hangs', () => {
  test('binary and oversized files are skipped with a reason', () => {
    assert.equal(summarize('\u0000\u0001\u0002apiVersion: v1').skippedReason, 'binary content');
    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(DEFAULT_SETTINGS.maxFileSize)}"\n`;
    const summary = summarizeFile('file:///huge.yaml', huge, DEFAULT_SETTINGS);
    assert.equal(summary.role, 'other');
    assert.match(summary.skippedReason ?? '', /larger than/);
  });

  test('an alias bomb is parsed without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  labels: *l\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const started = Date.now();
    const workspace = new Workspace();
    workspace.setFile('file:///bomb.yaml', text);
    workspace.findings('file:///bomb.yaml');
    assert.ok(Date.now() - started < 5000, 'alias bomb took too long');
  });

  /** A workspace of `text` next to a healthy file, and what each reports. */
  function withNeighbour(text: string): { findings: string[]; neighbour: string[] } {
    const workspace = new Workspace();
    workspace.update([
      { uri: 'file:///ws/bad.yaml', text },
      { uri: 'file:///ws/ok.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  ports:\n    - port: 0\n' },
    ]);
    return { findings: workspace.findings('file:///ws/bad.yaml').map((f) => `${f.rule} ${f.message}`), neighbour: workspace.findings('file:///ws/ok.yaml').map((f) => f.rule) };
  }

  test('a map that merges itself is a yaml-syntax error; the neighbour is checked', { timeout: 20_000 }, () => {
    const result = withNeighbour('apiVersion: v1\nkind: Service\nmetadata: &m {<<: *m, name: a}\nspec: {ports: [{port: 80}]}\n');
    assert.ok(result.findings.some((f) => /^yaml-syntax A `<<` merge key merges a map into itself .*anchor value contains itself/.test(f)), result.findings.join('\n'));
    assert.deepEqual(result.neighbour, ['port-invalid']);
  });

  test('merge chains that double at every level are expanded once per map, within the budget', { timeout: 20_000 }, () => {
    let chain = 'apiVersion: v1\nkind: ConfigMap\nl0: &l0 {a: 1, b: 2}\n';
    for (let i = 1; i <= 24; i++) chain += `l${i}: &l${i} {<<: [*l${i - 1}, *l${i - 1}], k${i}: ${i}}\n`;
    chain += 'metadata: {<<: *l24, name: chain}\n';
    const documents = Array.from({ length: 40 }, (_, d) => chain.replace('name: chain', `name: chain${d}`)).join('---\n');
    const result = withNeighbour(documents);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.neighbour, ['port-invalid']);
    // The expanded pairs are what YAML says: the name is found through 24 levels of merges.
    const workspace = new Workspace();
    workspace.setFile('file:///c.yaml', chain.replace('metadata: {<<: *l24, name: chain}', 'metadata: {<<: *l24}\nx: {name: y}').replace('l0: &l0 {a: 1, b: 2}', 'l0: &l0 {a: 1, name: deep}'));
    assert.deepEqual(workspace.allResources().map((r) => r.name?.value), ['deep']);
  });

  test('50,000 aliases to one anchor and 50,000 keys in one mapping are read in linear time', { timeout: 30_000 }, () => {
    let aliases = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: many, labels: {app: &a web}}\ndata:\n';
    for (let i = 0; i < 50_000; i++) aliases += `  k${i}: *a\n`;
    assert.deepEqual(withNeighbour(aliases), { findings: [], neighbour: ['port-invalid'] });
    let keys = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys}\ndata:\n';
    for (let i = 0; i < 50_000; i++) keys += `  k${i}: v\n`;
    assert.deepEqual(withNeighbour(keys), { findings: [], neighbour: ['port-invalid'] });
  });

  test('deeply nested documents give a yaml-syntax diagnostic or nothing', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'['.repeat(50000)}${']'.repeat(50000)}\n`;
    const workspace = new Workspace();
    workspace.setFile('file:///deep.yaml', deep);
    const findings = workspace.findings('file:///deep.yaml');
    assert.ok(findings.every((f) => f.rule === 'yaml-syntax'));
  });

  test('random mutations of a manifest never throw', () => {
    const base = dedent(`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        type: NodePort
        selector: { app: web }
        ports:
          - { name: http, port: 80, targetPort: http, nodePort: 30080 }
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: { name: web, annotations: { nginx.ingress.kubernetes.io/rewrite-target: /$1 } }
      spec:
        rules:
          - host: a.test
            http: { paths: [ { path: /(.*), pathType: Prefix, backend: { service: { name: web, port: { name: http } } } } ] }
    `);
    const alphabet = ['\n', ' ', ':', '-', '[', ']', '{', '}', '&a', '*a', '"', "'", '#', '---', '{{', 'x', '0', '|'];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const workspace = new Workspace();
    for (let i = 0; i < 300; i++) {
      let text = base;
      for (let j = 0; j < 1 + random(4); j++) {
        const at = random(text.length);
        const cut = random(3);
        text = text.slice(0, at) + alphabet[random(alphabet.length)] + text.slice(at + cut);
      }
      workspace.setFile(`file:///m${i % 7}.yaml`, text);
      for (const uri of workspace.uris()) workspace.findings(uri);
    }
  });
});

describe('unresolved aliases', () => {
  test('an unquoted wildcard host is an alias to a missing anchor: a yaml-syntax error, not a silent catch-all', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: wild
spec:
  rules:
    - host: *.example.com
      #     ^^^^^^^^^^^^^ error yaml-syntax ~ quote it
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              resource:
                kind: Bucket
                name: b
`);
  });

  test('in a flow collection too; `(.*)` and `/*` are text, not aliases', () => {
    checkFindings(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: paths
data:
  regex: /api(/.*)
  glob: /static/*
  list: [a, *nowhere]
  #         ^^^^^^^^ error yaml-syntax ~ Unknown anchor \`nowhere\`
`);
  });
});

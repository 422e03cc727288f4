/**
 * Kustomize builds (server/src/core/kustomize/*.ts): root kustomizations are built like
 * `kustomize build` and their objects, not the files of their bases, are checked. Positive and
 * negative cases for prefixes, namespaces, labels, components, patches (strategic merge, JSON
 * 6902, inline), replicas, cycles, remote resources, duplicates, and incremental edits.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, effectiveSeverity } from '../../server/src/core';
import type { Finding, Resource } from '../../server/src/core';
import { allFindings, checkFindings, workspaceOf } from '../helpers/check';
import { fileUri, parseFixture } from '../helpers/fixture';

// ── shared fixture parts ─────────────────────────────────────────────────────────────────────

const deploymentYaml = `apiVersion: apps/v1
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
          image: example/web:1.0
          ports:
            - name: http
              containerPort: 8080
`;

const serviceYaml = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
`;

const ingressYaml = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
`;

const hpaYaml = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 5
`;

/** A base with a Deployment, a Service, an Ingress and an HPA, one file each. */
const base = `
#- /k/base/kustomization.yaml
resources:
  - deployment.yaml
  - service.yaml
  - ingress.yaml
  - hpa.yaml
#- /k/base/deployment.yaml
${deploymentYaml}
#- /k/base/service.yaml
${serviceYaml}
#- /k/base/ingress.yaml
${ingressYaml}
#- /k/base/hpa.yaml
${hpaYaml}`;

const devOverlay = `
#- /k/overlays/dev/kustomization.yaml
resources: [../../base]
namePrefix: dev-
`;

const overlays = `${devOverlay}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
namePrefix: prod-
`;

const root = (path: string) => fileUri(`${path}/kustomization.yaml`);

/** The built copies of the objects written in a file, by build root. */
function copies(ws: Workspace, path: string, kind?: string): Resource[] {
  return ws.resourcesOf(fileUri(path)).filter((r) => kind === undefined || r.kind === kind);
}

function copyIn(ws: Workspace, path: string, kind: string, build: string): Resource {
  const found = copies(ws, path, kind).filter((r) => r.build?.root === root(build));
  assert.equal(found.length, 1, `expected one ${kind} of ${path} in the build of ${build}, found ${found.length}`);
  return found[0];
}

function render(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => `${f.uri.replace('file://', '')}:${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${effectiveSeverity(f, {})} ${f.rule}: ${f.message}`)
    .sort();
}

function assertSameAsFresh(ws: Workspace, files: ReadonlyMap<string, string>, context: string): void {
  const fresh = new Workspace();
  fresh.update([...files].map(([uri, text]) => ({ uri, text })));
  assert.deepEqual(ws.uris(), fresh.uris(), context);
  for (const uri of fresh.uris()) {
    assert.deepEqual(render(ws.findings(uri)), render(fresh.findings(uri)), `${context}: findings of ${uri} differ from a fresh analysis`);
    const links = (w: Workspace) => w.links(uri).map((l) => `${l.sourceId} ${l.kind} ${l.status} ${l.text} -> ${l.targets.map((t) => t.resourceId).sort().join(',')}`).sort();
    assert.deepEqual(links(ws), links(fresh), `${context}: links of ${uri} differ from a fresh analysis`);
  }
}

// ── namePrefix and name references ───────────────────────────────────────────────────────────

describe('a base with two overlays using namePrefix', () => {
  test('everything resolves: no findings', () => {
    checkFindings(`${base}${overlays}`);
  });

  test('the base files are not checked on their own: every object is a copy of a build', () => {
    const ws = workspaceOf(parseFixture(`${base}${overlays}`));
    const services = copies(ws, '/k/base/service.yaml');
    assert.deepEqual(services.map((s) => `${s.name?.value} ${ws.unitOf(s)}`).sort(), [
      `dev-web build:${root('/k/overlays/dev')}`,
      `prod-web build:${root('/k/overlays/prod')}`,
    ]);
    for (const file of ['deployment', 'service', 'ingress', 'hpa']) {
      const objects = copies(ws, `/k/base/${file}.yaml`);
      assert.equal(objects.length, 2, file);
      assert.ok(objects.every((r) => r.build !== undefined && ws.unitOf(r).startsWith('build:')), `${file} is checked outside the builds`);
    }
    // Negative: without overlays the base itself is the build.
    const alone = workspaceOf(parseFixture(base));
    assert.deepEqual(copies(alone, '/k/base/service.yaml').map((r) => `${r.name?.value} ${alone.unitOf(r)}`), [`web build:${root('/k/base')}`]);
  });

  test('Ingress backends follow the renamed Service of their own build', () => {
    const ws = workspaceOf(parseFixture(`${base}${overlays}`));
    for (const overlay of ['dev', 'prod']) {
      const ingress = copyIn(ws, '/k/base/ingress.yaml', 'Ingress', `/k/overlays/${overlay}`);
      const service = copyIn(ws, '/k/base/service.yaml', 'Service', `/k/overlays/${overlay}`);
      const link = ws.linksFrom(ingress.id).find((l) => l.kind === 'ingress-service');
      assert.equal(link?.status, 'resolved');
      assert.equal(link?.text, `${overlay}-web`);
      assert.deepEqual(link?.targets.map((t) => t.resourceId), [service.id]);
      assert.equal(link?.far, undefined);
    }
  });

  test('HPA targets follow the renamed Deployment of their own build', () => {
    const ws = workspaceOf(parseFixture(`${base}${overlays}`));
    for (const overlay of ['dev', 'prod']) {
      const hpa = copyIn(ws, '/k/base/hpa.yaml', 'HorizontalPodAutoscaler', `/k/overlays/${overlay}`);
      const deployment = copyIn(ws, '/k/base/deployment.yaml', 'Deployment', `/k/overlays/${overlay}`);
      const link = ws.linksFrom(hpa.id).find((l) => l.kind === 'hpa-target');
      assert.equal(link?.text, `Deployment/${overlay}-web`);
      assert.deepEqual(link?.targets.map((t) => t.resourceId), [deployment.id]);
    }
  });

  test('nameSuffix: references follow too', () => {
    const fixture = `${base}
#- /k/overlays/v2/kustomization.yaml
resources: [../../base]
nameSuffix: -v2
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const hpa = copyIn(ws, '/k/base/hpa.yaml', 'HorizontalPodAutoscaler', '/k/overlays/v2');
    assert.equal(ws.linksFrom(hpa.id).find((l) => l.kind === 'hpa-target')?.text, 'Deployment/web-v2');
    const ingress = copyIn(ws, '/k/base/ingress.yaml', 'Ingress', '/k/overlays/v2');
    assert.equal(ws.linksFrom(ingress.id).find((l) => l.kind === 'ingress-service')?.text, 'web-v2');
  });

  test('an Ingress added by the overlay that names the base Service by its original name is renamed too', () => {
    const fixture = `${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base, admin-ingress.yaml]
namePrefix: prod-
#- /k/overlays/prod/admin-ingress.yaml
${ingressYaml.replace('name: web\nspec', 'name: admin\nspec').replace('web.example.com', 'admin.example.com')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const [admin] = ws.resourcesOf(fileUri('/k/overlays/prod/admin-ingress.yaml'));
    assert.equal(admin.name?.value, 'prod-admin');
    assert.equal(ws.linksFrom(admin.id).find((l) => l.kind === 'ingress-service')?.text, 'prod-web');
  });

  test('a reference to a name the base does not define is still missing after the prefix', () => {
    checkFindings(`${base.replace('                name: web\n', '                name: api\n')}${overlays}`.replace(
      '                name: api\n',
      '                name: api\n                #     ^^^ error ingress-backend-service-missing ~ Service `api`\n',
    ), { only: ['ingress-backend-service-missing'] });
  });

  test('a finding in the base that only one overlay breaks names that overlay', () => {
    const findings = checkFindings(`${base}${devOverlay}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
namePrefix: prod-
patches:
  - path: rename-port.yaml
#- /k/overlays/prod/rename-port.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: web
              containerPort: 8080
`.replace('      targetPort: http\n', '      targetPort: http\n      #           ^^^^ error service-target-port-unresolved ~ (in the kustomize build of `/k/overlays/prod`)\n'));
    assert.equal(findings.length, 1);
    assert.doesNotMatch(findings[0].message, /overlays\/dev/);
    assert.match(findings[0].message, /Service `prod-web`/);
  });

  test('a finding that every overlay has is shown once, without naming overlays', () => {
    const findings = checkFindings(`${base.replace('      targetPort: http\n', '      targetPort: htp\n      #           ^^^ error service-target-port-unresolved ~ did you mean `http`?\n')}${overlays}`);
    assert.equal(findings.length, 1);
    assert.doesNotMatch(findings[0].message, /kustomize build/);
  });

  test('a finding that every overlay has names the object as written, not the renamed copy of one overlay', () => {
    const [finding] = allFindings(workspaceOf(parseFixture(`${base.replace('      targetPort: http\n', '      targetPort: htp\n')}${overlays}`)));
    assert.equal(finding?.rule, 'service-target-port-unresolved');
    assert.doesNotMatch(finding.message, /`(dev|prod)-web`/, 'the message shown for every overlay names the copy of one of them');
  });

  test('a finding in two of three overlays names both', () => {
    const port = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: web
              containerPort: 8080
`;
    const [finding] = checkFindings(`${base}
#- /k/overlays/dev/kustomization.yaml
resources: [../../base]
#- /k/overlays/qa/kustomization.yaml
resources: [../../base]
patches: [{ path: port.yaml }]
#- /k/overlays/qa/port.yaml
${port}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches: [{ path: port.yaml }]
#- /k/overlays/prod/port.yaml
${port}`.replace('      targetPort: http\n', '      targetPort: http\n      #           ^^^^ error service-target-port-unresolved\n'));
    assert.match(finding.message, /\(in the kustomize build of `\/k\/overlays\/prod`, the kustomize build of `\/k\/overlays\/qa`\)$/);
  });
});

describe('stacked prefixes: an overlay of overlays (kustomize examples/multibases)', () => {
  const multibases = (devPrefix: string, stagingPrefix: string) => `${base}
#- /k/dev/kustomization.yaml
resources: [../base]
${devPrefix}
#- /k/staging/kustomization.yaml
resources: [../base]
${stagingPrefix}
#- /k/cluster/kustomization.yaml
resources: [../dev, ../staging]
namePrefix: cluster-a-
`;

  test('names stack from the inside out and references follow the copy of the same branch', () => {
    const fixture = multibases('namePrefix: dev-', 'namePrefix: staging-');
    // Both copies of the Ingress claim the same host and path in the one build (as in kustomize's example).
    const [conflict] = checkFindings(fixture.replace('          - path: /\n', '          - path: /\n          #       ^ warning ingress-path-conflict ~ Ingress `cluster-a-\n'));
    assert.match(conflict.message, /Ingress `cluster-a-(dev|staging)-web`/);
    const ws = workspaceOf(parseFixture(fixture));
    const services = copies(ws, '/k/base/service.yaml').map((s) => s.name?.value).sort();
    assert.deepEqual(services, ['cluster-a-dev-web', 'cluster-a-staging-web']);
    // Only the outermost kustomization is built.
    assert.deepEqual([...ws.kustomizeBuilds().keys()], [root('/k/cluster')]);
    for (const branch of ['dev', 'staging']) {
      const ingress = copies(ws, '/k/base/ingress.yaml').find((r) => r.build?.chain.includes(root(`/k/${branch}`)));
      assert.ok(ingress);
      assert.equal(ingress.name?.value, `cluster-a-${branch}-web`);
      const link = ws.linksFrom(ingress.id).find((l) => l.kind === 'ingress-service');
      assert.equal(link?.text, `cluster-a-${branch}-web`);
      const target = ws.resource(link!.targets[0].resourceId);
      assert.ok(target?.build?.chain.includes(root(`/k/${branch}`)), `the ${branch} Ingress routes to the Service of another branch`);
    }
  });

  test('negative: without the inner prefixes the base is included twice under one name: kustomize refuses to build', () => {
    const findings = allFindings(workspaceOf(parseFixture(multibases('', '')))).filter((f) => f.rule === 'duplicate-resource');
    // Deployment, Service, Ingress and HPA each come twice; the two copies of one object are one location.
    assert.deepEqual(findings.map((f) => f.uri.replace('file://', '')).sort(), ['/k/base/deployment.yaml', '/k/base/hpa.yaml', '/k/base/ingress.yaml', '/k/base/service.yaml']);
    assert.ok(findings.every((f) => f.message.includes('the kustomize build of `/k/cluster` includes it 2 times')), findings.map((f) => f.message).join('\n'));
  });
});

// ── namespace, labels, components ───────────────────────────────────────────────────────────

describe('namespace override', () => {
  test('every namespaced object of the build moves, also those written with another namespace; cluster-scoped objects do not', () => {
    const fixture = `${base}
#- /k/overlays/shop/kustomization.yaml
resources: [../../base, extra.yaml]
namespace: shop
#- /k/overlays/shop/extra.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-admin
  namespace: other
spec:
  selector:
    app: web
  ports:
    - port: 81
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(ws.resourcesOf(fileUri('/k/overlays/shop/extra.yaml')).map((r) => `${r.kind} ${r.namespace}`), ['Service shop', 'IngressClass ']);
    assert.equal(copyIn(ws, '/k/base/deployment.yaml', 'Deployment', '/k/overlays/shop').namespace, 'shop');
  });

  test('negative: without the override the Service written in namespace `other` selects nothing', () => {
    checkFindings(`${base}
#- /k/overlays/shop/kustomization.yaml
resources: [../../base, extra.yaml]
#- /k/overlays/shop/extra.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-admin
  namespace: other
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing ~ namespace \`other\`
    app: web
  ports:
    - port: 81
      targetPort: http
`);
  });

  test('two overlays in two namespaces: the same Ingress path is no conflict, and each copy resolves in its namespace', () => {
    const fixture = `${base}
#- /k/overlays/a/kustomization.yaml
resources: [../../base]
namespace: team-a
#- /k/overlays/b/kustomization.yaml
resources: [../../base]
namespace: team-b
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const ingress = copyIn(ws, '/k/base/ingress.yaml', 'Ingress', '/k/overlays/b');
    const link = ws.linksFrom(ingress.id).find((l) => l.kind === 'ingress-service');
    assert.equal(ws.resource(link!.targets[0].resourceId)?.namespace, 'team-b');
  });
});

describe('commonLabels and labels', () => {
  test('commonLabels go into Service selectors, workload selectors and pod templates: the build still matches', () => {
    const fixture = `${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
commonLabels:
  env: prod
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const service = copyIn(ws, '/k/base/service.yaml', 'Service', '/k/overlays/prod');
    const deployment = copyIn(ws, '/k/base/deployment.yaml', 'Deployment', '/k/overlays/prod');
    assert.equal(service.type, 'service');
    assert.equal(deployment.type, 'workload');
    if (service.type !== 'service' || deployment.type !== 'workload') return;
    assert.deepEqual(service.selector?.entries.map((e) => `${e.key}=${e.value}`), ['app=web', 'env=prod']);
    assert.deepEqual(deployment.selector?.matchLabels.map((e) => `${e.key}=${e.value}`), ['app=web', 'env=prod']);
    assert.deepEqual(deployment.template?.labels.entries.map((e) => `${e.key}=${e.value}`), ['app=web', 'env=prod']);
  });

  test('commonLabels also reach the selector of a Service whose pods are not in the build: it then selects nothing', () => {
    const withLabels = (labels: string) => `
#- /k/svc-only/kustomization.yaml
resources: [svc.yaml]
${labels}
#- /k/svc-only/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  selector:
    app: ext
  ports:
    - port: 80
#- /k/plain/ext.yaml
${deploymentYaml.replace(/web/g, 'ext')}`;
    const only = { only: ['service-selects-nothing'] };
    const [finding] = checkFindings(`${withLabels('commonLabels:\n  env: prod')}`.replace('  selector:\n    app: ext\n  ports', '  selector:\n# ^^^^^^^^ information service-selects-nothing ~ `app=ext, env=prod`\n    app: ext\n  ports'), only);
    assert.ok(finding);
    checkFindings(withLabels(''), only);
  });

  test('labels without includeSelectors change metadata only; includeTemplates reaches the pods but not the selectors', () => {
    const fixture = `${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
labels:
  - pairs:
      owner: shop
  - pairs:
      tier: frontend
    includeTemplates: true
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const service = copyIn(ws, '/k/base/service.yaml', 'Service', '/k/overlays/prod');
    const deployment = copyIn(ws, '/k/base/deployment.yaml', 'Deployment', '/k/overlays/prod');
    if (service.type !== 'service' || deployment.type !== 'workload') return assert.fail('wrong types');
    assert.deepEqual(service.selector?.entries.map((e) => e.key), ['app']);
    assert.deepEqual(deployment.selector?.matchLabels.map((e) => e.key), ['app']);
    assert.deepEqual(deployment.template?.labels.entries.map((e) => e.key).sort(), ['app', 'tier']);
    assert.deepEqual(service.labels?.entries.map((e) => e.key).sort(), ['owner', 'tier']);
  });

  test('a Service of another build selecting the tier label that includeTemplates added finds the pods', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base, tier.yaml]
labels:
  - pairs:
      tier: frontend
    includeTemplates: true
#- /k/overlays/prod/tier.yaml
apiVersion: v1
kind: Service
metadata:
  name: frontend
spec:
  selector:
    tier: frontend
  ports:
    - port: 80
      targetPort: http
`);
  });
});

describe('components', () => {
  const component = (withPatch: boolean) => `${base}
#- /k/components/metrics/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [service.yaml]
${withPatch ? 'patches:\n  - path: port.yaml' : ''}
#- /k/components/metrics/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: metrics
spec:
  selector:
    app: web
  ports:
    - name: metrics
      port: 9090
      targetPort: metrics
#- /k/components/metrics/port.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: metrics
              containerPort: 9090
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
components: [../../components/metrics]
`;

  test('a component adds a Service and patches the base Deployment with the port it targets', () => {
    const fixture = component(true);
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    // The component is not a build of its own; its Service is part of the overlay's build.
    assert.deepEqual([...ws.kustomizeBuilds().keys()], [root('/k/overlays/prod')]);
    assert.equal(ws.unitOf(copyIn(ws, '/k/components/metrics/service.yaml', 'Service', '/k/overlays/prod')), `build:${root('/k/overlays/prod')}`);
    assert.equal(ws.resourcesOf(fileUri('/k/components/metrics/port.yaml')).length, 0);
  });

  test('negative: without the component\'s patch the port it targets does not exist', () => {
    checkFindings(component(false).replace('      targetPort: metrics\n', '      targetPort: metrics\n      #           ^^^^^^^ error service-target-port-unresolved\n'));
  });
});

// ── patches ─────────────────────────────────────────────────────────────────────────────────

describe('strategic-merge patches', () => {
  test('adding a container port that a Service of the overlay targets', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base, admin.yaml]
patchesStrategicMerge:
  - admin-port.yaml
#- /k/overlays/prod/admin.yaml
apiVersion: v1
kind: Service
metadata:
  name: admin
spec:
  selector:
    app: web
  ports:
    - port: 9000
      targetPort: admin
#- /k/overlays/prod/admin-port.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: admin
              containerPort: 9000
`);
  });

  test('negative: a patch that names another container adds a container without the port', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base, admin.yaml]
patchesStrategicMerge:
  - admin-port.yaml
#- /k/overlays/prod/admin.yaml
apiVersion: v1
kind: Service
metadata:
  name: admin
spec:
  selector:
    app: web
  ports:
    - port: 9000
      targetPort: admin
      #           ^^^^^ error service-target-port-unresolved
#- /k/overlays/prod/admin-port.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-other
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: admin
              containerPort: 9000
`);
  });

  test('changing a Service targetPort: the finding points into the patch file, and so does its quick fix', () => {
    const [finding] = checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - path: target-port.yaml
#- /k/overlays/prod/target-port.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      targetPort: htp
      #           ^^^ error service-target-port-unresolved ~ did you mean \`http\`?
`);
    assert.deepEqual(finding.replacements?.map((r) => [r.uri, r.range.start.line, r.newText]), [[fileUri('/k/overlays/prod/target-port.yaml'), 7, 'http']]);
  });

  test('changing a Service targetPort to a port the pods declare fixes a base finding in that overlay only', () => {
    const [finding] = checkFindings(`${base.replace('      targetPort: http\n', '      targetPort: htp\n      #           ^^^ error service-target-port-unresolved ~ (in the kustomize build of `/k/overlays/dev`)\n')}
#- /k/overlays/dev/kustomization.yaml
resources: [../../base]
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - path: target-port.yaml
#- /k/overlays/prod/target-port.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      targetPort: http
`);
    assert.doesNotMatch(finding.message, /prod/);
  });

  test('`$patch: delete` of a container port: the Service of that overlay loses its endpoints', () => {
    checkFindings(`${base.replace('      targetPort: http\n', '      targetPort: http\n      #           ^^^^ error service-target-port-unresolved ~ (in the kustomize build of `/k/overlays/slim`)\n')}
#- /k/overlays/full/kustomization.yaml
resources: [../../base]
#- /k/overlays/slim/kustomization.yaml
resources: [../../base]
patches:
  - path: drop-port.yaml
#- /k/overlays/slim/drop-port.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - containerPort: 8080
              $patch: delete
`);
  });

  test('`- $patch: replace` in a list replaces the whole list (Kubernetes strategic merge), it adds no empty item', () => {
    // The directive item is no port: no port-invalid. The old port is gone: the Service's `http` no longer resolves.
    checkFindings(`${base.replace('      targetPort: http\n', '      targetPort: http\n      #           ^^^^ error service-target-port-unresolved ~ no container of the selected pods declares\n')}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - path: replace-ports.yaml
#- /k/overlays/prod/replace-ports.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - $patch: replace
            - name: web
              containerPort: 8081
`);
  });

  test('an inline patch written as a string of patchesStrategicMerge: the finding points into the kustomization file', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patchesStrategicMerge:
  - |-
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      ports:
        - port: 80
          targetPort: htp
          #           ^^^ error service-target-port-unresolved ~ did you mean \`http\`?
`);
  });

  test('`$patch: delete` of a whole object removes it from the build (no node port conflict left)', () => {
    const nodePort = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
      nodePort: 30080
`;
    const fixture = (patch: string) => `${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base, legacy.yaml, new.yaml]
${patch}
#- /k/overlays/prod/legacy.yaml
${nodePort('legacy')}
#- /k/overlays/prod/new.yaml
${nodePort('new')}`;
    const ws = workspaceOf(parseFixture(fixture(`patches:
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata:
        name: legacy
      $patch: delete`)));
    assert.deepEqual(allFindings(ws).map((f) => f.rule), []);
    assert.equal(ws.resourcesOf(fileUri('/k/overlays/prod/legacy.yaml')).length, 0);
    // Negative: without the delete both Services of the build claim the node port.
    const findings = allFindings(workspaceOf(parseFixture(fixture(''))));
    assert.deepEqual(findings.map((f) => f.rule), ['nodeport-duplicate', 'nodeport-duplicate']);
  });

  test('`$patch: delete` of the Service an Ingress of the build routes to: it no longer resolves inside the build', () => {
    const ws = workspaceOf(parseFixture(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      $patch: delete
`));
    assert.equal(copies(ws, '/k/base/service.yaml').length, 0);
    const [finding] = allFindings(ws).filter((f) => f.rule === 'ingress-backend-service-missing');
    assert.ok(finding, 'the Ingress of the build routes to a deleted Service');
    assert.equal(finding.uri, fileUri('/k/base/ingress.yaml'));
  });
});

describe('JSON 6902 patches', () => {
  test('`op: replace path: /kind value: Job`: the Deployment is gone from that build, its HPA target is missing', () => {
    // Information: the build defines no workload any more, so the target may be defined elsewhere.
    checkFindings(`${base.replace('    name: web\n  minReplicas', '    name: web\n    #     ^^^ information hpa-target-missing ~ has no such workload\n  minReplicas')}
#- /k/overlays/batch/kustomization.yaml
resources: [../../base]
patchesJson6902:
  - target:
      group: apps
      version: v1
      kind: Deployment
      name: web
    path: to-job.yaml
#- /k/overlays/batch/to-job.yaml
- op: replace
  path: /kind
  value: Job
`, { only: ['hpa-target-missing'] });
  });

  test('the replaced kind is read: the object of the build is a Job, not a Deployment', () => {
    const ws = workspaceOf(parseFixture(`${base}
#- /k/overlays/batch/kustomization.yaml
resources: [../../base]
patches:
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: replace
        path: /kind
        value: Job
`));
    assert.deepEqual(copies(ws, '/k/base/deployment.yaml').map((r) => r.kind), ['Job']);
  });

  test('negative: a JSON patch whose target matches nothing changes nothing', () => {
    checkFindings(`${base}
#- /k/overlays/batch/kustomization.yaml
resources: [../../base]
patches:
  - target: {kind: Deployment, name: api}
    patch: |-
      - op: replace
        path: /kind
        value: Job
`);
  });

  test('a JSON patch of a targetPort: the finding points into the patch file', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - target: {version: v1, kind: Service, name: web}
    path: ops.yaml
#- /k/overlays/prod/ops.yaml
- op: replace
  path: /spec/ports/0/targetPort
  value: htp
  #      ^^^ error service-target-port-unresolved ~ did you mean \`http\`?
`);
  });

  test('a failing `test` operation (another value) makes the whole patch fail: nothing is applied', () => {
    const ws = workspaceOf(parseFixture(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - target: {kind: Deployment}
    patch: |-
      - op: test
        path: /metadata/name
        value: api
      - op: replace
        path: /kind
        value: Job
`));
    assert.deepEqual(copies(ws, '/k/base/deployment.yaml').map((r) => r.kind), ['Deployment']);
  });

  test('negative: a passing `test` operation lets the patch apply', () => {
    const ws = workspaceOf(parseFixture(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - target: {kind: Deployment}
    patch: |-
      - op: test
        path: /metadata/name
        value: web
      - op: replace
        path: /kind
        value: Job
`));
    assert.deepEqual(copies(ws, '/k/base/deployment.yaml').map((r) => r.kind), ['Job']);
  });

  test('an operation on a path that does not exist leaves the object as it was', () => {
    const ws = workspaceOf(parseFixture(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: replace
        path: /spec/nothing/here
        value: 1
      - op: replace
        path: /kind
        value: Job
`));
    assert.deepEqual(copies(ws, '/k/base/deployment.yaml').map((r) => r.kind), ['Deployment']);
    assert.deepEqual(allFindings(ws), []);
  });
});

describe('inline patches', () => {
  test('an inline strategic patch (`patch: |-`): the finding points into the kustomization file', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
          - port: 80
            targetPort: htp
            #           ^^^ error service-target-port-unresolved ~ did you mean \`http\`?
`);
  });

  test('an inline JSON patch with a target: the finding points into the kustomization file', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - target:
      kind: Service
      name: web
    patch: |-
      - op: add
        path: /spec/ports/-
        value:
          name: admin
          port: 9000
          targetPort: admn
          #           ^^^^ error service-target-port-unresolved
`);
  });

  test('negative: an inline patch that fixes a base finding leaves no finding at all', () => {
    checkFindings(`${base.replace('      targetPort: http\n', '      targetPort: htp\n')}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
          - port: 80
            targetPort: http
`);
  });
});

describe('patch files are never checked as objects', () => {
  test('a patch file with partial objects and a patch for an object the build lacks: no objects, no findings of its own', () => {
    const fixture = `${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - path: patch.yaml
#- /k/overlays/prod/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: sidecar
          image: example/sidecar:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: ghost
spec:
  selector:
    app: ghost
  ports:
    - port: 80
      targetPort: nothing
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.equal(ws.resourcesOf(fileUri('/k/overlays/prod/patch.yaml')).length, 0);
  });

  test('negative: the same file not named as a patch is checked as manifests', () => {
    const findings = checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
#- /k/overlays/prod/patch.yaml
apiVersion: v1
kind: Service
metadata:
  name: ghost
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing
    app: ghost
  ports:
    - port: 80
      targetPort: nothing
`);
    assert.equal(findings.length, 1);
  });

  test('a port name a patch adds is still validated, with the range in the patch file', () => {
    checkFindings(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
patches:
  - path: patch.yaml
#- /k/overlays/prod/patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: metrics_port
              #     ^^^^^^^^^^^^ error port-invalid
              containerPort: 9090
`);
  });
});

describe('replicas', () => {
  test('replicas by the original name set the count of every prefixed copy, with the range in the kustomization', () => {
    const ws = workspaceOf(parseFixture(`${base}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
namePrefix: prod-
replicas:
  - name: web
    count: 7
`));
    const deployment = copyIn(ws, '/k/base/deployment.yaml', 'Deployment', '/k/overlays/prod');
    assert.equal(deployment.type, 'workload');
    if (deployment.type !== 'workload') return;
    assert.ok(deployment.replicas && !deployment.replicas.unknown, 'no known replicas');
    assert.equal(deployment.replicas.value, 7);
    assert.equal(deployment.replicas.range.start.line, 4);
    assert.equal((deployment.replicas.range as unknown as { uri?: string }).uri, root('/k/overlays/prod'));
  });

  test('negative: replicas for another name leave the count alone', () => {
    const ws = workspaceOf(parseFixture(`${base.replace('spec:\n  selector:\n    matchLabels', 'spec:\n  replicas: 2\n  selector:\n    matchLabels')}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
replicas:
  - name: api
    count: 7
`));
    const deployment = copyIn(ws, '/k/base/deployment.yaml', 'Deployment', '/k/overlays/prod');
    const replicas = deployment.type === 'workload' ? deployment.replicas : undefined;
    assert.ok(replicas && !replicas.unknown, 'no known replicas');
    assert.equal(replicas.value, 2);
  });
});

// ── odd inputs ──────────────────────────────────────────────────────────────────────────────

describe('cycles, remote resources, duplicates', () => {
  test('a kustomization that includes itself: its other resources are built once, nothing crashes', () => {
    const fixture = `
#- /k/self/kustomization.yaml
resources:
  - .
  - ./
  - app.yaml
#- /k/self/app.yaml
${deploymentYaml}---
${serviceYaml}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(ws.resourcesOf(fileUri('/k/self/app.yaml')).map((r) => `${r.kind} ${ws.unitOf(r)}`), [`Deployment build:${root('/k/self')}`, `Service build:${root('/k/self')}`]);
  });

  test('two kustomizations that include each other: nothing crashes and their files are still checked', () => {
    const ws = workspaceOf(parseFixture(`
#- /k/a/kustomization.yaml
resources: [../b, svc.yaml]
#- /k/a/svc.yaml
${serviceYaml.replace('targetPort: http', 'targetPort: 8080')}
#- /k/b/kustomization.yaml
resources: [../a]
`));
    const findings = allFindings(ws);
    assert.deepEqual(findings.map((f) => f.rule), ['service-selects-nothing']);
  });

  test('remote resources are ignored; the local ones are built', () => {
    const fixture = `
#- /k/remote/kustomization.yaml
resources:
  - github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1
  - https://raw.githubusercontent.com/example/app/main/deploy.yaml
  - git@github.com:example/app.git//deploy
  - app.yaml
#- /k/remote/app.yaml
${deploymentYaml}---
${serviceYaml}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.equal(ws.resourcesOf(fileUri('/k/remote/app.yaml')).length, 2);
    assert.deepEqual([...ws.kustomizeBuilds().get(root('/k/remote'))!], [fileUri('/k/remote/app.yaml')]);
  });

  test('an object twice in one build: kustomize refuses to build it; the same object once in each of two builds is fine', () => {
    const fixture = `${base}${devOverlay}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base, service.yaml]
namePrefix: prod-
#- /k/overlays/prod/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  #     ^^^ warning duplicate-resource ~ the kustomize build of \`/k/overlays/prod\` includes it 2 times
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 8080
      targetPort: http
`.replace('kind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: 80\n', 'kind: Service\nmetadata:\n  name: web\n  #     ^^^ warning duplicate-resource ~ (in the kustomize build of `/k/overlays/prod`)\nspec:\n  selector:\n    app: web\n  ports:\n    - name: http\n      port: 80\n');
    checkFindings(fixture, { only: ['duplicate-resource'] });
  });
});

// ── incremental edits ───────────────────────────────────────────────────────────────────────

describe('incremental edits of a base, an overlay and a patch file equal a fresh analysis', () => {
  const patchFile = (portName: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: ${portName}
              containerPort: 8080
`;
  const initial = () => {
    const fixture = parseFixture(`${base}${devOverlay}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
namePrefix: prod-
patches:
  - path: port.yaml
#- /k/overlays/prod/port.yaml
${patchFile('http')}`);
    return new Map(fixture.files.map((f) => [f.uri, f.text]));
  };

  const steps: [string, string | null][] = [
    // The patch renames the port: the base Service breaks in prod only.
    ['/k/overlays/prod/port.yaml', patchFile('web')],
    // The base Service follows: now dev breaks instead.
    ['/k/base/service.yaml', serviceYaml.replace('targetPort: http', 'targetPort: web')],
    // The overlay stops applying the patch: the patch file becomes a plain manifest.
    ['/k/overlays/prod/kustomization.yaml', 'resources: [../../base]\nnamePrefix: prod-\n'],
    // ... and applies it again, with a namespace and labels.
    ['/k/overlays/prod/kustomization.yaml', 'resources: [../../base]\nnamePrefix: prod-\nnamespace: shop\ncommonLabels: {env: prod}\npatches:\n  - path: port.yaml\n'],
    // The base drops the Service, then gets it back.
    ['/k/base/kustomization.yaml', 'resources: [deployment.yaml, ingress.yaml, hpa.yaml]\n'],
    ['/k/base/kustomization.yaml', 'resources: [deployment.yaml, service.yaml, ingress.yaml, hpa.yaml]\n'],
    // The dev overlay is deleted: its objects go, the base is only in prod.
    ['/k/overlays/dev/kustomization.yaml', null],
    // The patch file is deleted while still named.
    ['/k/overlays/prod/port.yaml', null],
    // An overlay of overlays appears on top of prod.
    ['/k/cluster/kustomization.yaml', 'resources: [../overlays/prod]\nnamePrefix: eu-\n'],
    ['/k/overlays/prod/port.yaml', patchFile('http')],
  ];

  test('step by step', () => {
    const files = initial();
    const ws = new Workspace();
    ws.update([...files].map(([uri, text]) => ({ uri, text })));
    assertSameAsFresh(ws, files, 'initial');
    const snapshots = new Set<string>();
    for (const [path, text] of steps) {
      const uri = fileUri(path);
      ws.update([{ uri, text }]);
      if (text === null) files.delete(uri);
      else files.set(uri, text);
      assertSameAsFresh(ws, files, `after editing ${path}`);
      snapshots.add(JSON.stringify(render(allFindings(ws))));
    }
    // The steps change what is reported; otherwise the comparison would prove little.
    assert.ok(snapshots.size >= 3, `only ${snapshots.size} distinct results over ${steps.length} steps`);
  });

  test('all at once, and in reverse', () => {
    const files = initial();
    const ws = new Workspace();
    ws.update([...files].map(([uri, text]) => ({ uri, text })));
    const changes = steps.map(([path, text]) => ({ uri: fileUri(path), text }));
    const last = new Map<string, string | null>();
    for (const change of changes) last.set(change.uri, change.text);
    ws.update([...last].map(([uri, text]) => ({ uri, text })));
    for (const [uri, text] of last) {
      if (text === null) files.delete(uri);
      else files.set(uri, text);
    }
    assertSameAsFresh(ws, files, 'after one batch');
    const back = initial();
    ws.update([...new Set([...back.keys(), ...files.keys()])].map((uri) => ({ uri, text: back.get(uri) ?? null })));
    assertSameAsFresh(ws, back, 'after reverting');
  });
});

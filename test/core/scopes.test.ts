/**
 * Apply scopes (server/src/core/workspace/scopes.ts): which objects are applied together (apply
 * units), how far a reference reaches (nearest candidates first), where did-you-mean suggestions
 * come from, when a missing reference is only information, and the workspace configuration file
 * `.kube-route-lens.yaml`. Positive and negative cases on a monorepo-like fixture.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, effectiveSeverity } from '../../server/src/core';
import type { Finding } from '../../server/src/core';
import { allFindings, checkFindings, workspaceOf } from '../helpers/check';
import { fileUri, parseFixture } from '../helpers/fixture';

// ── building blocks ──────────────────────────────────────────────────────────────────────────

function deployment(name: string, opts: { labels?: string; ports?: string; namespace?: string } = {}): string {
  const labels = opts.labels ?? `app: ${name}`;
  const ns = opts.namespace ? `\n  namespace: ${opts.namespace}` : '';
  const ports = opts.ports ?? `
            - name: http
              containerPort: 8080`;
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${ns}
spec:
  selector:
    matchLabels:
      ${labels}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
        - name: ${name}
          image: example/${name}:1.0
          ports:${ports}
`;
}

function service(name: string, opts: { selector?: string; targetPort?: string; port?: number; type?: string; nodePort?: number; protocol?: string; namespace?: string } = {}): string {
  const ns = opts.namespace ? `\n  namespace: ${opts.namespace}` : '';
  const type = opts.type ? `\n  type: ${opts.type}` : '';
  const nodePort = opts.nodePort ? `\n      nodePort: ${opts.nodePort}` : '';
  const protocol = opts.protocol ? `\n      protocol: ${opts.protocol}` : '';
  return `
apiVersion: v1
kind: Service
metadata:
  name: ${name}${ns}
spec:${type}
  selector:
    ${opts.selector ?? `app: ${name}`}
  ports:
    - port: ${opts.port ?? 80}${protocol}
      targetPort: ${opts.targetPort ?? 'http'}${nodePort}
`;
}

function ingress(name: string, backend: string, opts: { namespace?: string; port?: string } = {}): string {
  const ns = opts.namespace ? `\n  namespace: ${opts.namespace}` : '';
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}${ns}
spec:
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${backend}
                port:
                  ${opts.port ?? 'number: 80'}
`;
}

function configMap(name: string, value: string): string {
  return `
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: "${value}"
`;
}

/**
 * Adds a `# ^^^ label` annotation under the first line of `text` containing `needle`, underlining
 * `part` (default: `needle` itself) in that line; the annotated column must be at least 2.
 */
function mark(text: string, needle: string, label: string, part = needle): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line contains ${needle}`);
  const column = lines[i].indexOf(part);
  assert.ok(column >= 2, `cannot annotate column ${column}`);
  lines.splice(i + 1, 0, `${' '.repeat(column - 2)}# ${'^'.repeat(part.length)} ${label}`);
  return lines.join('\n');
}

/** Findings rendered `path:line rule severity`, for comparisons of whole workspaces. */
function render(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.uri.replace('file://', '')}:${f.range.start.line + 1}:${f.range.start.character + 1} ${effectiveSeverity(f, {})} ${f.rule}: ${f.message}`).sort();
}

function unitsOf(ws: Workspace, path: string): string[] {
  return ws.resourcesOf(fileUri(path)).map((r) => ws.unitOf(r));
}

/** Every file's findings and links of an incrementally updated workspace equal those of a fresh one. */
function assertSameAsFresh(ws: Workspace, files: ReadonlyMap<string, string>): void {
  const fresh = new Workspace();
  fresh.update([...files].map(([uri, text]) => ({ uri, text })));
  assert.deepEqual(ws.uris(), fresh.uris());
  for (const uri of fresh.uris()) {
    assert.deepEqual(render(ws.findings(uri)), render(fresh.findings(uri)), `findings of ${uri} differ from a fresh analysis`);
    const links = (w: Workspace) => w.links(uri).map((l) => `${l.kind} ${l.status} ${l.text} -> ${l.targets.map((t) => t.resourceId).sort().join(',')}${l.far ? ' (far)' : ''}`).sort();
    assert.deepEqual(links(ws), links(fresh), `links of ${uri} differ from a fresh analysis`);
  }
}

// ── apply units ──────────────────────────────────────────────────────────────────────────────

describe('apply units: alternatives in one folder', () => {
  test('variant files that redefine a Service are alternatives: no duplicate, no shared nodePort conflict', () => {
    const fixture = `
#- /repo/web/service-nodeport.yaml${service('web', { type: 'NodePort', nodePort: 30080 })}
#- /repo/web/service-lb.yaml${service('web', { type: 'LoadBalancer', nodePort: 30080 })}
#- /repo/web/deployment.yaml${deployment('web')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(unitsOf(ws, '/repo/web/service-nodeport.yaml'), ['file:file:///repo/web/service-nodeport.yaml']);
    assert.deepEqual(unitsOf(ws, '/repo/web/service-lb.yaml'), ['file:file:///repo/web/service-lb.yaml']);
  });

  test('each variant is still checked against the pods of its folder (a typo in one variant only)', () => {
    checkFindings(`
#- /repo/web/service-nodeport.yaml${service('web', { type: 'NodePort' })}
#- /repo/web/service-lb.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 80
      targetPort: htpp
      #           ^^^^ error service-target-port-unresolved ~ did you mean \`http\`?
#- /repo/web/deployment.yaml${deployment('web')}`);
  });

  test('files of one folder that define different objects compose: one unit, and the same objects twice in one file still collide', () => {
    const fixture = `
#- /repo/shop/deployment.yaml${deployment('shop')}
#- /repo/shop/service.yaml${service('shop')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(unitsOf(ws, '/repo/shop/deployment.yaml'), ['dir:file:///repo/shop/']);
    assert.deepEqual(unitsOf(ws, '/repo/shop/service.yaml'), ['dir:file:///repo/shop/']);
    checkFindings(`
#- /repo/shop/deployment.yaml${deployment('shop')}
#- /repo/shop/service.yaml${mark(service('shop'), 'name: shop', 'warning duplicate-resource ~ this file defines it 2 times', 'shop')}---${mark(service('shop', { port: 8080 }), 'name: shop', 'warning duplicate-resource', 'shop')}`, { only: ['duplicate-resource'] });
  });

  test('a Namespace repeated in every file does not make the files alternatives', () => {
    const ns = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---`;
    const fixture = `
#- /repo/shop/deployment.yaml${ns}${deployment('shop', { namespace: 'shop' })}
#- /repo/shop/service.yaml${ns}${service('shop', { namespace: 'shop' })}`;
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual([...new Set(unitsOf(ws, '/repo/shop/service.yaml'))], ['dir:file:///repo/shop/']);
    checkFindings(fixture);
  });

  test('quickstart bundles side by side: each Service resolves to the Deployment of its own file', () => {
    const fixture = `
#- /repo/quickstart/bundle-small.yaml${deployment('web')}---${service('web')}
#- /repo/quickstart/bundle-large.yaml${deployment('web', { ports: `
            - name: web
              containerPort: 8080` })}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
      #           ^^^^ error service-target-port-unresolved ~ no container of the selected pods declares
`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const selector = ws.links(fileUri('/repo/quickstart/bundle-large.yaml')).find((l) => l.kind === 'service-selector');
    assert.ok(selector);
    assert.deepEqual(selector.targets.map((t) => t.uri), [fileUri('/repo/quickstart/bundle-large.yaml')]);
  });

  test('test steps (valid, invalid, updated) are alternatives: only the invalid step is reported, each on its own', () => {
    checkFindings(`
#- /repo/tests/e2e/00-valid.yaml${deployment('api')}---${service('api')}
#- /repo/tests/e2e/01-invalid.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api-v2
    spec:
      containers:
        - name: api
          image: example/api:1.0
          ports:
            - name: http
              containerPort: 8080
---${service('api')}
#- /repo/tests/e2e/02-updated.yaml${deployment('api', { ports: `
            - name: http
              containerPort: 9090` })}---${service('api', { port: 8080 })}`);
  });

  test('an Ingress beside variant Services resolves a port that one of the variants has; a port none has is reported', () => {
    checkFindings(`
#- /repo/web/service-nodeport.yaml${service('web', { type: 'NodePort', port: 80, selector: 'app: x' })}
#- /repo/web/service-lb.yaml${service('web', { type: 'LoadBalancer', port: 8080, selector: 'app: x' })}
#- /repo/web/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8080
          - path: /admin
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 9090
                  #       ^^^^ error ingress-backend-port-missing
`, { only: ['ingress-backend-port-missing', 'ingress-backend-service-missing'] });
  });

  test('a collection folder (most files alternatives of each other) makes every file its own unit, even files that redefine nothing', () => {
    const fixture = `
#- /repo/testdata/a.yaml${configMap('settings', 'a')}
#- /repo/testdata/b.yaml${configMap('settings', 'b')}
#- /repo/testdata/c.yaml${configMap('settings', 'c')}
#- /repo/testdata/pods.yaml${deployment('other')}
#- /repo/testdata/lonely.yaml
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing
    app: lonely
  ports:
    - port: 80
`;
    checkFindings(fixture, { only: ['service-selects-nothing'] });
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(unitsOf(ws, '/repo/testdata/lonely.yaml'), ['solo:file:///repo/testdata/lonely.yaml']);
    assert.deepEqual(unitsOf(ws, '/repo/testdata/pods.yaml'), ['solo:file:///repo/testdata/pods.yaml']);
  });

  test('negative: the same Service beside pods in its own file is a warning (the file defines pods)', () => {
    checkFindings(`
#- /repo/app/lonely.yaml${deployment('other')}---
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    app: lonely
  ports:
    - port: 80
`, { only: ['service-selects-nothing'] });
  });

  test('one alternative among many ordinary files does not make a collection', () => {
    const fixture = `
#- /repo/app/a.yaml${service('web')}
#- /repo/app/b.yaml${service('web', { port: 81 })}
#- /repo/app/c.yaml${deployment('c')}
#- /repo/app/d.yaml${deployment('d')}
#- /repo/app/e.yaml${deployment('e')}`;
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(unitsOf(ws, '/repo/app/a.yaml'), ['file:file:///repo/app/a.yaml']);
    assert.deepEqual(unitsOf(ws, '/repo/app/c.yaml'), ['dir:file:///repo/app/']);
  });
});

describe('apply units: independent examples in sibling folders', () => {
  test('the same objects in sibling example folders are neither duplicates nor node-port conflicts', () => {
    checkFindings(`
#- /repo/examples/one/app.yaml${deployment('web')}---${service('web', { type: 'NodePort', nodePort: 30080 })}
#- /repo/examples/two/app.yaml${deployment('web')}---${service('web', { type: 'NodePort', nodePort: 30080 })}`);
  });

  test('a Service selects the pods of its own example, not the look-alike of the sibling', () => {
    const fixture = `
#- /repo/examples/one/deploy.yaml${deployment('web')}
#- /repo/examples/one/svc.yaml${service('web')}
#- /repo/examples/two/deploy.yaml${deployment('web')}`;
    const ws = workspaceOf(parseFixture(fixture));
    const link = ws.links(fileUri('/repo/examples/one/svc.yaml')).find((l) => l.kind === 'service-selector');
    assert.ok(link);
    assert.equal(link.status, 'resolved');
    assert.equal(link.far, undefined);
    assert.deepEqual(link.targets.map((t) => t.uri), [fileUri('/repo/examples/one/deploy.yaml')]);
  });

  test('an Ingress routes to the Service of its own example', () => {
    const fixture = `
#- /repo/examples/one/app.yaml${service('web', { port: 80 })}---${ingress('web', 'web')}
#- /repo/examples/two/app.yaml${service('web', { port: 8080 })}`;
    checkFindings(fixture, { only: ['ingress-backend-service-missing', 'ingress-backend-port-missing'] });
    const ws = workspaceOf(parseFixture(fixture));
    const link = ws.links(fileUri('/repo/examples/one/app.yaml')).find((l) => l.kind === 'ingress-service');
    assert.deepEqual(link?.targets.map((t) => t.uri), [fileUri('/repo/examples/one/app.yaml')]);
  });

  test('an Ingress whose own example lacks the port is reported although the sibling example has it', () => {
    checkFindings(`
#- /repo/examples/one/app.yaml${service('web', { port: 8080 })}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
        #       ^^ error ingress-backend-port-missing ~ it has 8080
#- /repo/examples/two/app.yaml${service('web', { port: 80 })}`, { only: ['ingress-backend-port-missing'] });
  });

  test('a Service found only in another folder resolves, but a port mismatch against it is tentative (information)', () => {
    checkFindings(`
#- /repo/frontend/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
        #       ^^ information ingress-backend-port-missing ~ defined in another folder
#- /repo/backend/service.yaml${service('web', { port: 8080 })}`, { only: ['ingress-backend-port-missing'] });
  });
});

describe('references resolve to the nearest candidates', () => {
  const dns = (protocol: string) =>
    deployment('dns', {
      ports: `
            - name: dns
              containerPort: 53
              protocol: ${protocol}`,
    });

  test('a named port declared only for TCP in the own file, UDP in a look-alike elsewhere: the mismatch is reported', () => {
    checkFindings(`
#- /repo/example-a/dns.yaml${dns('TCP')}---
apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector:
    app: dns
  ports:
    - port: 53
      protocol: UDP
      targetPort: dns
      #           ^^^ error service-target-port-unresolved ~ with protocol TCP, not UDP
#- /repo/example-b/dns.yaml${dns('UDP')}`);
  });

  test('negative: the same Service with its own Deployment declaring UDP resolves (no finding from the TCP look-alike)', () => {
    checkFindings(`
#- /repo/example-a/dns.yaml${dns('UDP')}---${service('dns', { selector: 'app: dns', port: 53, protocol: 'UDP', targetPort: 'dns' })}
#- /repo/example-b/dns.yaml${dns('TCP')}`);
  });

  test('the file beats the folder: a Deployment of the Service file hides a matching one of a sibling file', () => {
    const fixture = `
#- /repo/app/bundle.yaml${deployment('web')}---${service('web')}
#- /repo/app/other.yaml${deployment('web-canary', { labels: 'app: web' })}`;
    const ws = workspaceOf(parseFixture(fixture));
    const link = ws.links(fileUri('/repo/app/bundle.yaml')).find((l) => l.kind === 'service-selector');
    assert.deepEqual(link?.targets.map((t) => t.resourceId), ['file:///repo/app/bundle.yaml#Deployment/default/web']);
  });

  test('an HPA scales the workload of its own folder', () => {
    const hpa = `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 3
`;
    const fixture = `
#- /repo/one/app.yaml${deployment('web')}---${hpa}
#- /repo/two/app.yaml${deployment('web')}`;
    const ws = workspaceOf(parseFixture(fixture));
    const link = ws.links(fileUri('/repo/one/app.yaml')).find((l) => l.kind === 'hpa-target');
    assert.equal(link?.status, 'resolved');
    assert.deepEqual(link?.targets.map((t) => t.uri), [fileUri('/repo/one/app.yaml')]);
  });
});

describe('did-you-mean only from nearby', () => {
  test('a selector typo with the intended pods in the same folder gets a did-you-mean', () => {
    checkFindings(`
#- /repo/app/deploy.yaml${deployment('web')}
#- /repo/app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing ~ did you mean \`app=web\`
    app: wbe
  ports:
    - port: 80
`, { only: ['service-selects-nothing'] });
  });

  test('negative: a look-alike in another folder is no suggestion, and the finding is only information', () => {
    const [finding] = checkFindings(`
#- /repo/elsewhere/deploy.yaml${deployment('web')}
#- /repo/app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing
    app: wbe
  ports:
    - port: 80
`, { only: ['service-selects-nothing'] });
    assert.doesNotMatch(finding.message, /did you mean/);
    assert.equal(finding.replacements, undefined);
    assert.deepEqual(finding.related, []);
  });

  test('an Ingress backend typo: a Service of the same folder is suggested, one of another folder is not', () => {
    checkFindings(`
#- /repo/app/svc.yaml${service('frontend', { selector: 'app: x' })}
#- /repo/app/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: frontent
      #     ^^^^^^^^ error ingress-backend-service-missing ~ did you mean \`frontend\`?
      port:
        number: 80
`, { only: ['ingress-backend-service-missing'] });
    const [far] = checkFindings(`
#- /repo/other/svc.yaml${service('frontend', { selector: 'app: x' })}
#- /repo/app/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: frontent
      #     ^^^^^^^^ information ingress-backend-service-missing
      port:
        number: 80
`, { only: ['ingress-backend-service-missing'] });
    assert.doesNotMatch(far.message, /did you mean/);
  });

  test('an HPA target typo: suggested from the folder, not from another folder', () => {
    const hpa = (target: string) => `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${target}
  minReplicas: 1
  maxReplicas: 3
`;
    checkFindings(`
#- /repo/app/deploy.yaml${deployment('frontend')}
#- /repo/app/hpa.yaml${mark(hpa('frontent'), 'name: frontent', 'warning hpa-target-missing ~ did you mean \`frontend\`?', 'frontent')}
`, { only: ['hpa-target-missing'] });
    const [far] = checkFindings(`
#- /repo/other/deploy.yaml${deployment('frontend')}
#- /repo/app/hpa.yaml${mark(hpa('frontent'), 'name: frontent', 'information hpa-target-missing', 'frontent')}
`, { only: ['hpa-target-missing'] });
    assert.doesNotMatch(far.message, /did you mean/);
  });
});

describe('severity when the referrer\'s unit defines nothing of that kind', () => {
  test('docs placeholders (service1, MyApp) in a file of their own are information', () => {
    checkFindings(`
#- /repo/docs/ingress/minimal-ingress.yaml${mark(ingress('example', 'service1'), 'service1', 'information ingress-backend-service-missing')}
#- /repo/docs/service/simple-service.yaml
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing
    app.kubernetes.io/name: MyApp
  ports:
    - port: 80
      targetPort: 9376
#- /repo/app/app.yaml${deployment('web')}---${service('web')}`);
  });

  test('negative: the same Ingress in a file that defines Services is an error', () => {
    checkFindings(`
#- /repo/docs/ingress.yaml${service('other', { selector: 'app: x' })}---${mark(ingress('example', 'service1'), 'service1', 'error ingress-backend-service-missing')}
`, { only: ['ingress-backend-service-missing'] });
  });

  test('an HPA whose target is missing is information unless its own file defines workloads (a folder that merely composes is no evidence)', () => {
    const hpa = `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: frontend
  minReplicas: 1
  maxReplicas: 3
`;
    checkFindings(`
#- /repo/hpa-only/hpa.yaml${mark(hpa, 'name: frontend', 'information hpa-target-missing', 'frontend')}
#- /repo/other/deploy.yaml${deployment('api')}`);
    checkFindings(`
#- /repo/app/hpa.yaml${mark(hpa, 'name: frontend', 'information hpa-target-missing', 'frontend')}
#- /repo/app/deploy.yaml${deployment('api')}`);
    checkFindings(`
#- /repo/app/hpa.yaml${mark(hpa, 'name: frontend', 'warning hpa-target-missing', 'frontend')}---${deployment('api')}`);
  });

  test('kube-system objects refer to the cluster\'s add-ons: information even when the unit defines pods', () => {
    checkFindings(`
#- /repo/addons/dashboard.yaml${deployment('dashboard', { namespace: 'kube-system' })}---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns-metrics
  namespace: kube-system
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing
    k8s-app: kube-dns
  ports:
    - port: 9153
`, { only: ['service-selects-nothing'] });
  });

  test('negative: the same Service outside kube-system is a warning', () => {
    checkFindings(`
#- /repo/addons/dashboard.yaml${deployment('dashboard', { namespace: 'monitoring' })}---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns-metrics
  namespace: monitoring
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    k8s-app: kube-dns
  ports:
    - port: 9153
`, { only: ['service-selects-nothing'] });
  });
});

describe('operators and templates near a reference', () => {
  const postgres = `
apiVersion: postgres-operator.crunchydata.com/v1beta1
kind: PostgresCluster
metadata:
  name: hippo
spec:
  postgresVersion: 16
`;

  test('a custom resource nearby: its operator may create the pods, so the finding is information', () => {
    checkFindings(`
#- /repo/db/cluster.yaml${postgres}
#- /repo/db/service.yaml${deployment('pgadmin')}---
apiVersion: v1
kind: Service
metadata:
  name: hippo-primary
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing ~ PostgresCluster \`hippo\` is defined nearby
    postgres-operator.crunchydata.com/cluster: hippo
  ports:
    - port: 5432
`, { only: ['service-selects-nothing'] });
  });

  test('a custom resource nearby: an Ingress to a Service the operator creates is information', () => {
    checkFindings(`
#- /repo/db/cluster.yaml${postgres}
#- /repo/db/ingress.yaml${service('pgadmin', { selector: 'app: pgadmin' })}---${mark(ingress('hippo', 'hippo-ui'), 'hippo-ui', 'information ingress-backend-service-missing ~ is defined nearby')}
`, { only: ['ingress-backend-service-missing'] });
  });

  test('negative: a custom resource in a distant folder changes nothing', () => {
    checkFindings(`
#- /repo/operators/cluster.yaml${postgres}
#- /repo/db/service.yaml${deployment('pgadmin')}---
apiVersion: v1
kind: Service
metadata:
  name: hippo-primary
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    postgres-operator.crunchydata.com/cluster: hippo
  ports:
    - port: 5432
`, { only: ['service-selects-nothing'] });
  });

  test('a template file in the folder may render the pods: information', () => {
    checkFindings(`
#- /repo/app/deployment.tmpl.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Name }}
#- /repo/app/service.yaml${deployment('other')}---${mark(service('web', { selector: 'app: web' }), 'selector', 'information service-selects-nothing ~ a template file in this folder may render the pods')}
`, { only: ['service-selects-nothing'] });
  });

  test('negative: a template file in another folder changes nothing', () => {
    checkFindings(`
#- /repo/templates-elsewhere/deployment.tmpl.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Name }}
#- /repo/app/service.yaml${deployment('other')}---${mark(service('web', { selector: 'app: web' }), 'selector', 'warning service-selects-nothing')}
`, { only: ['service-selects-nothing'] });
  });
});

// ── workspace configuration ──────────────────────────────────────────────────────────────────

describe('.kube-route-lens.yaml: apps', () => {
  test('a declared app spans its subfolders: one unit', () => {
    const fixture = `
#- /repo/.kube-route-lens.yaml
apps: [shop]
#- /repo/shop/deploy/web.yaml${deployment('web')}
#- /repo/shop/svc/web.yaml${service('web')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(unitsOf(ws, '/repo/shop/deploy/web.yaml'), ['app:file:///repo/shop/']);
    assert.deepEqual(unitsOf(ws, '/repo/shop/svc/web.yaml'), ['app:file:///repo/shop/']);
  });

  test('a missing reference inside a declared app whose other folder defines pods is a warning', () => {
    checkFindings(`
#- /repo/.kube-route-lens.yaml
apps: [shop]
#- /repo/shop/deploy/web.yaml${deployment('web')}
#- /repo/shop/svc/cart.yaml${mark(service('cart'), 'selector', 'warning service-selects-nothing')}
`, { only: ['service-selects-nothing'] });
  });

  test('negative: without the declaration the two folders are separate units and the finding is information', () => {
    checkFindings(`
#- /repo/shop/deploy/web.yaml${deployment('web')}
#- /repo/shop/svc/cart.yaml${mark(service('cart'), 'selector', 'information service-selects-nothing')}
`, { only: ['service-selects-nothing'] });
  });

  test('node ports of two files of a declared app conflict; of an undeclared folder they do not', () => {
    checkFindings(`
#- /repo/.kube-route-lens.yaml
apps: ["apps/*"]
#- /repo/apps/shop/a.yaml${mark(service('a', { type: 'NodePort', nodePort: 30080, selector: 'app: x' }), 'nodePort: 30080', 'error nodeport-duplicate ~ Service \`b\`', '30080')}
#- /repo/apps/shop/b.yaml${mark(service('b', { type: 'NodePort', nodePort: 30080, selector: 'app: x' }), 'nodePort: 30080', 'error nodeport-duplicate ~ Service \`a\`', '30080')}
#- /repo/other/a.yaml${service('a', { type: 'NodePort', nodePort: 30080, selector: 'app: x' })}
#- /repo/other/b.yaml${service('b', { type: 'NodePort', nodePort: 30080, selector: 'app: x' })}`, { only: ['nodeport-duplicate'] });
  });
});

describe('.kube-route-lens.yaml: alternatives and ignore', () => {
  test('a folder declared alternatives: every file is its own unit, so a reference into a sibling file is information', () => {
    const fixture = `
#- /repo/.kube-route-lens.yaml
alternatives: [variants]
#- /repo/variants/pods.yaml${deployment('web')}
#- /repo/variants/svc.yaml${mark(service('cart'), 'selector', 'information service-selects-nothing')}
`;
    checkFindings(fixture, { only: ['service-selects-nothing'] });
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(unitsOf(ws, '/repo/variants/pods.yaml'), ['file:file:///repo/variants/pods.yaml']);
  });

  test('negative: without the declaration the folder composes: one unit', () => {
    const fixture = `
#- /repo/variants/pods.yaml${deployment('web')}
#- /repo/variants/svc.yaml${mark(service('cart'), 'selector', 'information service-selects-nothing')}
`;
    checkFindings(fixture, { only: ['service-selects-nothing'] });
    assert.deepEqual(unitsOf(workspaceOf(parseFixture(fixture)), '/repo/variants/pods.yaml'), ['dir:file:///repo/variants/']);
  });

  test('ignored paths: no findings at all (not even syntax), and their objects satisfy no reference', () => {
    checkFindings(`
#- /repo/.kube-route-lens.yaml
ignore:
  - vendor
  - "**/*.draft.yaml"
#- /repo/vendor/chart/broken.yaml
apiVersion: v1
kind: Service
metadata:
  name: [unclosed
#- /repo/vendor/chart/deploy.yaml${deployment('vendored')}
#- /repo/app/notes.draft.yaml${service('draft')}
#- /repo/app/svc.yaml${deployment('web')}---${mark(service('vendored'), 'selector', 'warning service-selects-nothing')}
`);
  });

  test('negative: without the configuration the vendored files are checked', () => {
    const findings = checkFindings(`
#- /repo/vendor/chart/deploy.yaml${deployment('vendored')}
#- /repo/app/notes.draft.yaml${mark(service('draft'), 'selector', 'information service-selects-nothing')}
#- /repo/app/svc.yaml${deployment('web')}---${service('vendored')}
`);
    assert.equal(findings.length, 1);
  });
});

describe('.kube-route-lens.yaml: cluster settings', () => {
  test('defaultNamespace: objects without a namespace are in it', () => {
    checkFindings(`
#- /repo/.kube-route-lens.yaml
cluster:
  defaultNamespace: shop
#- /repo/app/deploy.yaml${deployment('web')}
#- /repo/app/svc.yaml${service('web', { namespace: 'shop' })}`);
  });

  test('negative: without defaultNamespace they are in `default`, and the Service in shop selects nothing', () => {
    checkFindings(`
#- /repo/app/deploy.yaml${deployment('web')}
#- /repo/app/svc.yaml${mark(service('web', { namespace: 'shop' }), 'selector', 'information service-selects-nothing ~ namespace \`shop\`')}
`);
  });

  test('nodePortRange: node ports are judged against the declared range', () => {
    const svc = (nodePort: number) => `
apiVersion: v1
kind: Service
metadata:
  name: np${nodePort}
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: ${nodePort}
`;
    checkFindings(`
#- /repo/.kube-route-lens.yaml
cluster:
  nodePortRange: 20000-22767
#- /repo/app/a.yaml${svc(21000)}
#- /repo/app/b.yaml${mark(svc(30080), 'nodePort: 30080', 'error nodeport-out-of-range ~ 20000-22767', '30080')}
`);
    checkFindings(`
#- /repo/app/a.yaml${mark(svc(21000), 'nodePort: 21000', 'error nodeport-out-of-range ~ 30000-32767', '21000')}
#- /repo/app/b.yaml${svc(30080)}
`);
  });

  test('ingressClasses: a class the cluster has is not missing, and its controller decides the rules', () => {
    const ing = (cls: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: ${cls}
  rules:
    - http:
        paths:
          - path: /api
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
`;
    const ingressClass = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: public
spec:
  controller: example.com/other
`;
    checkFindings(`
#- /repo/.kube-route-lens.yaml
cluster:
  ingressClasses:
    - name: corp
      controller: k8s.io/ingress-nginx
#- /repo/classes.yaml${ingressClass}
#- /repo/app/app.yaml${service('web', { selector: 'app: x' })}---${mark(ing('corp'), 'path: /api', 'error rewrite-target-capture-missing ~ uses $2', '/api')}
`, { only: ['ingress-class-missing', 'rewrite-target-capture-missing'] });
    // The declared controller decides, not left-over annotations of another controller.
    checkFindings(`
#- /repo/.kube-route-lens.yaml
cluster:
  ingressClasses:
    - name: corp
      controller: traefik.io/ingress-controller
#- /repo/classes.yaml${ingressClass}
#- /repo/app/app.yaml${service('web', { selector: 'app: x' })}---${ing('corp')}`, { only: ['ingress-class-missing', 'rewrite-target-capture-missing'] });
    // Negative: without the declaration the class is missing (the workspace defines other classes).
    checkFindings(`
#- /repo/classes.yaml${ingressClass}
#- /repo/app/app.yaml${service('web', { selector: 'app: x' })}---${mark(mark(ing('corp'), 'ingressClassName: corp', 'information ingress-class-missing', 'corp'), 'path: /api', 'error rewrite-target-capture-missing', '/api')}`, { only: ['ingress-class-missing', 'rewrite-target-capture-missing'] });
  });

  test('ingressClasses: a declared default class serves Ingresses that name none', () => {
    const ing = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$1
spec:
  rules:
    - http:
        paths:
          - path: /api
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
`;
    checkFindings(`
#- /repo/.kube-route-lens.yaml
cluster:
  ingressClasses:
    - name: traefik
      controller: traefik.io/ingress-controller
      default: true
#- /repo/app/app.yaml${service('web', { selector: 'app: x' })}---${ing}`, { only: ['rewrite-target-capture-missing'] });
    checkFindings(`
#- /repo/.kube-route-lens.yaml
cluster:
  ingressClasses:
    - name: nginx
      controller: k8s.io/ingress-nginx
      default: true
#- /repo/app/app.yaml${service('web', { selector: 'app: x' })}---${mark(ing, 'path: /api', 'error rewrite-target-capture-missing ~ uses $1', '/api')}
`, { only: ['rewrite-target-capture-missing'] });
  });
});

describe('.kube-route-lens.yaml: problems', () => {
  test('unknown keys, top-level and under cluster', () => {
    const findings = checkFindings(`
#- /repo/.kube-route-lens.yaml
apps: [shop]
cluster:
  defaultNamespce: shop
# ^^^^^^^^^^^^^^^ error yaml-syntax ~ unknown key \`cluster.defaultNamespce\`
  clusters: []
# ^^^^^^^^ error yaml-syntax ~ unknown key \`cluster.clusters\`
`);
    assert.match(findings[0].message, /known: `defaultNamespace`, `nodePortRange`, `ingressClasses`/);
    const ws = workspaceOf(parseFixture('#- /repo/.kube-route-lens.yaml\napps: [shop]\naps: [oops]\n'));
    const [top] = ws.findings(fileUri('/repo/.kube-route-lens.yaml'));
    assert.equal(top?.rule, 'yaml-syntax');
    assert.match(top.message, /unknown key `aps`/);
    assert.deepEqual([top.range.start.line, top.range.start.character, top.range.end.character], [1, 0, 3]);
  });

  test('values of the wrong shape', () => {
    checkFindings(`
#- /repo/.kube-route-lens.yaml
apps: shop
#     ^^^^ error yaml-syntax ~ \`apps\` must be a list
ignore:
  - {a: 1}
  # ^^^^^^ error yaml-syntax ~ each entry of \`ignore\` must be a path or glob
cluster:
  nodePortRange: 40000-30000
  #              ^^^^^^^^^^^ error yaml-syntax ~ \`cluster.nodePortRange\` must be MIN-MAX
  ingressClasses:
    - name: corp
    # ^^^^^^^^^^ error yaml-syntax ~ needs a \`name\` and a \`controller\`
`);
  });

  test('broken YAML, a non-mapping document and a repeated key are one problem each, and the configuration is not applied', () => {
    const fixture = `
#- /repo/.kube-route-lens.yaml
ignore: [app
#- /repo/app/svc.yaml${service('web')}
#- /other/.kube-route-lens.yaml
- apps
- shop
#- /third/.kube-route-lens.yaml
apps: [a]
apps: [b]
`;
    const ws = workspaceOf(parseFixture(fixture));
    const problems = (path: string) => ws.findings(fileUri(path)).map((f) => `${f.rule} ${effectiveSeverity(f, {})} ${f.range.start.line + 1}: ${f.message}`);
    const broken = problems('/repo/.kube-route-lens.yaml');
    assert.equal(broken.length, 1);
    assert.match(broken[0], /^yaml-syntax error 1: Workspace configuration: /);
    assert.deepEqual(problems('/other/.kube-route-lens.yaml'), ['yaml-syntax error 1: Workspace configuration: expected a mapping with `apps`, `alternatives`, `ignore` or `cluster`']);
    const repeated = problems('/third/.kube-route-lens.yaml');
    assert.equal(repeated.length, 1);
    assert.match(repeated[0], /^yaml-syntax error 2: Workspace configuration: .*unique/);
    // The broken configuration ignores nothing: the Service is still checked.
    assert.equal(ws.findings(fileUri('/repo/app/svc.yaml')).length, 1);
  });

  test('a valid configuration has no findings, and a bad range falls back to the default', () => {
    checkFindings(`
#- /repo/.kube-route-lens.yaml
apps: [shop]
alternatives: ["variants/*"]
ignore: [vendor]
cluster:
  defaultNamespace: shop
  nodePortRange: "30000-32767"
  ingressClasses:
    - { name: corp, controller: k8s.io/ingress-nginx, default: true }
`);
  });
});

// ── incremental updates ──────────────────────────────────────────────────────────────────────

describe('incremental updates when a folder changes its composition', () => {
  const uri = (path: string) => fileUri(path);

  /**
   * Applies the steps one by one and compares with a fresh analysis after each; `watch` is a file
   * whose findings must change at some step (so the comparison is not vacuous).
   */
  function run(steps: readonly (readonly [string, string | null])[], initial: Record<string, string>, watch: string): void {
    const ws = new Workspace();
    const files = new Map(Object.entries(initial).map(([path, text]) => [uri(path), text]));
    ws.update([...files].map(([u, text]) => ({ uri: u, text })));
    assertSameAsFresh(ws, files);
    const seen = new Set([JSON.stringify(render(ws.findings(uri(watch))))]);
    for (const [path, text] of steps) {
      ws.update([{ uri: uri(path), text }]);
      if (text === null) files.delete(uri(path));
      else files.set(uri(path), text);
      assertSameAsFresh(ws, files);
      seen.add(JSON.stringify(render(ws.findings(uri(watch)))));
    }
    assert.ok(seen.size > 1, `the findings of ${watch} never changed: the steps test nothing`);
  }

  const lonely = service('cart');

  test('a sibling file starts (and stops) redefining an object: the folder splits into alternatives and joins again', () => {
    const initial = {
      '/repo/app/pods.yaml': deployment('web'),
      '/repo/app/cart.yaml': lonely,
      '/repo/app/web.yaml': service('web'),
    };
    // Sanity: the steps change what is reported, so the comparison is not vacuous.
    const before = new Workspace();
    before.update(Object.entries(initial).map(([p, text]) => ({ uri: uri(p), text })));
    assert.deepEqual(unitsOf(before, '/repo/app/web.yaml'), ['dir:file:///repo/app/']);
    before.update([{ uri: uri('/repo/app/web-lb.yaml'), text: service('web', { type: 'LoadBalancer' }) }, { uri: uri('/repo/app/cart-v2.yaml'), text: lonely }]);
    assert.deepEqual(unitsOf(before, '/repo/app/web.yaml'), ['solo:file:///repo/app/web.yaml']);

    run(
      [
        ['/repo/app/web-lb.yaml', service('web', { type: 'LoadBalancer' })],
        ['/repo/app/cart-v2.yaml', lonely],
        ['/repo/app/cart-v2.yaml', service('cart-v2')],
        ['/repo/app/web-lb.yaml', null],
        ['/repo/app/pods.yaml', deployment('web', { labels: 'app: cart' })],
        ['/repo/app/web.yaml', `${service('web')}---${deployment('web')}`],
      ],
      initial,
      '/repo/app/cart.yaml',
    );
  });

  test('a file moves between folders (delete and create), and a Deployment in the own file starts to hide a look-alike', () => {
    run(
      [
        ['/repo/b/dns.yaml', deployment('dns', { ports: '\n            - name: dns\n              containerPort: 53\n              protocol: UDP' })],
        ['/repo/a/svc.yaml', `${deployment('dns', { ports: '\n            - name: dns\n              containerPort: 53' })}---${service('dns', { port: 53, protocol: 'UDP', targetPort: 'dns' })}`],
        ['/repo/b/dns.yaml', null],
        ['/repo/a/dns.yaml', deployment('dns', { ports: '\n            - name: dns\n              containerPort: 53\n              protocol: UDP' })],
      ],
      { '/repo/a/svc.yaml': service('dns', { port: 53, protocol: 'UDP', targetPort: 'dns' }) },
      '/repo/a/svc.yaml',
    );
  });

  test('the workspace configuration is added, changed and removed', () => {
    run(
      [
        ['/repo/.kube-route-lens.yaml', 'apps: [shop]\n'],
        ['/repo/.kube-route-lens.yaml', 'alternatives: [shop/svc]\ncluster:\n  defaultNamespace: shop\n'],
        ['/repo/.kube-route-lens.yaml', 'ignore: [shop/deploy]\ncluster:\n  nodePortRange: 20000-22767\n'],
        ['/repo/.kube-route-lens.yaml', null],
      ],
      {
        '/repo/shop/deploy/web.yaml': deployment('web'),
        '/repo/shop/svc/cart.yaml': service('cart', { type: 'NodePort', nodePort: 30080 }),
        '/repo/shop/svc/web.yaml': service('web', { type: 'NodePort', nodePort: 30080 }),
      },
      '/repo/shop/svc/cart.yaml',
    );
  });

  test('a folder becomes a collection as alternatives are added, and stops being one', () => {
    const steps: [string, string | null][] = [];
    for (let i = 0; i < 3; i++) steps.push([`/repo/data/web-${i}.yaml`, service('web', { port: 80 + i })]);
    steps.push(['/repo/data/web-0.yaml', null], ['/repo/data/web-1.yaml', service('other')]);
    run(steps, {
      '/repo/data/pods.yaml': deployment('web'),
      '/repo/data/cart.yaml': lonely,
      '/repo/data/more.yaml': deployment('more'),
    }, '/repo/data/cart.yaml');
  });

  test('a template file and a custom resource appear in the folder and go again', () => {
    run(
      [
        ['/repo/app/deploy.tmpl.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Name }}\n'],
        ['/repo/app/deploy.tmpl.yaml', null],
        ['/repo/app/cluster.yaml', 'apiVersion: postgres-operator.crunchydata.com/v1beta1\nkind: PostgresCluster\nmetadata:\n  name: hippo\n'],
        ['/repo/app/cluster.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hippo\n'],
        ['/repo/app/svc.yaml', `${deployment('other')}---${service('cart', { namespace: 'kube-system' })}`],
      ],
      { '/repo/app/svc.yaml': `${deployment('other')}---${lonely}` },
      '/repo/app/svc.yaml',
    );
  });

  test('the incremental comparison helper does catch a difference', () => {
    const ws = new Workspace();
    ws.update([{ uri: uri('/x/a.yaml'), text: service('a') }]);
    assert.throws(() => assertSameAsFresh(ws, new Map([[uri('/x/a.yaml'), `${service('a')}---${deployment('a')}`]])));
  });
});

test('allFindings covers every file', () => {
  // Guards the helpers this file relies on: a finding in a second file is seen.
  const ws = workspaceOf(parseFixture(`
#- /one.yaml${deployment('a')}
#- /two.yaml${service('b')}`));
  assert.equal(allFindings(ws).filter((f) => f.uri === fileUri('/two.yaml')).length, 1);
});

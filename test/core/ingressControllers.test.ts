/**
 * Ingress controller identification (links/ingressController.ts, semantics/controllers.ts) as the
 * rules see it: which controller serves an Ingress decides whether ingress-nginx rules apply
 * (rewrite-target, its admission webhook), how two Ingresses with the same host and path
 * conflict, whether a NodePort backend is worth a hint, and ALB's `use-annotation` backends.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Ingress, Workspace } from '../../server/src/core';
import { controllerOf } from '../../server/src/core/links/ingressController';
import { checkFindings, workspaceOf } from '../helpers/check';
import { parseFixture } from '../helpers/fixture';

// ── building blocks ──────────────────────────────────────────────────────────────────────────

interface IngressOptions {
  readonly className?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly host?: string;
  readonly path?: string;
  readonly pathType?: string;
  readonly service?: string;
  readonly port?: string;
  readonly namespace?: string;
}

function ingress(name: string, o: IngressOptions = {}): string {
  const annotations = Object.entries(o.annotations ?? {});
  const meta = [
    `  name: ${name}`,
    ...(o.namespace ? [`  namespace: ${o.namespace}`] : []),
    ...(annotations.length > 0 ? ['  annotations:', ...annotations.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
  ].join('\n');
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
${meta}
spec:${o.className ? `\n  ingressClassName: ${o.className}` : ''}
  rules:
    - host: ${o.host ?? 'shop.example.com'}
      http:
        paths:
          - path: ${o.path ?? '/cart'}
            pathType: ${o.pathType ?? 'Prefix'}
            backend:
              service:
                name: ${o.service ?? 'web'}
                port:
                  ${o.port ?? 'number: 80'}
`;
}

function service(name: string, o: { type?: string; annotations?: Readonly<Record<string, string>>; namespace?: string } = {}): string {
  const annotations = Object.entries(o.annotations ?? {});
  return `
apiVersion: v1
kind: Service
metadata:
  name: ${name}${o.namespace ? `\n  namespace: ${o.namespace}` : ''}${annotations.length > 0 ? `\n  annotations:\n${annotations.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n')}` : ''}
spec:
  type: ${o.type ?? 'ClusterIP'}
  ports:
    - name: http
      port: 80
`;
}

function ingressClass(name: string, controller: string, isDefault = false): string {
  return `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}${isDefault ? `\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"` : ''}
spec:
  controller: ${controller}
`;
}

function controllerDeployment(name: string, image: string, args: readonly string[], namespace = 'ingress'): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: controller
          image: ${image}
          args:
${args.map((a) => `            - ${JSON.stringify(a)}`).join('\n')}
`;
}

/** Annotates the first line containing `needle`, underlining `part` of it (column ≥ 2). */
function mark(text: string, needle: string, label: string, part = needle): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line contains ${needle}`);
  const column = lines[i].indexOf(part);
  assert.ok(column >= 2, `cannot annotate column ${column}`);
  lines.splice(i + 1, 0, `${' '.repeat(column - 2)}# ${'^'.repeat(part.length)} ${label}`);
  return lines.join('\n');
}

/** The line of `ingress(...)` naming the backend Service `web` (a Service's own `name: web` is less indented). */
const BACKEND_NAME = '                name: web';

const REWRITE = { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' };
/** The rewrite rule's finding on the path of `ingress(...)` (rewrite-target `/$2`, path `/cart` without groups). */
const rewriteFinding = (text: string) => mark(text, 'path: /cart', 'error rewrite-target-capture-missing ~ uses $2', '/cart');
const conflict = (text: string, other: string, consequence = '') => mark(text, 'path: /cart', `warning ingress-path-conflict ~ Ingress \`${other}\`${consequence ? ` ${consequence}` : ''}`, '/cart');

const REWRITE_ONLY = { only: ['rewrite-target-capture-missing'] };
const CONFLICTS_ONLY = { only: ['ingress-path-conflict'] };

/** The controller the engine decides for each Ingress of a workspace, by name. */
function controllers(ws: Workspace): Record<string, { kind: string; evidence: string; workloads: string[] }> {
  const q = ws.query();
  const out: Record<string, { kind: string; evidence: string; workloads: string[] }> = {};
  for (const r of ws.allResources()) {
    if (r.type !== 'ingress') continue;
    const choice = controllerOf(q, r as Ingress);
    out[r.name?.value ?? '?'] = { kind: choice.profile.kind, evidence: choice.evidence, workloads: choice.workloads.map((w) => w.name?.value ?? '?').sort() };
  }
  return out;
}

// ── two ingress-nginx installations ─────────────────────────────────────────────────────────

describe('two ingress-nginx controllers told apart by their arguments', () => {
  const infra = `
#- /infra/ingress-nginx.yaml${controllerDeployment('public-controller', 'registry.k8s.io/ingress-nginx/controller:v1.11.2', ['/nginx-ingress-controller', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx'])}---${controllerDeployment('internal-controller', 'registry.k8s.io/ingress-nginx/controller:v1.11.2', ['/nginx-ingress-controller', '--controller-class', 'k8s.io/internal-nginx', '--ingress-class', 'internal-nginx'])}---${ingressClass('nginx', 'k8s.io/ingress-nginx')}---${ingressClass('internal-nginx', 'k8s.io/internal-nginx')}`;

  test('each class is served by the controller whose --controller-class / --ingress-class it names', () => {
    const ws = workspaceOf(parseFixture(`${infra}
#- /app/ingresses.yaml${ingress('public', { className: 'nginx' })}---${ingress('internal', { className: 'internal-nginx' })}---${ingress('legacy', { annotations: { 'kubernetes.io/ingress.class': 'internal-nginx' } })}`));
    assert.deepEqual(controllers(ws), {
      public: { kind: 'ingress-nginx', evidence: 'ingressclass', workloads: ['public-controller'] },
      internal: { kind: 'ingress-nginx', evidence: 'ingressclass', workloads: ['internal-controller'] },
      legacy: { kind: 'ingress-nginx', evidence: 'ingressclass', workloads: ['internal-controller'] },
    });
  });

  test('the custom controller class is ingress-nginx: its rewrite-target rule applies', () => {
    checkFindings(`${infra}
#- /app/ingress.yaml${rewriteFinding(ingress('internal', { className: 'internal-nginx', annotations: REWRITE }))}`, REWRITE_ONLY);
  });

  test('negative: without the controller pods, `k8s.io/internal-nginx` is an unknown controller (a Service named like ingress-nginx is no evidence)', () => {
    const noPods = `
#- /infra/classes.yaml${ingressClass('internal-nginx', 'k8s.io/internal-nginx')}
#- /infra/services.yaml${service('ingress-nginx-controller-internal', { namespace: 'ingress', type: 'LoadBalancer' })}---${service('ingress-nginx-controller', { namespace: 'ingress', type: 'LoadBalancer' })}`;
    checkFindings(`${noPods}
#- /app/ingress.yaml${ingress('internal', { className: 'internal-nginx', annotations: REWRITE })}`, REWRITE_ONLY);
    const ws = workspaceOf(parseFixture(`${noPods}
#- /app/ingress.yaml${ingress('internal', { className: 'internal-nginx', annotations: REWRITE })}`));
    assert.deepEqual(controllers(ws).internal, { kind: 'unknown', evidence: 'ingressclass', workloads: [] });
  });

  test('the same host and path under the two classes is no conflict; under one class it is, with ingress-nginx\'s consequence', () => {
    checkFindings(`${infra}
#- /app/ingresses.yaml${ingress('public', { className: 'nginx' })}---${ingress('internal', { className: 'internal-nginx' })}`, CONFLICTS_ONLY);
    const findings = checkFindings(`${infra}
#- /app/ingresses.yaml${conflict(ingress('a', { className: 'internal-nginx' }), 'b')}---${conflict(ingress('b', { className: 'internal-nginx' }), 'a')}`, CONFLICTS_ONLY);
    assert.match(findings[0].message, /ingress-nginx's admission webhook rejects the later Ingress/);
  });

  test('negative: two Ingresses of the unknown `k8s.io/internal-nginx` (no controller pods) do not conflict', () => {
    checkFindings(`
#- /infra/classes.yaml${ingressClass('internal-nginx', 'k8s.io/internal-nginx')}
#- /app/ingresses.yaml${ingress('a', { className: 'internal-nginx' })}---${ingress('b', { className: 'internal-nginx' })}`, CONFLICTS_ONLY);
  });

  test('a controller pod serving a legacy class name (no IngressClass objects) is found by --ingress-class', () => {
    const pod = `
#- /infra/internal.yaml${controllerDeployment('internal-controller', 'registry.k8s.io/ingress-nginx/controller:v1.11.2', ['--ingress-class=internal-nginx'])}`;
    const legacy = (name: string) => ingress(name, { annotations: { 'kubernetes.io/ingress.class': 'internal-nginx' } });
    checkFindings(`${pod}
#- /app/ingresses.yaml${conflict(legacy('a'), 'b')}---${conflict(legacy('b'), 'a')}`, CONFLICTS_ONLY);
    // Negative: without the pod the class name is nobody's, and nothing is concluded.
    checkFindings(`
#- /app/ingresses.yaml${legacy('a')}---${legacy('b')}`, CONFLICTS_ONLY);
  });
});

// ── AWS Load Balancer Controller ────────────────────────────────────────────────────────────

describe('AWS Load Balancer Controller', () => {
  const redirect = {
    'alb.ingress.kubernetes.io/actions.ssl-redirect': '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}',
  };

  test('`port.name: use-annotation` backends are actions: no missing Service, no missing port, no invalid port name', () => {
    checkFindings(`
#- /app/alb.yaml${service('web')}---${ingress('web', { className: 'alb', annotations: redirect, service: 'ssl-redirect', port: 'name: use-annotation' })}`);
  });

  test('negative: the same backend with a real port name is a missing Service', () => {
    checkFindings(`
#- /app/alb.yaml${service('web')}---${mark(ingress('web', { className: 'alb', annotations: redirect, service: 'ssl-redirect', port: 'name: http' }), 'name: ssl-redirect', 'error ingress-backend-service-missing', 'ssl-redirect')}`);
  });

  test('Ingresses without group.name get an ALB each: the same host and path is no conflict', () => {
    checkFindings(`
#- /app/alb.yaml${ingress('a', { className: 'alb' })}---${ingress('b', { className: 'alb' })}---${ingress('c', { className: 'alb', annotations: { 'alb.ingress.kubernetes.io/group.name': 'shop' } })}`, CONFLICTS_ONLY);
  });

  test('two Ingresses of one IngressGroup share the ALB: a conflict, explained with the group', () => {
    const group = { 'alb.ingress.kubernetes.io/group.name': 'shop' };
    const [finding] = checkFindings(`
#- /app/alb.yaml${conflict(ingress('a', { className: 'alb', annotations: group }), 'b')}---${conflict(ingress('b', { className: 'alb', annotations: group }), 'a')}`, CONFLICTS_ONLY);
    assert.match(finding.message, /IngressGroup `shop`/);
    assert.doesNotMatch(finding.message, /ingress-nginx/);
  });

  test('NodePort hint only with IP targets (instance targets need the NodePort)', () => {
    const nodePort = (ingressAnnotations: Record<string, string>) => `
#- /app/alb.yaml${service('web', { type: 'NodePort' })}---${ingress('web', { className: 'alb', annotations: ingressAnnotations })}`;
    checkFindings(nodePort({}));
    checkFindings(nodePort({ 'alb.ingress.kubernetes.io/target-type': 'instance' }));
    checkFindings(mark(nodePort({ 'alb.ingress.kubernetes.io/target-type': 'ip' }), BACKEND_NAME, 'hint ingress-backend-nodeport ~ AWS Load Balancer Controller reaches Services inside the cluster', 'web'));
  });
});

// ── GKE Ingress ─────────────────────────────────────────────────────────────────────────────

describe('GKE Ingress (gce)', () => {
  const gce = { 'kubernetes.io/ingress.class': 'gce' };

  test('every Ingress gets its own load balancer: the same host and path is no conflict', () => {
    checkFindings(`
#- /app/gce.yaml${ingress('a', { annotations: gce })}---${ingress('b', { annotations: gce })}`, CONFLICTS_ONLY);
  });

  test('a NodePort hint only when the Service uses NEGs for Ingress', () => {
    const fixture = (serviceAnnotations: Record<string, string>) => `
#- /app/gce.yaml${service('web', { type: 'NodePort', annotations: serviceAnnotations })}---${ingress('web', { annotations: gce })}`;
    checkFindings(fixture({}), { only: ['ingress-backend-nodeport'] });
    checkFindings(fixture({ 'cloud.google.com/neg': '{"ingress": false}' }), { only: ['ingress-backend-nodeport'] });
    checkFindings(mark(fixture({ 'cloud.google.com/neg': '{"ingress": true}' }), BACKEND_NAME, 'hint ingress-backend-nodeport ~ GKE Ingress (ingress-gce) reaches Services inside the cluster', 'web'), { only: ['ingress-backend-nodeport'] });
  });

  test('ingress-nginx annotations on a GCE Ingress are inert: no rewrite-target rule', () => {
    checkFindings(`
#- /app/gce.yaml${ingress('web', { annotations: { ...gce, ...REWRITE } })}`, REWRITE_ONLY);
  });
});

// ── NGINX Ingress Controller (NGINX Inc / F5) ───────────────────────────────────────────────

describe('NGINX Ingress Controller by NGINX Inc (nginx.org)', () => {
  test('an IngressClass of `nginx.org/ingress-controller`: left-over ingress-nginx rewrite-target is not checked', () => {
    checkFindings(`
#- /infra/class.yaml${ingressClass('nginx', 'nginx.org/ingress-controller')}
#- /app/ingress.yaml${ingress('web', { className: 'nginx', annotations: { ...REWRITE, 'nginx.org/rewrites': 'serviceName=web rewrite=/' } })}`, REWRITE_ONLY);
  });

  test('class `nginx` with an NGINX Inc controller pod in the workspace: NGINX Inc, not ingress-nginx', () => {
    const pod = `
#- /infra/nginx-inc.yaml${controllerDeployment('nginx-ingress', 'nginx/nginx-ingress:3.7.0', ['-nginx-configmaps=$(POD_NAMESPACE)/nginx-config', '-ingress-class=nginx'])}`;
    checkFindings(`${pod}
#- /app/ingress.yaml${ingress('web', { className: 'nginx', annotations: REWRITE })}`, REWRITE_ONLY);
    // Negative: without the pod, class `nginx` with ingress-nginx annotations is ingress-nginx.
    checkFindings(`
#- /app/ingress.yaml${rewriteFinding(ingress('web', { className: 'nginx', annotations: REWRITE }))}`, REWRITE_ONLY);
  });

  test('class `nginx` with only nginx.org annotations is NGINX Inc\'s', () => {
    const ws = workspaceOf(parseFixture(`
#- /app/ingress.yaml${ingress('web', { className: 'nginx', annotations: { 'nginx.org/path-regex': 'case_sensitive' } })}`));
    assert.deepEqual(controllers(ws).web, { kind: 'nginx-inc', evidence: 'annotations', workloads: [] });
  });

  test('the path conflict message says what NGINX Inc does, and does not blame ingress-nginx\'s webhook', () => {
    const [finding] = checkFindings(`
#- /infra/class.yaml${ingressClass('nginx', 'nginx.org/ingress-controller')}
#- /app/ingresses.yaml${conflict(ingress('a', { className: 'nginx' }), 'b')}---${conflict(ingress('b', { className: 'nginx' }), 'a')}`, CONFLICTS_ONLY);
    assert.match(finding.message, /NGINX Ingress Controller gives a host to one Ingress only \(the oldest\)/);
    assert.doesNotMatch(finding.message, /webhook|ingress-nginx/);
  });
});

// ── Traefik ─────────────────────────────────────────────────────────────────────────────────

describe('Traefik', () => {
  test('class `traefik`: ingress-nginx annotations left over are not checked', () => {
    checkFindings(`
#- /app/ingress.yaml${ingress('web', { className: 'traefik', annotations: REWRITE })}`, REWRITE_ONLY);
  });

  test('the same host and path in two Ingresses: equal router priority', () => {
    const [finding] = checkFindings(`
#- /app/ingresses.yaml${conflict(ingress('a', { className: 'traefik' }), 'b')}---${conflict(ingress('b', { className: 'traefik' }), 'a')}`, CONFLICTS_ONLY);
    assert.match(finding.message, /Traefik gives both routers the same priority/);
  });

  test('a Traefik pod started with --providers.kubernetesingress.ingressclass serves that class', () => {
    const ws = workspaceOf(parseFixture(`
#- /infra/traefik.yaml${controllerDeployment('traefik', 'traefik:v3.1', ['--providers.kubernetesingress', '--providers.kubernetesingress.ingressclass=edge'])}
#- /app/ingress.yaml${ingress('web', { annotations: { 'kubernetes.io/ingress.class': 'edge' } })}`));
    assert.deepEqual(controllers(ws).web, { kind: 'traefik', evidence: 'controller-pod', workloads: ['traefik'] });
  });
});

// ── unknown controllers ─────────────────────────────────────────────────────────────────────

describe('an unknown controller: Kubernetes semantics only', () => {
  const unknown = `
#- /infra/class.yaml${ingressClass('edge', 'example.com/edge-controller')}`;

  test('no controller rules (rewrite, conflicts, NodePort hint), whatever the annotations', () => {
    checkFindings(`${unknown}
#- /app/ingresses.yaml${service('web', { type: 'NodePort' })}---${ingress('a', { className: 'edge', annotations: REWRITE })}---${ingress('b', { className: 'edge' })}`);
  });

  test('Kubernetes checks still apply: missing Service, missing port, invalid port name', () => {
    checkFindings(`${unknown}
#- /app/ingresses.yaml${service('web')}---${mark(ingress('a', { className: 'edge', service: 'api' }), 'name: api', 'error ingress-backend-service-missing', 'api')}---${mark(ingress('b', { className: 'edge', host: 'b.example.com', port: 'number: 8080' }), 'number: 8080', 'error ingress-backend-port-missing', '8080')}---${mark(mark(ingress('c', { className: 'edge', host: 'c.example.com', port: 'name: Web_Port' }), 'name: Web_Port', 'error port-invalid', 'Web_Port'), 'name: Web_Port', 'error ingress-backend-port-missing', 'Web_Port')}`);
  });

  test('an Ingress that names no class, with no default class, no controller pods and no annotations: unknown', () => {
    const ws = workspaceOf(parseFixture(`
#- /app/ingress.yaml${ingress('web')}`));
    assert.deepEqual(controllers(ws).web, { kind: 'unknown', evidence: 'none', workloads: [] });
  });
});

// ── default IngressClass vs annotations ─────────────────────────────────────────────────────

describe('a default IngressClass of another controller vs an Ingress with ingress-nginx annotations', () => {
  test('the default class of another example (another folder): the Ingress was written for ingress-nginx', () => {
    checkFindings(`
#- /cluster/classes.yaml${ingressClass('traefik', 'traefik.io/ingress-controller', true)}
#- /app/ingress.yaml${rewriteFinding(ingress('web', { annotations: REWRITE }))}`, REWRITE_ONLY);
  });

  test('two such Ingresses conflict the ingress-nginx way', () => {
    const nginxAnnotations = { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' };
    const [finding] = checkFindings(`
#- /cluster/classes.yaml${ingressClass('traefik', 'traefik.io/ingress-controller', true)}
#- /app/ingresses.yaml${conflict(ingress('a', { annotations: nginxAnnotations }), 'b')}---${conflict(ingress('b', { annotations: nginxAnnotations }), 'a')}`, CONFLICTS_ONLY);
    assert.match(finding.message, /ingress-nginx's admission webhook/);
  });

  test('negative: an Ingress naming the class explicitly is that controller\'s, whatever its annotations', () => {
    checkFindings(`
#- /cluster/classes.yaml${ingressClass('traefik', 'traefik.io/ingress-controller', true)}
#- /app/ingress.yaml${ingress('web', { className: 'traefik', annotations: REWRITE })}`, REWRITE_ONLY);
  });

  test('negative: without controller annotations the default class decides (Traefik)', () => {
    const ws = workspaceOf(parseFixture(`
#- /cluster/classes.yaml${ingressClass('traefik', 'traefik.io/ingress-controller', true)}
#- /app/ingress.yaml${ingress('web')}`));
    assert.deepEqual(controllers(ws).web, { kind: 'traefik', evidence: 'ingressclass', workloads: [] });
  });

  test('negative: a default class applied together with the Ingress (same file) is the one the admission plugin assigns', () => {
    // k8s-semantics.md §3.7: the DefaultIngressClass admission plugin sets ingressClassName on new
    // Ingresses that name no class; ingress-nginx annotations on a Traefik Ingress do nothing.
    checkFindings(`
#- /app/all.yaml${ingressClass('traefik', 'traefik.io/ingress-controller', true)}---${ingress('web', { annotations: REWRITE })}`, REWRITE_ONLY);
  });
});

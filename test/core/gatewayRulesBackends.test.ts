/**
 * Gateway API backendRef rules (docs/gateway-api-semantics.md §8, §11): missing Services
 * (route-backend-not-found), missing or wrong ports (route-backend-port-missing), cross-namespace
 * references without a ReferenceGrant (route-ref-not-permitted, also for listener certificateRefs),
 * kinds no implementation serves (route-invalid-kind) and rules that answer 500
 * (route-rule-without-backends).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { effectiveSeverity } from '../../server/src/core';
import { allFindings, checkFindings, workspaceOf } from '../helpers/check';
import type { CheckOptions } from '../helpers/check';
import { parseFixture } from '../helpers/fixture';

/**
 * checkFindings (test/helpers/check.ts) for rules whose ranges run to the end of a line (a rule's
 * or a match's first line, written with end character MAX_SAFE_INTEGER as LSP allows): such a
 * range is compared as ending at the end of its line, so its annotation's carets reach the end of
 * the line. Everything else is compared as checkFindings does.
 */
function checkLines(source: string, options: CheckOptions = {}): void {
  const fixture = parseFixture(source);
  const lines = new Map(fixture.files.map((f) => [f.uri, f.text.split('\n')]));
  const findings = allFindings(workspaceOf(fixture, options.settings)).filter((f) => !options.only || options.only.includes(f.rule));
  const render = (uri: string, line: number, start: number, end: number, label: string) => `${uri.replace('file://', '')}:${line + 1}:${start + 1}-${Math.min(end, lines.get(uri)![line].length) + 1} ${label}`;
  const actual = findings.map((f) => render(f.uri, f.range.start.line, f.range.start.character, f.range.end.line === f.range.start.line ? f.range.end.character : Number.MAX_SAFE_INTEGER, `${effectiveSeverity(f, {})} ${f.rule}`));
  const expected = fixture.annotations.map((a) => {
    const [label, contains] = a.label.split('~').map((s) => s.trim());
    if (contains) {
      const match = findings.find((f) => f.uri === a.uri && f.range.start.line === a.range.start.line && f.range.start.character === a.range.start.character && `${effectiveSeverity(f, {})} ${f.rule}` === label);
      assert.ok(match, `no finding for annotation "${a.label}"`);
      assert.ok(match.message.includes(contains), `message "${match.message}" does not contain "${contains}"`);
    }
    return render(a.uri, a.range.start.line, a.range.start.character, a.range.end.character, label);
  });
  assert.deepEqual(actual.sort(), expected.sort(), `findings differ.\nMessages:\n${findings.map((f) => `  ${f.rule}: ${f.message}`).join('\n')}`);
}

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: apps
spec:
  gatewayClassName: eg
  listeners:
    - name: web
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: All
`;

function service(name: string, namespace = 'apps', extra = ''): string {
  return `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:${extra}
  ports:
    - name: http
      port: 80
      targetPort: 8080
    - name: metrics
      port: 9090
`;
}

const BACKENDS = { only: ['route-backend-not-found', 'route-backend-port-missing', 'route-invalid-kind'] };

describe('route-backend-not-found', () => {
  test('a misspelt Service next to Services: error with did-you-mean, BackendNotFound', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shpo
          #     ^^^^ error route-backend-not-found ~ HTTPRoute \`shop\` sends to Service \`shpo\`, but namespace \`apps\` has no Service of that name, so its share of the requests gets 500 (BackendNotFound); did you mean \`shop\`?
          port: 80
        - name: shop
          port: 80
`, BACKENDS);
  });

  test('the backendRef namespace is the route\'s unless set; a Service of another namespace does not count', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop', 'other')}
---
${service('cart')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          #     ^^^^ error route-backend-not-found ~ namespace \`apps\` has no Service of that name
          port: 80
`, BACKENDS);
  });

  test('no Services in that namespace in the workspace: information', () => {
    checkFindings(`
#- /app/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          #     ^^^^ information route-backend-not-found ~ the workspace defines no Services in namespace \`apps\`
          port: 80
`, BACKENDS);
  });

  test('Services only in another folder, without a close spelling: information', () => {
    checkFindings(`
#- /services/svc.yaml
${service('cart')}
#- /routes/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          #     ^^^^ information route-backend-not-found
          port: 80
`, BACKENDS);
  });

  test('a RequestMirror backendRef is checked too', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - filters:
        - type: RequestMirror
          requestMirror:
            backendRef:
              name: shpo
              #     ^^^^ error route-backend-not-found ~ HTTPRoute \`shop\` mirrors to Service \`shpo\`, but namespace \`apps\` has no Service of that name, so the mirrored copies go nowhere (BackendNotFound); did you mean \`shop\`?
              port: 80
      backendRefs:
        - name: shop
          port: 80
`, BACKENDS);
  });
});

describe('route-backend-port-missing', () => {
  test('a Service backendRef without port: the CRD rejects it', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          #     ^^^^ error route-backend-port-missing ~ without a \`port\`; a backendRef to a Service must name one of its ports, so the API server rejects the HTTPRoute (Must have port for Service reference); Service \`shop\` has ports 80 (http), 9090 (metrics)
`, BACKENDS);
  });

  test('a port the Service does not have; the targetPort is explained', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          port: 8080
          #     ^^^^ error route-backend-port-missing ~ port 8080 of Service \`shop\`, but the Service has no such port; it has ports 80 (http), 9090 (metrics); 8080 is the targetPort of port 80 (a backendRef names the Service port); did you mean \`80\`?
        - name: shop
          port: 81
          #     ^^ error route-backend-port-missing ~ but the Service has no such port
        - name: shop
          port: 9090
`, BACKENDS);
  });

  test('ExternalName Services are not judged on ports; a Service found only in another folder caps to information', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
apiVersion: v1
kind: Service
metadata:
  name: external
  namespace: apps
spec:
  type: ExternalName
  externalName: api.example.com
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: external
          port: 443
        - name: far
          port: 81
          #     ^^ information route-backend-port-missing ~ that Service is defined in another folder and may not be the one applied with this route
#- /elsewhere/svc.yaml
${service('far')}
`, BACKENDS);
  });
});

describe('route-invalid-kind (backendRef)', () => {
  test('core kinds other than Service and gateway.networking.k8s.io kinds; other groups are implementation-specific', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - kind: Deployment
          #     ^^^^^^^^^^ error route-invalid-kind ~ HTTPRoute \`shop\` sends to Deployment \`shop\`, but backends of the core group can only be Services (InvalidKind)
          name: shop
          port: 80
        - group: gateway.networking.k8s.io
          kind: HTTPRoute
          #     ^^^^^^^^^ error route-invalid-kind ~ sends to gateway.networking.k8s.io/HTTPRoute \`other\`, but no kind of the gateway.networking.k8s.io group is a backend (InvalidKind)
          name: other
        - group: multicluster.x-k8s.io
          kind: ServiceImport
          name: shop
          port: 80
        - group: unknownkind.example.com
          kind: NonExistent
          name: shop
        - group: ""
          kind: Service
          name: shop
          port: 80
`, BACKENDS);
  });
});

describe('route-ref-not-permitted', () => {
  const route = (extra = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          namespace: backend
${extra}          port: 80
`;
  const grant = (from: { group?: string; kind?: string; namespace?: string } = {}, to: { group?: string; kind?: string; name?: string } = {}, namespace = 'backend') => `
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-apps
  namespace: ${namespace}
spec:
  from:
    - group: ${from.group ?? 'gateway.networking.k8s.io'}
      kind: ${from.kind ?? 'HTTPRoute'}
      namespace: ${from.namespace ?? 'apps'}
  to:
    - group: "${to.group ?? ''}"
      kind: ${to.kind ?? 'Service'}
${to.name ? `      name: ${to.name}\n` : ''}`;
  const ONLY = { only: ['route-ref-not-permitted'] };

  test('a grant in the target namespace permits it (with or without a name; v1beta1 and v1 alike)', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop', 'backend')}
---
${route()}
---
${grant()}
`, ONLY);
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop', 'backend')}
---
${route()}
---
${grant({}, { name: 'shop' }).replace('v1beta1', 'v1')}
`, ONLY);
  });

  test('no grant, the target Service applied with the route: warning', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${service('shop', 'backend')}
---
${route().replace('        - name: shop\n', '        - name: shop\n          #     ^^^^ warning route-ref-not-permitted ~ HTTPRoute `shop` (backendRef) refers to Service `shop` in namespace `backend`, but no ReferenceGrant in `backend` permits references from `{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps}` (RefNotPermitted)\n')}
`, ONLY);
  });

  test('no grant and nothing of the target namespace nearby: information (the grant may be applied with that namespace)', () => {
    checkFindings(`
#- /app/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - backendRefs:
        - name: shop
          #     ^^^^ information route-ref-not-permitted ~ (a grant may be applied with namespace \`backend\`'s objects elsewhere)
          namespace: backend
          port: 80
`, ONLY);
  });

  test('grants that nearly match: each is a warning that says what is wrong', () => {
    const cases: [string, string][] = [
      [grant({}, { name: 'cart' }), 'it names `cart`, not `shop`'],
      [grant({ kind: 'GRPCRoute' }), 'its from kind is `GRPCRoute`, not `HTTPRoute`'],
      [grant({ namespace: 'web' }), 'its from namespace is `web`, not `apps`'],
      [grant({ group: 'gateway.networking.k8s.io.example' }), 'its from group is `gateway.networking.k8s.io.example`, not `gateway.networking.k8s.io`'],
      [grant({}, { kind: 'Secret' }), 'its to kind is `Secret`, not `Service`'],
      [grant({}, { group: 'core' }), 'its to group is `core`, not `""`'],
      [grant({}, {}, 'apps'), 'is in namespace `apps`, but a grant must be in the target\'s namespace `backend`'],
    ];
    for (const [g, why] of cases) {
      checkFindings(`
#- /app/route.yaml
${route()}
---
${g}
`.replace('        - name: shop\n', `        - name: shop\n          #     ^^^^ warning route-ref-not-permitted ~ ${why}\n`), ONLY);
    }
  });

  test('a grant from Gateway to Secret permits a listener certificateRef in another namespace; a missing one is RefNotPermitted', () => {
    const gateway = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: eg
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: wildcard
            namespace: certs
`;
    const secret = `
apiVersion: v1
kind: Secret
metadata:
  name: wildcard
  namespace: certs
type: kubernetes.io/tls
`;
    const certGrant = `
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: gateways
  namespace: certs
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: Gateway
      namespace: infra
  to:
    - group: ""
      kind: Secret
`;
    checkFindings(`
#- /app/all.yaml
${gateway}
---
${secret}
---
${certGrant}
`, { only: ['route-ref-not-permitted', 'gateway-invalid-certificate-ref'] });
    checkFindings(`
#- /app/all.yaml
${gateway.replace('          - name: wildcard\n', '          - name: wildcard\n            #     ^^^^^^^^ warning route-ref-not-permitted ~ listener `https` of Gateway `edge` refers to Secret `wildcard` in namespace `certs`, but no ReferenceGrant in `certs` permits references from `{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}`\n')}
---
${secret}
`, { only: ['route-ref-not-permitted', 'gateway-invalid-certificate-ref'] });
    // RefNotPermitted takes priority over InvalidCertificateRef (§3.4): a missing Secret behind a
    // forbidden reference is reported once, as not permitted.
    checkFindings(`
#- /app/all.yaml
${gateway.replace('          - name: wildcard\n', '          - name: wildcard\n            #     ^^^^^^^^ information route-ref-not-permitted\n')}
`, { only: ['route-ref-not-permitted', 'gateway-invalid-certificate-ref'] });
  });
});

describe('route-rule-without-backends', () => {
  const ONLY = { only: ['route-rule-without-backends'] };

  test('a rule without backendRefs answers 500; a redirect or an ExtensionRef answers by itself', () => {
    checkLines(`
#- /app/all.yaml
${GATEWAY}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - matches:
    # ^^^^^^^^ warning route-rule-without-backends ~ HTTPRoute \`shop\`: rule 1 has no backendRefs and no RequestRedirect, so every request it matches answers 500
        - path:
            value: /todo
    - name: later
    # ^^^^^^^^^^^ warning route-rule-without-backends ~ rule \`later\` has no backendRefs
      matches:
        - path:
            value: /later
      backendRefs: []
    - matches:
        - path:
            value: /old
      filters:
        - type: RequestRedirect
          requestRedirect:
            path:
              type: ReplaceFullPath
              replaceFullPath: /new
    - matches:
        - path:
            value: /ext
      filters:
        - type: ExtensionRef
          extensionRef:
            group: example.com
            kind: Handler
            name: h
    - matches:
        - path:
            value: /ok
      backendRefs:
        - name: shop
          port: 80
`, ONLY);
  });

  test('an HTTPRoute without rules gets the default catch-all rule, which has no backends', () => {
    checkLines(`
#- /app/all.yaml
${GATEWAY}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: placeholder
  #     ^^^^^^^^^^^ warning route-rule-without-backends ~ has no rules: the default rule matches every request (PathPrefix \`/\`) and has no backendRefs, so every request it gets answers 500
  namespace: apps
spec:
  parentRefs:
    - name: edge
`, ONLY);
  });

  test('a GRPCRoute rule answers UNAVAILABLE; mesh routes (Service parents) are not judged', () => {
    checkLines(`
#- /app/all.yaml
${GATEWAY}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: grpc
  namespace: apps
spec:
  parentRefs:
    - name: edge
  rules:
    - matches:
    # ^^^^^^^^ warning route-rule-without-backends ~ answers an error (UNAVAILABLE)
        - method:
            service: shop.Cart
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: mesh
  namespace: apps
spec:
  parentRefs:
    - group: ""
      kind: Service
      name: shop
  rules:
    - matches:
        - path:
            value: /todo
`, ONLY);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { findDefinition } from '../../../server/src/core';
import { checkDefinition, checkReferences } from '../../helpers/features';
import { parseFixture } from '../../helpers/fixture';
import { workspaceOf } from '../../helpers/check';

/** A Gateway with two listeners; `marks` puts annotations under its name and listener names. */
function gateway(marks: { name?: string; http?: string; https?: string; httpsPort?: string } = {}): string {
  const under = (label: string | undefined, line: string) => (label ? `${line}\n${label}` : line);
  return `
#- /infra/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: nginx
spec:
  controllerName: gateway.nginx.org/nginx-gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
${under(marks.name, '  name: web')}
  namespace: prod
spec:
  gatewayClassName: nginx
  listeners:
${under(marks.http, '    - name: http')}
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: All
${under(marks.https, '    - name: https')}
${under(marks.httpsPort, '      port: 443')}
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: cert
      allowedRoutes:
        namespaces:
          from: Same
`;
}

const SERVICE = `
#- /shop/api.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  #     ^^^ svc
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 8080
      #     ^^^^ port
      targetPort: http
`;

/** Keeps only the annotations whose label is given (renamed to `target` / `ref`), so one fixture serves several questions. */
function only(source: string, keep: Record<string, string>): string {
  return source.replace(/^(\s*#\s*\^+\s*)(\S+)$/gm, (_line, prefix: string, label: string) => (keep[label] ? `${prefix}${keep[label]}` : '\u0000')).replace(/\u0000\n/g, '');
}

describe('Gateway API go to definition', () => {
  test('parentRef name → the Gateway and the listener its sectionName names; sectionName → the listener', () => {
    const route = (cursorOnName: boolean) => `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
    - name: ${cursorOnName ? 'w$0eb' : 'web'}
      namespace: prod
      sectionName: ${cursorOnName ? 'http' : 'ht$0tp'}
`;
    checkDefinition(`${gateway({ name: '  #     ^^^ target', http: '    #       ^^^^ target' })}${route(true)}`);
    checkDefinition(`${gateway({ http: '    #       ^^^^ target' })}${route(false)}`);
  });

  test('parentRef without sectionName → the Gateway only; port → the listeners on that port', () => {
    const route = (port: string) => `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: prod
spec:
  parentRefs:
    - name: we$0b
      namespace: prod
${port}`;
    checkDefinition(`${gateway({ name: '  #     ^^^ target' })}${route('')}`);
    checkDefinition(`${gateway({ httpsPort: '      #     ^^^ target' })}${route('').replace('we$0b', 'web')}      port: 4$043\n`);
  });

  test('a sectionName no listener has, a Gateway the workspace lacks: nowhere to go', () => {
    const route = (name: string, section: string) => `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: prod
spec:
  parentRefs:
    - name: ${name}
      sectionName: ${section}
`;
    checkDefinition(`${gateway()}${route('web', 'adm$0in')}`);
    checkDefinition(`${gateway()}${route('we$0bb', 'http')}`);
  });

  test('backendRef name → the Service; port → the Service port; gatewayClassName → the GatewayClass', () => {
    const route = (name: string, port: string) => `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - backendRefs:
        - name: ${name}
          port: ${port}
`;
    checkDefinition(`${only(SERVICE, { svc: 'target' })}${route('a$0pi', '8080')}`);
    checkDefinition(`${only(SERVICE, { port: 'target' })}${route('api', '80$080')}`);
    // A port the Service does not have: no definition.
    checkDefinition(`${only(SERVICE, {})}${route('api', '80$081')}`);
    checkDefinition(gateway().replace('  name: nginx\n', '  name: nginx\n  #     ^^^^^ target\n').replace('  gatewayClassName: nginx', '  gatewayClassName: ng$0inx'));
  });

  const grant = (to: string, mark = '') => `
#- /shop/grant.yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-front
  namespace: shop
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: front
  to:
    - group: ""${mark}
      kind: Service
${to}`;
  const frontRoute = (namespaceField: string, nameMark = '') => `
#- /front/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: front
  namespace: front
spec:
  rules:
    - backendRefs:
        - name: api${nameMark}
          namespace: ${namespaceField}
          port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: grpc
  namespace: front
spec:
  rules:
    - backendRefs:
        - name: api
          namespace: shop
          port: 8080
`;

  test('a cross-namespace backendRef namespace → the ReferenceGrant entry that permits it', () => {
    checkDefinition(`${only(SERVICE, {})}${grant('      name: api\n', '\n    # ^ target …')}${frontRoute('sh$0op')}`);
    // No grant permits it: nowhere to go.
    checkDefinition(`${only(SERVICE, {})}${grant('      name: other\n')}${frontRoute('sh$0op')}`);
  });

  test('a ReferenceGrant entry → the backendRefs it lets across namespaces (not the GRPCRoute its `from` leaves out)', () => {
    checkDefinition(`${only(SERVICE, {})}${grant('      name: api\n').replace('    - group: ""', '    - group: $0""')}${frontRoute('shop', '\n          #     ^^^ target')}`);
    checkDefinition(`${only(SERVICE, {})}${grant('').replace('      kind: HTTPRoute', '      kind: HTTP$0Route')}${frontRoute('shop', '\n          #     ^^^ target')}`);
    // A `to` entry naming another Service permits none of them.
    checkDefinition(`${only(SERVICE, {})}${grant('      name: other\n').replace('    - group: ""', '    - group: $0""')}${frontRoute('shop')}`);
  });

  test('definition answers nothing on plain text', () => {
    const fixture = parseFixture(`${gateway().replace('      protocol: HTTPS', '      protocol: HT$0TPS')}`);
    assert.deepEqual(findDefinition(workspaceOf(fixture), fixture.cursor!.uri, fixture.cursor!.position), []);
  });
});

describe('Gateway API find references', () => {
  const routes = `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
    - name: web
      #     ^^^ gw
      namespace: prod
      sectionName: http
      #            ^^^^ http
  rules:
    - backendRefs:
        - name: api
          #     ^^^ svcref
          port: 8080
          #     ^^^^ portref
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
  namespace: prod
spec:
  parentRefs:
    - name: web
      #     ^^^ gwadmin
  rules:
    - backendRefs:
        - name: api
          #     ^^^ svcref
          namespace: shop
          port: 8080
          #     ^^^^ portref
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: refused
  namespace: shop
spec:
  parentRefs:
    - name: web
      #     ^^^ gwrefused
      namespace: prod
      sectionName: https
#- /shop/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: legacy
  namespace: shop
spec:
  defaultBackend:
    service:
      name: api
      #     ^^^ svcref
      port:
        number: 8080
        #       ^^^^ portref
`;

  test('Service → the Ingress backends and the route backendRefs naming it; a Service port → the backendRefs using it', () => {
    checkReferences(`${only(SERVICE.replace('  name: api\n', '  name: a$0pi\n'), {})}${only(routes, { svcref: 'ref' })}`);
    checkReferences(`${only(SERVICE.replace('      port: 8080', '      port: 80$080'), {})}${only(routes, { portref: 'ref' })}`);
    // From a backendRef's name: the same references.
    checkReferences(`${only(SERVICE, {})}${only(routes.replace('        - name: api\n          #     ^^^ svcref\n          port: 8080', '        - name: a$0pi\n          #     ^^^ svcref\n          port: 8080'), { svcref: 'ref' })}`);
  });

  test('Gateway → every parentRef naming it; a listener → the routes it accepts (not those it refuses)', () => {
    const gw = gateway().replace('  name: web\n  namespace: prod', '  name: w$0eb\n  namespace: prod');
    checkReferences(`${gw}${only(routes, { gw: 'ref', gwadmin: 'ref', gwrefused: 'ref' })}${only(SERVICE, {})}`);
    // `https` accepts only namespace prod (Same): `admin` (no sectionName) attaches, `refused` does not.
    checkReferences(`${gateway().replace('    - name: https', '    - name: ht$0tps')}${only(routes, { gwadmin: 'ref' })}${only(SERVICE, {})}`);
    // `http`: the sectionName of `shop`, and `admin`, which names no listener and so attaches to every one that accepts it.
    checkReferences(`${gateway().replace('    - name: http\n', '    - name: ht$0tp\n')}${only(routes, { http: 'ref', gwadmin: 'ref' })}${only(SERVICE, {})}`);
  });
});

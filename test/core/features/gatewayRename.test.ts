import { describe, test } from 'node:test';
import { checkRename, checkRenameRefused } from '../../helpers/features';

const GATEWAY = `
#- /infra/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  #     ^^^ edit gw
  namespace: prod
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      #     ^^^^ edit http
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: All
    - name: https
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: cert
      allowedRoutes:
        namespaces:
          from: All
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: other
  namespace: prod
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      port: 8080
      protocol: HTTP
`;

const ROUTES = `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
    - name: web
      #     ^^^ edit gw
      namespace: prod
      sectionName: http
      #            ^^^^ edit http
    - name: other
      namespace: prod
      sectionName: http
  rules:
    - backendRefs:
        - name: api
          #     ^^^ edit svc
          port: 8080
#- /front/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: front
  namespace: front
spec:
  parentRefs:
    - name: web
      #     ^^^ edit gw
      namespace: prod
      sectionName: https
  rules:
    - backendRefs:
        - name: api
          #     ^^^ edit svc
          namespace: shop
          port: 8080
#- /shop/api.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  #     ^^^ edit svc
  namespace: shop
spec:
  ports:
    - port: 8080
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
      #     ^^^ edit svc
      port:
        number: 8080
`;

/** Keeps the `edit` annotations of one group (the label after `edit`), drops the others. */
function group(source: string, name: string): string {
  return source.replace(/^(\s*#\s*\^+\s*)edit (\S+)\n/gm, (_, prefix: string, label: string) => (label === name ? `${prefix}edit\n` : ''));
}

describe('Gateway API rename', () => {
  test('a Service: its name, the Ingress backends and the route backendRefs (also across namespaces)', () => {
    checkRename(group(`${GATEWAY}${ROUTES}`, 'svc').replace('  name: api\n  #     ^^^ edit\n  namespace: shop', '  name: a$0pi\n  #     ^^^ edit\n  namespace: shop'), 'api-v2');
    // From a backendRef's name: the same edits.
    checkRename(group(`${GATEWAY}${ROUTES}`, 'svc').replace('        - name: api\n          #     ^^^ edit\n          port: 8080', '        - name: a$0pi\n          #     ^^^ edit\n          port: 8080'), 'api-v2');
  });

  test('a Gateway: its name and every parentRef naming it (not those naming another Gateway)', () => {
    checkRename(group(`${GATEWAY}${ROUTES}`, 'gw').replace('  name: web\n', '  name: w$0eb\n'), 'public');
    checkRename(group(`${GATEWAY}${ROUTES}`, 'gw').replace('    - name: web\n      #     ^^^ edit\n      namespace: prod\n      sectionName: https', '    - name: w$0eb\n      #     ^^^ edit\n      namespace: prod\n      sectionName: https'), 'public');
  });

  test('a listener: its name and the sectionNames naming it on that Gateway only', () => {
    checkRename(group(`${GATEWAY}${ROUTES}`, 'http').replace('    - name: http\n      #', '    - name: ht$0tp\n      #'), 'plain');
    checkRename(group(`${GATEWAY}${ROUTES}`, 'http').replace('      sectionName: http\n      #', '      sectionName: ht$0tp\n      #'), 'plain');
  });

  test('refused: a listener name another listener has, an invalid name, a parentRef to nothing, a hostname', () => {
    const plain = group(`${GATEWAY}${ROUTES}`, 'none');
    checkRenameRefused(plain.replace('    - name: http\n', '    - name: ht$0tp\n'), 'https', /already the name of another listener/);
    checkRenameRefused(plain.replace('  name: web\n', '  name: w$0eb\n'), 'Web_1', /not a valid Gateway name/);
    checkRenameRefused(plain.replace('    - name: other\n      namespace: prod\n      sectionName: http', '    - name: other\n      namespace: prod\n      sectionName: ad$0min'), 'x', /No listener of that name/);
    checkRenameRefused(plain.replace('    - name: other\n', '    - name: oth$0er-gw\n'), 'x', /does not resolve to a Gateway/);
    checkRenameRefused(plain.replace('      protocol: HTTPS', '      protocol: HT$0TPS'), 'x', /renames Service names/);
  });
});

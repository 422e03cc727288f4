import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { completionsAt } from '../../helpers/features';

const WORKSPACE = `
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
  name: web
  namespace: prod
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      port: 80
      protocol: HTTP
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: internal
  namespace: staging
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      port: 80
      protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: extra
  namespace: prod
spec:
  parentRef:
    name: web
  listeners:
    - name: tenant
      port: 8443
      protocol: HTTPS
#- /shop/api.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  ports:
    - name: http
      port: 8080
      targetPort: http
    - name: metrics
      port: 9090
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: other
spec:
  ports:
    - port: 80
`;

function route(body: string): string {
  return `${WORKSPACE}
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
${body}`;
}

describe('Gateway API completion', () => {
  test('parentRef name: the Gateways of the parentRef namespace (ListenerSets with kind ListenerSet)', () => {
    assert.deepEqual(completionsAt(route('  parentRefs:\n    - namespace: prod\n      name: $0\n')), [{ label: 'web', detail: 'Gateway · class nginx · http 80/HTTP, https 443/HTTPS' }]);
    assert.deepEqual(completionsAt(route('  parentRefs:\n    - namespace: prod\n      kind: ListenerSet\n      name: $0\n')), [{ label: 'extra', detail: 'ListenerSet · tenant 8443/HTTPS' }]);
    // The route's own namespace when the parentRef has none: no Gateway there.
    assert.deepEqual(completionsAt(route('  parentRefs:\n    - name: $0\n')), []);
  });

  test('sectionName: the listeners of the Gateway the parentRef names; nothing when it names none', () => {
    assert.deepEqual(completionsAt(route('  parentRefs:\n    - name: web\n      namespace: prod\n      sectionName: $0\n')), [
      { label: 'http', detail: '80/HTTP · any hostname · Gateway web' },
      { label: 'https', detail: '443/HTTPS · shop.example.com · Gateway web' },
    ]);
    assert.deepEqual(completionsAt(route('  parentRefs:\n    - name: nope\n      namespace: prod\n      sectionName: $0\n')), []);
  });

  test('backendRef name: the Services of its namespace; port: the port numbers of the Service it names', () => {
    assert.deepEqual(completionsAt(route('  rules:\n    - backendRefs:\n        - name: $0\n')).map((c) => c.label), ['api']);
    assert.deepEqual(completionsAt(route('  rules:\n    - backendRefs:\n        - namespace: other\n          name: $0\n')).map((c) => c.label), ['web']);
    assert.deepEqual(completionsAt(route('  rules:\n    - backendRefs:\n        - name: api\n          port: $0\n')), [
      { label: '8080', detail: 'Service api · port 8080/TCP (http) → targetPort http' },
      { label: '9090', detail: 'Service api · port 9090/TCP (metrics) → targetPort 9090' },
    ]);
    assert.deepEqual(completionsAt(route('  rules:\n    - backendRefs:\n        - name: nope\n          port: $0\n')), []);
  });

  test('gatewayClassName: the GatewayClasses with their controllers', () => {
    const gateway = `${WORKSPACE}
#- /infra/new.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: new
spec:
  gatewayClassName: $0
`;
    assert.deepEqual(completionsAt(gateway), [{ label: 'nginx', detail: 'GatewayClass · gateway.nginx.org/nginx-gateway-controller' }]);
  });
});

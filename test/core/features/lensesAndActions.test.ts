import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { actionsAt, lensesOf } from '../../helpers/features';
import { expectSnapshot } from '../../helpers/expect';
import { WEB, WEB_SERVICE } from './seed';

describe('CodeLens', () => {
  test('above a Service: the pods it selects and the Ingress paths routed to it; above a workload: its Services', () => {
    const source = `${WEB_SERVICE}${WEB}
#- /app/ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - host: shop.test.pri
      http:
        paths:
          - path: /web
            pathType: Prefix
            backend:
              service:
                name: web-svc
                port:
                  number: 8080
`;
    assert.deepEqual(lensesOf(source), [
      { line: 1, title: 'selects 3 pods of Deployment web', locations: ['/app/web.yaml:12:7-12:13'] },
      { line: 1, title: 'routed from shop.test.pri/web', locations: ['/app/ing.yaml:14:23-14:30'] },
    ]);
    assert.deepEqual(lensesOf(`${WEB}${WEB_SERVICE}`), [{ line: 1, title: 'exposed by Service web-svc:8080 (NodePort 30080)', locations: ['/app/svc.yaml:4:9-4:16'] }]);
  });

  test('a Service that selects nothing, a workload nobody exposes', () => {
    assert.deepEqual(lensesOf(`${WEB_SERVICE.replace('app: web', 'app: nope')}`)[0].title, 'selects no pods');
    assert.deepEqual(lensesOf(`${WEB}`)[0].title, 'not exposed by any Service');
  });
});

describe('quick fixes', () => {
  test('did-you-mean fixes for selectors, Service names and port names', () => {
    const selector = actionsAt(`${WEB}${WEB_SERVICE.replace('  selector:\n    app: web', '  selector:\n    app: w$0be')}`);
    assert.deepEqual(selector.titles, ['Change to `app=web`']);
    assert.match(selector.apply('Change to `app=web`').get('/app/svc.yaml')!, /selector:\n    app: web\n/);
    const backend = actionsAt(`${WEB}${WEB_SERVICE}
#- /app/ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  defaultBackend:
    service:
      name: web-scv$0
      port:
        name: htp
`);
    assert.deepEqual(backend.titles, ['Change to `web-svc`']);
  });

  test('a broken targetPort: point it at a declared port, or declare the port', () => {
    const actions = actionsAt(`${WEB}${WEB_SERVICE.replace('targetPort: http', 'targetPort: ad$0min')}`);
    assert.deepEqual(actions.titles, ['Change targetPort to `http` (httpd in Deployment web)', 'Declare containerPort `admin` (8080) in container `httpd` of Deployment web']);
    expectSnapshot(actions.apply(/^Declare/).get('/app/web.yaml')!, 'fixes/add-container-port.yaml');
    assert.match(actions.apply(/^Change targetPort/).get('/app/svc.yaml')!, /targetPort: http\n/);
  });

  test('an out-of-range nodePort moves to a free one; a ClusterIP nodePort is removed', () => {
    const range = actionsAt(`${WEB_SERVICE.replace('nodePort: 30080', 'nodePort: 300$00')}
#- /other.yaml
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30000
`);
    assert.deepEqual(range.titles, ['Use nodePort 30001 (free, in 30000-32767)']);
    const clusterIp = actionsAt(`${WEB_SERVICE.replace('  type: NodePort\n  externalTrafficPolicy: Local\n', '').replace('nodePort: 30080', 'nodePort: 30$0080')}`);
    assert.deepEqual(clusterIp.titles, ['Remove nodePort']);
    assert.doesNotMatch(clusterIp.apply('Remove nodePort').get('/app/svc.yaml')!, /nodePort/);
  });

  test('migrate a removed v1beta1 Ingress to networking.k8s.io/v1 in one edit, keeping comments', () => {
    const actions = actionsAt(`
#- /legacy.yaml
# Routes for the shop
apiVersion: extensions/v1beta1$0
kind: Ingress
metadata:
  name: legacy
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  backend:
    serviceName: default-http-backend
    servicePort: 80
  rules:
  - host: shop.test.pri # the shop
    http:
      paths:
      - path: /cart
        backend:
          serviceName: cart
          servicePort: http
`);
    assert.deepEqual(actions.titles, ['Migrate Ingress to networking.k8s.io/v1']);
    expectSnapshot(actions.apply(/^Migrate/).get('/legacy.yaml')!, 'fixes/migrate-ingress.yaml');
  });

  test('create a ClusterIP Service for a workload that no Service selects', () => {
    const actions = actionsAt(`${WEB.replace('name: web\nspec', 'name: we$0b\nspec')}`);
    assert.deepEqual(actions.titles, ['Create a ClusterIP Service for Deployment web']);
    expectSnapshot(actions.apply(/^Create/).get('/app/web.yaml')!, 'fixes/create-service.yaml');
    assert.deepEqual(actionsAt(`${WEB.replace('name: web\nspec', 'name: we$0b\nspec')}${WEB_SERVICE}`).titles, []);
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { completionsAt } from '../../helpers/features';

const workspace = `
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-svc
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - name: http
      port: 8080
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: elsewhere
  namespace: other
spec:
  ports:
    - port: 80
#- /deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
        - name: httpd
          ports:
            - name: http
              containerPort: 80
            - name: metrics
              containerPort: 9100
#- /class.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;

describe('completion', () => {
  test('Ingress backend service.name: the Services of the namespace, with type and ports', () => {
    const items = completionsAt(`${workspace}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  defaultBackend:
    service:
      name: $0
`);
    assert.deepEqual(items, [{ label: 'web-svc', detail: 'Service · NodePort · 8080/TCP (http)' }]);
  });

  test('backend port.number / port.name: the ports of that Service', () => {
    const ingress = (field: string) => `${workspace}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  rules:
    - host: shop.test
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web-svc
                port:
                  ${field}: $0
`;
    assert.deepEqual(completionsAt(ingress('number')).map((i) => i.label), ['8080']);
    assert.deepEqual(completionsAt(ingress('name')).map((i) => i.label), ['http']);
  });

  test('Service selector keys and values: the labels of pod templates in the namespace', () => {
    const service = (line: string) => `${workspace}
#- /new.yaml
apiVersion: v1
kind: Service
metadata:
  name: new
  namespace: shop
spec:
  selector:
    ${line}
`;
    assert.deepEqual(completionsAt(service('$0')).map((i) => i.label), ['app', 'tier']);
    assert.deepEqual(completionsAt(service('tier: $0')), [{ label: 'front', detail: 'Deployment web (3 replicas)' }]);
  });

  test('targetPort: the containerPort names and numbers of the selected pods', () => {
    const items = completionsAt(workspace.replace('      targetPort: http', '      targetPort: $0'));
    assert.deepEqual(items.map((i) => i.label), ['80', '9100', 'http', 'metrics']);
    assert.ok(items.find((i) => i.label === 'http')?.detail.includes('containerPort 80/TCP · httpd in Deployment web'));
  });

  test('scaleTargetRef.name: workloads of that kind; ingressClassName: IngressClasses', () => {
    assert.deepEqual(completionsAt(`${workspace}
#- /hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: $0
`), [{ label: 'web', detail: 'Deployment · 3 replicas' }]);
    assert.deepEqual(completionsAt(`${workspace}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: $0
`), [{ label: 'nginx', detail: 'IngressClass · k8s.io/ingress-nginx' }]);
  });

  test('no completion elsewhere', () => {
    assert.deepEqual(completionsAt(workspace.replace('  type: NodePort', '  type: $0')), []);
  });
});

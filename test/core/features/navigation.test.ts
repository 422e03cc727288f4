import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { documentSymbols, workspaceSymbols } from '../../../server/src/core';
import { checkDefinition, checkReferences } from '../../helpers/features';
import { parseFixture } from '../../helpers/fixture';
import { workspaceOf } from '../../helpers/check';

describe('go to definition', () => {
  test('Ingress backend service.name → the Service in another file; port.number → that Service port', () => {
    const svc = `
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  #     ^^^ target
spec:
  ports:
    - name: http
      port: 80
`;
    checkDefinition(`${svc}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: w$0eb
      port:
        number: 80
`);
    checkDefinition(`${svc.replace('    # ^^^ target', '')}`.replace('  #     ^^^ target\n', '').replace('    - name: http\n', '    - name: http\n    # ^ target …\n') + `
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 8$00
`);
  });

  test('removed v1beta1 serviceName/servicePort too', () => {
    checkDefinition(`
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  #     ^^^ target
spec:
  ports:
    - port: 80
#- /ing.yaml
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: web
spec:
  backend:
    serviceName: w$0eb
    servicePort: 80
`);
  });

  test('Service selector → every matching pod template (several locations)', () => {
    checkDefinition(`
#- /a.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: a
spec:
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
    # ^^^^^^ target
        app: shop
    spec:
      containers: []
---
apiVersion: v1
kind: Pod
metadata:
  name: b
  labels:
# ^^^^^^ target
    app: shop
spec:
  containers: []
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: sh$0op
  ports:
    - port: 80
`);
  });

  test('targetPort → the matching containerPort entries', () => {
    checkDefinition(`
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
        - name: httpd
          ports:
            - name: http
            # ^ target …
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: ht$0tp
`);
  });

  test('scaleTargetRef.name → the workload; ingressClassName → the IngressClass', () => {
    checkDefinition(`
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  #     ^^ target
spec:
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers: []
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: db
spec:
  scaleTargetRef:
    kind: StatefulSet
    name: d$0b
  maxReplicas: 3
`);
    checkDefinition(`
#- /class.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  #     ^^^^^ target
spec:
  controller: k8s.io/ingress-nginx
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  ingressClassName: ngi$0nx
  defaultBackend:
    resource:
      kind: Bucket
      name: b
`);
  });
});

describe('find references', () => {
  test('from a Service to every Ingress backend naming it (v1 and v1beta1)', () => {
    checkReferences(`
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: w$0eb
spec:
  ports:
    - port: 80
#- /a.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                #     ^^^ ref
                port:
                  number: 80
#- /b.yaml
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: b
spec:
  backend:
    serviceName: web
    #            ^^^ ref
    servicePort: 80
`);
  });

  test('from pod template labels to the Services that select them', () => {
    checkReferences(`
#- /deploy.yaml
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
        app: w$0eb
    spec:
      containers: []
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  selector:
    app: web
    #    ^^^ ref
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: b
spec:
  selector:
    app: web
    #    ^^^ ref
  ports:
    - port: 81
`);
  });

  test('from a containerPort name to the targetPorts and the Ingress backends that use it', () => {
    checkReferences(`
#- /deploy.yaml
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
        - name: httpd
          ports:
            - name: ht$0tp
              containerPort: 80
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: web
      port: 8080
      targetPort: http
      #           ^^^^ ref
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web
      port:
        name: web
        #     ^^^ ref
`);
  });
});

describe('symbols', () => {
  const fixture = parseFixture(`
#- /a.yaml
apiVersion: v1
kind: Service
metadata:
  name: web-frontend
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
#- /b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
`);
  const ws = workspaceOf(fixture);

  test('document symbols: one per object, kind and name', () => {
    assert.deepEqual(documentSymbols(ws, 'file:///a.yaml').map((s) => `${s.kind} ${s.name} ${s.namespace}`), ['Service web-frontend default', 'Deployment web shop']);
  });

  test('workspace symbols: find an object by name across files, prefix matches first', () => {
    assert.deepEqual(workspaceSymbols(ws, 'web').map((s) => s.name), ['web', 'web-frontend']);
    assert.deepEqual(workspaceSymbols(ws, 'stg').map((s) => s.name), ['settings']);
    assert.deepEqual(workspaceSymbols(ws, 'zzz'), []);
  });
});

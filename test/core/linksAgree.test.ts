/**
 * The route graph, `check --routes`, hovers and the tracer read the engine's links; where a link
 * cannot know (templated ports or selectors, ExternalName Services) none of them may call it broken.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace, buildRouteGraph, listRoutes, traceRequest } from '../../server/src/core';
import { checkHover } from '../helpers/features';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: edge
spec:
  rules:
    - host: a.test
      http:
        paths:
          - path: /templated
            pathType: Prefix
            backend:
              service:
                name: templated-port
                port:
                  number: 8080
          - path: /external
            pathType: Prefix
            backend:
              service:
                name: ext
                port:
                  number: 443
          - path: /typo
            pathType: Prefix
            backend:
              service:
                name: ext-typo
                port:
                  number: 80
`;

const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: templated-port
spec:
  selector:
    app: web
  ports:
    - port: \${PORT}
---
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata:
  name: ext-typo
spec:
  selector:
    app: web
  ports:
    - port: 8080
---
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
        - name: web
          image: nginx
`;

function workspace(): Workspace {
  const ws = new Workspace();
  ws.update([
    { uri: 'file:///ing.yaml', text: INGRESS },
    { uri: 'file:///svc.yaml', text: SERVICES },
  ]);
  return ws;
}

describe('features agree with the links', () => {
  test('the graph draws a broken edge only where the port link is missing', () => {
    const graph = buildRouteGraph(workspace());
    const backends = graph.edges.filter((e) => e.kind === 'backend').map((e) => `${e.to} ${e.label ?? ''} ${e.style}`);
    assert.deepEqual(backends.sort(), [
      'svc:file:///svc.yaml#Service/default/ext 443 normal',
      'svc:file:///svc.yaml#Service/default/ext-typo 80 (no such port) broken',
      'svc:file:///svc.yaml#Service/default/templated-port 8080 normal',
    ].sort());
  });

  test('check --routes marks only the missing port as broken', () => {
    const routes = listRoutes(workspace()).map((r) => `${r.entry} ${r.broken ? 'BROKEN' : 'ok'} ${r.hops.join(' | ')}`);
    assert.deepEqual(routes, [
      'a.test/templated ok Ingress edge | Service templated-port port 8080 | Deployment web (1 replica)',
      'a.test/external ok Ingress edge | Service ext port 443 | (ExternalName)',
      'a.test/typo BROKEN Ingress edge | Service ext-typo port 80 (missing) | Deployment web (1 replica)',
    ]);
  });

  test('the tracer says a templated Service port cannot be followed, not that it is missing', () => {
    const result = traceRequest(workspace(), 'http://a.test/templated');
    assert.equal(result.found, false);
    assert.match(result.reason ?? '', /templated/);
    assert.doesNotMatch(result.reason ?? '', /has no port/);
  });

  test('a hover on a templated selector does not call it "no selector"', () => {
    const hover = checkHover(`apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  selector: \${SELECTOR}
  ports:
    - port: 80$0
`, 'cannot be known here');
    assert.doesNotMatch(hover, /no selector/);
  });

  test('hover, checks and tracer agree on regex mode: a rewrite-target equal to the path does not switch it on', () => {
    const ingress = (rewrite: string, cursor: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: same
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: ${rewrite}
spec:
  rules:
    - host: b.test
      http:
        paths:
          - path: ${cursor}
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`;
    assert.doesNotMatch(checkHover(ingress('/', '/$0')), /regex/);
    assert.match(checkHover(ingress('/$1', '/(.*)$0')), /In regex mode/);
    const ws = new Workspace();
    ws.update([{ uri: 'file:///same.yaml', text: ingress('/', '/') }]);
    assert.ok(!traceRequest(ws, 'http://b.test/x').steps.some((s) => s.text.startsWith('Regex mode')));
  });
});

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { codeActions } from '../../../server/src/core';
import { actionsAt, lensesOf } from '../../helpers/features';
import { parseFixture } from '../../helpers/fixture';
import { workspaceOf } from '../../helpers/check';
import { BACKENDS, GATEWAY, ROUTE, SHOP } from './gatewaySeed';

function edit(source: string, ...pairs: [string, string][]): string {
  let out = source;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `fixture lacks ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

/** A second route with no sectionName (it attaches to both listeners) and no hostname of its own. */
const CATALOG = `
#- /shop/catalog.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: catalog
  namespace: shop
spec:
  parentRefs:
    - name: web
      namespace: prod
  rules:
    - matches:
        - path:
            value: /catalog
      backendRefs:
        - name: api
          port: 8080
`;

describe('Gateway API CodeLens', () => {
  test('above each listener: the routes attached, with where they name it', () => {
    assert.deepEqual(lensesOf(`${GATEWAY}${ROUTE}${CATALOG}${BACKENDS}`), [
      { line: 16, title: '1 route attached', locations: ['/shop/catalog.yaml:8:13-8:16'] },
      { line: 23, title: '2 routes attached', locations: ['/shop/catalog.yaml:8:13-8:16', '/shop/route.yaml:10:20-10:25'] },
    ]);
    // A listener nobody attaches to.
    assert.deepEqual(lensesOf(SHOP)[0], { line: 16, title: 'no routes attached', locations: [] });
  });

  test('above a Service: the host and path routed to it, and through which Gateway', () => {
    const lenses = lensesOf(`${BACKENDS}${GATEWAY}${ROUTE}`);
    assert.deepEqual(lenses[0], { line: 1, title: 'selects 2 pods of Deployment api', locations: ['/shop/api.yaml:38:7-38:13'] });
    assert.deepEqual(lenses[1], { line: 1, title: 'routed from shop.example.com/api via Gateway prod/web', locations: ['/shop/route.yaml:25:17-25:20'] });
    // Through a route attached to both listeners: each host it serves counts.
    assert.equal(lensesOf(`${BACKENDS}${GATEWAY}${CATALOG}`)[1].title, 'routed from shop.example.com/catalog via Gateway prod/web and 1 more');
    // A route attached nowhere still routes to it, and says so.
    assert.equal(lensesOf(`${BACKENDS}${GATEWAY}${edit(ROUTE, ['      sectionName: https', '      sectionName: nope'])}`)[1].title, 'routed from HTTPRoute shop/shop (attached to no Gateway)');
    // No route: no such lens.
    assert.deepEqual(lensesOf(`${BACKENDS}${GATEWAY}`).map((l) => l.title), ['selects 2 pods of Deployment api', 'selects 2 pods of Deployment api', 'exposed by 2 Services: api, api-canary']);
  });
});

describe('Gateway API quick fixes', () => {
  test('did you mean: a parentRef, a backendRef, its port, a gatewayClassName', () => {
    const parent = actionsAt(edit(SHOP, ['    - name: web\n      namespace: prod', '    - name: webb$0\n      namespace: prod']));
    assert.deepEqual(parent.titles, ['Change to `web`']);
    assert.match(parent.apply('Change to `web`').get('/shop/route.yaml')!, /parentRefs:\n    - name: web\n      namespace: prod/);
    const backend = actionsAt(edit(SHOP, ['        - name: api\n', '        - name: apii$0\n']));
    assert.deepEqual(backend.titles, ['Change to `api`']);
    assert.match(backend.apply('Change to `api`').get('/shop/route.yaml')!, /        - name: api\n          port: 8080\n          weight: 3/);
    const port = actionsAt(edit(SHOP, ['        - name: api\n          port: 8080', '        - name: api\n          port: 80$081']));
    assert.deepEqual(port.titles, ['Change to `8080`']);
    const className = actionsAt(edit(SHOP, ['  gatewayClassName: nginx', '  gatewayClassName: ngnix$0']));
    assert.deepEqual(className.titles, ['Change to `nginx`']);
    // A reference that resolves: nothing to fix.
    assert.deepEqual(actionsAt(edit(SHOP, ['        - name: api\n', '        - name: api$0\n'])).titles, []);
  });

  test('add the missing port of a backendRef: one fix per port of the Service', () => {
    const source = edit(SHOP, ['        - name: api\n          port: 8080\n', '        - name: api$0\n']);
    const actions = actionsAt(source);
    assert.deepEqual(actions.titles, ['Add `port: 8080` (Service api port 8080/TCP (http))']);
    assert.match(actions.apply(actions.titles[0]).get('/shop/route.yaml')!, /      backendRefs:\n        - name: api\n          port: 8080\n          weight: 3\n/);
    // A Service with two ports offers both; a flow-style backendRef offers nothing (no safe place for a key).
    assert.deepEqual(actionsAt(source.replace('      targetPort: http\n', '      targetPort: http\n    - name: admin\n      port: 9000\n')).titles, ['Add `port: 8080` (Service api port 8080/TCP (http))', 'Add `port: 9000` (Service api port 9000/TCP (admin))']);
    assert.deepEqual(actionsAt(edit(SHOP, ['        - name: api\n          port: 8080\n          weight: 3\n', '        - {name: api$0, weight: 3}\n'])).titles, []);
  });

  const FRONT = `
#- /front/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: front
  namespace: front
spec:
  parentRefs:
    - name: web
      namespace: prod
  rules:
    - backendRefs:
        - name: api$0
          namespace: shop
          port: 8080
`;

  test('create the ReferenceGrant a cross-namespace backendRef needs, right after the Service in its file', () => {
    const actions = actionsAt(`${GATEWAY}${BACKENDS}${FRONT}`);
    const title = 'Create ReferenceGrant `shop/front-httproutes-to-api` letting HTTPRoutes of `front` use Service `api` (in api.yaml)';
    assert.deepEqual(actions.titles, [title]);
    const files = actions.apply(title);
    assert.deepEqual([...files.keys()], ['/shop/api.yaml']);
    assert.equal(
      files.get('/shop/api.yaml')!.split('---\n').slice(0, 2).join('---\n'),
      `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 8080
      targetPort: http
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: front-httproutes-to-api
  namespace: shop
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: front
  to:
    - group: ""
      kind: Service
      name: api
`,
    );
    // The rest of the file is untouched.
    assert.ok(files.get('/shop/api.yaml')!.endsWith(BACKENDS.slice(BACKENDS.indexOf('---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api-canary'))));
  });

  test('no ReferenceGrant fix when one permits it, for a same-namespace backendRef, or for a Service the workspace lacks', () => {
    const grant = `
#- /shop/grant.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata:
  name: existing
  namespace: shop
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: front
  to:
    - group: ""
      kind: Service
`;
    assert.deepEqual(actionsAt(`${GATEWAY}${BACKENDS}${FRONT}${grant}`).titles, []);
    assert.deepEqual(actionsAt(`${GATEWAY}${BACKENDS}${FRONT.replace('          namespace: shop\n', '')}`).titles.filter((t) => t.startsWith('Create')), []);
    // A grant of another kind exists: the new one follows its apiVersion and takes a free name.
    const grpcGrant = grant.replace('kind: HTTPRoute', 'kind: GRPCRoute').replace('name: existing', 'name: front-httproutes-to-api');
    const actions = actionsAt(`${GATEWAY}${BACKENDS}${FRONT}${grpcGrant}`);
    assert.deepEqual(actions.titles, ['Create ReferenceGrant `shop/front-httproutes-to-api-2` letting HTTPRoutes of `front` use Service `api` (in api.yaml)']);
    assert.match(actions.apply(actions.titles[0]).get('/shop/api.yaml')!, /---\napiVersion: gateway\.networking\.k8s\.io\/v1\nkind: ReferenceGrant\nmetadata:\n  name: front-httproutes-to-api-2\n/);
  });

  test('each fix carries the finding of its rule (so the editor shows it with the diagnostic)', () => {
    const fixed = (source: string) => {
      const fixture = parseFixture(source);
      const at = fixture.cursor!;
      return codeActions(workspaceOf(fixture), at.uri, { start: at.position, end: at.position }).map((a) => `${a.fixes?.rule ?? '-'}: ${a.title}`);
    };
    assert.deepEqual(fixed(edit(SHOP, ['    - name: web\n      namespace: prod', '    - name: webb$0\n      namespace: prod'])), ['route-no-matching-parent: Change to `web`']);
    assert.deepEqual(fixed(edit(SHOP, ['        - name: api\n', '        - name: apii$0\n'])), ['route-backend-not-found: Change to `api`']);
    assert.deepEqual(fixed(edit(SHOP, ['        - name: api\n          port: 8080', '        - name: api\n          port: 80$081'])), ['route-backend-port-missing: Change to `8080`']);
    assert.deepEqual(fixed(edit(SHOP, ['        - name: api\n          port: 8080\n', '        - name: api$0\n'])), ['route-backend-port-missing: Add `port: 8080` (Service api port 8080/TCP (http))']);
    assert.deepEqual(fixed(edit(SHOP, ['  gatewayClassName: nginx', '  gatewayClassName: ngnix$0'])), ['gateway-class-missing: Change to `nginx`']);
    assert.deepEqual(fixed(`${GATEWAY}${BACKENDS}${FRONT}`), ['route-ref-not-permitted: Create ReferenceGrant `shop/front-httproutes-to-api` letting HTTPRoutes of `front` use Service `api` (in api.yaml)']);
  });
});

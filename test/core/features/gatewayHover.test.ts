import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkHover, checkNoHover } from '../../helpers/features';
import { BACKENDS, GATEWAY, ROUTE, SHOP } from './gatewaySeed';

/** The seed with one text replaced (which must be there: a fixture that silently stays the same would test nothing). */
function edit(source: string, ...pairs: [string, string][]): string {
  let out = source;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `fixture lacks ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

describe('Gateway API hover: parentRef', () => {
  test('the listener it attaches to, the effective hostnames, the class and its controller', () => {
    checkHover(
      edit(SHOP, ['      sectionName: https', '      sectionName: ht$0tps']),
      '**parentRef → Gateway `prod/web`** · class `nginx` (controller `gateway.nginx.org/nginx-gateway-controller`)',
      'Attaches to 1 listener:\n- listener `https` · 443/HTTPS · hostname `shop.example.com` → serves `shop.example.com`',
      'Effective hostnames: `shop.example.com`.',
    );
  });

  test('without sectionName: every listener is relevant; the hostname decides, and the refusal says why', () => {
    const markdown = checkHover(
      edit(SHOP, ['    - name: web\n      namespace: prod\n      sectionName: https', '    - name: w$0eb\n      namespace: prod'], ['    - shop.example.com', '    - api.example.com']),
      'Attaches to 1 listener:\n- listener `http` · 80/HTTP · hostname `*.example.com` → serves `api.example.com`',
      'Not accepted by:\n- listener `https` · 443/HTTPS · hostname `shop.example.com`: no hostname intersection (listener `shop.example.com`, route `api.example.com`)',
    );
    assert.doesNotMatch(markdown, /Does not attach/);
  });

  test('a parentRef that does not attach: NotAllowedByListeners, with the allowedRoutes of each listener', () => {
    checkHover(
      edit(SHOP, ['      allowedRoutes:\n        namespaces:\n          from: All\n    - name: https', '    - name: https'], ['      sectionName: https', '      sectionName: $0https']).replace(/      allowedRoutes:\n        namespaces:\n          from: All\n/g, ''),
      '**Does not attach: NotAllowedByListeners**',
      '- listener `https` · 443/HTTPS · hostname `shop.example.com`: namespace `shop` is not allowed (allowedRoutes.namespaces.from: Same (only `prod`))',
    );
  });

  test('NoMatchingParent: a sectionName no listener has, a Gateway the workspace lacks', () => {
    checkHover(edit(SHOP, ['      sectionName: https', '      sectionName: htt$0ps-admin']), '**NoMatchingParent**: Gateway `prod/web` has no listener of that name (listeners: `http`, `https`)');
    checkHover(edit(SHOP, ['    - name: web\n      namespace: prod', '    - name: we$0bb\n      namespace: prod']), '**NoMatchingParent**: no Gateway `prod/webb` in this workspace');
    checkHover(`${ROUTE.replace('    - name: web\n', '    - name: w$0eb\n')}${BACKENDS}`, 'The workspace defines no Gateways at all: it may belong to a platform team');
  });

  test('a mesh parent (a Service) is not judged', () => {
    checkHover(edit(SHOP, ['    - name: web\n      namespace: prod\n      sectionName: https', '    - name: a$0pi\n      group: ""\n      kind: Service']), 'cannot be judged here', 'implementation-specific');
  });

  // The `rules:` and `hostnames:` keys have hovers of their own (keyHover.test.ts).
  test('no hover on the hostname values of a route', () => {
    checkNoHover(edit(SHOP, ['    - shop.example.com', '    - shop.exa$0mple.com']));
  });
});

describe('Gateway API hover: backendRef', () => {
  test('the Service port chain to the pods, and the weights as shares of the rule', () => {
    checkHover(
      edit(SHOP, ['        - name: api\n', '        - name: a$0pi\n']),
      '**backendRef → Service `api`** · weight 3 of 4 → **75%** of rule 1\'s requests',
      'Split of the rule: **`api` 75%** · `api-canary` 25%',
      '- Service `api:8080` → targetPort `http` → containerPort `80` (api) in 2 pods of Deployment `api`',
    );
    checkHover(edit(SHOP, ['          weight: 1', '          weight: $01']), '**backendRef → Service `api-canary`** · weight 1 of 4 → **25%**', 'Service `api-canary:8080` → targetPort `80` → containerPort `80` (api) in 2 pods');
  });

  test('weight 0 sends nothing; all weights 0 is said so', () => {
    checkHover(edit(SHOP, ['          weight: 1', '          weight: $00']), '**backendRef → Service `api-canary`** · weight 0: **no traffic**', '**`api-canary` 0%**');
    checkHover(edit(SHOP, ['          weight: 1', '          weight: $00'], ['          weight: 3', '          weight: 0']), '**every weight of rule 1 is 0**');
  });

  test('a missing port, a port that is not a Service port, a Service that does not exist', () => {
    checkHover(edit(SHOP, ['        - name: api\n          port: 8080\n', '        - name: ap$0i\n']), '**No `port`**: a Service backendRef must name one of the Service\'s ports', '`8080/TCP (http)`', '- Service `api:8080` → targetPort `http`');
    checkHover(edit(SHOP, ['        - name: api\n          port: 8080\n', '        - name: api\n          port: 8$00\n']), '**Port `80` is not a port of this Service**', '- Service `api:8080` → targetPort `http`');
    checkHover(edit(SHOP, ['        - name: api\n', '        - name: ap$0ix\n']), '**BackendNotFound**: no Service `apix` in namespace `shop`');
  });

  test('cross-namespace: the ReferenceGrant that permits it, or RefNotPermitted', () => {
    const route = edit(SHOP, ['  name: shop\n  namespace: shop', '  name: shop\n  namespace: front'], ['        - name: api\n', '        - name: a$0pi\n          namespace: shop\n']);
    checkHover(route, '**backendRef → Service `shop/api`**', '**RefNotPermitted**: no ReferenceGrant in namespace `shop` lets HTTPRoutes of `front` use this Service', 'the workspace defines no ReferenceGrant in `shop`');
    const grant = `
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
    - group: ""
      kind: Service
`;
    checkHover(`${route}${grant}`, 'Cross-namespace: permitted by ReferenceGrant `shop/from-front`.');
    // A grant for another kind permits nothing (§11: group and kind must match exactly).
    checkHover(`${route}${grant.replace('kind: HTTPRoute', 'kind: GRPCRoute')}`, '**RefNotPermitted**');
  });
});

describe('Gateway API hover: match precedence', () => {
  const competitors = `
#- /shop/auth.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: auth
  namespace: shop
spec:
  parentRefs:
    - name: web
      namespace: prod
      sectionName: https
  hostnames:
    - shop.example.com
  rules:
    - matches:
        - path:
            type: Exact
            value: /api/login
        - path:
            type: PathPrefix
            value: /api
          headers:
            - name: x-auth
              value: "1"
      backendRefs:
        - name: api
          port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: wild
  namespace: shop
spec:
  parentRefs:
    - name: web
      namespace: prod
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /api/v2
      backendRefs:
        - name: api
          port: 8080
`;

  test('its position among the matches of every route on the same listener and hostname that can take the same requests', () => {
    const markdown = checkHover(
      `${edit(SHOP, ['            value: /api', '            value: /a$0pi'])}${competitors}`,
      '**match `PathPrefix /api`** · rule 1 of HTTPRoute `shop/shop`',
      '`PathPrefix` matches element-wise and case-sensitively: `/api`, `/api/` and `/api/x`, not `/apix`.',
      'On Gateway `prod/web` listener `https`, host `shop.example.com`: **4th of 4** matches that can take the same requests',
      '1. `Exact /api/login` — HTTPRoute `shop/auth` rule 1',
      // `wild` has no hostnames: on this listener it serves the listener's, as precise as `shop`'s.
      '2. `PathPrefix /api/v2` — HTTPRoute `shop/wild` rule 1',
      '3. `PathPrefix /api` + 1 header — HTTPRoute `shop/auth` rule 1',
      '4. `PathPrefix /api` — rule 1 ← **this match**',
    );
    // `Exact /old` never takes a request `/api` takes.
    assert.doesNotMatch(markdown, /\/old/);
  });

  test('a less specific hostname ranks below every path of a precise one; a precise one covers part of a wildcard', () => {
    const onHttp = edit(SHOP, ['      sectionName: https', '      sectionName: http']);
    const wild = competitors.slice(competitors.indexOf('---\n') + 4).replace('      namespace: prod\n  rules', '      namespace: prod\n      sectionName: http\n  rules');
    const file = `\n#- /shop/wild.yaml\n${wild}`;
    checkHover(`${edit(onHttp, ['            value: /api', '            value: /a$0pi'])}${file}`, 'listener `http`, host `shop.example.com`: **1st of 2**', '2. `PathPrefix /api/v2` — HTTPRoute `shop/wild` rule 1 (host `*.example.com`)');
    checkHover(`${onHttp}${file.replace('value: /api/v2', 'value: /api/$0v2')}`, 'listener `http`, host `*.example.com`: **2nd of 2**', '1. `PathPrefix /api` — HTTPRoute `shop/shop` rule 1 (only for `shop.example.com`)');
  });

  test('matches that ask for different methods or header values do not compete', () => {
    const markdown = checkHover(
      `${edit(SHOP, ['            value: /api', '            value: /a$0pi\n          method: GET'])}${competitors.replace('          headers:\n            - name: x-auth\n              value: "1"', '          method: POST').replace('            value: /api/login', '            value: /api/login\n          headers:\n            - name: x-auth\n              value: "1"')}`,
      '**match `PathPrefix /api` + method `GET`**',
    );
    assert.doesNotMatch(markdown, /method `POST`/);
    assert.match(markdown, /`Exact \/api\/login` \+ 1 header/);
  });

  test('two routes that tie on everything a manifest says: the tie is named', () => {
    const twin = ROUTE.replace('#- /shop/route.yaml', '#- /shop/twin.yaml').replace('  name: shop\n', '  name: twin\n').replace(/\n  rules:[\s\S]*$/, '\n  rules:\n    - matches:\n        - path:\n            value: /api\n      backendRefs:\n        - name: api\n          port: 8080\n');
    checkHover(`${edit(SHOP, ['            value: /api', '            value: /a$0pi'])}${twin}`, '1. `PathPrefix /api` — rule 1 ← **this match**', '2. `PathPrefix /api` — HTTPRoute `shop/twin` rule 1 *(tie: decided by creation time, else namespace/name)*');
  });

  test('a route attached nowhere: the match serves nothing', () => {
    checkHover(edit(SHOP, ['      sectionName: https', '      sectionName: nope'], ['            value: /api', '            value: /a$0pi']), 'The route attaches to no listener, so this match serves nothing yet.');
  });
});

describe('Gateway API hover: filters', () => {
  test('URLRewrite ReplacePrefixMatch: worked on real paths', () => {
    checkHover(
      edit(SHOP, ['        - type: URLRewrite', '        - type: URL$0Rewrite']),
      '**URLRewrite**',
      '- `/api` → upstream path `/`',
      '- `/api/` → upstream path `/`',
      '- `/api/products/42` → upstream path `/products/42`',
      '- `/apix` is not matched (PathPrefix is element-wise)',
    );
    checkHover(edit(SHOP, ['        - type: URLRewrite', '        - type: URL$0Rewrite'], ['              replacePrefixMatch: /', '              replacePrefixMatch: /v1/']), '- `/api/products/42` → upstream path `/v1/products/42`', '- `/api` → upstream path `/v1`');
  });

  test('URLRewrite ReplaceFullPath and hostname', () => {
    checkHover(
      edit(SHOP, ['        - type: URLRewrite', '        - type: URL$0Rewrite'], ['          urlRewrite:\n            path:\n              type: ReplacePrefixMatch\n              replacePrefixMatch: /', '          urlRewrite:\n            hostname: internal.shop\n            path:\n              type: ReplaceFullPath\n              replaceFullPath: /index.html']),
      '- Host: `shop.example.com` → upstream Host `internal.shop`',
      '- `/api/products/42` → upstream path `/index.html`',
    );
  });

  test('ReplacePrefixMatch without exactly one PathPrefix match: what the API server says', () => {
    checkHover(
      edit(SHOP, ['        - type: URLRewrite', '        - type: URL$0Rewrite'], ['            value: /api\n', '            value: /api\n        - path:\n            type: Exact\n            value: /other\n']),
      'needs its rule to have exactly one match, a `PathPrefix`: the API server rejects this rule',
    );
  });

  test('RequestRedirect: the Location a client gets, on the listener the route is attached to', () => {
    checkHover(edit(SHOP, ['        - type: RequestRedirect', '        - type: Request$0Redirect']), 'answers **301** itself', 'Example: `https://shop.example.com/old` → **301** `Location: https://shop.example.com/new`', '- port: the listener\'s (443), left out of the Location');
    // §7.1: an HTTP listener on 8080 and only a hostname: the listener port stays; a scheme implies its port.
    const http8080 = edit(SHOP, ['      sectionName: https', '      sectionName: http'], ['      port: 80\n', '      port: 8080\n'], ['    - shop.example.com', '    - example.org'], ['      hostname: "*.example.com"', '      hostname: example.org'], ['        - type: RequestRedirect', '        - type: Request$0Redirect'], ['          requestRedirect:\n            path:\n              type: ReplaceFullPath\n              replaceFullPath: /new\n            statusCode: 301', '          requestRedirect:\n            hostname: www.example.org']);
    checkHover(http8080, 'Example: `http://example.org:8080/old` → **302** `Location: http://www.example.org:8080/old`', '- status: 302 (the default)');
    checkHover(http8080.replace('            hostname: www.example.org', '            scheme: https'), '`Location: https://example.org/old`', '- port: 443, implied by scheme `https`, left out of the Location');
  });

  test('other filters say what they do; a mirror names its Service', () => {
    checkHover(edit(SHOP, ['        - type: RequestRedirect\n          requestRedirect:\n            path:\n              type: ReplaceFullPath\n              replaceFullPath: /new\n            statusCode: 301', '        - type: Request$0Mirror\n          requestMirror:\n            backendRef:\n              name: api-canary\n              port: 8080']), '**RequestMirror**', 'Service `api-canary`');
  });
});

describe('Gateway API hover: GatewayClass, listeners, Gateways', () => {
  test('gatewayClassName: the class and its controller, or that it is not in the workspace', () => {
    checkHover(edit(SHOP, ['  gatewayClassName: nginx', '  gatewayClassName: ng$0inx']), 'GatewayClass `nginx` → controller `gateway.nginx.org/nginx-gateway-controller`');
    checkHover(edit(SHOP, ['  gatewayClassName: nginx', '  gatewayClassName: ist$0io']), 'GatewayClass `istio` is not defined in this workspace');
  });

  test('a listener: what it accepts and the routes attached; one without routes says so', () => {
    checkHover(edit(SHOP, ['    - name: https', '    - name: ht$0tps']), '**listener `https` · 443/HTTPS · hostname `shop.example.com`** of Gateway `prod/web` · TLS Terminate (1 certificate)', 'Accepts HTTPRoute, GRPCRoute from every namespace (All).', '**1 route attached:**\n- HTTPRoute `shop/shop` → `shop.example.com`');
    checkHover(edit(SHOP, ['    - name: http\n', '    - name: ht$0tp\n']), 'No route attaches to this listener.');
  });

  test('a listener lists the routes that name it but are refused', () => {
    const sameOnly = SHOP.replace(/      allowedRoutes:\n        namespaces:\n          from: All\n/g, '');
    checkHover(edit(sameOnly, ['    - name: https', '    - name: ht$0tps']), 'Accepts HTTPRoute, GRPCRoute from namespace `prod` only (Same).', 'No route attaches to this listener.', 'Name it but are not accepted:\n- HTTPRoute `shop/shop`: namespace `shop` is not allowed');
  });

  test('a Gateway name: its class and the routes attached to each listener', () => {
    checkHover(edit(GATEWAY, ['  name: web\n  namespace: prod', '  name: w$0eb\n  namespace: prod']) + ROUTE + BACKENDS, '**Gateway `prod/web`** · class `nginx`', '- listener `http` · 80/HTTP · hostname `*.example.com` · 0 routes attached', '- listener `https` · 443/HTTPS · hostname `shop.example.com` · 1 route attached');
  });
});

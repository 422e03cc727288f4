/**
 * Gateway API route attachment rules (docs/gateway-api-semantics.md §3.3, §4, §5): which parentRefs
 * attach nowhere (route-no-matching-parent), which listeners refuse the route's kind or namespace
 * (route-not-allowed-by-listeners) or its hostnames (route-no-matching-listener-hostname), and
 * parentRefs of a kind no controller attaches to (route-invalid-kind).
 */
import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

const ATTACHMENT = ['route-no-matching-parent', 'route-not-allowed-by-listeners', 'route-no-matching-listener-hostname', 'route-invalid-kind'];
const only = { only: ATTACHMENT };

/** A GatewayClass and a Gateway `infra/edge` with an HTTP listener for every namespace and one for its own. */
const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: eg
  listeners:
    - name: web
      port: 80
      protocol: HTTP
      hostname: "*.example.com"
      allowedRoutes:
        namespaces:
          from: All
    - name: admin
      port: 8080
      protocol: HTTP
      hostname: admin.example.com
`;

/** A Service `apps/shop` with port 80 and no selector (its endpoints are not judged here). */
const SERVICE = `
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: apps
spec:
  ports:
    - name: http
      port: 80
`;

describe('route-no-matching-parent', () => {
  test('a correct route attached by name, sectionName and port has no findings at all', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
${SERVICE}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: edge
      namespace: infra
      sectionName: web
    - name: edge
      namespace: infra
      port: 80
      group: gateway.networking.k8s.io
      kind: Gateway
  hostnames:
    - shop.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - name: shop
          port: 80
`);
  });

  test('a misspelt Gateway next to Gateways is a warning with did-you-mean; a sectionName or port that selects no listener too', () => {
    checkFindings(`
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
    - name: egde
      #     ^^^^ warning route-no-matching-parent ~ there is no such Gateway, so the route is attached nowhere there (NoMatchingParent); did you mean \`edge\`?
      namespace: infra
    - name: edge
      namespace: infra
      sectionName: wbe
      #            ^^^ warning route-no-matching-parent ~ attaches to a listener named \`wbe\` of Gateway \`infra/edge\`, but it has listener \`web\` (HTTP 80, hostname \`*.example.com\`), listener \`admin\` (HTTP 8080, hostname \`admin.example.com\`), so it is attached nowhere there (NoMatchingParent); did you mean \`web\`?
    - name: edge
      namespace: infra
      sectionName: api
      #            ^^^ warning route-no-matching-parent ~ a listener named \`api\` of Gateway
    - name: edge
      namespace: infra
      port: 443
      #     ^^^ warning route-no-matching-parent ~ attaches to a listener on port 443 of Gateway \`infra/edge\`
  hostnames:
    - shop.example.com
`, only);
  });

  test('sectionName and port must both match one listener', () => {
    checkFindings(`
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
      namespace: infra
      sectionName: web
      #            ^^^ warning route-no-matching-parent ~ a listener named \`web\` on port 8080
      port: 8080
  hostnames:
    - shop.example.com
`, only);
  });

  test('the parentRef namespace defaults to the route\'s: a Gateway of another namespace is not found', () => {
    checkFindings(`
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
      #     ^^^^ warning route-no-matching-parent ~ Gateway \`edge\` in namespace \`apps\`
`, only);
  });

  test('a workspace without Gateways: information, the Gateway is managed elsewhere', () => {
    checkFindings(`
#- /app/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: shared-gateway
      #     ^^^^^^^^^^^^^^ information route-no-matching-parent ~ the workspace defines no Gateways
      namespace: infra
`, only);
  });

  test('Gateways only in another folder: information, it may be defined elsewhere (no did-you-mean from far away)', () => {
    checkFindings(`
#- /platform/gateway.yaml
${GATEWAY}
#- /apps/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: apps
spec:
  parentRefs:
    - name: public
      #     ^^^^^^ information route-no-matching-parent ~ (it may be defined elsewhere)
      namespace: infra
`, only);
  });

  test('routes in other files naming the same missing Gateway: shared infrastructure, information', () => {
    const route = (name: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: infra
spec:
  parentRefs:
    - name: same-namespace
      #     ^^^^^^^^^^^^^^ information route-no-matching-parent ~ routes in other files name it too
`;
    checkFindings(`
#- /tests/a.yaml
${GATEWAY}
---
${route('a')}
#- /tests/b.yaml
${route('b')}
`, only);
  });

  test('a Gateway parentRef with the sectionName of a ListenerSet listener matches nothing (GEP-1713)', () => {
    checkFindings(`
#- /app/all.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: eg
  allowedListeners:
    namespaces:
      from: All
  listeners:
    - name: web
      port: 80
      protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: team
  namespace: infra
spec:
  parentRef:
    name: edge
  listeners:
    - name: team-web
      port: 8081
      protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: team
  namespace: infra
spec:
  parentRefs:
    - name: edge
      sectionName: team-web
      #            ^^^^^^^^ warning route-no-matching-parent ~ listeners of a ListenerSet are reached with a parentRef to the ListenerSet, not to its Gateway
    - kind: ListenerSet
      name: team
      sectionName: team-web
`, only);
  });
});

describe('route-not-allowed-by-listeners', () => {
  test('allowedRoutes Same (the default) refuses another namespace; Same admits the Gateway\'s own; All admits every namespace', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
  namespace: apps
spec:
  parentRefs:
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ listener \`admin\` (HTTP 8080, hostname \`admin.example.com\`): allowedRoutes from \`Same\`: only routes in namespace \`infra\`, and the route is in \`apps\` (NotAllowedByListeners)
      namespace: infra
      sectionName: admin
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
  namespace: infra
spec:
  parentRefs:
    - name: edge
      sectionName: admin
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: everything
  namespace: apps
spec:
  parentRefs:
    - name: edge
      namespace: infra
`, only);
  });

  test('allowedRoutes Selector reads the Namespace labels, and every Namespace\'s kubernetes.io/metadata.name', () => {
    const gateway = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: eg
  listeners:
    - name: shared
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchLabels:
              shared-gateway-access: "true"
    - name: by-name
      port: 8080
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchExpressions:
              - key: kubernetes.io/metadata.name
                operator: In
                values: [apps, payments]
`;
    const namespace = (name: string, access: string) => `
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    shared-gateway-access: "${access}"
`;
    const route = (namespace: string, section: string, annotation = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: ${namespace}
spec:
  parentRefs:
    - name: edge
${annotation}      namespace: infra
      sectionName: ${section}
`;
    checkFindings(`
#- /app/all.yaml
${gateway}
---
${namespace('apps', 'true')}
---
${namespace('blog', 'false')}
---
${route('apps', 'shared')}
---
${route('blog', 'shared', '      #     ^^^^ warning route-not-allowed-by-listeners ~ allowedRoutes from `Selector`: only namespaces labelled `shared-gateway-access=true`, and Namespace `blog` has labels `shared-gateway-access=false`\n')}
---
${route('apps', 'by-name')}
---
${route('blog', 'by-name', '      #     ^^^^ warning route-not-allowed-by-listeners ~ Namespace `blog` has labels\n')}
---
${route('payments', 'by-name')}
---
${route('unknown', 'shared')}
`, only);
  });

  test('a Namespace the workspace does not define is not judged by a label selector', () => {
    checkFindings(`
#- /app/all.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: eg
  listeners:
    - name: shared
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchLabels:
              team: web
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: apps
spec:
  parentRefs:
    - name: edge
      namespace: infra
`, only);
  });

  test('allowedRoutes kinds, and the kinds a protocol implies', () => {
    checkFindings(`
#- /app/all.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: grpc-only
      port: 80
      protocol: HTTP
      allowedRoutes:
        kinds:
          - kind: GRPCRoute
    - name: http
      port: 8080
      protocol: HTTP
    - name: passthrough
      port: 443
      protocol: TLS
      hostname: db.example.com
      tls:
        mode: Passthrough
    - name: tcp
      port: 5432
      protocol: TCP
    - name: udp
      port: 53
      protocol: UDP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ listener \`grpc-only\` (HTTP 80): accepts GRPCRoute, not HTTPRoute
      sectionName: grpc-only
    - name: edge
      sectionName: http
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: grpc
spec:
  parentRefs:
    - name: edge
      sectionName: grpc-only
    - name: edge
      sectionName: http
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ accepts TCPRoute, not GRPCRoute
      sectionName: tcp
---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata:
  name: db
spec:
  parentRefs:
    - name: edge
      sectionName: tcp
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ accepts HTTPRoute, GRPCRoute, not TCPRoute
      sectionName: http
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ listener \`passthrough\` (TLS 443, hostname \`db.example.com\`): accepts TLSRoute, not TCPRoute
      sectionName: passthrough
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ accepts UDPRoute, not TCPRoute
      sectionName: udp
  rules:
    - backendRefs:
        - name: db
          port: 5432
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: db
spec:
  parentRefs:
    - name: edge
      sectionName: passthrough
  hostnames:
    - db.example.com
  rules:
    - backendRefs:
        - name: db
          port: 5432
---
apiVersion: gateway.networking.k8s.io/v1
kind: UDPRoute
metadata:
  name: dns
spec:
  parentRefs:
    - name: edge
      sectionName: udp
  rules:
    - backendRefs:
        - name: dns
          port: 53
`, only);
  });

  test('a route is attached when at least one selected listener accepts it', () => {
    checkFindings(`
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
      namespace: infra
  hostnames:
    - shop.example.com
`, only);
  });

  test('a Gateway in another folder caps the finding to information', () => {
    checkFindings(`
#- /platform/gateway.yaml
${GATEWAY}
#- /apps/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: admin
  namespace: apps
spec:
  parentRefs:
    - name: edge
      #     ^^^^ information route-not-allowed-by-listeners ~ is defined in another folder and may not be the one applied with this route
      namespace: infra
      sectionName: admin
`, only);
  });
});

describe('route-no-matching-listener-hostname', () => {
  const gateway = (hostname: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: web
      port: 80
      protocol: HTTP
      hostname: "${hostname}"
`;
  /** A route with these hostnames; `label` annotates the first one (quotes included in the range). */
  const route = (hostnames: readonly string[], label = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  parentRefs:
    - name: edge
  hostnames:
${hostnames.map((h, i) => `    - "${h}"\n${i === 0 && label ? `    # ${'^'.repeat(h.length + 2)} ${label}\n` : ''}`).join('')}`;

  test('a wildcard listener covers one or more labels, never the bare domain', () => {
    checkFindings(`${gateway('*.example.com')}---${route(['example.com'], 'warning route-no-matching-listener-hostname ~ none of its hostnames `example.com` matches a hostname of the listeners of Gateway `edge` it selects: `*.example.com` (web) (NoMatchingListenerHostname)')}`, only);
    checkFindings(`${gateway('*.example.com')}---${route(['foo.example.net', 'example.com'], 'warning route-no-matching-listener-hostname ~ `foo.example.net`, `example.com`')}`, only);
    for (const ok of [['a.example.com'], ['a.b.example.com'], ['*.example.com'], ['*.com'], ['*.foo.example.com'], ['example.com', 'shop.example.com']]) {
      checkFindings(`${gateway('*.example.com')}---${route(ok)}`, only);
    }
  });

  test('a precise listener hostname: equal, or covered by the route\'s wildcard', () => {
    checkFindings(`${gateway('foo.example.com')}---${route(['bar.example.com'], 'warning route-no-matching-listener-hostname')}`, only);
    checkFindings(`${gateway('foo.example.com')}---${route(['*.foo.example.com'], 'warning route-no-matching-listener-hostname')}`, only);
    for (const ok of [['foo.example.com'], ['*.example.com'], ['*.com'], ['*.foo.example.com', 'foo.example.com']]) {
      checkFindings(`${gateway('foo.example.com')}---${route(ok)}`, only);
    }
  });

  test('two wildcards intersect when one covers the other', () => {
    checkFindings(`${gateway('*.foo.example.com')}---${route(['*.bar.example.com'], 'warning route-no-matching-listener-hostname')}`, only);
    checkFindings(`${gateway('*.foo.example.com')}---${route(['*.example.com'])}`, only);
  });

  test('a listener without hostname and a route without hostnames match everything', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: web
      port: 80
      protocol: HTTP
---${route(['anything.test'])}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: no-hostnames
spec:
  parentRefs:
    - name: edge
`, only);
    checkFindings(`${gateway('*.example.com')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: no-hostnames
spec:
  parentRefs:
    - name: edge
`, only);
  });

  test('a TLSRoute\'s SNI hostnames intersect the same way; TCPRoutes have no hostnames', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: tls
      port: 443
      protocol: TLS
      hostname: "*.db.example.com"
      tls:
        mode: Passthrough
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: db
spec:
  parentRefs:
    - name: edge
  hostnames:
    - pg.example.com
    # ^^^^^^^^^^^^^^ warning route-no-matching-listener-hostname ~ \`*.db.example.com\` (tls)
  rules:
    - backendRefs:
        - name: pg
          port: 5432
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: db-ok
spec:
  parentRefs:
    - name: edge
  hostnames:
    - pg.db.example.com
  rules:
    - backendRefs:
        - name: pg
          port: 5432
`, only);
  });
});

describe('route-invalid-kind (parentRef)', () => {
  test('a gateway.networking.k8s.io parentRef kind that is not Gateway or ListenerSet; mesh and other groups are not judged', () => {
    checkFindings(`
#- /app/all.yaml
${GATEWAY}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: infra
spec:
  parentRefs:
    - kind: HTTPRoute
      name: edge
      #     ^^^^ error route-invalid-kind ~ parentRef kind \`HTTPRoute\` of group gateway.networking.k8s.io is not a parent kind (Gateway or ListenerSet)
    - group: ""
      kind: Service
      name: shop
    - group: networking.example.io
      kind: Mesh
      name: default
`, only);
  });
});

describe('every served apiVersion reads the same', () => {
  test('v1beta1 Gateway and HTTPRoute, v1alpha2 GRPCRoute, TLSRoute and TCPRoute attach like v1', () => {
    const gateway = (version: string) => `
apiVersion: gateway.networking.k8s.io/${version}
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: web
      port: 80
      protocol: HTTP
      hostname: "*.example.com"
    - name: tls
      port: 443
      protocol: TLS
      tls:
        mode: Passthrough
    - name: tcp
      port: 5432
      protocol: TCP
`;
    const routes = (httpVersion: string, streamVersion: string) => `
apiVersion: gateway.networking.k8s.io/${httpVersion}
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
    - name: edge
      sectionName: web
  hostnames:
    - example.com
    # ^^^^^^^^^^^ warning route-no-matching-listener-hostname
---
apiVersion: gateway.networking.k8s.io/${streamVersion}
kind: GRPCRoute
metadata:
  name: grpc
spec:
  parentRefs:
    - name: edeg
      #     ^^^^ warning route-no-matching-parent ~ did you mean \`edge\`?
---
apiVersion: gateway.networking.k8s.io/${streamVersion}
kind: TCPRoute
metadata:
  name: db
spec:
  parentRefs:
    - name: edge
      #     ^^^^ warning route-not-allowed-by-listeners ~ accepts TLSRoute, not TCPRoute
      sectionName: tls
  rules:
    - backendRefs:
        - name: db
          port: 5432
`;
    checkFindings(`${gateway('v1')}---${routes('v1', 'v1')}`, only);
    checkFindings(`${gateway('v1beta1')}---${routes('v1beta1', 'v1alpha2')}`, only);
  });
});

/**
 * gateway-api-invalid: what the Gateway API CRDs' OpenAPI and CEL validation rejects
 * (docs/gateway-api-semantics.md §3.1, §5.1, §6.2, §7, §8.1, §10, §11), per served apiVersion.
 */
import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

const ONLY = { only: ['gateway-api-invalid'] };

function httpRoute(rules: string, apiVersion = 'v1'): string {
  return `
apiVersion: gateway.networking.k8s.io/${apiVersion}
kind: HTTPRoute
metadata:
  name: r
spec:
  parentRefs:
    - name: edge
  rules:
${rules}`;
}

describe('gateway-api-invalid: HTTPRoute filters (§7)', () => {
  test('a correct route with every filter used as the CRD allows: no findings', () => {
    checkFindings(httpRoute(`
    - matches:
        - path:
            type: PathPrefix
            value: /abc/
      filters:
        - type: URLRewrite
          urlRewrite:
            hostname: internal.example.com
            path:
              type: ReplacePrefixMatch
              replacePrefixMatch: /
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set:
              - name: X-Forwarded-Prefix
                value: /abc
        - type: RequestMirror
          requestMirror:
            backendRef:
              name: shadow
              port: 80
        - type: RequestMirror
          requestMirror:
            backendRef:
              name: shadow2
              port: 80
      backendRefs:
        - name: app
          port: 80
          weight: 0
        - name: app2
          port: 65535
          weight: 1000000
          filters:
            - type: URLRewrite
              urlRewrite:
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /v2
    - matches:
        - path:
            type: Exact
            value: /old
      filters:
        - type: RequestRedirect
          requestRedirect:
            scheme: https
            hostname: www.example.com
            port: 443
            statusCode: 301
            path:
              type: ReplaceFullPath
              replaceFullPath: /new
    - matches:
        - path:
            type: RegularExpression
            value: /abc(/|$)(.*)
      backendRefs:
        - name: app
          port: 80
`), ONLY);
  });

  test('ReplacePrefixMatch needs exactly one match, a PathPrefix (rule and backendRef level, rewrite and redirect)', () => {
    checkFindings(httpRoute(`
    - matches:
        - path:
            type: Exact
            value: /a
      filters:
        - type: URLRewrite
          urlRewrite:
            path:
              type: ReplacePrefixMatch
              #     ^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ the API server rejects HTTPRoute \`r\`: ReplacePrefixMatch needs exactly one PathPrefix match in its rule, but its match is Exact
              replacePrefixMatch: /b
      backendRefs:
        - name: app
          port: 80
    - matches:
        - path:
            value: /a
        - path:
            value: /b
      filters:
        - type: RequestRedirect
          requestRedirect:
            path:
              type: ReplacePrefixMatch
              #     ^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ but the rule has 2 matches
              replacePrefixMatch: /x
    - matches:
        - path:
            type: RegularExpression
            value: /x.*
      backendRefs:
        - name: app
          port: 80
          filters:
            - type: URLRewrite
              urlRewrite:
                path:
                  type: ReplacePrefixMatch
                  #     ^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ but its match is RegularExpression
                  replacePrefixMatch: /x
    # A rule without matches gets the default match, PathPrefix /, before validation.
    - backendRefs:
        - name: app
          port: 80
          filters:
            - type: URLRewrite
              urlRewrite:
                path:
                  type: ReplacePrefixMatch
                  replacePrefixMatch: /x
    - matches:
        - path:
            value: /ok
      filters:
        - type: URLRewrite
          urlRewrite:
            path:
              type: ReplacePrefixMatch
              replacePrefixMatch: /x
      backendRefs:
        - name: app
          port: 80
`), ONLY);
  });

  test('RequestRedirect with URLRewrite, and RequestRedirect with backendRefs', () => {
    checkFindings(httpRoute(`
    - filters:
        - type: RequestRedirect
          #     ^^^^^^^^^^^^^^^ error gateway-api-invalid ~ May specify either RequestRedirect or URLRewrite, but not both, in one rule
          requestRedirect:
            scheme: https
        - type: URLRewrite
          urlRewrite:
            hostname: x.example.com
    - filters:
        - type: RequestRedirect
          #     ^^^^^^^^^^^^^^^ error gateway-api-invalid ~ RequestRedirect filter must not be used together with backendRefs
          requestRedirect:
            scheme: https
      backendRefs:
        - name: app
          port: 80
    - filters:
        - type: RequestRedirect
          requestRedirect:
            scheme: https
      backendRefs: []
`), ONLY);
  });

  test('repeated filters (RequestMirror and ExtensionRef may repeat), filters whose type and field disagree', () => {
    checkFindings(httpRoute(`
    - filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set:
              - name: a
                value: b
        - type: RequestHeaderModifier
          #     ^^^^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ RequestHeaderModifier filter cannot be repeated in one rule
          requestHeaderModifier:
            add:
              - name: c
                value: d
        - type: ExtensionRef
          extensionRef:
            group: example.com
            kind: A
            name: a
        - type: ExtensionRef
          extensionRef:
            group: example.com
            kind: B
            name: b
        - type: ResponseHeaderModifier
          #     ^^^^^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ a ResponseHeaderModifier filter has no \`responseHeaderModifier\`
        - type: RequestMirror
          #     ^^^^^^^^^^^^^ error gateway-api-invalid ~ a RequestMirror filter also has \`urlRewrite\`
          requestMirror:
            backendRef:
              name: shadow
              port: 80
          urlRewrite:
            hostname: a.example.com
        - type: Rewrite
          #     ^^^^^^^ error gateway-api-invalid ~ filter type \`Rewrite\` must be one of RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, RequestRedirect, URLRewrite, ExtensionRef, CORS, ExternalAuth
      backendRefs:
        - name: app
          port: 80
    - filters:
        - type: URLRewrite
          #     ^^^^^^^^^^ error gateway-api-invalid ~ a URLRewrite filter has \`requestRedirect\` instead of \`urlRewrite\` (filter.urlRewrite must be specified for URLRewrite filter.type; filter.requestRedirect must be nil if the filter.type is not RequestRedirect)
          requestRedirect:
            scheme: https
`), ONLY);
  });

  test('path modifiers: type and value must agree; redirect fields in range', () => {
    checkFindings(httpRoute(`
    - filters:
        - type: RequestRedirect
          requestRedirect:
            scheme: ftp
            #       ^^^ error gateway-api-invalid ~ redirect scheme \`ftp\` must be http or https
            hostname: "*.example.com"
            #         ^^^^^^^^^^^^^^^ error gateway-api-invalid ~ must be a precise lowercase DNS name
            port: 0
            #     ^ error gateway-api-invalid ~ redirect port 0 must be between 1 and 65535
            statusCode: 304
            #           ^^^ error gateway-api-invalid ~ redirect statusCode 304 must be 301, 302, 303, 307 or 308
            path:
              type: ReplaceFullPath
              #     ^^^^^^^^^^^^^^^ error gateway-api-invalid ~ replaceFullPath must be specified when type is set to ReplaceFullPath
              replacePrefixMatch: /x
              #                   ^^ error gateway-api-invalid ~ type must be 'ReplacePrefixMatch' when replacePrefixMatch is set
`), ONLY);
  });
});

describe('gateway-api-invalid: HTTPRoute matches, backendRefs, parentRefs, hostnames', () => {
  test('path values the CRD rejects as Exact or PathPrefix; RegularExpression values are not judged', () => {
    checkFindings(httpRoute(`
    - matches:
        - path:
            type: PathPrefix
            value: /abc(/|$)(.*)
            #      ^^^^^^^^^^^^^ error gateway-api-invalid ~ PathPrefix path \`/abc(/|$)(.*)\` must not contain \`|\`
        - path:
            type: Exact
            value: foo
            #      ^^^ error gateway-api-invalid ~ Exact path \`foo\` must start with \`/\`
        - path:
            value: /a//b
            #      ^^^^^ error gateway-api-invalid ~ must not contain \`//\`
        - path:
            value: /a/../b
            #      ^^^^^^^ error gateway-api-invalid ~ must not contain \`/./\` or \`/../\`
        - path:
            value: /a/.
            #      ^^^^ error gateway-api-invalid ~ end in \`/.\`
        - path:
            value: /a%2Fb
            #      ^^^^^^ error gateway-api-invalid ~ must not contain \`%2F\`
        - path:
            value: /a#b
            #      ^^^^ error gateway-api-invalid ~ must not contain \`#\`
        - path:
            value: /a%zz
            #      ^^^^^ error gateway-api-invalid ~ has a \`%\` that is not a %XX escape
        - path:
            type: Prefix
            #     ^^^^^^ error gateway-api-invalid ~ path type \`Prefix\` must be Exact, PathPrefix or RegularExpression
            value: /p
        - path:
            type: RegularExpression
            value: /abc(/|$)(.*)
        - path:
            value: /a(.*)
        - path:
            value: "/caf%C3%A9/~user/a:b@c;d=e"
          method: FETCH
          #       ^^^^^ error gateway-api-invalid ~ method \`FETCH\` must be one of GET, HEAD
          headers:
            - name: x:y
              #     ^^^ error gateway-api-invalid ~ header name \`x:y\` must be an HTTP token
              value: a
            - name: version
              value: a
            - name: version
              #     ^^^^^^^ error gateway-api-invalid ~ header \`version\` is matched twice in one match
              value: b
      backendRefs:
        - name: app
          port: 80
`), ONLY);
  });

  test('weights and ports out of range', () => {
    checkFindings(httpRoute(`
    - backendRefs:
        - name: app
          port: 0
          #     ^ error gateway-api-invalid ~ backendRef port 0 must be between 1 and 65535
          weight: 1000001
          #       ^^^^^^^ error gateway-api-invalid ~ weight 1000001 must be an integer between 0 and 1000000
        - name: app
          port: 65536
          #     ^^^^^ error gateway-api-invalid ~ backendRef port 65536
          weight: -1
          #       ^^ error gateway-api-invalid ~ weight -1 must be an integer between 0 and 1000000
`).replace('    - name: edge\n', '    - name: edge\n      port: 70000\n      #     ^^^^^ error gateway-api-invalid ~ parentRef port 70000 must be between 1 and 65535\n'), ONLY);
  });

  test('route hostnames: lowercase DNS names, optionally with a leading *. label, without port', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  parentRefs:
    - name: edge
  hostnames:
    - "Shop.Example.com"
    # ^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ hostname \`Shop.Example.com\` must be a lowercase DNS name, optionally starting with \`*.\` (no scheme, port or path)
    - "shop.example.com:80"
    # ^^^^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ hostname \`shop.example.com:80\`
    - "https://shop.example.com"
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^ error gateway-api-invalid
    - "foo.*.example.com"
    # ^^^^^^^^^^^^^^^^^^^ error gateway-api-invalid
    - "*.example.com"
    - shop.example.com
`, ONLY);
  });

  test('two parentRefs to one parent must both set different sectionNames', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  parentRefs:
    - name: edge
      sectionName: web
    - name: edge
    # ^^^^^^^^^^ error gateway-api-invalid ~ sectionName must be specified when parentRefs includes 2 or more references to the same parent (\`edge\`)
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r2
spec:
  parentRefs:
    - name: edge
      sectionName: web
    - name: edge
    # ^^^^^^^^^^^^ error gateway-api-invalid ~ sectionName \`web\` must be unique
      sectionName: web
    - name: edge
      sectionName: admin
    - name: other
      sectionName: web
`, ONLY);
  });

  test('every apiVersion is validated alike: v1beta1 HTTPRoute', () => {
    checkFindings(httpRoute(`
    - matches:
        - path:
            value: /a//b
            #      ^^^^^ error gateway-api-invalid ~ must not contain \`//\`
      backendRefs:
        - name: app
          port: 80
`, 'v1beta1'), ONLY);
  });
});

describe('gateway-api-invalid: Gateway listeners (§3.1)', () => {
  test('a correct Gateway: no findings', () => {
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
      hostname: "*.example.com"
    - name: https
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: cert
    - name: tls
      port: 8443
      protocol: TLS
      tls:
        mode: Passthrough
    - name: tcp
      port: 5432
      protocol: TCP
    - name: custom
      port: 9000
      protocol: example.com/redis
`, ONLY);
  });

  test('tls on HTTP/TCP/UDP, no tls on TLS, Passthrough on HTTPS, Terminate without certificates, hostname on TCP/UDP, invalid hostnames, names and ports', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: eg
  listeners:
    - name: Web_1
      #     ^^^^^ error gateway-api-invalid ~ the API server rejects Gateway \`edge\`: listener name \`Web_1\` must be lowercase letters, digits, '-' and '.' (a DNS subdomain)
      port: 0
      #     ^ error gateway-api-invalid ~ listener \`Web_1\`: port 0 must be between 1 and 65535
      protocol: HTTP
      tls:
        certificateRefs:
      # ^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ listener \`Web_1\`: tls must not be specified for protocols HTTP, TCP and UDP
          - name: c
    - name: tcp
      port: 5432
      protocol: TCP
      hostname: db.example.com
      #         ^^^^^^^^^^^^^^ error gateway-api-invalid ~ listener \`tcp\`: hostname must not be specified for protocols TCP and UDP
    - name: udp
      port: 53
      protocol: UDP
      hostname: dns.example.com
      #         ^^^^^^^^^^^^^^^ error gateway-api-invalid ~ listener \`udp\`: hostname must not be specified
    - name: tls
      port: 443
      protocol: TLS
      #         ^^^ error gateway-api-invalid ~ listener \`tls\`: tls mode must be set for protocol TLS
    - name: https
      port: 8443
      protocol: HTTPS
      tls:
        mode: Passthrough
        #     ^^^^^^^^^^^ error gateway-api-invalid ~ listener \`https\`: tls mode must be Terminate for protocol HTTPS
    - name: https2
      port: 9443
      protocol: HTTPS
      tls:
        mode: Terminate
        #     ^^^^^^^^^ error gateway-api-invalid ~ listener \`https2\`: certificateRefs or options must be specified when mode is Terminate
    - name: bad-host
      port: 81
      protocol: HTTP
      hostname: "foo.*.com"
      #         ^^^^^^^^^^^ error gateway-api-invalid ~ hostname \`foo.*.com\` must be a lowercase DNS name
    - name: proto
      port: 82
      protocol: HTTP/2
      #         ^^^^^^ error gateway-api-invalid ~ protocol \`HTTP/2\` must be HTTP, HTTPS, TLS, TCP, UDP or a domain-prefixed name
`, ONLY);
  });

  test('a Gateway without gatewayClassName or listeners', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  #     ^^^^ error gateway-api-invalid ~ the API server rejects Gateway \`edge\`
  #     ^^^^ error gateway-api-invalid ~ the API server rejects Gateway \`edge\`
spec: {}
`, ONLY);
  });
});

describe('gateway-api-invalid: TLSRoute, TCPRoute, UDPRoute (§10)', () => {
  const stream = (kind: string, apiVersion: string, spec: string) => `
apiVersion: gateway.networking.k8s.io/${apiVersion}
kind: ${kind}
metadata:
  name: s
spec:
  parentRefs:
    - name: edge
${spec}`;
  const oneRule = '  rules:\n    - backendRefs:\n        - name: db\n          port: 5432\n';

  test('a v1 TLSRoute needs hostnames; v1alpha2 did not', () => {
    checkFindings(stream('TLSRoute', 'v1', oneRule).replace('  name: s\n', '  name: s\n  #     ^ error gateway-api-invalid ~ `spec.hostnames` is required for a TLSRoute (gateway.networking.k8s.io/v1): at least one SNI hostname\n'), ONLY);
    checkFindings(stream('TLSRoute', 'v1alpha2', oneRule), ONLY);
    checkFindings(stream('TLSRoute', 'v1alpha3', oneRule), ONLY);
    checkFindings(stream('TLSRoute', 'v1', `  hostnames:\n    - db.example.com\n${oneRule}`), ONLY);
  });

  test('a v1 TLSRoute hostname cannot be an IP', () => {
    checkFindings(stream('TLSRoute', 'v1', `  hostnames:\n    - 10.0.0.1\n    # ^^^^^^^^ error gateway-api-invalid ~ hostnames cannot contain an IP\n${oneRule}`), ONLY);
    checkFindings(stream('TLSRoute', 'v1alpha2', `  hostnames:\n    - 10.0.0.1\n${oneRule}`), ONLY);
  });

  test('v1 TCPRoute and UDPRoute have exactly one rule, with backendRefs; v1alpha2 allowed more', () => {
    const twoRules = `${oneRule}    - backendRefs:\n    # ^^^^^^^^^^^^^ error gateway-api-invalid ~ a TCPRoute (gateway.networking.k8s.io/v1) has exactly one rule\n        - name: db\n          port: 5432\n`;
    checkFindings(stream('TCPRoute', 'v1', twoRules), ONLY);
    checkFindings(stream('TCPRoute', 'v1alpha2', twoRules.replace(/ *# \^.*\n/, '')), ONLY);
    checkFindings(stream('UDPRoute', 'v1', '  rules:\n    - backendRefs: []\n    # ^^^^^^^^^^^^^^^ error gateway-api-invalid ~ a UDPRoute rule needs at least one backendRef\n'), ONLY);
    checkFindings(stream('UDPRoute', 'v1', '').replace('  name: s\n', '  name: s\n  #     ^ error gateway-api-invalid ~ `spec.rules` is required (one rule with backendRefs)\n'), ONLY);
  });
});

describe('gateway-api-invalid: GRPCRoute, ReferenceGrant, GatewayClass', () => {
  test('GRPCRoute method matches and filters', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: g
spec:
  parentRefs:
    - name: edge
  rules:
    - matches:
        - method:
        # ^^^^^^^ error gateway-api-invalid ~ one or both of 'service' or 'method' must be specified
            type: Exact
        - method:
            service: foo/Bar
            #        ^^^^^^^ error gateway-api-invalid ~ service \`foo/Bar\` must be a gRPC service name
            method: Get.X
            #       ^^^^^ error gateway-api-invalid ~ method \`Get.X\` must be a gRPC method name
        - method:
            type: RegularExpression
            service: "foo\\\\..*"
        - method:
            service: shop.v1.Cart
            method: Get_Item
      filters:
        - type: URLRewrite
          #     ^^^^^^^^^^ error gateway-api-invalid ~ filter type \`URLRewrite\` must be one of RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, ExtensionRef
          urlRewrite:
            hostname: a.b
      backendRefs:
        - name: s
          port: 80
`, ONLY);
  });

  test('ReferenceGrant without from or to, and entries without namespace or kind', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: g
  #     ^ error gateway-api-invalid ~ the API server rejects ReferenceGrant \`g\`: \`spec.
  #     ^ error gateway-api-invalid ~ the API server rejects ReferenceGrant \`g\`: \`spec.
spec:
  from: []
  to: []
---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata:
  name: g2
spec:
  from:
    - group: gateway.networking.k8s.io
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error gateway-api-invalid ~ every \`from\` entry needs a \`namespace\`
      kind: HTTPRoute
  to:
    - group: ""
    # ^^^^^^^^^ error gateway-api-invalid ~ every \`to\` entry needs a \`kind\`
---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata:
  name: ok
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: apps
  to:
    - group: ""
      kind: Service
`, ONLY);
  });

  test('GatewayClass controllerName must be a domain-prefixed path', () => {
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: example.com
  #               ^^^^^^^^^^^ error gateway-api-invalid ~ controllerName \`example.com\` must be a domain-prefixed path
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: GatewayClass
metadata:
  name: ok
spec:
  controllerName: example.net/gateway-controller
`, ONLY);
  });

  test('templated values are never judged', () => {
    checkFindings(httpRoute(`
    - matches:
        - path:
            type: PathPrefix
            value: "{{ .Values.path }}"
      backendRefs:
        - name: app
          port: "{{ .Values.port }}"
          weight: "{{ .Values.weight }}"
`), ONLY);
  });
});

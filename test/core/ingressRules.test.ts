import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

const services = `
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 80
      targetPort: 8080
    - name: admin
      port: 9090
---
apiVersion: v1
kind: Service
metadata:
  name: node-web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
`;

describe('ingress-backend-service-missing and ingress-backend-port-missing', () => {
  test('v1 backends resolve by Service name, port number and port name', () => {
    checkFindings(`${services}
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
        name: admin
  rules:
    - host: shop.test.pri
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`);
  });

  test('a misspelt Service name, with did-you-mean', () => {
    checkFindings(`${services}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: wbe
                #     ^^^ error ingress-backend-service-missing ~ did you mean \`web\`?
                port:
                  number: 80
`);
  });

  test('a Service in another namespace does not count', () => {
    checkFindings(`${services}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: other
spec:
  defaultBackend:
    service:
      name: web
      #     ^^^ information ingress-backend-service-missing ~ may be defined elsewhere
      port:
        number: 80
`);
  });

  test('the targetPort used as a backend port is explained', () => {
    checkFindings(`${services}
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
        number: 8080
        #       ^^^^ error ingress-backend-port-missing ~ 8080 is the targetPort of Service port 80/TCP (http)
`);
  });

  test('an unknown port name, with did-you-mean', () => {
    checkFindings(`${services}
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
        name: htp
        #     ^^^ error ingress-backend-port-missing ~ did you mean \`http\`?
`);
  });

  test('removed v1beta1 forms: serviceName/servicePort and spec.backend', () => {
    checkFindings(`${services}
#- /ing.yaml
apiVersion: networking.k8s.io/v1beta1
#           ^^^^^^^^^^^^^^^^^^^^^^^^^ warning ingress-api-removed
kind: Ingress
metadata:
  name: legacy
spec:
  backend:
    serviceName: web
    servicePort: http
  rules:
    - http:
        paths:
          - path: /a
            backend:
              serviceName: web
              servicePort: 81
              #            ^^ error ingress-backend-port-missing
          - path: /b
            backend:
              serviceName: wbe
              #            ^^^ error ingress-backend-service-missing ~ did you mean \`web\`?
              servicePort: 80
          - path: /c
            backend:
              serviceName: gone
              #            ^^^^ information ingress-backend-service-missing
              servicePort: 80
`);
  });

  test('resource backends and ExternalName Services are not checked against ports', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: external
spec:
  type: ExternalName
  externalName: api.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: mixed
spec:
  rules:
    - http:
        paths:
          - path: /static
            pathType: Prefix
            backend:
              resource:
                apiGroup: k8s.example.com
                kind: StorageBucket
                name: static-assets
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: external
                port:
                  number: 443
`);
  });

  test('ingress-backend-nodeport hints that a ClusterIP Service is enough (ingress-nginx)', () => {
    checkFindings(`${services}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: node-web
      #     ^^^^^^^^ hint ingress-backend-nodeport ~ ingress-nginx reaches Services inside the cluster
      port:
        number: 80
`);
  });

  test('no NodePort hint where the controller needs NodePort backends (ALB instance targets) or is unknown', () => {
    const ingress = (className: string) => `${services}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: ${className}
  defaultBackend:
    service:
      name: node-web
      port:
        number: 80
`;
    checkFindings(ingress('alb'));
    checkFindings(ingress('gce'));
    checkFindings(ingress('my-own-controller'), { only: ['ingress-backend-nodeport'] });
  });
});

describe('ingress-api-removed', () => {
  test('IngressClass in networking.k8s.io/v1beta1', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1beta1
#           ^^^^^^^^^^^^^^^^^^^^^^^^^ warning ingress-api-removed
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`);
  });
});

describe('rewrite-target-capture-missing', () => {
  test('the seed example: /$2 with two capture groups is fine', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  rules:
    - host: www.test.pri
      http:
        paths:
          - path: /abc(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: abc
                port:
                  number: 80
`, { only: ['rewrite-target-capture-missing'] });
  });

  test('$2 with one group, and a regex path with pathType Prefix', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  rules:
    - http:
        paths:
          - path: /shop/(.*)
            #     ^^^^^^^^^^ error rewrite-target-capture-missing ~ has 1 capture group
            pathType: ImplementationSpecific
            backend:
              service:
                name: shop
                port:
                  number: 80
          - path: /api(/|$)(.*)
            pathType: Prefix
            #         ^^^^^^ error rewrite-target-capture-missing ~ is a regular expression
            backend:
              service:
                name: api
                port:
                  number: 80
`, { only: ['rewrite-target-capture-missing'] });
  });

  test('non-capturing groups, character classes and escapes are not capture groups', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$1
spec:
  rules:
    - http:
        paths:
          - path: /a(?:/|$)[(]\\(x\\)
            #     ^^^^^^^^^^^^^^^^^ error rewrite-target-capture-missing ~ has 0 capture groups
            pathType: ImplementationSpecific
            backend:
              service:
                name: a
                port:
                  number: 80
          - path: /b(?<rest>.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: b
                port:
                  number: 80
`, { only: ['rewrite-target-capture-missing'] });
  });

  test('use-regex is read as ingress-nginx reads booleans ("True" counts); an invalid rewrite-target is ignored as the controller ignores it', () => {
    const ingress = (annotation: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
  annotations:
    ${annotation}
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /api/(.*)
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 80
`;
    const regexPath = (text: string) => text.replace('pathType: Prefix', 'pathType: Prefix\n            #         ^^^^^^ error rewrite-target-capture-missing ~ is a regular expression, but pathType is Prefix');
    checkFindings(regexPath(ingress('nginx.ingress.kubernetes.io/use-regex: "True"')), { only: ['rewrite-target-capture-missing'] });
    checkFindings(regexPath(ingress('nginx.ingress.kubernetes.io/rewrite-target: /$1')), { only: ['rewrite-target-capture-missing'] });
    // rewrite.go: a value failing RegexPathWithCapture (`?` is not allowed) is dropped: no rewrite, no regex mode.
    checkFindings(ingress('nginx.ingress.kubernetes.io/rewrite-target: /$1?'), { only: ['rewrite-target-capture-missing'] });
    checkFindings(ingress('nginx.ingress.kubernetes.io/use-regex: "yes"'), { only: ['rewrite-target-capture-missing'] });
  });

  test('without rewrite-target or use-regex, Prefix paths are not judged as regexes', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
spec:
  rules:
    - http:
        paths:
          - path: /api/*
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 80
`, { only: ['rewrite-target-capture-missing'] });
  });
});

describe('ingress-path-conflict', () => {
  const ingress = (name: string, extra = '', host = 'shop.test.pri', pathType = 'Prefix') => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}${extra}
spec:
  ingressClassName: nginx
  rules:
    - host: ${host}
      http:
        paths:
          - path: /cart
            pathType: ${pathType}
            backend:
              service:
                name: cart
                port:
                  number: 80
`;

  const conflict = (other: string) => `path: /cart\n            #     ^^^^^ warning ingress-path-conflict ~ Ingress \`${other}\`\n`;

  test('two Ingresses of one file with the same host, path and pathType', () => {
    checkFindings(`#- /a.yaml${ingress('a').replace('path: /cart\n', conflict('b'))}---${ingress('b').replace('path: /cart\n', conflict('a'))}`, { only: ['ingress-path-conflict'] });
  });

  test('the message says what the controller does with it', () => {
    const findings = checkFindings(`#- /a.yaml${ingress('a').replace('path: /cart\n', conflict('b'))}---${ingress('b').replace('path: /cart\n', conflict('a'))}`, { only: ['ingress-path-conflict'] });
    assert.match(findings[0].message, /ingress-nginx's admission webhook rejects the later Ingress/);
  });

  test('different hosts, pathTypes or canary Ingresses do not conflict', () => {
    const canary = '\n  annotations:\n    nginx.ingress.kubernetes.io/canary: "true"';
    checkFindings(`#- /a.yaml${ingress('a')}---${ingress('b', '', 'other.test.pri')}---${ingress('c', '', 'shop.test.pri', 'Exact')}---${ingress('d', canary)}`, { only: ['ingress-path-conflict'] });
  });

  test('two files of one folder that claim the same host and path are variants, not one install', () => {
    checkFindings(`#- /app/a.yaml${ingress('a')}
#- /app/b.yaml${ingress('b')}`, { only: ['ingress-path-conflict'] });
  });

  test('an app declared in the workspace configuration is applied together: its files conflict', () => {
    checkFindings(`
#- /.kube-route-lens.yaml
apps: [shop]
#- /shop/a.yaml${ingress('a').replace('path: /cart\n', conflict('b'))}
#- /shop/b.yaml${ingress('b').replace('path: /cart\n', conflict('a'))}`, { only: ['ingress-path-conflict'] });
  });

  test('the same Ingress path in two overlays of one base: each build is its own install', () => {
    checkFindings(`
#- /base/kustomization.yaml
resources: [ingress.yaml]
#- /base/ingress.yaml${ingress('a')}
#- /dev/kustomization.yaml
resources: [../base]
namespace: dev
#- /prod/kustomization.yaml
resources: [../base]
namespace: prod`, { only: ['ingress-path-conflict'] });
  });

  test('GCE gives every Ingress its own load balancer; ALB only merges Ingresses of one IngressGroup', () => {
    const withClass = (name: string, cls: string, annotations = '') => ingress(name, annotations).replace('ingressClassName: nginx', `ingressClassName: ${cls}`);
    checkFindings(`#- /gce.yaml${withClass('a', 'gce')}---${withClass('b', 'gce')}`, { only: ['ingress-path-conflict'] });
    checkFindings(`#- /alb.yaml${withClass('a', 'alb')}---${withClass('b', 'alb')}`, { only: ['ingress-path-conflict'] });
    const group = '\n  annotations:\n    alb.ingress.kubernetes.io/group.name: shop';
    const findings = checkFindings(`#- /alb-group.yaml${withClass('a', 'alb', group).replace('path: /cart\n', conflict('b'))}---${withClass('b', 'alb', group).replace('path: /cart\n', conflict('a'))}`, { only: ['ingress-path-conflict'] });
    assert.match(findings[0].message, /IngressGroup `shop`/);
  });

  test('an unknown controller: Kubernetes does not say what happens, so nothing is concluded', () => {
    checkFindings(`#- /x.yaml${ingress('a').replace('nginx', 'my-controller')}---${ingress('b').replace('nginx', 'my-controller')}`, { only: ['ingress-path-conflict'] });
  });
});

describe('ingress-class-missing', () => {
  const cls = `
#- /class.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;

  test('an unknown class when the workspace defines classes', () => {
    checkFindings(`${cls}
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  ingressClassName: ngnix
  #                 ^^^^^ information ingress-class-missing ~ did you mean \`nginx\`?
  defaultBackend:
    resource:
      kind: Bucket
      name: b
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: b
  annotations:
    kubernetes.io/ingress.class: nginx
spec:
  defaultBackend:
    resource:
      kind: Bucket
      name: b
`);
  });

  test('no IngressClass in the workspace: classes come with the controller, no finding', () => {
    checkFindings(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  ingressClassName: traefik
  defaultBackend:
    resource:
      kind: Bucket
      name: b
`);
  });
});

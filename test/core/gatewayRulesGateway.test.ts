/**
 * Gateway and ListenerSet rules (docs/gateway-api-semantics.md §2, §3, §4): gateway-class-missing,
 * gateway-invalid-certificate-ref, gateway-listener-conflicted and listenerset-not-allowed.
 */
import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

const CLASS = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: envoy
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
`;

function gateway(className: string, annotation = '', name = 'edge'): string {
  return `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
spec:
  gatewayClassName: ${className}
${annotation}  listeners:
    - name: web
      port: 80
      protocol: HTTP
`;
}

describe('gateway-class-missing', () => {
  const ONLY = { only: ['gateway-class-missing'] };

  test('a class defined beside the Gateway: no findings at all', () => {
    checkFindings(`${CLASS}---${gateway('envoy')}`);
  });

  test('no GatewayClass in the workspace: information (classes come with the controller)', () => {
    checkFindings(gateway('istio', '  #                 ^^^^^ information gateway-class-missing ~ Gateway `edge` uses GatewayClass `istio`, but the workspace defines no GatewayClass of that name, so no controller reconciles this Gateway (the workspace defines no GatewayClass: classes usually come with the controller, installed elsewhere)\n'), ONLY);
  });

  test('classes defined in the same file: a warning, with did-you-mean for a close spelling', () => {
    checkFindings(`${CLASS}---${gateway('enovy', '  #                 ^^^^^ warning gateway-class-missing ~ did you mean `envoy`?\n')}`, ONLY);
    checkFindings(`${CLASS}---${gateway('istio', '  #                 ^^^^^ warning gateway-class-missing ~ so no controller reconciles this Gateway\n')}`, ONLY);
  });

  test('classes only in another folder, none close: information (it may be installed with the controller)', () => {
    checkFindings(`
#- /platform/class.yaml
${CLASS}
#- /apps/gateway.yaml
${gateway('istio', '  #                 ^^^^^ information gateway-class-missing ~ (it may be installed with the controller, outside this workspace)\n')}`, ONLY);
  });

  test('v1beta1 Gateways and GatewayClasses read the same', () => {
    checkFindings(`${CLASS.replace('/v1\n', '/v1beta1\n')}---${gateway('envoy').replace('/v1\n', '/v1beta1\n')}`, ONLY);
    checkFindings(`${CLASS.replace('/v1\n', '/v1beta1\n')}---${gateway('envoi', '  #                 ^^^^^ warning gateway-class-missing ~ did you mean `envoy`?\n').replace('/v1\n', '/v1beta1\n')}`, ONLY);
  });
});

describe('gateway-invalid-certificate-ref', () => {
  const ONLY = { only: ['gateway-invalid-certificate-ref', 'route-ref-not-permitted'] };
  const https = (ref: string, annotation = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
      tls:
        mode: Terminate
        certificateRefs:
          - name: ${ref}
${annotation}`;
  const secret = (name: string, namespace = 'infra') => `
apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: ${namespace}
type: kubernetes.io/tls
data:
  tls.crt: ""
  tls.key: ""
`;

  test('the Secret beside the Gateway: nothing', () => {
    checkFindings(`${https('shop-tls')}---${secret('shop-tls')}`, ONLY);
  });

  test('no Secrets in that namespace in the workspace: information (certificates are created outside the repository)', () => {
    checkFindings(https('shop-tls', '            #     ^^^^^^^^ information gateway-invalid-certificate-ref ~ Gateway `edge`: listener `https` (HTTPS 443, hostname `shop.example.com`) uses certificate Secret `shop-tls` in namespace `infra`, which does not exist, so the listener is not programmed (InvalidCertificateRef) (the workspace defines no Secrets in namespace `infra`'), ONLY);
  });

  test('Secrets of that namespace in the same file: a warning, with did-you-mean', () => {
    checkFindings(`${https('shop-tsl', '            #     ^^^^^^^^ warning gateway-invalid-certificate-ref ~ which does not exist, so the listener is not programmed (InvalidCertificateRef); did you mean `shop-tls`?\n')}---${secret('shop-tls')}`, ONLY);
  });

  test('Secrets of another namespace do not count; Secrets only in another folder: information', () => {
    checkFindings(`${https('shop-tls', '            #     ^^^^^^^^ information gateway-invalid-certificate-ref ~ the workspace defines no Secrets in namespace `infra`\n')}---${secret('shop-tls', 'apps')}`, ONLY);
    checkFindings(`
#- /apps/gateway.yaml
${https('shop-tls', '            #     ^^^^^^^^ information gateway-invalid-certificate-ref ~ (it may be created outside the repository)\n')}
#- /secrets/secret.yaml
${secret('other-tls')}
`, ONLY);
  });

  test('a core certificateRef of a kind other than Secret is InvalidCertificateRef; other groups are implementation-specific', () => {
    checkFindings(`${https('shop-tls')}---${secret('shop-tls')}`.replace('          - name: shop-tls\n', '          - name: shop-tls\n            kind: ConfigMap\n            #     ^^^^^^^^^ warning gateway-invalid-certificate-ref ~ certificateRef of kind `ConfigMap`\n'), ONLY);
    checkFindings(`${https('shop-tls')}`.replace('          - name: shop-tls\n', '          - name: shop-tls\n            group: cert.example.com\n            kind: Certificate\n'), ONLY);
  });

  test('Passthrough listeners and templated names are not judged', () => {
    checkFindings(`${secret('other')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: passthrough
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
    - name: tls
      port: 443
      protocol: TLS
      tls:
        mode: Passthrough
        certificateRefs:
          - name: ignored
`, ONLY);
    checkFindings(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: envoy
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      tls:
        certificateRefs:
          - name: "{{ .Values.tlsSecret }}"
`, ONLY);
  });
});

describe('gateway-listener-conflicted', () => {
  const ONLY = { only: ['gateway-listener-conflicted'] };
  const listeners = (body: string, kind = 'Gateway') => `
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: edge
spec:
${kind === 'Gateway' ? '  gatewayClassName: envoy' : '  parentRef:\n    name: main'}
  listeners:
${body}`;

  test('the same listener name twice: error (the CRD rejects it)', () => {
    checkFindings(listeners(`
    - name: web
      port: 80
      protocol: HTTP
    - name: web
      #     ^^^ error gateway-listener-conflicted ~ Gateway \`edge\`: listener name \`web\` is used twice; the API server rejects the Gateway (Listener name must be unique)
      port: 8080
      protocol: HTTP
`), ONLY);
  });

  test('the same port, protocol and hostname: error; a different hostname, or none beside one, is distinct', () => {
    checkFindings(listeners(`
    - name: a
      port: 80
      protocol: HTTP
      hostname: shop.example.com
    - name: b
      port: 80
      #     ^^ error gateway-listener-conflicted ~ listeners \`a\` and \`b\` have the same port 80, protocol HTTP and hostname \`shop.example.com\`; the API server rejects the Gateway (the combination must be unique)
      protocol: HTTP
      hostname: shop.example.com
    - name: c
      port: 80
      protocol: HTTP
      hostname: "*.example.com"
    - name: d
      port: 80
      protocol: HTTP
    - name: e
      port: 80
      #     ^^ error gateway-listener-conflicted ~ and no hostname
      protocol: HTTP
`), ONLY);
  });

  test('incompatible protocols on one port: HTTP with HTTPS, TCP with HTTP (ProtocolConflict, a warning)', () => {
    checkFindings(listeners(`
    - name: http
      port: 443
      protocol: HTTP
    - name: https
      port: 443
      protocol: HTTPS
      #         ^^^^^ warning gateway-listener-conflicted ~ listener \`https\` (HTTPS 443) shares port 443 with listener \`http\` (HTTP 443), whose protocol is incompatible; the listeners are Conflicted (ProtocolConflict) and neither is accepted
      tls:
        certificateRefs:
          - name: cert
    - name: tcp
      port: 8080
      protocol: TCP
    - name: web
      port: 8080
      protocol: HTTP
      #         ^^^^ warning gateway-listener-conflicted ~ shares port 8080 with listener \`tcp\` (TCP 8080)
`), ONLY);
  });

  test('allowed on one port: TCP with UDP, HTTPS with TLS; the same listeners in two Gateways; lowercase core protocols', () => {
    checkFindings(listeners(`
    - name: dns-tcp
      port: 53
      protocol: TCP
    - name: dns-udp
      port: 53
      protocol: UDP
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
      tls:
        certificateRefs:
          - name: cert
    - name: tls
      port: 443
      protocol: TLS
      hostname: db.example.com
      tls:
        mode: Passthrough
    - name: web
      port: 80
      protocol: HTTP
    - name: web2
      port: 80
      protocol: http
      hostname: shop.example.com
`), ONLY);
    checkFindings(`${listeners('    - name: web\n      port: 80\n      protocol: HTTP\n')}---${listeners('    - name: web\n      port: 80\n      protocol: HTTP\n').replace('name: edge', 'name: other')}`, ONLY);
  });

  test('a ListenerSet\'s listeners conflict among themselves, and its CRD compares protocols case-insensitively', () => {
    checkFindings(listeners(`
    - name: a
      port: 80
      protocol: HTTP
    - name: b
      port: 80
      #     ^^ error gateway-listener-conflicted ~ ListenerSet \`edge\`: listeners \`a\` and \`b\` have the same port 80, protocol http and no hostname; the API server rejects the ListenerSet
      protocol: http
`, 'ListenerSet'), ONLY);
  });
});

describe('listenerset-not-allowed', () => {
  const ONLY = { only: ['listenerset-not-allowed'] };
  const parent = (allowed: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: main
  namespace: infra
spec:
  gatewayClassName: envoy
${allowed}  listeners:
    - name: web
      port: 80
      protocol: HTTP
`;
  const set = (namespace: string, annotation = '', parentName = 'main') => `
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: team
  namespace: ${namespace}
spec:
  parentRef:
    name: ${parentName}
${annotation}    namespace: infra
  listeners:
    - name: team-web
      port: 8080
      protocol: HTTP
`;
  const allowed = (from: string, selector = '') => `  allowedListeners:\n    namespaces:\n      from: ${from}\n${selector}`;

  test('allowedListeners default to None: no ListenerSet attaches', () => {
    checkFindings(`${parent('')}---${set('infra', '    #     ^^^^ warning listenerset-not-allowed ~ ListenerSet `team` attaches to Gateway `main`, but its allowedListeners admit no ListenerSets (`from: None`, the default), so its listeners serve nothing (Accepted: False, NotAllowed)\n')}`, ONLY);
    checkFindings(`${parent(allowed('None'))}---${set('infra', '    #     ^^^^ warning listenerset-not-allowed\n')}`, ONLY);
  });

  test('Same admits the Gateway\'s namespace only; All admits every namespace', () => {
    checkFindings(`${parent(allowed('Same'))}---${set('infra')}`, ONLY);
    checkFindings(`${parent(allowed('Same'))}---${set('team-a', '    #     ^^^^ warning listenerset-not-allowed ~ its allowedListeners admit only ListenerSets of namespace `infra`\n')}`, ONLY);
    checkFindings(`${parent(allowed('All'))}---${set('team-a')}`, ONLY);
  });

  test('Selector reads the Namespace labels (and kubernetes.io/metadata.name)', () => {
    const selector = allowed('Selector', '      selector:\n        matchLabels:\n          listeners: allowed\n');
    const namespace = (labels: string) => `
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    ${labels}
`;
    checkFindings(`${parent(selector)}---${namespace('listeners: allowed')}---${set('team-a')}`, ONLY);
    checkFindings(`${parent(selector)}---${namespace('listeners: denied')}---${set('team-a', '    #     ^^^^ warning listenerset-not-allowed ~ the labels of Namespace `team-a` do not match its allowedListeners selector\n')}`, ONLY);
    checkFindings(`${parent(allowed('Selector', '      selector:\n        matchLabels:\n          kubernetes.io/metadata.name: team-a\n'))}---${set('team-a')}`, ONLY);
    // A Namespace the workspace does not define is not judged.
    checkFindings(`${parent(selector)}---${set('team-a')}`, ONLY);
  });

  test('a missing parent Gateway: warning with did-you-mean beside Gateways, information in a workspace without Gateways', () => {
    checkFindings(`${parent(allowed('All'))}---${set('infra', '    #     ^^^^ warning listenerset-not-allowed ~ ListenerSet `team` attaches to Gateway `mian` in namespace `infra`, which does not exist, so its listeners serve nothing; did you mean `main`?\n', 'mian')}`, ONLY);
    checkFindings(set('infra', '    #     ^^^^ information listenerset-not-allowed ~ (the workspace defines no Gateways: it may be managed elsewhere)\n'), ONLY);
  });

  test('a parent Gateway in another folder caps the finding to information', () => {
    checkFindings(`
#- /platform/gateway.yaml
${parent('')}
#- /teams/set.yaml
${set('infra', '    #     ^^^^ information listenerset-not-allowed ~ admit no ListenerSets\n')}
`, ONLY);
  });
});

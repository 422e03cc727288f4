/**
 * Hovers on keys (issue 12): a key whose value is a scalar explains like its value; a key whose
 * value is a collection says what the field does, then what it resolves to. The range returned
 * is the key's (checkKeyHover asserts it). Keys with nothing to add give nothing.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { keyAt } from '../../../server/src/core/features/keyHover';
import { checkKeyHover, checkNoHover } from '../../helpers/features';
import { WEB, WEB_SERVICE } from './seed';
import { BACKENDS, GATEWAY, ROUTE, SHOP } from './gatewaySeed';

/** The fixture with `$0` put inside the `nth` occurrence of `key:` (one character in). */
function onKey(source: string, key: string, nth = 0): string {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = source.indexOf(`${key}:`, index + 1);
    // Only a key at the start of its line (after indentation and `- `), not the tail of a longer key.
    while (index > 0 && !/^\s*(-\s+)*$/.test(source.slice(source.lastIndexOf('\n', index - 1) + 1, index))) index = source.indexOf(`${key}:`, index + 1);
    assert.ok(index >= 0, `fixture lacks key ${key}: #${nth}`);
  }
  return `${source.slice(0, index + 1)}$0${source.slice(index + 1)}`;
}

const INGRESS = `
#- /app/ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: web-svc
      port:
        name: http
  rules:
    - host: www.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web-svc
                port:
                  number: 8080
          - path: /old
            pathType: Exact
            backend:
              service:
                name: gone
                port:
                  number: 80
#- /app/class.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;

const HPA = `
#- /app/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 6
`;

const K8S = `${WEB}${WEB_SERVICE}${INGRESS}${HPA}`;
const CHAIN = '`node:30080` → Service `web-svc:8080` → targetPort `http` → containerPort `80` (httpd) in 3 pods of Deployment `web`';

describe('key hovers: Services and workloads', () => {
  test('externalTrafficPolicy: the policy explained for this Service, with its replicas', () => {
    checkKeyHover(onKey(K8S, 'externalTrafficPolicy'), 'externalTrafficPolicy', '**externalTrafficPolicy: Local** on NodePort Service `web-svc`', 'with 3 replicas, at most 3 nodes answer');
  });

  test('port, targetPort, nodePort: the port chain with the role of the hovered number first', () => {
    for (const key of ['port', 'targetPort', 'nodePort']) {
      const markdown = checkKeyHover(onKey(K8S, key), key, '**Service `web-svc`** · NodePort', CHAIN);
      assert.ok(markdown.split('\n').find((l) => l.startsWith('- '))?.startsWith(`- **${key}**`), `${key} first:\n${markdown}`);
    }
  });

  test('type: what the Service type means', () => {
    checkKeyHover(onKey(K8S, 'type', 0), 'type', '**type: NodePort**', '<node IP>:<nodePort>');
  });

  test('containerPort: the Services that target it', () => {
    checkKeyHover(onKey(K8S, 'containerPort'), 'containerPort', 'containerPort `http` `80/TCP` of Deployment `web`', 'Used by:\n- Service `web-svc` (targetPort `http`)');
  });

  test('selector of a Service: what it does, then the workloads and pods it selects', () => {
    checkKeyHover(onKey(K8S, 'selector', 1), 'selector', '**selector**: the labels a pod must carry', 'Selector `app=web` selects **3 pods of Deployment `web`** in namespace `default`', '- Deployment `web` (3 replicas)');
  });

  test('selector written as a flow map', () => {
    checkKeyHover(onKey(`${WEB}${WEB_SERVICE.replace('  selector:\n    app: web', '  selector: {app: web}')}`, 'selector', 1), 'selector', 'selects **3 pods of Deployment `web`**');
  });

  test('ports of a Service: the chain of every port', () => {
    const two = WEB_SERVICE.replace('      targetPort: http\n', '      targetPort: http\n    - name: admin\n      port: 9090\n      targetPort: 9090\n');
    checkKeyHover(onKey(`${WEB}${two}`, 'ports', 1), 'ports', '**ports**: what NodePort Service `web-svc` listens on', `- ${CHAIN}`, '- `node:` *(port assigned by the cluster)* → Service `web-svc:9090` → targetPort `9090` → 3 pods of Deployment `web` *(no containerPort declared)*');
  });

  test('selector and matchLabels of a Deployment: the pods it manages, and whether its template matches', () => {
    checkKeyHover(onKey(K8S, 'selector', 0), 'selector', '**selector**: the pods this Deployment manages', 'Deployment selector `app=web` matches its pod template labels');
    checkKeyHover(onKey(K8S, 'matchLabels'), 'matchLabels', '**matchLabels**: the pods this Deployment manages', 'Deployment selector `app=web` matches its pod template labels');
    checkKeyHover(onKey(K8S.replace('      app: web\n  template', '      app: api\n  template'), 'matchLabels'), 'matchLabels', '**does not match** its pod template labels');
  });

  test('matchLabels of something else than the workload selector (an affinity term) gives nothing', () => {
    const affinity = WEB.replace('      containers:', '      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 1\n              podAffinityTerm:\n                topologyKey: kubernetes.io/hostname\n                labelSelector:\n                  matchLabels:\n                    app: web\n      containers:');
    checkNoHover(onKey(affinity, 'matchLabels', 1));
  });

  test('nothing on keys with nothing to add: replicas, image, metadata, spec, a container name, container ports', () => {
    for (const [key, nth] of [['replicas', 0], ['image', 0], ['metadata', 0], ['spec', 0], ['name', 1], ['ports', 0], ['protocol', 0]] as const) {
      checkNoHover(onKey(K8S.replace('      containerPort: 80', '      containerPort: 80\n              protocol: TCP'), key, nth));
    }
  });
});

describe('key hovers: Ingress and HPA', () => {
  test('ingressClassName: the class and its controller', () => {
    checkKeyHover(onKey(K8S, 'ingressClassName'), 'ingressClassName', 'IngressClass `nginx` → controller `k8s.io/ingress-nginx`');
  });

  test('rules: one line per host and path, with where its backend leads', () => {
    checkKeyHover(onKey(K8S, 'rules'), 'rules', '**rules**: a request is matched by host first, then by path', `- \`www.example.com\` \`/\` Prefix → ${CHAIN}`, '- `www.example.com` `/old` Exact → Service `gone` *(not in namespace `default`)*');
  });

  test('http and paths: the paths of this host', () => {
    for (const key of ['http', 'paths']) checkKeyHover(onKey(K8S, key), key, 'the paths of this host', `\`/\` Prefix → ${CHAIN}`);
  });

  test('host and path: the matching semantics of the value', () => {
    checkKeyHover(onKey(K8S, 'host'), 'host', '**host** matches requests whose Host header is exactly `www.example.com`');
    checkKeyHover(onKey(K8S, 'path', 0), 'path', '**path `/`** · pathType Prefix', 'the longest wins');
  });

  test('backend, service and port: the Service of this path and the port it lands on', () => {
    checkKeyHover(onKey(K8S, 'backend', 0), 'backend', '**backend**: the Service (and its port) that receives the requests this path matches.', '**Service `web-svc`** · NodePort', `- ${CHAIN}`);
    checkKeyHover(onKey(K8S, 'service', 1), 'service', '**service**: the Service that receives these requests', `- ${CHAIN}`);
    checkKeyHover(onKey(K8S, 'port', 2), 'port', '**port**: the Service port', `- ${CHAIN}`);
    checkKeyHover(onKey(K8S, 'defaultBackend'), 'defaultBackend', '**defaultBackend**: where requests that match no rule go.', `- ${CHAIN}`);
  });

  test('name and number under a backend: the value hover (the Service and its chain)', () => {
    checkKeyHover(onKey(K8S, 'number', 0), 'number', '**Service `web-svc`** · NodePort', `- ${CHAIN}`);
    checkKeyHover(onKey(K8S, 'name', 8), 'name', '**Service `web-svc`** · NodePort', `- ${CHAIN}`);
    checkKeyHover(onKey(K8S, 'name', 7), 'name', '**Service `web-svc`** · NodePort', `- ${CHAIN}`);
  });

  test('a backend whose Service is missing: the diagnostic speaks, the key adds nothing', () => {
    checkNoHover(onKey(K8S, 'backend', 1));
  });

  test('scaleTargetRef: what it does, then the workload it scales', () => {
    checkKeyHover(onKey(K8S, 'scaleTargetRef'), 'scaleTargetRef', '**scaleTargetRef**: the workload whose replica count this autoscaler sets.', 'Scales Deployment `web` between **2–6 replicas** (the manifest says 3)');
    checkKeyHover(onKey(K8S, 'kind', 5), 'kind', 'Scales Deployment `web` between **2–6 replicas**');
  });

  test('an annotation key: the rewrite-target explained', () => {
    const rewrite = INGRESS.replace('  name: web\nspec:', '  name: web\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /$2\nspec:').replace('          - path: /\n', '          - path: /app(/|$)(.*)\n').replace('pathType: Prefix', 'pathType: ImplementationSpecific');
    checkKeyHover(onKey(`${WEB}${WEB_SERVICE}${rewrite}`, 'nginx.ingress.kubernetes.io/rewrite-target'), 'nginx.ingress.kubernetes.io/rewrite-target', '**rewrite-target `/$2`**', '`/app/index.html` → backend receives `/index.html`');
  });
});

describe('key hovers: Gateway API', () => {
  test('parentRefs: each parent with the listeners it attaches to and the effective hostnames', () => {
    checkKeyHover(onKey(SHOP, 'parentRefs'), 'parentRefs', '**parentRefs**: the Gateways (or ListenerSets) this route asks to attach to', '- Gateway `prod/web` section `https` → listener `https` · 443/HTTPS · hostname `shop.example.com` → serves `shop.example.com`', 'Effective hostnames: `shop.example.com`.');
    checkKeyHover(onKey(SHOP.replace('      sectionName: https', '      sectionName: nope'), 'parentRefs'), 'parentRefs', '- Gateway `prod/web` section `nope`: **NoMatchingParent**: Gateway `prod/web` has no listener of that name', 'The route attaches to no listener: it serves nothing yet.');
    checkKeyHover(onKey(`${ROUTE}${BACKENDS}`, 'parentRefs'), 'parentRefs', '- Gateway `prod/web` section `https`: **not in this workspace** (NoMatchingParent)');
  });

  test('sectionName: the parentRef it belongs to, attached to that listener', () => {
    checkKeyHover(onKey(SHOP, 'sectionName'), 'sectionName', '**parentRef → Gateway `prod/web`**', '- listener `https` · 443/HTTPS · hostname `shop.example.com` → serves `shop.example.com`');
  });

  test('hostnames: the effective hostnames per listener', () => {
    const both = SHOP.replace('      sectionName: https\n', '').replace('    - shop.example.com\n  rules', '    - shop.example.com\n    - api.example.com\n  rules');
    checkKeyHover(onKey(both, 'hostnames'), 'hostnames', '**hostnames**: the Host headers this route answers', '- Gateway `prod/web` listener `http` → `shop.example.com`, `api.example.com`', '- Gateway `prod/web` listener `https` → `shop.example.com`');
    checkKeyHover(onKey(SHOP.replace('      sectionName: https', '      sectionName: nope'), 'hostnames'), 'hostnames', 'The route attaches to no listener: it serves no hostname yet.');
  });

  test('rules: each rule with its matches, backends as shares and filters', () => {
    checkKeyHover(onKey(SHOP, 'rules'), 'rules', '**rules**: a request takes the rule with the most specific matching match', '- rule 1: `PathPrefix /api` → `api` 75%, `api-canary` 25% · `URLRewrite`', '- rule 2: `Exact /old` → a redirect (no backend) · `RequestRedirect`');
  });

  test('backendRefs: each Service → port → targetPort → containerPort, with weights as percentages', () => {
    checkKeyHover(
      onKey(SHOP, 'backendRefs'),
      'backendRefs',
      '**backendRefs**: where the requests of rule 1 go, split by weight.',
      '- **75%** (weight 3) → Service `api:8080` → targetPort `http` → containerPort `80` (api) in 2 pods of Deployment `api`',
      '- **25%** (weight 1) → Service `api-canary:8080` → targetPort `80` → containerPort `80` (api) in 2 pods of Deployment `api`',
    );
    checkKeyHover(onKey(SHOP.replace('        - name: api-canary\n', '        - name: api-gone\n'), 'backendRefs'), 'backendRefs', '- **25%** (weight 1) → **BackendNotFound**: no Service `api-gone` in namespace `shop` (answered 500)');
  });

  test('matches: the semantics of each match and the hostnames it serves', () => {
    checkKeyHover(onKey(SHOP, 'matches'), 'matches', '**matches**: rule 1 takes a request when any of its matches fits', '- `PathPrefix /api`: `PathPrefix` matches element-wise', 'Served on `shop.example.com`.');
  });

  test('filters: of a rule (the worked rewrite), of a backendRef (only when it is picked), several (one line each)', () => {
    checkKeyHover(onKey(SHOP, 'filters'), 'filters', '**filters**: applied, in order, to every request rule 1 takes', '**URLRewrite**', '- `/api/products/42` → upstream path `/products/42`');
    const onRef = SHOP.replace('          weight: 1\n', '          weight: 1\n          filters:\n            - type: RequestHeaderModifier\n              requestHeaderModifier:\n                set:\n                  - name: x-canary\n                    value: "1"\n');
    checkKeyHover(onKey(onRef, 'filters', 1), 'filters', '**filters**: applied only to the requests sent to backendRef `api-canary`.', '**RequestHeaderModifier** (on backendRef `api-canary`: applied only when it is picked)');
    const two = SHOP.replace('      filters:\n        - type: URLRewrite', '      filters:\n        - type: RequestHeaderModifier\n          requestHeaderModifier:\n            remove: [x-debug]\n        - type: URLRewrite');
    checkKeyHover(onKey(two, 'filters'), 'filters', '1. **RequestHeaderModifier**:', '2. **URLRewrite**: the request is forwarded with a rewritten path');
  });

  test('gatewayClassName and listeners of a Gateway', () => {
    checkKeyHover(onKey(SHOP, 'gatewayClassName'), 'gatewayClassName', 'GatewayClass `nginx` → controller `gateway.nginx.org/nginx-gateway-controller`');
    checkKeyHover(onKey(SHOP, 'listeners'), 'listeners', '**listeners**: where this Gateway accepts traffic', '- listener `http` · 80/HTTP · hostname `*.example.com` · 0 routes attached', '- listener `https` · 443/HTTPS · hostname `shop.example.com` · 1 route attached');
  });

  test('keys inside a listener, a match or a filter: the hover of that object, on the key', () => {
    checkKeyHover(onKey(SHOP, 'tls'), 'tls', '**listener `https` · 443/HTTPS · hostname `shop.example.com`**', '**1 route attached:**');
    checkKeyHover(onKey(SHOP, 'urlRewrite'), 'urlRewrite', '**URLRewrite**', '- `/api` → upstream path `/`');
    checkKeyHover(onKey(SHOP, 'weight'), 'weight', '**backendRef → Service `api`** · weight 3 of 4 → **75%**');
  });

  test('nothing on route and Gateway keys with nothing to add', () => {
    checkNoHover(onKey(SHOP, 'metadata', 2));
    checkNoHover(onKey(SHOP, 'spec', 2));
    checkNoHover(onKey(`${GATEWAY}${SHOP.slice(GATEWAY.length)}`, 'controllerName'));
  });
});

describe('keyAt', () => {
  test('the key, its range and where its value starts; not the value, not the colon\'s far side', () => {
    const text = 'spec:\n  ports:\n    - port: 80 # web\n  # note\n  selector: &s\n    app: web\n';
    assert.deepEqual(keyAt(text, { line: 2, character: 8 }), { key: 'port', range: { start: { line: 2, character: 6 }, end: { line: 2, character: 10 } }, path: ['spec', 'ports', 'port'], value: { kind: 'scalar', position: { line: 2, character: 12 } } });
    assert.equal(keyAt(text, { line: 2, character: 12 }), undefined);
    assert.equal(keyAt(text, { line: 2, character: 4 }), undefined);
    assert.deepEqual(keyAt(text, { line: 1, character: 2 })?.value, { kind: 'collection', position: { line: 2, character: 6 } });
    assert.deepEqual(keyAt(text, { line: 4, character: 3 })?.value, { kind: 'collection', position: { line: 5, character: 4 } });
    assert.deepEqual(keyAt('a:\nb: 1\n', { line: 0, character: 0 })?.value, { kind: 'collection' });
    assert.equal(keyAt('{{ if .Values.x }}\n', { line: 0, character: 3 }), undefined);
    assert.deepEqual(keyAt('a: 1\r\nport: 80\r\n', { line: 1, character: 4 })?.value, { kind: 'scalar', position: { line: 1, character: 6 } });
    assert.equal(keyAt('a: 1\n', { line: 5, character: 0 }), undefined);
  });
});

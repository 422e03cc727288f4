import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  PROFILES,
  albAction,
  albGroup,
  albPathOrder,
  albPathPatterns,
  albPatternMatches,
  albTargetType,
  controllerFromPod,
  controllersServing,
  gceGlobMatches,
  gceNegForIngress,
  gcePathPatterns,
  identifyController,
  isValidGcePattern,
  kubernetesPathMatches,
  nginxIncLocation,
  parseArgs,
  pathMatches,
  pickGcePattern,
  pickNginxLocation,
  pickTraefikRouter,
  profileForController,
  profileOf,
  sharedHost,
  traefikRouter,
} from '../../server/src/core/semantics/controllers';
import type { Annotations, IngressFacts, PodController } from '../../server/src/core/semantics/controllers';

const ing = (name: string, annotations: Annotations = {}, extra: Partial<IngressFacts> = {}): IngressFacts => ({ namespace: 'default', name, annotations, ...extra });

function pod(image: string, args: string[] = []): PodController {
  const found = controllerFromPod({ image, args });
  assert.ok(found, `no controller recognised for ${image}`);
  return found;
}

describe('controller identification: IngressClass spec.controller', () => {
  test('each known controller value selects its profile', () => {
    assert.equal(profileForController('k8s.io/ingress-nginx').kind, 'ingress-nginx');
    assert.equal(profileForController('nginx.org/ingress-controller').kind, 'nginx-inc');
    assert.equal(profileForController('ingress.k8s.aws/alb').kind, 'aws-alb');
    assert.equal(profileForController('traefik.io/ingress-controller').kind, 'traefik');
  });

  test('an unknown value is an unknown controller with Kubernetes semantics', () => {
    const profile = profileForController('example.com/my-controller');
    assert.equal(profile.kind, 'unknown');
    assert.equal(profile.pathMatching, 'kubernetes');
    // Near misses are not accepted.
    assert.equal(profileForController('k8s.io/ingress-nginx ').kind, 'unknown');
    assert.equal(profileForController('nginx.org/ingress-controllers').kind, 'unknown');
  });

  test('a custom --controller-class is known once its controller pod is in the workspace', () => {
    const internal = pod('registry.k8s.io/ingress-nginx/controller:v1.11.2', ['--controller-class=k8s.io/internal-nginx', '--ingress-class=internal-nginx']);
    assert.equal(profileForController('k8s.io/internal-nginx').kind, 'unknown');
    assert.equal(profileForController('k8s.io/internal-nginx', [internal]).kind, 'ingress-nginx');
  });

  test('the IngressClass beats class names and annotations', () => {
    const result = identifyController({
      specController: 'nginx.org/ingress-controller',
      className: 'nginx',
      annotationKeys: ['nginx.ingress.kubernetes.io/rewrite-target'],
    });
    assert.equal(result.profile.kind, 'nginx-inc');
    assert.equal(result.evidence, 'ingressclass');
    const unknown = identifyController({ specController: 'example.com/x', className: 'alb', annotationKeys: ['alb.ingress.kubernetes.io/scheme'] });
    assert.equal(unknown.profile.kind, 'unknown');
    assert.equal(unknown.evidence, 'ingressclass');
  });
});

describe('controller identification: class names and annotations', () => {
  test('unambiguous default class names', () => {
    for (const [className, kind] of [
      ['alb', 'aws-alb'],
      ['gce', 'gce'],
      ['gce-internal', 'gce'],
      ['traefik', 'traefik'],
    ] as const) {
      const result = identifyController({ className, annotationKeys: [] });
      assert.equal(result.profile.kind, kind, className);
      assert.equal(result.evidence, 'class-name', className);
    }
  });

  test('a default class name beats annotations of another controller (left-over nginx annotations under Traefik)', () => {
    const result = identifyController({ className: 'traefik', annotationKeys: ['nginx.ingress.kubernetes.io/rewrite-target'] });
    assert.equal(result.profile.kind, 'traefik');
    assert.equal(result.evidence, 'class-name');
    // The class name is the evidence even when the controller's own annotations are there too.
    assert.equal(identifyController({ className: 'alb', annotationKeys: ['alb.ingress.kubernetes.io/scheme'] }).evidence, 'class-name');
  });

  test('class "nginx" is claimed by both nginx controllers: annotations decide, ingress-nginx otherwise', () => {
    const inc = identifyController({ className: 'nginx', annotationKeys: ['nginx.org/path-regex'] });
    assert.equal(inc.profile.kind, 'nginx-inc');
    assert.equal(inc.evidence, 'annotations');
    const plain = identifyController({ className: 'nginx', annotationKeys: [] });
    assert.equal(plain.profile.kind, 'ingress-nginx');
    assert.equal(plain.evidence, 'class-name');
    const com = identifyController({ className: 'nginx', annotationKeys: ['nginx.com/health-checks'] });
    assert.equal(com.profile.kind, 'nginx-inc');
  });

  test('annotations alone, when they point at one controller', () => {
    assert.equal(identifyController({ className: 'public', annotationKeys: ['alb.ingress.kubernetes.io/scheme'] }).profile.kind, 'aws-alb');
    assert.equal(identifyController({ annotationKeys: ['traefik.ingress.kubernetes.io/router.entrypoints'] }).profile.kind, 'traefik');
    assert.equal(identifyController({ annotationKeys: ['kubernetes.io/ingress.global-static-ip-name'] }).profile.kind, 'gce');
    assert.equal(identifyController({ annotationKeys: ['networking.gke.io/managed-certificates'] }).profile.kind, 'gce');
    assert.equal(identifyController({ annotationKeys: ['nginx.ingress.kubernetes.io/use-regex'] }).profile.kind, 'ingress-nginx');
  });

  test('no evidence, or annotations of two controllers: unknown', () => {
    assert.deepEqual(
      (({ profile, evidence }) => [profile.kind, evidence])(identifyController({ className: 'public', annotationKeys: ['cert-manager.io/cluster-issuer'] })),
      ['unknown', 'none'],
    );
    const mixed = identifyController({ annotationKeys: ['alb.ingress.kubernetes.io/scheme', 'traefik.ingress.kubernetes.io/router.tls'] });
    assert.equal(mixed.profile.kind, 'unknown');
    // kubernetes.io/ingress.class itself is not controller evidence.
    assert.equal(identifyController({ annotationKeys: ['kubernetes.io/ingress.class'] }).profile.kind, 'unknown');
  });

  test('a controller pod serving the class name decides', () => {
    const traefik = pod('traefik:v3.1', ['--providers.kubernetesingress', '--providers.kubernetesingress.ingressclass=public']);
    const result = identifyController({ className: 'public', annotationKeys: ['nginx.ingress.kubernetes.io/rewrite-target'], controllers: [traefik] });
    assert.equal(result.profile.kind, 'traefik');
    assert.equal(result.evidence, 'controller-pod');
    // An Ingress without class goes to the only controller watching classless Ingresses.
    const nginx = pod('registry.k8s.io/ingress-nginx/controller:v1.9.4', ['--watch-ingress-without-class=true']);
    assert.equal(identifyController({ annotationKeys: [], controllers: [traefik, nginx] }).profile.kind, 'ingress-nginx');
    assert.equal(identifyController({ annotationKeys: [], controllers: [traefik] }).profile.kind, 'unknown');
  });
});

describe('controller identification: pods', () => {
  test('images', () => {
    const cases: Array<[string, string]> = [
      ['registry.k8s.io/ingress-nginx/controller:v1.11.2@sha256:abc', 'ingress-nginx'],
      ['registry.k8s.io/ingress-nginx/controller-chroot:v1.10.0', 'ingress-nginx'],
      ['quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.30.0', 'ingress-nginx'],
      ['nginx/nginx-ingress:3.5.0', 'nginx-inc'],
      ['private-registry.nginx.com/nginx-ic/nginx-plus-ingress:5.3.2', 'nginx-inc'],
      ['public.ecr.aws/eks/aws-load-balancer-controller:v2.7.0', 'aws-alb'],
      ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-load-balancer-controller:v2.4.6', 'aws-alb'],
      ['registry.k8s.io/ingress-gce-glbc-amd64:v1.2.3', 'gce'],
      ['traefik:v3.1', 'traefik'],
      ['docker.io/library/traefik:v2.10', 'traefik'],
      ['rancher/mirrored-library-traefik:2.10.5', 'traefik'],
    ];
    for (const [image, kind] of cases) assert.equal(controllerFromPod({ image, args: [] })?.profile.kind, kind, image);
  });

  test('images that are not controllers', () => {
    for (const image of ['nginx:1.25', 'nginxinc/nginx-unprivileged:1.25', 'traefik/whoami:v1.10', 'bitnami/nginx:1.25', 'my-traefik-app:1']) {
      assert.equal(controllerFromPod({ image, args: ['--port=80'] }), undefined, image);
    }
  });

  test('two ingress-nginx controllers are told apart by --controller-class / --ingress-class', () => {
    const external = pod('registry.k8s.io/ingress-nginx/controller:v1.11.2', ['/nginx-ingress-controller', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx']);
    const internal = pod('registry.k8s.io/ingress-nginx/controller:v1.11.2', ['/nginx-ingress-controller', '--controller-class', 'k8s.io/internal-nginx', '--ingress-class', 'internal-nginx']);
    assert.equal(external.controllerClass, 'k8s.io/ingress-nginx');
    assert.equal(external.ingressClass, 'nginx');
    assert.equal(internal.controllerClass, 'k8s.io/internal-nginx');
    assert.equal(internal.ingressClass, 'internal-nginx');
    const pods = [external, internal];
    assert.deepEqual(controllersServing(pods, { specController: 'k8s.io/internal-nginx' }), [internal]);
    assert.deepEqual(controllersServing(pods, { specController: 'k8s.io/ingress-nginx' }), [external]);
    assert.deepEqual(controllersServing(pods, { className: 'internal-nginx' }), [internal]);
    assert.deepEqual(controllersServing(pods, { className: 'nginx' }), [external]);
    assert.deepEqual(controllersServing(pods, {}), []);
  });

  test('ingress-nginx defaults and --watch-ingress-without-class', () => {
    const defaults = pod('registry.k8s.io/ingress-nginx/controller:v1.11.2');
    assert.deepEqual([defaults.controllerClass, defaults.ingressClass, defaults.watchWithoutClass], ['k8s.io/ingress-nginx', 'nginx', false]);
    assert.equal(pod('registry.k8s.io/ingress-nginx/controller:v1', ['--watch-ingress-without-class']).watchWithoutClass, true);
    assert.equal(pod('registry.k8s.io/ingress-nginx/controller:v1', ['--watch-ingress-without-class=false']).watchWithoutClass, false);
    assert.equal(pod('registry.k8s.io/ingress-nginx/controller:v1', ['--watch-ingress-without-class=True']).watchWithoutClass, true);
  });

  test('NGINX Inc: single-dash -ingress-class, fixed controller value', () => {
    const inc = pod('nginx/nginx-ingress:3.5.0', ['-nginx-configmaps=$(POD_NAMESPACE)/nginx-config', '-ingress-class=nginx-public']);
    assert.equal(inc.controllerClass, 'nginx.org/ingress-controller');
    assert.equal(inc.ingressClass, 'nginx-public');
    assert.equal(inc.watchWithoutClass, false);
    assert.equal(pod('nginx/nginx-ingress:3.5.0').ingressClass, 'nginx');
  });

  test('ALB: --ingress-class, and without it Ingresses with no class are served too', () => {
    const withClass = pod('public.ecr.aws/eks/aws-load-balancer-controller:v2.7.0', ['--cluster-name=prod', '--ingress-class=alb']);
    assert.deepEqual([withClass.controllerClass, withClass.ingressClass, withClass.watchWithoutClass], ['ingress.k8s.aws/alb', 'alb', false]);
    const without = pod('public.ecr.aws/eks/aws-load-balancer-controller:v2.7.0', ['--cluster-name=prod']);
    assert.deepEqual([without.ingressClass, without.watchWithoutClass], ['alb', true]);
  });

  test('Traefik: --providers.kubernetesingress.ingressclass (any case) and whether the provider is on', () => {
    const t = pod('traefik:v3.1', ['--entrypoints.web.address=:80', '--providers.kubernetesIngress.ingressClass=traefik-internal']);
    assert.equal(t.controllerClass, 'traefik.io/ingress-controller');
    assert.equal(t.ingressClass, 'traefik-internal');
    assert.equal(t.watchWithoutClass, false);
    assert.equal(t.servesIngresses, true);
    const crdOnly = pod('traefik:v3.1', ['--providers.kubernetescrd']);
    assert.equal(crdOnly.servesIngresses, false);
    assert.equal(crdOnly.watchWithoutClass, true);
    assert.equal(pod('traefik:v3.1').servesIngresses, undefined);
  });

  test('a mirrored image is recognised by arguments only that controller takes', () => {
    assert.equal(controllerFromPod({ image: 'mirror.corp/ingress:1', args: ['/nginx-ingress-controller', '--ingress-class=corp'] })?.profile.kind, 'ingress-nginx');
    assert.equal(controllerFromPod({ image: 'mirror.corp/ic:1', args: ['-nginx-configmaps=ns/cm'] })?.profile.kind, 'nginx-inc');
    assert.equal(controllerFromPod({ image: 'mirror.corp/proxy:1', command: ['/traefik'], args: ['--providers.kubernetesingress'] })?.profile.kind, 'traefik');
    assert.equal(controllerFromPod({ image: 'mirror.corp/app:1', args: ['--ingress-class=corp'] }), undefined);
  });

  test('argument parsing', () => {
    const args = parseArgs(['/bin/x', '--a=1', '-b=two', '--ingress-class', 'c', '--flag', '--providers.kubernetesIngress.ingressClass=Mixed', '--empty=']);
    assert.equal(args.get('a'), '1');
    assert.equal(args.get('b'), 'two');
    assert.equal(args.get('ingress-class'), 'c');
    assert.equal(args.get('flag'), true);
    assert.equal(args.get('providers.kubernetesingress.ingressclass'), 'Mixed');
    assert.equal(args.get('empty'), '');
    // A boolean flag does not swallow the next argument.
    assert.equal(parseArgs(['--watch-ingress-without-class', 'x']).get('watch-ingress-without-class'), true);
  });
});

describe('profiles', () => {
  test('only ingress-nginx has ingress-nginx semantics (webhook, regex mode, rewrite-target)', () => {
    for (const profile of PROFILES) assert.equal(profile.ingressNginxSemantics, profile.kind === 'ingress-nginx', profile.kind);
  });

  test('one profile per kind, and every known one has a source-backed class or image', () => {
    const kinds = PROFILES.map((p) => p.kind);
    assert.equal(new Set(kinds).size, kinds.length);
    for (const profile of PROFILES.filter((p) => p.kind !== 'unknown')) {
      assert.ok(profile.defaultClassNames.length > 0 && profile.images.length > 0, profile.kind);
    }
    assert.equal(profileOf('gce').controllerNames.length, 0, 'ingress-gce has no IngressClass controller value');
  });
});

describe('AWS Load Balancer Controller', () => {
  const A = 'alb.ingress.kubernetes.io/actions.';

  test('use-annotation actions: fixed-response, redirect, forward (simplified and weighted)', () => {
    const annotations: Annotations = {
      [`${A}response-503`]: '{"type":"fixed-response","fixedResponseConfig":{"contentType":"text/plain","statusCode":"503","messageBody":"503 error text"}}',
      [`${A}redirect-to-eks`]:
        ' {"type":"redirect","redirectConfig":{"host":"aws.amazon.com","path":"/eks/","port":"443","protocol":"HTTPS","query":"k=v","statusCode":"HTTP_302"}}\n',
      [`${A}ssl-redirect`]: '{"Type":"redirect","RedirectConfig":{"Port":"443","Protocol":"HTTPS","StatusCode":"HTTP_301"}}',
      [`${A}forward-single-tg`]: '{"type":"forward","targetGroupARN": "arn-of-your-target-group"}',
      [`${A}forward-multiple-tg`]:
        '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"service-1","servicePort":"http","weight":20},{"serviceName":"service-2","servicePort":"80","weight":20},{"targetGroupARN":"arn-x","weight":60}],"targetGroupStickinessConfig":{"enabled":true,"durationSeconds":200}}}',
    };
    assert.deepEqual(albAction(annotations, 'response-503'), { kind: 'fixed-response', statusCode: '503', contentType: 'text/plain', messageBody: '503 error text' });
    const redirect = albAction(annotations, 'redirect-to-eks');
    assert.equal(redirect?.kind, 'redirect');
    assert.equal(redirect?.kind === 'redirect' && redirect.host, 'aws.amazon.com');
    // Go's encoding/json matches keys case-insensitively.
    const ssl = albAction(annotations, 'ssl-redirect');
    assert.deepEqual(ssl?.kind === 'redirect' && [ssl.port, ssl.statusCode], ['443', 'HTTP_301']);
    assert.deepEqual(albAction(annotations, 'forward-single-tg'), { kind: 'forward', targets: [{ targetGroupARN: 'arn-of-your-target-group' }] });
    const multi = albAction(annotations, 'forward-multiple-tg');
    assert.equal(multi?.kind, 'forward');
    assert.deepEqual(
      multi?.kind === 'forward' && multi.targets.map((t) => [t.serviceName, t.servicePort, t.targetGroupARN, t.weight]),
      [
        ['service-1', 'http', undefined, 20],
        ['service-2', 80, undefined, 20],
        [undefined, undefined, 'arn-x', 60],
      ],
    );
  });

  test('the action annotation is looked up by the backend service name only', () => {
    assert.equal(albAction({ [`${A}other`]: '{"type":"forward","targetGroupARN":"x"}' }, 'mine'), undefined);
    assert.equal(albAction({ 'alb.ingress.kubernetes.io/conditions.mine': '[]' }, 'mine'), undefined);
  });

  test('invalid actions', () => {
    const invalid = (json: string) => {
      const action = albAction({ [`${A}x`]: json }, 'x');
      assert.equal(action?.kind, 'invalid', json);
      return action?.kind === 'invalid' ? action.message : '';
    };
    assert.match(invalid('{"type":"forward"'), /JSON/);
    assert.match(invalid('{"type":"teleport"}'), /unknown action type/);
    assert.match(invalid('{"forwardConfig":{}}'), /missing type/);
    assert.match(invalid('{"type":"fixed-response"}'), /fixedResponseConfig/);
    assert.match(invalid('{"type":"fixed-response","fixedResponseConfig":{"contentType":"text/plain"}}'), /statusCode/);
    assert.match(invalid('{"type":"redirect","redirectConfig":{"host":"x"}}'), /statusCode/);
    assert.match(invalid('{"type":"forward","targetGroupARN":"a","forwardConfig":{"targetGroups":[]}}'), /precisely one/);
    assert.match(invalid('{"type":"forward"}'), /precisely one/);
    assert.match(invalid('{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a","servicePort":80},{"serviceName":"b","servicePort":80}]}}'), /weight/);
    assert.match(invalid('{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a","servicePort":80,"targetGroupARN":"x"}]}}'), /precisely one/);
    assert.match(invalid('{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a"}]}}'), /servicePort/);
    // A single weighted-less target is fine.
    assert.equal(albAction({ [`${A}x`]: '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"a","servicePort":80}]}}' }, 'x')?.kind, 'forward');
  });

  test('groups: no group.name = own load balancer; group.order; IngressClassParams group wins', () => {
    assert.deepEqual(albGroup({}), { name: undefined, order: 0, problems: [] });
    assert.deepEqual(albGroup({ 'alb.ingress.kubernetes.io/group.name': 'team.web', 'alb.ingress.kubernetes.io/group.order': '10' }), {
      name: 'team.web',
      order: 10,
      problems: [],
    });
    assert.equal(albGroup({ 'alb.ingress.kubernetes.io/group.name': 'a' }, 'from-params').name, 'from-params');
    assert.equal(albGroup({ 'alb.ingress.kubernetes.io/group.order': '-5' }).order, -5);
    assert.match(albGroup({ 'alb.ingress.kubernetes.io/group.name': 'Team_Web' }).problems.join(), /lower case/);
    assert.match(albGroup({ 'alb.ingress.kubernetes.io/group.name': 'a'.repeat(64) }).problems.join(), /63/);
    assert.match(albGroup({ 'alb.ingress.kubernetes.io/group.order': '1001' }).problems.join(), /1000/);
    assert.match(albGroup({ 'alb.ingress.kubernetes.io/group.order': 'first' }).problems.join(), /integer/);
  });

  test('same host in two Ingresses conflicts only inside one IngressGroup', () => {
    const alb = profileOf('aws-alb');
    assert.equal(sharedHost(alb, ing('a'), ing('b')).kind, 'separate');
    const g = (name: string, order?: string) => ({ 'alb.ingress.kubernetes.io/group.name': name, ...(order ? { 'alb.ingress.kubernetes.io/group.order': order } : {}) });
    assert.equal(sharedHost(alb, ing('a', g('one')), ing('b', g('two'))).kind, 'separate');
    assert.equal(sharedHost(alb, ing('a', g('one')), ing('b')).kind, 'separate');
    assert.deepEqual(sharedHost(alb, ing('a', g('one')), ing('b', g('one'))), { kind: 'merged', first: 'a' });
    assert.deepEqual(sharedHost(alb, ing('a', g('one', '20')), ing('b', g('one', '10'))), { kind: 'merged', first: 'b' });
    assert.deepEqual(sharedHost(alb, ing('z', g('one')), ing('b', g('one'), { namespace: 'aaa' })), { kind: 'merged', first: 'b' });
  });

  test('target-type instance (default) needs NodePort backends; ip does not; the Service annotation wins', () => {
    const alb = profileOf('aws-alb');
    const tt = 'alb.ingress.kubernetes.io/target-type';
    assert.equal(alb.needsNodePortBackends({}, {}), true);
    assert.equal(alb.needsNodePortBackends({ [tt]: 'ip' }, {}), false);
    assert.equal(alb.needsNodePortBackends({ [tt]: 'ip' }, { [tt]: 'instance' }), true);
    assert.equal(alb.needsNodePortBackends({ [tt]: 'instance' }, { [tt]: 'ip' }), false);
    assert.equal(alb.needsNodePortBackends({ [tt]: 'pod' }, {}), undefined);
    assert.deepEqual(albTargetType({ [tt]: 'ip' }, {}), { value: 'ip', source: 'ingress' });
  });

  test('paths: Exact literal, Prefix element-wise, ImplementationSpecific an ALB pattern', () => {
    assert.deepEqual(albPathPatterns('/foo', 'Prefix'), { patterns: ['/foo', '/foo/*'] });
    assert.deepEqual(albPathPatterns('/foo/', 'Prefix'), { patterns: ['/foo', '/foo/*'] });
    assert.deepEqual(albPathPatterns('/', 'Prefix'), { patterns: ['/*'] });
    assert.deepEqual(albPathPatterns('/x', 'Exact'), { patterns: ['/x'] });
    assert.ok('error' in albPathPatterns('/x/*', 'Exact'));
    assert.ok('error' in albPathPatterns('/x/*', 'Prefix'));
    assert.deepEqual(albPathPatterns('/api/*/v?', 'ImplementationSpecific'), { patterns: ['/api/*/v?'] });
    assert.ok(albPatternMatches('/api/*/v?', '/api/users/v2'));
    assert.ok(!albPatternMatches('/api/*/v?', '/api/users/v10'));
    assert.ok(!albPatternMatches('/API/*', '/api/x'), 'case-sensitive');
    const alb = profileOf('aws-alb');
    assert.equal(pathMatches(alb, { path: '/foo', pathType: 'Prefix' }, '/foo/bar'), true);
    assert.equal(pathMatches(alb, { path: '/foo', pathType: 'Prefix' }, '/foobar'), false);
    assert.equal(pathMatches(alb, { path: '/foo*', pathType: 'ImplementationSpecific' }, '/foobar'), true);
    assert.equal(pathMatches(alb, { path: '/x/*', pathType: 'Exact' }, '/x/y'), false, 'rejected by the controller');
  });

  test('rule order inside an Ingress: Exact, Prefix longest first, then the rest as written', () => {
    const paths = [
      { path: '/a', pathType: 'ImplementationSpecific' },
      { path: '/b', pathType: 'Prefix' },
      { path: '/bbb', pathType: 'Prefix' },
      { path: '/c', pathType: 'Exact' },
      { path: '/d' },
    ];
    assert.deepEqual(albPathOrder(paths), [3, 2, 1, 0, 4]);
  });
});

describe('GKE Ingress (ingress-gce)', () => {
  test('URL map globs', () => {
    assert.ok(gceGlobMatches('/*', '/'));
    assert.ok(gceGlobMatches('/*', '/anything/deep'));
    assert.ok(gceGlobMatches('/foo/*', '/foo/'));
    assert.ok(gceGlobMatches('/foo/*', '/foo/bar/baz'));
    assert.ok(!gceGlobMatches('/foo/*', '/foo'));
    assert.ok(!gceGlobMatches('/foo/*', '/foobar'));
    assert.ok(gceGlobMatches('/foo', '/foo'));
    assert.ok(!gceGlobMatches('/foo', '/foo/'));
    for (const bad of ['/foo*', '/foo/*/bar', '*', 'foo/*', '/a/**']) assert.ok(!isValidGcePattern(bad), bad);
    assert.ok(!gceGlobMatches('/foo*', '/foobar'));
  });

  test('Ingress paths to URL map patterns', () => {
    assert.deepEqual(gcePathPatterns('/foo', 'Prefix'), { patterns: ['/foo', '/foo/*'] });
    assert.deepEqual(gcePathPatterns('/foo/', 'Prefix'), { patterns: ['/foo', '/foo/*'] });
    assert.deepEqual(gcePathPatterns('/', 'Prefix'), { patterns: ['/*'] });
    assert.match((gcePathPatterns('/currency-exchange/*', 'Prefix') as { error: string }).error, /invalid wildcard/);
    assert.match((gcePathPatterns('/a/*', 'Exact') as { error: string }).error, /invalid wildcard/);
    assert.deepEqual(gcePathPatterns('/user-auth/*', 'ImplementationSpecific'), { patterns: ['/user-auth/*'] });
    assert.deepEqual(gcePathPatterns(undefined, undefined), { patterns: ['/*'] });
    assert.ok('error' in gcePathPatterns('/a*', 'ImplementationSpecific'));
  });

  test('the longest matching pattern wins; of equal ones the later', () => {
    const patterns = ['/*', '/foo/*', '/foo/bar', '/foo/*'];
    assert.equal(pickGcePattern(patterns, '/foo/bar'), 2);
    assert.equal(pickGcePattern(patterns, '/foo/baz'), 3);
    assert.equal(pickGcePattern(patterns, '/other'), 0);
    assert.equal(pickGcePattern(['/foo'], '/bar'), undefined);
  });

  test('ImplementationSpecific `/*` under GCE is a glob, under ingress-nginx a character prefix', () => {
    const rule = { path: '/static/*', pathType: 'ImplementationSpecific' };
    assert.equal(pathMatches(profileOf('gce'), rule, '/static/app.js'), true);
    assert.equal(pathMatches(profileOf('ingress-nginx'), rule, '/static/app.js'), false);
  });

  test('backends: NodePort unless the Service enables NEG for Ingress; unknown without the annotation', () => {
    const gce = profileOf('gce');
    assert.equal(gce.needsNodePortBackends({}, { 'cloud.google.com/neg': '{"ingress": true}' }), false);
    assert.equal(gce.needsNodePortBackends({}, { 'cloud.google.com/neg': '{"exposed_ports": {"80":{}}}' }), true);
    assert.equal(gce.needsNodePortBackends({}, { 'cloud.google.com/neg': '{"ingress": false}' }), true);
    assert.equal(gce.needsNodePortBackends({}, { 'cloud.google.com/neg': 'not json' }), true);
    assert.equal(gce.needsNodePortBackends({}, {}), undefined);
    assert.equal(gceNegForIngress({ 'cloud.google.com/neg': '{"ingress":true,"exposed_ports":{}}' }), true);
  });

  test('every Ingress is its own load balancer', () => {
    assert.equal(sharedHost(profileOf('gce'), ing('a'), ing('b')).kind, 'separate');
  });
});

describe('NGINX Inc controller (nginx/kubernetes-ingress)', () => {
  const inc = profileOf('nginx-inc');

  test('locations per pathType: Exact `=`, Prefix and ImplementationSpecific a plain nginx prefix', () => {
    assert.deepEqual(nginxIncLocation('/coffee', 'Exact', {}), { modifier: '=', path: '/coffee' });
    assert.deepEqual(nginxIncLocation('/coffee', 'Prefix', {}), { modifier: '', path: '/coffee' });
    assert.deepEqual(nginxIncLocation('/coffee', 'ImplementationSpecific', {}), { modifier: '', path: '/coffee' });
    // A character prefix: /coffee matches /coffeebar, unlike Kubernetes' Prefix.
    assert.equal(pathMatches(inc, { path: '/coffee', pathType: 'Prefix' }, '/coffeebar'), true);
    assert.equal(kubernetesPathMatches('/coffee', 'Prefix', '/coffeebar'), false);
  });

  test('nginx.org/path-regex', () => {
    const regex = (value: string) => ({ 'nginx.org/path-regex': value });
    assert.deepEqual(nginxIncLocation('/tea/[A-Z0-9]', 'Prefix', regex('case_sensitive')), { modifier: '~', path: '/tea/[A-Z0-9]' });
    assert.deepEqual(nginxIncLocation('/tea', 'Exact', regex('case_insensitive')), { modifier: '~*', path: '/tea' });
    assert.deepEqual(nginxIncLocation('/tea', 'Prefix', regex('exact')), { modifier: '=', path: '/tea' });
    assert.deepEqual(nginxIncLocation('/tea', 'Prefix', regex('bogus')), { modifier: '', path: '/tea' });
    assert.equal(pathMatches(inc, { path: '/tea/[A-Z0-9]', pathType: 'Prefix', annotations: regex('case_sensitive') }, '/tea/B1'), true);
    assert.equal(pathMatches(inc, { path: '/tea/[A-Z0-9]', pathType: 'Prefix', annotations: regex('case_sensitive') }, '/tea/b1'), false);
    assert.equal(pathMatches(inc, { path: '/tea/[A-Z0-9]', pathType: 'Prefix', annotations: regex('case_insensitive') }, '/TEA/b1'), true);
    assert.equal(pathMatches(inc, { path: '/tea/[A-Z0-9]', pathType: 'Prefix', annotations: regex('case_sensitive') }, '/x/tea/B'), false, 'anchored at the start');
    // ingress-nginx's use-regex means nothing here.
    assert.equal(pathMatches(inc, { path: '/tea/.*', pathType: 'Prefix', annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } }, '/tea/x'), false);
  });

  test('nginx location selection: exact, then regex in order, then the longest prefix', () => {
    const locations = [
      { modifier: '' as const, path: '/' },
      { modifier: '' as const, path: '/api' },
      { modifier: '~' as const, path: '/api/v[0-9]+' },
      { modifier: '=' as const, path: '/api/v1' },
    ];
    assert.equal(pickNginxLocation(locations, '/api/v1'), 3);
    assert.equal(pickNginxLocation(locations, '/api/v2'), 2);
    assert.equal(pickNginxLocation(locations, '/api/x'), 1);
    assert.equal(pickNginxLocation(locations, '/other'), 0);
    assert.equal(pickNginxLocation([{ modifier: '=', path: '/a' }], '/b'), undefined);
  });

  test('same host: the oldest Ingress wins unless both are mergeable', () => {
    const a = ing('a', {}, { creationTimestamp: '2024-01-01T00:00:00Z' });
    const b = ing('b', {}, { creationTimestamp: '2023-06-01T00:00:00Z' });
    assert.deepEqual(sharedHost(inc, a, b), { kind: 'oldest-wins', winner: 'b' });
    assert.deepEqual(sharedHost(inc, ing('a'), ing('b')), { kind: 'oldest-wins', winner: undefined });
    const same = '2024-01-01T00:00:00Z';
    assert.deepEqual(sharedHost(inc, ing('a', {}, { creationTimestamp: same, uid: 'b-uid' }), ing('b', {}, { creationTimestamp: same, uid: 'a-uid' })), {
      kind: 'oldest-wins',
      winner: 'b',
    });
    const type = (t: string) => ({ 'nginx.org/mergeable-ingress-type': t });
    assert.deepEqual(sharedHost(inc, ing('m', type('master')), ing('c', type('minion'))), { kind: 'mergeable' });
    assert.deepEqual(sharedHost(inc, ing('c1', type('minion')), ing('c2', type('minion'))), { kind: 'mergeable' });
    assert.equal(sharedHost(inc, ing('m1', type('master')), ing('m2', type('master'))).kind, 'oldest-wins', 'one master per host');
    assert.equal(sharedHost(inc, ing('m', type('master')), ing('plain')).kind, 'oldest-wins');
  });

  test('ClusterIP backends are enough', () => {
    assert.equal(inc.needsNodePortBackends({}, {}), false);
  });
});

describe('Traefik', () => {
  const traefik = profileOf('traefik');

  test('matchers per pathType and router.pathmatcher', () => {
    assert.equal(traefikRouter('example.com', '/bar', 'Exact', {}).rule, 'Host(`example.com`) && Path(`/bar`)');
    assert.equal(traefikRouter('example.com', '/bar', 'Prefix', {}).rule, 'Host(`example.com`) && PathPrefix(`/bar`)');
    assert.equal(traefikRouter(undefined, '/bar', 'ImplementationSpecific', {}).matcher, 'PathPrefix');
    assert.equal(traefikRouter(undefined, '/bar', undefined, { 'traefik.ingress.kubernetes.io/router.pathmatcher': 'Path' }).matcher, 'Path');
    // The annotation only applies to ImplementationSpecific paths.
    assert.equal(traefikRouter(undefined, '/bar', 'Prefix', { 'traefik.ingress.kubernetes.io/router.pathmatcher': 'Path' }).matcher, 'PathPrefix');
    assert.equal(traefikRouter('*.example.com', '/', 'Prefix', {}).rule, 'HostRegexp(`^[a-zA-Z0-9-]+\\.example\\.com$`) && PathPrefix(`/`)');
  });

  test('PathPrefix is a character prefix unless strictPrefixMatching', () => {
    assert.equal(pathMatches(traefik, { path: '/products', pathType: 'Prefix' }, '/productsforsale'), true);
    assert.equal(pathMatches(traefik, { path: '/products', pathType: 'Prefix' }, '/productsforsale', { strictPrefixMatching: true }), false);
    assert.equal(pathMatches(traefik, { path: '/products', pathType: 'Prefix' }, '/products/shoes', { strictPrefixMatching: true }), true);
    assert.equal(pathMatches(traefik, { path: '/products', pathType: 'Exact' }, '/products/'), false);
    assert.equal(
      pathMatches(traefik, { path: '/p/[0-9]+', pathType: 'ImplementationSpecific', annotations: { 'traefik.ingress.kubernetes.io/router.pathmatcher': 'PathRegexp' } }, '/p/1'),
      undefined,
    );
  });

  test('priority is the rule length; the longer rule wins; equal rules from two Ingresses tie', () => {
    const short = traefikRouter('example.com', '/', 'Prefix', {});
    const long = traefikRouter('example.com', '/api', 'Prefix', {});
    assert.equal(short.priority, short.rule.length);
    assert.deepEqual(pickTraefikRouter([short, long], '/api/x'), { index: 1 });
    assert.deepEqual(pickTraefikRouter([short, long], '/web'), { index: 0 });
    const twin = traefikRouter('example.com', '/api', 'Prefix', {});
    assert.deepEqual(pickTraefikRouter([long, twin], '/api'), { ambiguous: [0, 1] });
    const pinned = traefikRouter('example.com', '/', 'Prefix', { 'traefik.ingress.kubernetes.io/router.priority': '1000' });
    assert.equal(pinned.priority, 1000);
    assert.deepEqual(pickTraefikRouter([pinned, long], '/api'), { index: 0 });
    assert.deepEqual(pickTraefikRouter([long], '/nope'), {});
  });

  test('Ingresses share the entry points: same host is merged', () => {
    assert.equal(sharedHost(traefik, ing('a'), ing('b')).kind, 'merged');
    assert.equal(traefik.needsNodePortBackends({}, {}), false);
  });
});

describe('unknown controller: Kubernetes semantics only', () => {
  const unknown = profileOf('unknown');

  test('Exact, element-wise Prefix, ImplementationSpecific undefined', () => {
    assert.equal(pathMatches(unknown, { path: '/foo', pathType: 'Exact' }, '/foo'), true);
    assert.equal(pathMatches(unknown, { path: '/foo', pathType: 'Exact' }, '/foo/'), false);
    assert.equal(pathMatches(unknown, { path: '/foo/', pathType: 'Prefix' }, '/foo'), true);
    assert.equal(pathMatches(unknown, { path: '/foo', pathType: 'Prefix' }, '/foobar'), false);
    assert.equal(pathMatches(unknown, { path: '/foo', pathType: 'ImplementationSpecific' }, '/foo'), undefined);
    assert.equal(sharedHost(unknown, ing('a'), ing('b')).kind, 'unspecified');
    assert.equal(unknown.needsNodePortBackends({}, {}), undefined);
  });

  test('Prefix /foo against /foobar across controllers', () => {
    const rule = { path: '/foo', pathType: 'Prefix' };
    const results = Object.fromEntries(PROFILES.map((p) => [p.kind, pathMatches(p, rule, '/foobar')]));
    assert.deepEqual(results, { 'ingress-nginx': false, 'nginx-inc': true, 'aws-alb': false, gce: false, traefik: true, unknown: false });
  });
});

/**
 * Workload kinds and the labels their controllers put on pods (server/src/core/parse/extractWorkload.ts):
 * Argo Rollouts, LeaderWorkerSet, Job/CronJob/StatefulSet/Deployment controller labels, custom
 * resources with a pod template, and patch fragments. Positive and negative cases.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkFindings, workspaceOf } from '../helpers/check';
import { fileUri, parseFixture } from '../helpers/fixture';

/** A Service selecting `selector` (YAML lines indented by 4), port 80 → `targetPort`. */
function service(name: string, selector: string, targetPort?: string): string {
  return `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
${selector}
  ports:
    - port: 80${targetPort ? `\n      targetPort: ${targetPort}` : ''}
`;
}

// ── Argo Rollouts ───────────────────────────────────────────────────────────────────────────

describe('Argo Rollouts', () => {
  const rollout = (templateLabel: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: ${templateLabel}
    spec:
      containers:
        - name: web
          image: example/web:1.0
          ports:
            - name: http
              containerPort: 8080
  strategy:
    canary:
      steps:
        - setWeight: 20
`;

  test('a Rollout with spec.template is a workload: a Service selects its pods and resolves its named port', () => {
    const fixture = `
#- /app/rollout.yaml${rollout('web')}---${service('web', '    app: web', 'http')}---${service('web-canary', '    app: web\n    rollouts-pod-template-hash: 6b9c7d8f5', 'http')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const links = ws.links(fileUri('/app/rollout.yaml')).filter((l) => l.kind === 'service-selector');
    assert.equal(links.length, 2);
    assert.ok(links.every((l) => l.status === 'resolved' && l.targets[0].resourceId.includes('#Rollout/')));
  });

  test('a selector that does not match the template: the Argo Rollouts message', () => {
    checkFindings(`
#- /app/rollout.yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch ~ the Argo Rollouts controller marks it InvalidSpec and runs no pods
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: wbe
    spec:
      containers:
        - name: web
          image: example/web:1.0
  strategy:
    canary: {}
`);
  });

  test('negative: a Deployment with the same mismatch gets the API server message, not the Rollouts one', () => {
    const [finding] = checkFindings(`
#- /app/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch ~ the API server rejects
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: wbe
    spec:
      containers:
        - name: web
          image: example/web:1.0
`);
    assert.doesNotMatch(finding.message, /Argo/);
  });

  test('a Rollout of another API group is not a Rollout', () => {
    checkFindings(`
#- /app/rollout.yaml
apiVersion: example.com/v1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: wbe
    spec:
      containers:
        - name: web
          image: example/web:1.0
`);
  });

  const referenced = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 0
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: example/api:1.0
          ports:
            - name: http
              containerPort: 8080
`;

  test('spec.workloadRef to a Deployment: no template of its own is no mismatch, and the Service resolves', () => {
    const fixture = `
#- /app/rollout.yaml${referenced}---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
spec:
  replicas: 3
  selector:
    matchLabels:
      app: api
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  strategy:
    canary: {}
---${service('api', '    app: api', 'http')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const rollout = ws.resourcesOf(fileUri('/app/rollout.yaml')).find((r) => r.kind === 'Rollout');
    assert.ok(rollout && rollout.type === 'workload');
    assert.deepEqual(rollout.workloadRef && { kind: rollout.workloadRef.kind, name: rollout.workloadRef.name.unknown ? '?' : rollout.workloadRef.name.value }, { kind: 'Deployment', name: 'api' });
  });

  test('spec.workloadRef: a selector that does not match the referenced Deployment\'s template is a mismatch', () => {
    // Argo Rollouts validates the selector against the template it resolves from the reference
    // (ValidateRolloutSpec with TemplateResolvedFromRef): InvalidSpec, no pods.
    checkFindings(`
#- /app/rollout.yaml${referenced}---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch ~ Argo Rollouts
    matchLabels:
      app: api-v2
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  strategy:
    canary: {}
`);
  });
});

// ── LeaderWorkerSet ─────────────────────────────────────────────────────────────────────────

describe('LeaderWorkerSet', () => {
  const lws = (withLeader: boolean) => `
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  replicas: 2
  leaderWorkerTemplate:
    size: 4
${withLeader ? `    leaderTemplate:
      metadata:
        labels:
          role: leader
      spec:
        containers:
          - name: leader
            image: vllm/vllm-openai:latest
            ports:
              - name: api
                containerPort: 8080
` : ''}    workerTemplate:
      metadata:
        labels:
          role: worker
      spec:
        containers:
          - name: worker
            image: vllm/vllm-openai:latest
`;

  test('a Service selecting the leader pods by the controller\'s name label and a leader template label resolves its port', () => {
    const fixture = `
#- /lws/vllm.yaml${lws(true)}---${service('vllm-leader', '    leaderworkerset.sigs.k8s.io/name: vllm\n    role: leader', 'api')}---${service('vllm-leader-by-index', '    leaderworkerset.sigs.k8s.io/name: vllm\n    leaderworkerset.sigs.k8s.io/worker-index: "0"\n    role: leader', 'api')}`;
    checkFindings(fixture);
    const ws = workspaceOf(parseFixture(fixture));
    const port = ws.links(fileUri('/lws/vllm.yaml')).find((l) => l.kind === 'service-target-port');
    assert.equal(port?.status, 'resolved');
    assert.equal(port?.targets[0].port, 8080);
    assert.equal(port?.targets[0].containerName, 'leader');
  });

  test('the worker template is selected too: a port only the leader declares is partial for a Service of all pods', () => {
    checkFindings(`
#- /lws/vllm.yaml${lws(true)}---
apiVersion: v1
kind: Service
metadata:
  name: vllm-all
spec:
  selector:
    leaderworkerset.sigs.k8s.io/name: vllm
  ports:
    - port: 80
      targetPort: api
      #           ^^^ information service-target-port-unresolved ~ some of the selected pods do not declare
`);
  });

  test('negative: without a leader template nobody declares the port (and `role: leader` selects nothing)', () => {
    checkFindings(`
#- /lws/vllm.yaml${lws(false)}---
apiVersion: v1
kind: Service
metadata:
  name: vllm-all
spec:
  selector:
    leaderworkerset.sigs.k8s.io/name: vllm
  ports:
    - port: 80
      targetPort: api
      #           ^^^ error service-target-port-unresolved
---
apiVersion: v1
kind: Service
metadata:
  name: vllm-leader
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    leaderworkerset.sigs.k8s.io/name: vllm
    role: leader
  ports:
    - port: 80
`);
  });

  test('the name label carries the object\'s own name only', () => {
    checkFindings(`
#- /lws/vllm.yaml${lws(true)}---
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    leaderworkerset.sigs.k8s.io/name: vllm-2
  ports:
    - port: 80
`);
  });

  test('a LeaderWorkerSet has no spec.selector to check', () => {
    const ws = workspaceOf(parseFixture(`#- /lws/vllm.yaml${lws(true)}`));
    assert.deepEqual(ws.links(fileUri('/lws/vllm.yaml')), []);
  });
});

// ── controller-generated pod labels ─────────────────────────────────────────────────────────

describe('labels the controllers add to pods', () => {
  const job = `
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: pi
          image: perl:5.34
          ports:
            - name: metrics
              containerPort: 9090
`;

  test('Job: `job-name`, `batch.kubernetes.io/job-name` (the Job\'s name) and `controller-uid` (any value)', () => {
    checkFindings(`
#- /jobs/pi.yaml${job}---${service('a', '    job-name: pi', 'metrics')}---${service('b', '    batch.kubernetes.io/job-name: pi', 'metrics')}---${service('c', '    controller-uid: 2a3b4c5d-0000-1111-2222-333344445555', 'metrics')}---${service('d', '    batch.kubernetes.io/controller-uid: 2a3b4c5d-0000-1111-2222-333344445555\n    job-name: pi', 'metrics')}`);
  });

  test('negative: another Job name, or a named port the Job does not declare', () => {
    checkFindings(`
#- /jobs/pi.yaml${job}---
apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    job-name: pi-2
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: b
spec:
  selector:
    batch.kubernetes.io/job-name: pi
  ports:
    - port: 80
      targetPort: metric
      #           ^^^^^^ error service-target-port-unresolved ~ did you mean \`metrics\`?
`);
  });

  const cronJob = `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1.0
`;

  test('CronJob: the Jobs it creates are named `<cronjob>-<time>`, so job-name has the CronJob\'s name as prefix', () => {
    checkFindings(`
#- /jobs/report.yaml${cronJob}---${service('a', '    job-name: report-28912345')}---${service('b', '    batch.kubernetes.io/job-name: report-28912345')}---${service('c', '    controller-uid: 00000000-aaaa-bbbb-cccc-000000000000')}`);
  });

  test('negative: the CronJob\'s name alone, or another prefix, is no Job of it', () => {
    checkFindings(`
#- /jobs/report.yaml${cronJob}---
apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    job-name: report
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: b
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    job-name: reports-28912345
  ports:
    - port: 80
`);
  });

  const statefulSet = `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - name: web
              containerPort: 80
`;

  test('StatefulSet: `statefulset.kubernetes.io/pod-name: web-0` selects one pod of StatefulSet web', () => {
    checkFindings(`
#- /sts/web.yaml${statefulSet}---${service('web-0', '    statefulset.kubernetes.io/pod-name: web-0', 'web')}---${service('web-2', '    app: nginx\n    statefulset.kubernetes.io/pod-name: web-2', 'web')}---${service('by-index', '    app: nginx\n    apps.kubernetes.io/pod-index: "1"', 'web')}`);
  });

  test('negative: a pod name of another StatefulSet, the bare name, or the label on a Deployment', () => {
    checkFindings(`
#- /sts/web.yaml${statefulSet}---
apiVersion: v1
kind: Service
metadata:
  name: db-0
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    statefulset.kubernetes.io/pod-name: db-0
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: bare
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    statefulset.kubernetes.io/pod-name: web
  ports:
    - port: 80
#- /deploy/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: example/api:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: api-0
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    app: api
    statefulset.kubernetes.io/pod-name: api-0
  ports:
    - port: 80
`);
  });

  test('a StatefulSet\'s pods are `<name>-<ordinal>`: `web-api-0` is a pod of StatefulSet web-api only, `web-canary` of none', () => {
    // StatefulSet pod names are the StatefulSet name, a dash and an ordinal (docs: "StatefulSets, Pod Identity").
    checkFindings(`
#- /sts/two.yaml${statefulSet}---${statefulSet.replace(/name: web$/m, 'name: web-api').replace('serviceName: web', 'serviceName: web-api').replace(/app: nginx/g, 'app: api').replace('name: web\n              containerPort: 80', 'name: http\n              containerPort: 8080')}---${service('api-0', '    statefulset.kubernetes.io/pod-name: web-api-0', 'http')}---
apiVersion: v1
kind: Service
metadata:
  name: canary
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    statefulset.kubernetes.io/pod-name: web-canary
  ports:
    - port: 80
`);
  });

  const deployment = (kind: string) => `
apiVersion: apps/v1
kind: ${kind}
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
          image: example/web:1.0
`;

  test('Deployment: `pod-template-hash` (the ReplicaSet it creates) with any value', () => {
    checkFindings(`
#- /deploy/web.yaml${deployment('Deployment')}---${service('pinned', '    app: web\n    pod-template-hash: 7d4b9c8f6')}`);
  });

  test('negative: a ReplicaSet written by hand gets no pod-template-hash', () => {
    checkFindings(`
#- /deploy/web.yaml${deployment('ReplicaSet')}---
apiVersion: v1
kind: Service
metadata:
  name: pinned
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    app: web
    pod-template-hash: 7d4b9c8f6
  ports:
    - port: 80
`);
  });

  test('generated labels are per namespace like written ones', () => {
    checkFindings(`
#- /jobs/pi.yaml${job}
#- /jobs/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: a
  namespace: batch
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing ~ namespace \`batch\`
    job-name: pi
  ports:
    - port: 80
`);
  });
});

// ── custom resources with a pod template ────────────────────────────────────────────────────

describe('custom resources with a pod template', () => {
  const webApp = (portName: string) => `
apiVersion: apps.example.com/v1
kind: WebApp
metadata:
  name: shop
spec:
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: example/shop:1.0
          ports:
            - name: ${portName}
              containerPort: 8080
`;

  test('a Service selects the pods of the custom resource and resolves its named port', () => {
    checkFindings(`
#- /cr/shop.yaml${webApp('http')}---${service('shop', '    app: shop', 'http')}`);
  });

  test('a named port the custom resource\'s pods do not declare is reported, with a did-you-mean', () => {
    checkFindings(`
#- /cr/shop.yaml${webApp('http')}---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
    - port: 80
      targetPort: htp
      #           ^^^ error service-target-port-unresolved ~ did you mean \`http\`?
`);
  });

  test('its container port names are validated, and it has no selector to check', () => {
    checkFindings(`
#- /cr/shop.yaml${webApp('Http_Port')}`.replace('            - name: Http_Port\n', '            - name: Http_Port\n              #     ^^^^^^^^^ error port-invalid\n'));
  });

  test('negative: a custom resource whose spec.template has no containers is no workload', () => {
    const fixture = `
#- /cr/shop.yaml
apiVersion: apps.example.com/v1
kind: WebApp
metadata:
  name: shop
spec:
  template:
    metadata:
      labels:
        app: shop
    parameters: {}
`;
    const ws = workspaceOf(parseFixture(fixture));
    assert.deepEqual(ws.resourcesOf(fileUri('/cr/shop.yaml')).map((r) => r.type), ['other']);
  });

  test('negative: a built-in API group with spec.template is never read as an operator\'s pod template', () => {
    const ws = workspaceOf(parseFixture(`
#- /cr/pt.yaml
apiVersion: v1
kind: PodTemplate
metadata:
  name: shop
template:
  metadata:
    labels:
      app: shop
  spec:
    containers:
      - name: shop
        image: example/shop:1.0
---
apiVersion: policy.k8s.io/v1
kind: Thing
metadata:
  name: thing
spec:
  template:
    metadata:
      labels:
        app: thing
    spec:
      containers:
        - name: thing
          image: example/thing:1.0
`));
    assert.deepEqual(ws.resourcesOf(fileUri('/cr/pt.yaml')).map((r) => r.type), ['other', 'other']);
  });
});

// ── patch fragments ─────────────────────────────────────────────────────────────────────────

describe('patch fragments beside a kustomization (no containers, or no images, selector and labels)', () => {
  test('are not reported as selector mismatches, while their container port names are still validated', () => {
    checkFindings(`
#- /overlays/prod/deployment-patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - name: metrics_port
              #     ^^^^^^^^^^^^ error port-invalid ~ port name \`metrics_port\`
              containerPort: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: resources-only
spec:
  template:
    spec:
      containers: []
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      containers:
        - name: db
          resources:
            limits:
              memory: 1Gi
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cron
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: cron
              ports:
                - name: Bad_Name
                  #     ^^^^^^^^ error port-invalid
                  containerPort: 80
`);
    const ws = workspaceOf(parseFixture(`
#- /overlays/prod/deployment-patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
`));
    const [fragment] = ws.resourcesOf(fileUri('/overlays/prod/deployment-patch.yaml'));
    assert.ok(fragment.type === 'workload' && fragment.fragment);
    assert.deepEqual(ws.links(fileUri('/overlays/prod/deployment-patch.yaml')), []);
  });

  test('negative: a complete Deployment without a selector is reported', () => {
    checkFindings(`
#- /app/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  #     ^^^ error workload-selector-mismatch ~ has no spec.selector
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: example/web:1.0
`);
  });

  test('negative: containers without images but with pod labels are not a fragment', () => {
    checkFindings(`
#- /app/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  #     ^^^ error workload-selector-mismatch ~ has no spec.selector
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
`);
  });

  test('negative: containers without images but with a written selector that contradicts the labels are checked', () => {
    checkFindings(`
#- /app/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: web
`);
  });
});

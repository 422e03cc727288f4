import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

describe('workload-selector-mismatch', () => {
  test('matchLabels must be satisfied by the template labels', () => {
    checkFindings(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch ~ but its pod template has \`app=workers\`
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: workers
    spec:
      containers:
        - name: worker
          image: worker
`);
  });

  test('matchExpressions: In, NotIn (absent key matches), Exists, DoesNotExist', () => {
    checkFindings(`
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
    matchExpressions:
      - { key: tier, operator: In, values: [data, cache] }
      - { key: canary, operator: NotIn, values: ["true"] }
      - { key: app, operator: Exists }
      - { key: legacy, operator: DoesNotExist }
  template:
    metadata:
      labels:
        app: db
        tier: data
    spec:
      containers:
        - name: db
          image: db
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch
    matchExpressions:
      - { key: tier, operator: NotIn, values: [agent] }
  template:
    metadata:
      labels:
        tier: agent
    spec:
      containers:
        - name: agent
          image: agent
`);
  });

  test('apps/v1 requires a selector; older API versions and ReplicationControllers default it', () => {
    checkFindings(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: strict
  #     ^^^^^^ error workload-selector-mismatch ~ has no spec.selector
spec:
  template:
    metadata:
      labels:
        app: strict
    spec:
      containers:
        - name: c
          image: c
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: legacy
spec:
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
        - name: c
          image: c
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: rc
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: rc
    spec:
      containers:
        - name: c
          image: c
`);
  });

  test('map selectors of ReplicationController and DeploymentConfig', () => {
    checkFindings(`
apiVersion: v1
kind: ReplicationController
metadata:
  name: rc
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch
    app: rc
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
        - name: c
          image: c
---
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata:
  name: dc
spec:
  selector:
    app: dc
  template:
    metadata:
      labels:
        app: dc
    spec:
      containers:
        - name: c
          image: c
`);
  });

  test('an invalid operator never matches', () => {
    checkFindings(`
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: rs
spec:
  selector:
# ^^^^^^^^ error workload-selector-mismatch
    matchExpressions:
      - { key: app, operator: in, values: [rs] }
  template:
    metadata:
      labels:
        app: rs
    spec:
      containers:
        - name: c
          image: c
`);
  });
});

describe('hpa-target-missing', () => {
  const target = `
#- /deploy.yaml
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
          image: web
`;

  test('the target is found by kind and name in the HPA namespace, in every HPA version', () => {
    checkFindings(`${target}
#- /hpa.yaml
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web-v1
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  maxReplicas: 5
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web-v2beta2
spec:
  scaleTargetRef:
    kind: Deployment
    name: web
  maxReplicas: 5
`);
  });

  test('a missing target, with did-you-mean on the name', () => {
    checkFindings(`${target}
#- /hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: wbe
    #     ^^^ warning hpa-target-missing ~ did you mean \`web\`?
  maxReplicas: 5
`);
  });

  test('the right name with the wrong kind is explained', () => {
    checkFindings(`${target}
#- /hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    kind: StatefulSet
    name: web
    #     ^^^ warning hpa-target-missing ~ did you mean \`Deployment\`?
  maxReplicas: 5
`);
  });

  test('custom resource targets (Argo Rollouts and the like) may live elsewhere: no finding', () => {
    checkFindings(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    name: web
  maxReplicas: 5
`);
  });

  test('a custom resource target defined in the workspace resolves', () => {
    checkFindings(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    name: web
  maxReplicas: 5
`);
  });
});

describe('duplicate-resource', () => {
  test('the same kind, namespace and name twice in one file: kubectl apply keeps the last', () => {
    checkFindings(`
#- /a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  #     ^^^^^^^^ warning duplicate-resource ~ this file defines it 2 times
data: { a: "1" }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  #     ^^^^^^^^ warning duplicate-resource
data: { a: "2" }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: elsewhere
---
apiVersion: v1
kind: Secret
metadata:
  name: settings
`);
  });

  test('sibling files that redefine an object are alternatives (variants, test steps, bundles), not duplicates', () => {
    checkFindings(`
#- /app/service-nodeport.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports: [{ port: 80 }]
#- /app/service-lb.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports: [{ port: 80 }]
`);
  });

  test('copies in different directories are alternatives (environments, providers), not duplicates', () => {
    checkFindings(`
#- /overlays/dev/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
#- /overlays/prod/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
`);
  });

  test('byte-identical copies, cluster exports and apiVersion variants are not duplicates', () => {
    checkFindings(`
#- /same.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: { a: "1" }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: { a: "1" }
#- /exported.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  resourceVersion: "1"
data: { a: "1" }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  resourceVersion: "2"
data: { a: "2" }
#- /versions.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web }] }
---
apiVersion: apps/v1beta1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web }] }
`);
  });

  test('one object twice in a kustomize build: kustomize refuses to build it', () => {
    checkFindings(`
#- /app/kustomization.yaml
resources: [a.yaml, b.yaml]
#- /app/a.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  #     ^^^^^^^^ warning duplicate-resource ~ kustomize refuses to build it
#- /app/b.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  #     ^^^^^^^^ warning duplicate-resource ~ kustomize refuses to build it
`);
  });

  test('cluster-scoped objects ignore metadata.namespace', () => {
    checkFindings(`
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  #     ^^^^ warning duplicate-resource
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  #     ^^^^ warning duplicate-resource
  namespace: whatever
`);
  });
});

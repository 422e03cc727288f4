/** The inputs of the fuzz test (fuzz.test.ts): healthy neighbour files, and fixtures written for the fuzzer. */
import type { FileChange } from '../../server/src/core';

/** The namespace (and folder) of the neighbours; no fixture uses it, so a mutant that does not mention it cannot legitimately change their findings. */
export const NEIGHBOUR_MARK = 'fuzz-neighbour';

export interface Input {
  /**
   * Relative path. The last two segments name the mutant (a `templates/` folder or
   * `kustomization.yaml` keep their role); the whole path when the input has siblings.
   */
  readonly name: string;
  readonly text: string;
  /** Files the mutant is analysed with, unchanged (the rest of a kustomize project): paths relative to the same root. */
  readonly siblings?: readonly { readonly name: string; readonly text: string }[];
}

export const NEIGHBOURS: FileChange[] = [
  {
    uri: `file:///fuzz/${NEIGHBOUR_MARK}/app.yaml`,
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: fuzz-neighbour-web
  namespace: fuzz-neighbour
spec:
  replicas: 2
  selector:
    matchLabels:
      app: fuzz-neighbour-web
  template:
    metadata:
      labels:
        app: fuzz-neighbour-web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: fuzz-neighbour-web
  namespace: fuzz-neighbour
spec:
  selector:
    app: fuzz-neighbour-web
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: fuzz-neighbour-web
  namespace: fuzz-neighbour
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: fuzz-neighbour-nginx
  rules:
    - host: web.fuzz-neighbour.example
      http:
        paths:
          - path: /api(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: fuzz-neighbour-web
                port:
                  name: http
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: fuzz-neighbour-web
  namespace: fuzz-neighbour
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: fuzz-neighbour-web
  minReplicas: 2
  maxReplicas: 5
`,
  },
  {
    uri: `file:///fuzz/${NEIGHBOUR_MARK}/broken.yaml`,
    text: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: fuzz-neighbour-nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: v1
kind: Service
metadata:
  name: fuzz-neighbour-broken
  namespace: fuzz-neighbour
spec:
  selector:
    app: fuzz-neighbour-wbe
  ports:
    - port: 80
      targetPort: htp
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: fuzz-neighbour-broken
  namespace: fuzz-neighbour
spec:
  ingressClassName: fuzz-neighbour-nginx
  rules:
    - host: broken.fuzz-neighbour.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: fuzz-neighbour-missing
                port:
                  number: 80
          - path: /web
            pathType: Prefix
            backend:
              service:
                name: fuzz-neighbour-web
                port:
                  number: 8080
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: fuzz-neighbour-nothere
  namespace: fuzz-neighbour
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: fuzz-neighbour-nothere
  minReplicas: 1
  maxReplicas: 3
`,
  },
  {
    uri: `file:///fuzz/${NEIGHBOUR_MARK}/db.yaml`,
    text: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: fuzz-neighbour-db
  namespace: fuzz-neighbour
spec:
  serviceName: fuzz-neighbour-db
  selector:
    matchLabels: &labels
      app: fuzz-neighbour-db
      tier: data
  template:
    metadata:
      labels: *labels
    spec:
      containers:
        - name: db
          image: postgres:16
          ports:
            - name: pg
              containerPort: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: fuzz-neighbour-db
  namespace: fuzz-neighbour
spec:
  clusterIP: None
  selector:
    app: fuzz-neighbour-db
  ports:
    - name: pg
      port: 5432
      targetPort: pg
---
apiVersion: v1
kind: Service
metadata:
  name: fuzz-neighbour-db-admin
  namespace: fuzz-neighbour
spec:
  type: NodePort
  selector:
    app: fuzz-neighbour-db
  ports:
    - port: 5432
      targetPort: 5433
`,
  },
];

/** Fixtures written for the fuzzer: every kind family, annotations, anchors and placeholders the engine reads. */
export const FIXTURES: Input[] = [
  {
    name: 'fixtures/web-stack.yaml',
    text: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      initContainers:
        - name: proxy
          image: envoy:1
          restartPolicy: Always
          ports:
            - name: admin
              containerPort: 9901
      containers:
        - name: web
          image: shop/web:1.0
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
              protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: ClusterIP
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
      targetPort: 9090
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/canary: "false"
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /shop(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  name: http
          - path: /metrics
            pathType: Exact
            backend:
              service:
                name: web
                port:
                  number: 9090
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`,
  },
  {
    name: 'fixtures/controller.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ingress-nginx
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.12.1
          args:
            - /nginx-ingress-controller
            - --ingress-class=nginx
            - --watch-ingress-without-class=true
          ports:
            - name: http
              containerPort: 80
              hostPort: 80
            - name: https
              containerPort: 443
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app.kubernetes.io/name: ingress-nginx
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 30080
    - name: https
      port: 443
      targetPort: https
`,
  },
  {
    name: 'fixtures/legacy.yaml',
    text: `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
    nginx.ingress.kubernetes.io/permanent-redirect: https://example.org/new
spec:
  backend:
    serviceName: api
    servicePort: 80
  rules:
    - host: legacy.example.com
      http:
        paths:
          - path: /v1
            backend:
              serviceName: api
              servicePort: http
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: api
spec:
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: api:2
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: api-rc
spec:
  selector:
    app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: api:2
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 80
      targetPort: 8081
`,
  },
  {
    name: 'fixtures/list.yaml',
    text: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: listed
      namespace: tools
    spec:
      type: NodePort
      selector: { app: listed }
      ports: [{ port: 80, targetPort: 8080, nodePort: 31080 }]
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: listed, namespace: tools }
    spec:
      serviceName: listed
      selector: { matchLabels: { app: listed } }
      template:
        metadata: { labels: { app: listed } }
        spec:
          containers:
            - { name: c, image: "x:1", ports: [{ containerPort: 8080, name: web }] }
  - apiVersion: batch/v1
    kind: CronJob
    metadata: { name: nightly, namespace: tools }
    spec:
      schedule: "0 0 * * *"
      jobTemplate:
        spec:
          template:
            metadata: { labels: { app: nightly } }
            spec: { containers: [{ name: c, image: "x:1" }], restartPolicy: Never }
`,
  },
  {
    name: 'fixtures/controllers-mix.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: alb
  namespace: edge
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: instance
    alb.ingress.kubernetes.io/group.name: shared
    alb.ingress.kubernetes.io/actions.fixed: '{"type":"fixed-response","fixedResponseConfig":{"statusCode":"404"}}'
spec:
  ingressClassName: alb
  rules:
    - host: alb.example.com
      http:
        paths:
          - path: /*
            pathType: ImplementationSpecific
            backend:
              service:
                name: fixed
                port:
                  name: use-annotation
          - path: /app
            pathType: Prefix
            backend:
              service:
                name: app
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: alb
spec:
  controller: ingress.k8s.aws/alb
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: traefik
  namespace: edge
  annotations:
    traefik.ingress.kubernetes.io/router.entrypoints: web
spec:
  ingressClassName: traefik
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: Bucket
      name: assets
  rules:
    - host: "*.traefik.example.com"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: app
  namespace: edge
spec:
  type: NodePort
  selector:
    app: app
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: app
  namespace: edge
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: app:3
          ports:
            - containerPort: 8080
---
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: lws
  namespace: edge
spec:
  leaderWorkerTemplate:
    leaderTemplate:
      metadata:
        labels: { role: leader }
      spec:
        containers: [{ name: l, image: "l:1" }]
    workerTemplate:
      metadata:
        labels: { role: worker }
      spec:
        containers: [{ name: w, image: "w:1", ports: [{ containerPort: 7000 }] }]
`,
  },
  {
    name: 'fixtures/anchors.yaml',
    text: `x-common: &common
  app: merged
  team: core
x-ports: &ports
  - name: http
    port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: merged
  labels: &labels
    <<: *common
    version: v1
spec:
  selector:
    matchLabels:
      app: merged
  template:
    metadata:
      labels:
        <<: [*labels]
        extra: "yes"
    spec:
      containers:
        - &container
          name: app
          image: merged:1
          ports:
            - name: http
              containerPort: 8080
        - <<: *container
          name: sidecar
---
apiVersion: v1
kind: Service
metadata: { name: merged, labels: { <<: *common } }
spec:
  selector: { app: merged }
  ports:
    - name: http
      port: 80
      targetPort: http
`,
  },
  {
    name: 'fixtures/placeholders.yaml',
    text: `apiVersion: v1
kind: Service
metadata:
  name: "{{ .Release.Name }}-svc"
  namespace: \${NAMESPACE:-default}
spec:
  selector:
    app: "{{ .Values.app }}"
  ports:
    - port: $(PORT)
      targetPort: <fill-in>
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: tpl
spec:
  rules:
    - host: "{{ .Values.host }}"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: "{{ .Release.Name }}-svc"
                port:
                  number: 80
`,
  },
  {
    name: 'templates/deployment.yaml',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "chart.selectorLabels" . | nindent 6 }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
`,
  },
  {
    name: 'overlay/kustomization.yaml',
    text: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: staging
namePrefix: stg-
commonLabels:
  env: staging
resources:
  - ../base
  - service.yaml
patches:
  - target:
      kind: Deployment
      name: web
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 2
images:
  - name: web
    newTag: "2.0"
replicas:
  - name: web
    count: 4
`,
  },
  {
    name: 'config/.kube-route-lens.yaml',
    text: `defaultNamespace: shop
rules:
  service-selects-nothing: warning
  ingress-backend-missing: off
ignore:
  - vendor/**
apps:
  - name: shop
    paths: [shop/, web/]
`,
  },
  {
    name: 'fixtures/gke-and-canary.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: main
  namespace: web
spec:
  ingressClassName: nginx
  rules:
    - host: canary.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: stable
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: canary
  namespace: web
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-by-header: x-canary
    nginx.ingress.kubernetes.io/canary-weight: "20"
    nginx.ingress.kubernetes.io/upstream-vhost: internal.example.com
    nginx.ingress.kubernetes.io/backend-protocol: GRPC
spec:
  ingressClassName: nginx
  rules:
    - host: canary.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: canary
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: gce
  namespace: web
  annotations:
    kubernetes.io/ingress.class: gce
spec:
  defaultBackend:
    service:
      name: stable
      port:
        number: 80
---
apiVersion: v1
kind: Service
metadata: { name: stable, namespace: web }
spec:
  type: NodePort
  selector: { app: stable }
  ports: [{ port: 80, targetPort: 8080, protocol: TCP }]
---
apiVersion: v1
kind: Service
metadata: { name: canary, namespace: web }
spec:
  selector: { app: canary }
  ports: [{ port: 80, targetPort: 8080, protocol: UDP }]
---
apiVersion: v1
kind: Pod
metadata: { name: canary, namespace: web, labels: { app: canary } }
spec:
  containers: [{ name: c, image: "c:1", ports: [{ containerPort: 8080, protocol: TCP }] }]
`,
  },
];

/**
 * A kustomize project: a base, two overlays and a component, with every transformation the
 * engine applies (resources, components, namespace, prefix and suffix, labels, replicas,
 * strategic-merge and JSON patches, inline and in files). Each file is fuzzed with the others
 * next to it.
 */
const PROJECT: readonly { readonly name: string; readonly text: string }[] = [
  {
    name: 'project/base/kustomization.yaml',
    text: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
  - ingress.yaml
labels:
  - pairs:
      team: web
    includeSelectors: true
`,
  },
  {
    name: 'project/base/deployment.yaml',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
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
          image: web:1
          ports:
            - name: http
              containerPort: 8080
`,
  },
  {
    name: 'project/base/service.yaml',
    text: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
`,
  },
  {
    name: 'project/base/ingress.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /web(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 4
`,
  },
  {
    name: 'project/overlays/prod/kustomization.yaml',
    text: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
components:
  - ../../components/canary
namespace: prod
namePrefix: prod-
nameSuffix: -v2
commonLabels:
  env: prod
replicas:
  - name: web
    count: 5
patches:
  - path: patch-port.yaml
  - target:
      kind: Service
      name: web
    patch: |-
      - op: replace
        path: /spec/ports/0/port
        value: 8080
      - op: add
        path: /metadata/annotations
        value: {owner: web}
      - op: copy
        from: /spec/ports/0
        path: /spec/ports/-
      - op: test
        path: /spec/ports/0/name
        value: http
patchesStrategicMerge:
  - |-
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
                - name: http
                  containerPort: 9090
patchesJson6902:
  - target:
      group: networking.k8s.io
      version: v1
      kind: Ingress
      name: web
    patch: |-
      - op: replace
        path: /spec/rules/0/host
        value: prod.example.com
      - op: move
        from: /metadata/annotations
        path: /metadata/labels
`,
  },
  {
    name: 'project/overlays/prod/patch-port.yaml',
    text: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 80
      targetPort: 9090
    - $patch: replace
  selector:
    $patch: delete
`,
  },
  {
    name: 'project/overlays/dev/kustomization.yaml',
    text: `resources:
  - ../../base
  - extra.yaml
namespace: dev
nameSuffix: -dev
images:
  - name: web
    newTag: dev
`,
  },
  {
    name: 'project/overlays/dev/extra.yaml',
    text: `apiVersion: v1
kind: Service
metadata:
  name: web-debug
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 9229
      nodePort: 30229
`,
  },
  {
    name: 'project/components/canary/kustomization.yaml',
    text: `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - canary-ingress.yaml
patches:
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/template/metadata/labels/track
        value: canary
`,
  },
  {
    name: 'project/components/canary/canary-ingress.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-canary
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-weight: "10"
spec:
  ingressClassName: nginx
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /web(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  name: http
`,
  },
];

/** Each file of the kustomize project as an input, with the others as its siblings. */
export const PROJECT_INPUTS: Input[] = PROJECT.map((file) => ({ ...file, siblings: PROJECT.filter((other) => other !== file) }));

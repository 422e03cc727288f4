import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

const deployment = `
#- /app/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: frontend
    spec:
      containers:
        - name: httpd
          image: httpd:2.4
          ports:
            - name: http
              containerPort: 80
            - name: dns
              containerPort: 53
              protocol: UDP
`;

describe('service-selects-nothing', () => {
  test('a selector that matches the pod template labels is fine', () => {
    checkFindings(`${deployment}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
    tier: frontend
  ports:
    - port: 80
      targetPort: http
`);
  });

  test('a typo in a label value is reported with a did-you-mean', () => {
    checkFindings(`${deployment}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing ~ did you mean \`app=web\` (Deployment \`web\`)?
    app: wbe
  ports:
    - port: 80
`);
  });

  test('a typo shared with many pod templates keeps only the closest few near misses', () => {
    const pods = Array.from({ length: 40 }, (_, i) => `
#- /app/pod${i}.yaml
apiVersion: v1
kind: Pod
metadata:
  name: p${i}
  labels:
    app: app-${i}
spec:
  containers: []
`).join('');
    const [finding] = checkFindings(`${pods}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing ~ did you mean \`app=app-0\`
    app: app-x
  ports:
    - port: 80
`);
    assert.equal(finding.related.length, 5);
    assert.equal(finding.replacements?.length, 5);
  });

  test('selectors only match within the namespace', () => {
    checkFindings(`${deployment}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: other
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing ~ namespace \`other\`
    app: web
  ports:
    - port: 80
`);
  });

  test('resources without a namespace are in the configured default namespace', () => {
    checkFindings(`${deployment}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`, { settings: { defaultNamespace: 'shop' } });
  });

  test('every selector pair must match (AND)', () => {
    checkFindings(`${deployment}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing ~ has all these labels
    app: web
    tier: backend
  ports:
    - port: 80
`);
  });

  test('a selector copied from the workload metadata.labels is explained', () => {
    checkFindings(`
#- /app/all.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    component: api
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
          image: api
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
# ^^^^^^^^ warning service-selects-nothing
    component: api
  ports:
    - port: 80
`);
  });

  test('Services without a selector, with an empty selector, and ExternalName Services are not checked', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: manual
spec:
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: empty
spec:
  selector: {}
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: db.example.com
  selector:
    app: nothing
`);
  });

  test('with no pod templates at all in the namespace the finding is only information', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
# ^^^^^^^^ information service-selects-nothing ~ may be defined elsewhere
    app: lonely
  ports:
    - port: 80
`);
  });

  test('every workload kind with a pod template can be selected, including CronJob and bare Pod', () => {
    checkFindings(`
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app: report
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: report
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels:
    app: debug
spec:
  containers:
    - name: debug
      image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: report
spec:
  selector:
    app: report
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: debug
spec:
  selector:
    app: debug
  ports:
    - port: 80
`);
  });

  test('a templated pod label could match anything: no finding', () => {
    checkFindings(`
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
        release: "{{ .Release.Name }}"
    spec:
      containers:
        - name: web
          image: web
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
    release: prod
  ports:
    - port: 80
`);
  });
});

describe('service-target-port-unresolved and service-target-port-not-declared', () => {
  const service = (ports: string) => `${deployment}
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
${ports}`;

  test('a named targetPort resolves by name and protocol', () => {
    checkFindings(service(`
    - name: http
      port: 80
      targetPort: http
    - name: dns
      port: 53
      protocol: UDP
      targetPort: dns
`));
  });

  test('a named targetPort nobody declares is an error, with a did-you-mean', () => {
    checkFindings(service(`
    - name: http
      port: 80
      targetPort: htp
      #           ^^^ error service-target-port-unresolved ~ did you mean \`http\`?
`));
  });

  test('the protocol must match too', () => {
    checkFindings(service(`
    - name: dns
      port: 53
      targetPort: dns
      #           ^^^ error service-target-port-unresolved ~ with protocol UDP, not TCP
`));
  });

  test('a numeric targetPort the pods do not declare is information: declaring ports is informational', () => {
    checkFindings(service(`
    - name: web
      port: 80
      targetPort: 8080
      #           ^^^^ information service-target-port-not-declared ~ traffic still flows if the process listens on it
`));
  });

  test('the defaulted targetPort (= port) is checked too', () => {
    checkFindings(service(`
    - name: web
      port: 8080
      #     ^^^^ information service-target-port-not-declared
`));
  });

  test('a numeric targetPort the pods declare only for another protocol is a warning (UDP traffic to a TCP port)', () => {
    checkFindings(`
#- /app/dns.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dns
spec:
  selector:
    matchLabels:
      app: dns
  template:
    metadata:
      labels:
        app: dns
    spec:
      containers:
        - name: dns
          image: coredns
          ports:
            - containerPort: 5353
---
apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector:
    app: dns
  ports:
    - port: 53
      protocol: UDP
      targetPort: 5353
      #           ^^^^ warning service-target-port-not-declared ~ declares containerPort 5353 with protocol TCP, not UDP
`);
  });

  test('a look-alike workload of another example does not hide the mismatch of the own pods of a Service', () => {
    const dns = (protocol: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dns
spec:
  selector:
    matchLabels:
      app: dns
  template:
    metadata:
      labels:
        app: dns
    spec:
      containers:
        - name: dns
          image: coredns
          ports:
            - containerPort: 5353
              protocol: ${protocol}
`;
    checkFindings(`
#- /example-a/dns.yaml${dns('TCP')}---
apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector:
    app: dns
  ports:
    - port: 53
      protocol: UDP
      targetPort: 5353
      #           ^^^^ warning service-target-port-not-declared
#- /example-b/dns.yaml${dns('UDP')}`);
  });

  test('a targetPort equal to a declared hostPort is a warning: a Service sends to the containerPort', () => {
    checkFindings(`
#- /app/ghost.yaml
apiVersion: v1
kind: Pod
metadata:
  name: ghost
  labels:
    app: ghost
spec:
  containers:
    - name: ghost
      image: ghost
      ports:
        - containerPort: 2368
          hostPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ghost
spec:
  selector:
    app: ghost
  ports:
    - port: 80
      #     ^^ warning service-target-port-not-declared ~ as the hostPort of containerPort 2368
`);
  });

  test('a port the container is started with (arguments, environment) or probed on is not reported', () => {
    checkFindings(`
#- /app/metrics.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: manager
spec:
  selector:
    matchLabels:
      app: manager
  template:
    metadata:
      labels:
        app: manager
    spec:
      containers:
        - name: manager
          image: manager
          args: ["--metrics-bind-address=:8443", "--port", "18080"]
          env:
            - name: LISTEN
              value: 0.0.0.0:9002
          ports:
            - containerPort: 9443
          readinessProbe:
            httpGet:
              port: 8081
---
apiVersion: v1
kind: Service
metadata:
  name: manager
spec:
  selector:
    app: manager
  ports:
    - { name: metrics, port: 8443 }
    - { name: http, port: 80, targetPort: 18080 }
    - { name: other, port: 9002 }
    - { name: health, port: 8081 }
`);
  });

  test('pods that declare no ports at all say nothing about numeric targetPorts', () => {
    checkFindings(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: quiet
spec:
  selector:
    matchLabels:
      app: quiet
  template:
    metadata:
      labels:
        app: quiet
    spec:
      containers:
        - name: quiet
          image: quiet
---
apiVersion: v1
kind: Service
metadata:
  name: quiet
spec:
  selector:
    app: quiet
  ports:
    - port: 9000
`);
  });

  test('headless Services ignore targetPort numbers', () => {
    checkFindings(service(`
    - name: peer
      port: 7000
`).replace('spec:\n  selector:\n    app: web\n  ports:', 'spec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:'));
  });

  test('a name declared by a sidecar init container resolves; other init containers do not count', () => {
    checkFindings(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mesh
spec:
  selector:
    matchLabels:
      app: mesh
  template:
    metadata:
      labels:
        app: mesh
    spec:
      initContainers:
        - name: proxy
          image: proxy
          restartPolicy: Always
          ports:
            - name: proxy
              containerPort: 15001
        - name: setup
          image: setup
          ports:
            - name: setup
              containerPort: 9999
      containers:
        - name: app
          image: app
---
apiVersion: v1
kind: Service
metadata:
  name: mesh
spec:
  selector:
    app: mesh
  ports:
    - name: proxy
      port: 15001
      targetPort: proxy
    - name: setup
      port: 9999
      targetPort: setup
      #           ^^^^^ error service-target-port-unresolved
`);
  });

  test('when only some selected pods declare the name, the finding is information', () => {
    checkFindings(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: v1
spec:
  selector:
    matchLabels:
      app: web
      version: v1
  template:
    metadata:
      labels:
        app: web
        version: v1
    spec:
      containers:
        - name: web
          image: web:1
          ports:
            - name: http
              containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: v2
spec:
  selector:
    matchLabels:
      app: web
      version: v2
  template:
    metadata:
      labels:
        app: web
        version: v2
    spec:
      containers:
        - name: web
          image: web:2
          ports:
            - name: web
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
      #           ^^^^ information service-target-port-unresolved ~ some of the selected pods
`);
  });
});

describe('service-port-name-required', () => {
  test('several ports need names', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 80
    - port: 443
      #     ^^^ error service-port-name-required
`);
  });

  test('a single port may be unnamed', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
`);
  });
});

describe('port-invalid', () => {
  test('port numbers outside 1-65535, quoted numbers and bad names', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: Web_Port
      #     ^^^^^^^^ error port-invalid ~ must be a DNS label
      port: 70000
      #     ^^^^^ error port-invalid ~ between 1 and 65535
      targetPort: "8080"
      #           ^^^^^^ error port-invalid ~ a quoted number is a port name
    - name: b
      port: "443"
      #     ^^^^^ error port-invalid ~ must be an integer
      targetPort: this-is-too-long-name
      #           ^^^^^^^^^^^^^^^^^^^^^ error port-invalid ~ no more than 15 characters
`);
  });

  test('duplicate port names and duplicate port/protocol pairs after defaulting', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  ports:
    - name: dns
      port: 53
      protocol: TCP
    - name: dns
      #     ^^^ error port-invalid ~ used twice
      port: 53
      #     ^^ error port-invalid ~ 53/TCP is defined twice
    - name: dns-udp
      port: 53
      protocol: UDP
`);
  });

  test('container ports: names are IANA service names, numbers are in range', () => {
    checkFindings(`
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: c
      ports:
        - name: "123456"
          #     ^^^^^^^^ error port-invalid ~ at least one letter
          containerPort: 123456
          #              ^^^^^^ error port-invalid ~ between 1 and 65535
        - name: http--alt
          #     ^^^^^^^^^ error port-invalid ~ consecutive hyphens
          containerPort: 8080
        - name: ok
          containerPort: 8081
          hostPort: 0
`);
  });
});

describe('nodeport rules', () => {
  test('nodeport-out-of-range uses the configured range', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 3000
      #         ^^^^ error nodeport-out-of-range ~ 30000-32767
`);
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 3000
`, { settings: { nodePortRange: { min: 1, max: 32767 } } });
  });

  test('nodeport-not-allowed on ClusterIP and headless Services', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: internal
spec:
  ports:
    - port: 80
      nodePort: 30080
      #         ^^^^^ error nodeport-not-allowed ~ is ClusterIP
---
apiVersion: v1
kind: Service
metadata:
  name: peers
spec:
  clusterIP: None
  ports:
    - port: 80
      nodePort: 30081
      #         ^^^^^ error nodeport-not-allowed ~ headless
`);
  });

  test('nodeport-duplicate across Services and namespaces, whatever the protocol', () => {
    checkFindings(`
#- /a.yaml
apiVersion: v1
kind: Service
metadata:
  name: a
  namespace: one
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30000
      #         ^^^^^ error nodeport-duplicate ~ Service \`two/b\`
---
apiVersion: v1
kind: Service
metadata:
  name: b
  namespace: two
spec:
  type: LoadBalancer
  ports:
    - port: 53
      protocol: UDP
      nodePort: 30000
      #         ^^^^^ error nodeport-duplicate ~ Service \`one/a\`
`);
  });

  test('Services of different files, examples or kustomize builds are never applied together: no conflict', () => {
    const svc = (name: string) => `
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
`;
    checkFindings(`#- /examples/a/svc.yaml${svc('a')}
#- /examples/b/svc.yaml${svc('b')}
#- /app/svc-nodeport.yaml${svc('c')}
#- /app/svc-other.yaml${svc('d')}`);
  });

  test('a nodePort conflict that only one overlay makes names that overlay', () => {
    const findings = checkFindings(`
#- /base/kustomization.yaml
resources: [svc.yaml]
#- /base/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
      #         ^^^^^ error nodeport-duplicate ~ (in the kustomize build of \`/prod\`)
#- /dev/kustomization.yaml
resources: [../base]
#- /prod/kustomization.yaml
resources: [../base, other.yaml]
#- /prod/other.yaml
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  type: NodePort
  ports:
    - port: 81
      nodePort: 30080
      #         ^^^^^ error nodeport-duplicate ~ Service \`web\`
`);
    assert.equal(findings.length, 2);
  });

  test('one Service may use the same nodePort for TCP and UDP of one port', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  type: NodePort
  ports:
    - name: tcp
      port: 53
      nodePort: 30053
    - name: udp
      port: 53
      protocol: UDP
      nodePort: 30053
`);
  });
});

describe('external-traffic-policy-not-allowed', () => {
  test('externalTrafficPolicy on a plain ClusterIP Service', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  externalTrafficPolicy: Local
  #                      ^^^^^ error external-traffic-policy-not-allowed
  ports:
    - port: 80
`);
  });

  test('allowed on NodePort, LoadBalancer and ClusterIP with externalIPs; values are case-sensitive', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  type: NodePort
  externalTrafficPolicy: Local
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: b
spec:
  externalIPs: [192.0.2.10]
  externalTrafficPolicy: Cluster
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: c
spec:
  type: LoadBalancer
  externalTrafficPolicy: local
  #                      ^^^^^ error external-traffic-policy-not-allowed ~ case-sensitive
  ports:
    - port: 80
`);
  });

  test('healthCheckNodePort only with LoadBalancer and Local', () => {
    checkFindings(`
apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  type: NodePort
  externalTrafficPolicy: Local
  healthCheckNodePort: 30500
  #                    ^^^^^ error external-traffic-policy-not-allowed
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: b
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  healthCheckNodePort: 30501
  ports:
    - port: 80
`);
  });
});

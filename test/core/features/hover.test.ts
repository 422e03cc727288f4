import { describe, test } from 'node:test';
import { checkHover, checkNoHover } from '../../helpers/features';
import { WEB, WEB_SERVICE } from './seed';

describe('hover', () => {
  test('on nodePort, port and targetPort: the whole chain with real values and the role of each number', () => {
    const chain = '`node:30080` → Service `web-svc:8080` → targetPort `http` → containerPort `80` (httpd) in 3 pods of Deployment `web`';
    for (const field of ['nodePort: 30$0080', 'port: 80$080', 'targetPort: ht$0tp']) {
      checkHover(`${WEB}${WEB_SERVICE.replace(field.replace('$0', ''), field)}`, chain, '**nodePort**', 'range 30000–32767', '**port**: what the Service listens on inside the cluster', '**targetPort**: what the pods listen on');
    }
  });

  test('unresolved parts are shown as such', () => {
    checkHover(`${WEB}${WEB_SERVICE.replace('targetPort: http', 'targetPort: ad$0min')}`, '*no container declares port `admin`*');
    checkHover(`${WEB}${WEB_SERVICE.replace('app: web\n  ports', 'app: nope\n  ports').replace('port: 8080', 'port: 80$080')}`, '*no pods match the selector*');
  });

  test('on externalTrafficPolicy: Local vs Cluster for this Service, with its replicas', () => {
    checkHover(`${WEB}${WEB_SERVICE.replace('externalTrafficPolicy: Local', 'externalTrafficPolicy: Lo$0cal')}`, '**externalTrafficPolicy: Local** on NodePort Service `web-svc`', 'keeps the client source IP', 'with 3 replicas, at most 3 nodes answer', '**Cluster** (default)', '**healthCheckNodePort** applies only to LoadBalancer');
  });

  test('on type: what it means; LoadBalancer outside a cloud mentions MetalLB and the workspace pools', () => {
    checkHover(`${WEB_SERVICE.replace('type: NodePort', 'type: Node$0Port')}`, '**type: NodePort**', '<node IP>:<nodePort>');
    checkHover(`${WEB_SERVICE.replace('type: NodePort', 'type: LoadBa$0lancer')}`, 'MetalLB', 'no MetalLB `IPAddressPool` in this workspace');
    checkHover(`${WEB_SERVICE.replace('type: NodePort', 'type: LoadBa$0lancer')}
#- /metallb.yaml
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lab
  namespace: metallb-system
spec:
  addresses:
    - 192.168.1.240-192.168.1.250
`, 'MetalLB address pools in this workspace: `lab` (`192.168.1.240-192.168.1.250`)');
  });

  test('on a Service selector and on pod labels: who selects whom, with replicas', () => {
    checkHover(`${WEB}${WEB_SERVICE.replace('  selector:\n    app: web', '  selector:\n    app: w$0eb')}`, 'Selector `app=web` selects **3 pods of Deployment `web`**');
    checkHover(`${WEB.replace('        app: web\n    spec', '        app: w$0eb\n    spec')}${WEB_SERVICE}`, 'Pod labels of Deployment `web` (3 replicas), selected by:', 'Service `web-svc` · NodePort · port 8080/TCP (http)');
  });

  test('on an Ingress backend: the Service, its type, port mapping and pods', () => {
    checkHover(`${WEB}${WEB_SERVICE}
#- /app/ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web$0-svc
      port:
        number: 8080
`, '**Service `web-svc`** · NodePort', '`node:30080` → Service `web-svc:8080` → targetPort `http` → containerPort `80` (httpd) in 3 pods of Deployment `web`');
  });

  test('on an Ingress backend that alternatives define twice: the hover says the answer depends on which is applied', () => {
    const service = (port: number) => `apiVersion: v1
kind: Service
metadata:
  name: web-svc
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 8080
      targetPort: ${port}
`;
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      name: web$0-svc
      port:
        number: 8080
`;
    checkHover(`#- /app/variant-a.yaml\n${service(80)}#- /app/variant-b.yaml\n${service(81)}#- /app/ing.yaml\n${ingress}`, '**Service `web-svc`**', '_Defined in 2 files nearby (`variant-a.yaml`, `variant-b.yaml`): alternatives of each other, so the answer depends on which one is applied; the first is shown._');
    checkHover(`#- /other/svc.yaml\n${service(80)}#- /app/ing.yaml\n${ingress}`, '_Found only in another folder (`other/`), which may belong to another example than `ing.yaml`._');
  });

  test('on a path and on rewrite-target: matching semantics and a worked example with this path\'s groups', () => {
    const ingress = (cursorPath: string, cursorTarget: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: ${cursorTarget}
spec:
  rules:
    - host: www.test.pri
      http:
        paths:
          - path: ${cursorPath}
            pathType: ImplementationSpecific
            backend:
              service:
                name: abc
                port:
                  number: 80
`;
    checkHover(ingress('/ab$0c(/|$)(.*)', '/$2'), 'case-insensitive', 'Example: `/abc/index.html` → backend receives `/index.html` ($1 = `/`, $2 = `index.html`)');
    checkHover(ingress('/abc(/|$)(.*)', '/$$02'), '**rewrite-target `/$2`**', '`/abc(/|$)(.*)` (2 groups): `/abc/index.html` → backend receives `/index.html`');
    checkHover(ingress('/something(/|$)(.*)', '/$$02'), '`/something/index.html` → backend receives `/index.html`');
  });

  test('on host: exact and wildcard matching', () => {
    const ingress = (host: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
spec:
  rules:
    - host: ${host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: abc
                port:
                  number: 80
`;
    checkHover(ingress('www.te$0st.pri'), 'exactly `www.test.pri`');
    checkHover(ingress('"*.exa$0mple.com"'), 'exactly one label followed by `.example.com`');
  });

  test('on ingressClassName: the IngressClass and its controller', () => {
    checkHover(`
#- /class.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test
spec:
  ingressClassName: ng$0inx
  defaultBackend:
    resource:
      kind: Bucket
      name: b
`, 'IngressClass `nginx` → controller `k8s.io/ingress-nginx` (the default class)');
  });

  test('on scaleTargetRef: the target workload and its replicas', () => {
    checkHover(`${WEB}
#- /hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: w$0eb
  minReplicas: 2
  maxReplicas: 6
`, 'Scales Deployment `web` between **2–6 replicas** (the manifest says 3)');
  });

  test('nothing on fields that are not routing', () => {
    checkNoHover(`${WEB.replace('image: httpd:2.4', 'image: ht$0tpd:2.4')}`);
  });
});

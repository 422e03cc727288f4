import { describe, test } from 'node:test';
import { checkRename, checkRenameRefused } from '../../helpers/features';

const deployment = (label: string, cursor = '') => `
#- /deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: ${label}
      #    ^^^ edit
  template:
    metadata:
      labels:
        app: ${cursor || label}
        #    ^^^ edit
    spec:
      containers:
        - name: httpd
          ports:
            - name: http
              containerPort: 80
`;

describe('rename', () => {
  test('a Service name updates every Ingress backend naming it, v1 and v1beta1', () => {
    checkRename(`
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: w$0eb
  #     ^^^ edit
spec:
  ports:
    - port: 80
#- /a.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  defaultBackend:
    service:
      name: web
      #     ^^^ edit
      port:
        number: 80
#- /b.yaml
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: b
spec:
  backend:
    serviceName: web
    #            ^^^ edit
    servicePort: 80
`, 'frontend');
  });

  test('renaming from a backend renames the Service too', () => {
    checkRename(`
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  #     ^^^ edit
spec:
  ports:
    - port: 80
#- /a.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  defaultBackend:
    service:
      name: w$0eb
      #     ^^^ edit
      port:
        number: 80
`, 'frontend');
  });

  test('a Service port name updates the backends that use port.name, not those using the number', () => {
    checkRename(`
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: ht$0tp
      #     ^^^^ edit
      port: 80
#- /a.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
spec:
  rules:
    - http:
        paths:
          - path: /a
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
                  #     ^^^^ edit
          - path: /b
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`, 'web');
  });

  test('a containerPort name updates the targetPorts that resolve to it', () => {
    checkRename(`${deployment('web').replace('            - name: http', '            - name: ht$0tp\n              #     ^^^^ edit').replace(/ +#    \^\^\^ edit\n/g, '')}
#- /svc.yaml
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
      #           ^^^^ edit
`, 'web');
  });

  test('a label value moves with the selectors and templates that must change together', () => {
    checkRename(`${deployment('web', 'w$0eb')}
#- /svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
    #    ^^^ edit
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  selector:
    app: other
  ports:
    - port: 80
`, 'frontend');
  });

  test('prepareRename refuses places that are not renameable, and invalid names', () => {
    checkRenameRefused(`
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: httpd
      image: ng$0inx
`, 'x', /renames Service names/);
    checkRenameRefused(`
apiVersion: v1
kind: Service
metadata:
  name: w$0eb
spec:
  ports:
    - port: 80
`, 'Not_Valid', /not a valid Service name/);
    checkRenameRefused(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w$0eb
spec:
  template:
    spec:
      containers: []
`, 'x', /renames Service names/);
  });
});

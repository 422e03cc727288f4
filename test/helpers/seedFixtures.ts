/**
 * The seed example (examples/seed-routing) as inline trace fixtures: the ingress-nginx
 * controller with its NodePort Service, the Ingress for www.test.pri with `rewrite-target: /$2`,
 * and the two apps it routes to. Shared by test/core/trace.test.ts and traceIngressNginx.test.ts.
 */
export const SEED_CONTROLLER = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
      app.kubernetes.io/component: controller
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ingress-nginx
        app.kubernetes.io/component: controller
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.12.1
          ports:
            - name: http
              containerPort: 80
            - name: https
              containerPort: 443
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  type: NodePort
  selector:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/component: controller
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 31085
    - name: https
      port: 443
      targetPort: https
      nodePort: 31443
`;

export const SEED_INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test-ingress
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  rules:
    - host: www.test.pri
      http:
        paths:
          - path: /abc(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: abc-svc
                port:
                  number: 80
          - path: /dfc(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: dfc-svc
                port:
                  name: http
`;

export const SEED_SHOP = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: abc
spec:
  replicas: 2
  selector:
    matchLabels:
      app: abc
  template:
    metadata:
      labels:
        app: abc
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: abc-svc
spec:
  selector:
    app: abc
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dfc
spec:
  replicas: 2
  selector:
    matchLabels:
      app: dfc
  template:
    metadata:
      labels:
        app: dfc
    spec:
      containers:
        - name: httpd
          image: httpd:2.4
          ports:
            - name: web
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: dfc-svc
spec:
  selector:
    app: dfc
  ports:
    - name: http
      port: 80
      targetPort: web
`;

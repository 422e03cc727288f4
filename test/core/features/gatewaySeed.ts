/**
 * A small Gateway API workspace shared by the Gateway feature tests: a GatewayClass, Gateway
 * `prod/web` with an HTTP listener for `*.example.com` and an HTTPS listener for
 * `shop.example.com`, the `shop` HTTPRoute (rewrite of `/api`, a 3:1 weighted split, a redirect),
 * and the Services and Deployment it sends to. Fixtures replace parts of these strings.
 */
export const GATEWAY = `
#- /infra/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: nginx
spec:
  controllerName: gateway.nginx.org/nginx-gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: prod
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      port: 80
      protocol: HTTP
      hostname: "*.example.com"
      allowedRoutes:
        namespaces:
          from: All
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
      tls:
        certificateRefs:
          - name: shop-cert
      allowedRoutes:
        namespaces:
          from: All
`;

export const ROUTE = `
#- /shop/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop
spec:
  parentRefs:
    - name: web
      namespace: prod
      sectionName: https
  hostnames:
    - shop.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /api
      filters:
        - type: URLRewrite
          urlRewrite:
            path:
              type: ReplacePrefixMatch
              replacePrefixMatch: /
      backendRefs:
        - name: api
          port: 8080
          weight: 3
        - name: api-canary
          port: 8080
          weight: 1
    - matches:
        - path:
            type: Exact
            value: /old
      filters:
        - type: RequestRedirect
          requestRedirect:
            path:
              type: ReplaceFullPath
              replaceFullPath: /new
            statusCode: 301
`;

export const BACKENDS = `
#- /shop/api.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 8080
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: api-canary
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - port: 8080
      targetPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
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
          image: api:1
          ports:
            - name: http
              containerPort: 80
`;

/** The whole workspace: Gateway, route, backends. */
export const SHOP = `${GATEWAY}${ROUTE}${BACKENDS}`;

/**
 * Real graphs for the webview tests, built by the engine from YAML and turned into the panel's
 * `graph` message by the client's own `toGraphMessage`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace, buildRouteGraph, foldHosts, toMermaid, traceRequest } from '../../server/src/core';
import type { GraphGrouping, GraphScope, RouteGraph, TraceResult } from '../../server/src/core';
import type { RouteGraphResult } from '../../server/src/protocol';
import { toGraphMessage } from '../../client/src/graphHtml';
import type { GraphMessage, Grouping, ScopeChoice } from '../../webview/src/protocol';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function workspaceOf(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  ws.update(Object.entries(files).map(([name, text]) => ({ uri: `file:///ws/${name}`, text })));
  return ws;
}

/** As the LSP request answers: hosts served alike folded (traced nodes kept), boxes by `group`. */
function resultOf(ws: Workspace, built: RouteGraph, highlight: readonly string[] = [], group: GraphGrouping = 'namespace'): RouteGraphResult {
  const graph = foldHosts(built, new Set(highlight));
  const mermaid = toMermaid(graph, new Set(highlight), { group });
  const namespaces = [...new Set(ws.allResources().map((r) => r.namespace).filter((n): n is string => Boolean(n)))].sort();
  const hosts = [...new Set(graph.nodes.filter((n) => n.kind === 'host').map((n) => n.label))].sort();
  return { graph, mermaid: mermaid.text, mermaidIds: mermaid.ids, namespaces, hosts };
}

export interface GraphCase {
  readonly message: GraphMessage;
  readonly graph: RouteGraph;
}

export interface BuildOptions {
  readonly version: number;
  readonly scope?: GraphScope;
  readonly budget?: number;
  readonly choice?: ScopeChoice;
  readonly fileName?: string;
  readonly trace?: TraceResult;
  readonly group?: Grouping;
  /** The active YAML file (a name in `files`): its nodes are marked for the opening view. */
  readonly activeFile?: string;
}

export function build(files: Record<string, string>, options: BuildOptions): GraphCase {
  const ws = workspaceOf(files);
  const built = buildRouteGraph(ws, options.scope ?? { kind: 'workspace' }, options.budget);
  const highlight = (options.trace?.steps ?? []).flatMap((s) => (s.nodeId ? [s.nodeId] : []));
  const group = options.group ?? 'namespace';
  const result = resultOf(ws, built, highlight, group);
  const activeFile = options.activeFile ? { uri: `file:///ws/${options.activeFile}`, name: options.activeFile.split('/').pop() ?? options.activeFile } : undefined;
  return { graph: result.graph, message: toGraphMessage({ version: options.version, result, scope: options.choice ?? { kind: 'workspace' }, fileName: options.fileName, trace: options.trace, group, activeFile }) };
}

export function seedFiles(): Record<string, string> {
  const dir = path.join(ROOT, 'examples', 'seed-routing');
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

/** The seed example (`examples/seed-routing`): hosts, NodePorts, the nginx controller, two rules, three Services, an HPA. */
export function seedGraph(version: number): GraphCase {
  return build(seedFiles(), { version });
}

/**
 * The seed example and the Gateway API example (`examples/gateway-api`) side by side, with the
 * engine's trace of `url` through Gateway `default/test-gateway` highlighted.
 */
export function tracedGatewayGraph(version: number, url = 'http://www.test.pri/abc/index.html'): GraphCase & { trace: TraceResult } {
  const gatewayDir = path.join(ROOT, 'examples', 'gateway-api');
  const gateway = Object.fromEntries(readdirSync(gatewayDir).filter((f) => f.endsWith('.yaml')).map((f) => [`gateway-api/${f}`, readFileSync(path.join(gatewayDir, f), 'utf8')]));
  const ws = workspaceOf({ ...Object.fromEntries(Object.entries(seedFiles()).map(([f, t]) => [`seed-routing/${f}`, t])), ...gateway });
  const trace = traceRequest(ws, url, { gateway: 'default/test-gateway' });
  const graph = buildRouteGraph(ws, { kind: 'workspace' });
  const result = resultOf(ws, graph, trace.steps.flatMap((s) => (s.nodeId ? [s.nodeId] : [])));
  return { graph: result.graph, trace, message: toGraphMessage({ version, result, scope: { kind: 'workspace' }, trace, group: 'namespace' }) };
}

/** The seed graph with the engine's trace of `url` highlighted, as the panel shows it after "Trace Request…". */
export function tracedSeedGraph(version: number, url = 'http://www.test.pri:31085/abc/index.html'): GraphCase & { trace: TraceResult } {
  const ws = workspaceOf(seedFiles());
  const trace = traceRequest(ws, url);
  const graph = buildRouteGraph(ws, { kind: 'workspace' });
  const result = resultOf(ws, graph, trace.steps.flatMap((s) => (s.nodeId ? [s.nodeId] : [])));
  return { graph: result.graph, trace, message: toGraphMessage({ version, result, scope: { kind: 'workspace' }, trace, group: 'namespace' }) };
}

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(2)>',
  init: '%%{init: {"securityLevel":"loose"}}%%',
  js: 'javascript:alert(3)',
  quote: 'say "hi" `whoami`',
  long: 'x'.repeat(5000),
  // Mermaid renders `$$…$$` as KaTeX math; an unknown command used to fail the whole drawing.
  math: '$$\\frac{a}{b}$$',
  badMath: '$$\\unknowncommand$$',
  inlineMath: '$x$',
  dollar: '$',
};

/** Names, hosts and paths that try to break out of Mermaid, HTML or the CSP. */
export function hostileGraph(version: number): GraphCase {
  const q = (text: string) => JSON.stringify(text);
  const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${q(`evil${HOSTILE.script}`)}
spec:
  ingressClassName: ${q(HOSTILE.img)}
  rules:
    - host: ${q(HOSTILE.img)}
      http:
        paths:
          - path: ${q(`/${HOSTILE.init}`)}
            pathType: Prefix
            backend:
              service:
                name: ${q(HOSTILE.js)}
                port:
                  number: 80
          - path: ${q(`/${HOSTILE.quote}`)}
            pathType: Prefix
            backend:
              service:
                name: ${q(HOSTILE.script)}
                port:
                  number: 80
          - path: /long
            pathType: Prefix
            backend:
              service:
                name: ${q(HOSTILE.long)}
                port:
                  number: 80
    - host: ${q(HOSTILE.js)}
      http:
        paths:
          - path: ${q(`/${HOSTILE.script}`)}
            pathType: Prefix
            backend:
              service:
                name: ${q(HOSTILE.img)}
                port:
                  number: 80
    - host: ${q(HOSTILE.math)}
      http:
        paths:
          - path: ${q(`/${HOSTILE.badMath}/${HOSTILE.inlineMath}/${HOSTILE.dollar}`)}
            pathType: Prefix
            backend:
              service:
                name: ${q(HOSTILE.badMath)}
                port:
                  name: ${q(HOSTILE.math)}
          - path: ${q(`/${HOSTILE.math}`)}
            pathType: Prefix
            backend:
              service:
                name: ${q(`a${HOSTILE.dollar}${HOSTILE.inlineMath}`)}
                port:
                  number: 80
`;
  const services = `apiVersion: v1
kind: Service
metadata:
  name: ${q(HOSTILE.img)}
spec:
  selector:
    app: ${q(HOSTILE.script)}
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: ${q(HOSTILE.long)}
spec:
  type: NodePort
  selector:
    app: ${q(HOSTILE.quote)}
  ports:
    - port: 80
      nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: ${q(HOSTILE.badMath)}
spec:
  selector:
    app: ${q(HOSTILE.math)}
  ports:
    - name: ${q(HOSTILE.math)}
      port: 80
`;
  return build({ 'ingress.yaml': ingress, 'services.yaml': services }, { version });
}

/** `apps` Ingress paths → Services → Deployments (+ an HPA every fifth app), over ten hosts. */
export function generatedFiles(apps: number): Record<string, string> {
  const documents: string[] = [];
  const paths = (host: number) =>
    Array.from({ length: apps }, (_, i) => i)
      .filter((i) => i % 10 === host)
      .map((i) => `          - path: /app-${i}\n            pathType: Prefix\n            backend:\n              service:\n                name: app-${i}\n                port:\n                  number: 80`)
      .join('\n');
  const rules = Array.from({ length: 10 }, (_, h) => `    - host: host-${h}.example.com\n      http:\n        paths:\n${paths(h)}`).join('\n');
  documents.push(`apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx`);
  documents.push(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: apps\nspec:\n  ingressClassName: nginx\n  rules:\n${rules}`);
  for (let i = 0; i < apps; i++) {
    documents.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http`);
    documents.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 80`);
    if (i % 5 === 0) documents.push(`apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: app-${i}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: app-${i}\n  minReplicas: 2\n  maxReplicas: 5`);
  }
  return { 'apps.yaml': documents.join('\n---\n') };
}

/** A generated graph of at least `nodes` nodes (drawn whole: the budget is lifted). */
export function largeGraph(version: number, nodes = 300): GraphCase {
  // Each app adds a route, a Service, a Deployment and every fifth an HPA (3.2 nodes); plus 10 hosts and a controller.
  for (let apps = Math.floor((nodes - 11) / 3.2); ; apps++) {
    const built = build(generatedFiles(apps), { version, budget: 100_000 });
    if (built.graph.nodes.length >= nodes) return built;
  }
}

/** The generated workspace over the default budget: the server keeps 300 nodes and says so. */
export function truncatedGraph(version: number): GraphCase {
  return build(generatedFiles(120), { version });
}

/** A scope with nothing in it. */
export function emptyGraph(version: number): GraphCase {
  return build({ 'notes.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n' }, { version, choice: { kind: 'file' }, fileName: 'notes.yaml' });
}

/**
 * About 67 nodes (the size of the real repository in issue 12): the generated apps in `apps.yaml`
 * and one more application in `web.yaml` (its own host, Ingress, Service and Deployment), the
 * active file. `replicas` is the Deployment's in `web.yaml` (a live edit changes it).
 */
export function mediumGraph(version: number, options: { replicas?: number; choice?: ScopeChoice } = {}): GraphCase {
  const web = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
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
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${options.replicas ?? 2}
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
          image: nginx
          ports:
            - containerPort: 8080
`;
  return build({ ...generatedFiles(16), 'web.yaml': web }, { version, activeFile: 'web.yaml', choice: options.choice });
}

/**
 * The custom messages between the Kube Route Lens server and its clients, declared once. The
 * server owns this file; the VS Code client imports it (types, message names and the URL reader
 * of traces, a pure function with no imports).
 */
import type { GatewayChoice, GraphGrouping, RouteGraph } from './core';

export type { GatewayChoice, GraphEdge, GraphNode, ParsedTraceInput, RouteGraph, TraceResult, TraceStep, TraceStepKind } from './core';

/** Where the server is: indexing the workspace, or ready with these counts. */
export interface ServerStatus {
  readonly state: 'indexing' | 'ready';
  /** YAML files read so far (indexing) or in the workspace (ready). */
  readonly files: number;
  /** While indexing: how many files there are to read. */
  readonly totalFiles?: number;
  /** Kubernetes objects in the index. */
  readonly resources: number;
  /** Diagnostics currently reported, by severity. */
  readonly errors: number;
  readonly warnings: number;
  /** Increases with every re-analysis, so clients can refresh views even when the counts stay the same. */
  readonly generation: number;
}

/** Server → client notification, sent when indexing starts, progresses and ends, and after edits. */
export const STATUS_NOTIFICATION = 'kubeRouteLens/status';

export interface ServerInfo {
  readonly version: string;
  /** The server's process id (tests use it to check restarts after a crash). */
  readonly pid: number;
}

/** Client → server request: facts about the running server. */
export const SERVER_INFO_REQUEST = 'kubeRouteLens/serverInfo';

/**
 * Client command the server's CodeLenses invoke, with `(uri, position, locations)` in LSP types;
 * the VS Code client shows the locations (editor.action.showReferences).
 */
export const SHOW_LOCATIONS_COMMAND = 'kubeRouteLens.showLocations';

/** Which part of the workspace to draw; `cursor` = the routes through the object under the cursor. */
export type GraphScopeParam =
  | { readonly kind: 'workspace' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'file'; readonly uri: string }
  | { readonly kind: 'cursor'; readonly uri: string; readonly position: { readonly line: number; readonly character: number } };

export interface RouteGraphParams {
  readonly scope: GraphScopeParam;
  /** Graph node ids to highlight (a traced route). */
  readonly highlight?: readonly string[];
  /** Mermaid subgraphs: by `namespace` (the default), by `controller`, or `none`. */
  readonly group?: GraphGrouping;
  /** Fold hosts served alike into one node (`foldHosts`); default true. */
  readonly fold?: boolean;
}

/** The graph as data, plus its Mermaid text (labels escaped) and what the scope picker offers. */
export interface RouteGraphResult {
  readonly graph: RouteGraph;
  readonly mermaid: string;
  /** Mermaid node id (`n3`) → graph node id. */
  readonly mermaidIds: Readonly<Record<string, string>>;
  readonly namespaces: readonly string[];
  readonly hosts: readonly string[];
}

/** Client → server: the route graph of a scope. */
export const ROUTE_GRAPH_REQUEST = 'kubeRouteLens/routeGraph';

export interface TraceParams {
  readonly url: string;
  /** Request headers (`Host` picks the virtual host; canary and header matches read the others). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The request method (default GET). */
  readonly method?: string;
  /** The URI of the file the user is looking at: its apply unit wins where independent examples serve the host. */
  readonly from?: string;
  /**
   * `namespace/name` of a Gateway API Gateway to send the request through. Without it the server
   * uses the one Gateway whose listeners accept the URL's port and host, unless an Ingress has a
   * rule for the host (then the Ingress answers, and the steps name the Gateway); several such
   * Gateways: `found: false` and a reason naming them (ask with TRACE_GATEWAYS_REQUEST first).
   */
  readonly gateway?: string;
}

/** Client → server: where a URL goes and what path the backend receives; answers a `TraceResult` (null if tracing failed). */
export const TRACE_REQUEST = 'kubeRouteLens/trace';

export interface TraceGatewaysParams {
  readonly url: string;
  /** As in TraceParams: a `Host` header names the virtual host the listeners are matched against. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The Gateways of the workspace for a URL, for the Gateway picker of "Trace Request…". */
export interface TraceGatewaysResult {
  /** Every Gateway (not ListenerSet), by `namespace/name`; `accepts`: its listeners take the URL's port, protocol and host. */
  readonly gateways: readonly GatewayChoice[];
  /** An Ingress has a rule for the URL's host (exact or wildcard), so without `gateway` the Ingress answers. */
  readonly ingressServesHost: boolean;
}

/**
 * Client → server: which Gateways could take a URL (answers a `TraceGatewaysResult`, null if it
 * failed). VS Code asks before tracing and offers a picker when several accept it, then sends the
 * choice as `TraceParams.gateway`.
 */
export const TRACE_GATEWAYS_REQUEST = 'kubeRouteLens/traceGateways';

/** How the server reads a URL (and the trace box its curl-style options); clients check input with it before sending. */
export { parseTraceInput, parseTraceUrl } from './core/trace/parseUrl';

/** One route test as run by RUN_ROUTE_TESTS_REQUEST. */
export interface RouteTestRun {
  /** The route test file, and the test's `url` value in it. */
  readonly uri: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number }; readonly end: { readonly line: number; readonly character: number } };
  /** Its `name`, else its URL. */
  readonly name: string;
  readonly pass: boolean;
  /** As the CodeLens shows it: `✓ reaches web-svc:8080 as /index.html`, `✗ gets status 404 (expected …)`. */
  readonly title: string;
  /** When it fails: expected vs now (the `route-test-failed` diagnostic's message). */
  readonly message?: string;
  /** The request, ready for TRACE_REQUEST (and the `kubeRouteLens.traceRequest` command): `from` is the test file. */
  readonly trace: TraceParams;
}

export interface RunRouteTestsResult {
  readonly tests: readonly RouteTestRun[];
  /** Problems of route test files (their tests are not run): file and place. */
  readonly problems: readonly { readonly uri: string; readonly line: number; readonly message: string }[];
}

/** Client → server: run every route test (`*.routes.yaml`) of the workspace; answers a `RunRouteTestsResult`. */
export const RUN_ROUTE_TESTS_REQUEST = 'kubeRouteLens/runRouteTests';

/**
 * The client command the route test CodeLenses invoke with one `TraceParams` argument (`from`:
 * the test file): trace the request and show its route in the routing graph.
 */
export const TRACE_REQUEST_COMMAND = 'kubeRouteLens.traceRequest';

/** Client → server: convert Ingresses to Gateway API (the command, and the quick fix's report). */
export const MIGRATE_REQUEST = 'kubeRouteLens/migrate';

export interface MigrateParams {
  /** gatewayClassName of the generated Gateways; default: the workspace's GatewayClass, else the Ingress class. */
  readonly gatewayClass?: string;
  /** `namespace/name`: attach every route to this Gateway. */
  readonly gateway?: string;
  /** Only these Ingresses (resource ids, as the quick fix carries them); all when absent. */
  readonly ids?: readonly string[];
  /** The folder URI the new files go into (`<folder>/gateway-api/…`); default: next to the first Ingress. */
  readonly folder?: string;
}

export interface MigrateResult {
  /** Creates the Gateway API file and the route test file; annotated `needsConfirmation` (VS Code previews it). */
  readonly edit: unknown;
  /** The report in Markdown (the one line that counts, then every difference and note). */
  readonly report: string;
  readonly equivalent: boolean;
  readonly same: number;
  readonly total: number;
  /** URIs of the files the edit creates. */
  readonly files: readonly string[];
}

/** Client command the "Convert to Gateway API" quick fix runs after its edit: shows the report (Markdown). */
export const SHOW_MIGRATION_REPORT_COMMAND = 'kubeRouteLens.showMigrationReport';

/**
 * `npm run bench`: synthetic workspaces of 1k and 10k applications (Deployment + Service, often
 * an Ingress and an HPA, across namespaces, several apps per multi-document file, ~2% broken
 * links). Reports cold index time against a bare `yaml` parse of the same files, the time to
 * re-check after a one-line edit (p50/p95), and peak memory. Each size runs in its own process
 * so memory figures do not mix. Not a test: it measures, it does not assert.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Workspace, doComplete, doHover, effectiveSeverity, findDefinition, traceRequest } from '../../server/src/core';
import type { Ingress, Service } from '../../server/src/core';
import { TestClient } from '../helpers/lspClient';

const SIZES = [1000, 10000];
const APPS_PER_FILE = 4;
const EDITS = 300;

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** A broken link the generator put in on purpose, and the rule that must report it. */
interface Fault {
  readonly uri: string;
  readonly rule: string;
  readonly name: string;
}

function app(index: number, random: () => number, faults: Omit<Fault, 'uri'>[]): string {
  const name = `app-${index}`;
  const ns = `team-${index % Math.max(10, Math.floor(index / 100) + 10)}`;
  const broken = random() < 0.02;
  const which = Math.floor(random() * 3);
  const selector = broken && which === 0 ? `${name}x` : name;
  const targetPort = broken && which === 1 ? 'htp' : 'http';
  const backend = broken && which === 2 ? `${name}-svcc` : `${name}-svc`;
  const docs = [
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  replicas: ${1 + (index % 3)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
        tier: web
    spec:
      containers:
        - name: main
          image: registry.example.com/${name}:1.${index % 10}
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests:
              cpu: 100m`,
    `apiVersion: v1
kind: Service
metadata:
  name: ${name}-svc
  namespace: ${ns}
spec:
  selector:
    app: ${selector}
  ports:
    - name: http
      port: 80
      targetPort: ${targetPort}`,
  ];
  if (broken && which === 0) faults.push({ rule: 'service-selects-nothing', name: `${name}-svc` });
  if (broken && which === 1) faults.push({ rule: 'service-target-port-unresolved', name: `${name}-svc` });
  if (random() < 0.6) {
    if (broken && which === 2) faults.push({ rule: 'ingress-backend-service-missing', name });
    docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /${name}(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: ${backend}
                port:
                  name: http`);
  }
  if (random() < 0.4) {
    docs.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 1
  maxReplicas: 5`);
  }
  if (random() < 0.3) {
    // Gateway API: an HTTPRoute to the same Service through the shared Gateway `infra/web`
    // (written after the other documents' draws, so adding it kept their faults where they were).
    const routeBroken = random() < 0.02;
    const kind = Math.floor(random() * 3);
    const routeBackend = routeBroken && kind === 0 ? `${name}-svcc` : `${name}-svc`;
    const section = routeBroken && kind === 1 ? 'htp' : 'http';
    const port = routeBroken && kind === 2 ? 8080 : 80;
    if (routeBroken && kind === 0) faults.push({ rule: 'route-backend-not-found', name });
    if (routeBroken && kind === 1) faults.push({ rule: 'route-no-matching-parent', name });
    if (routeBroken && kind === 2) faults.push({ rule: 'route-backend-port-missing', name });
    docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  parentRefs:
    - name: web
      namespace: infra
      sectionName: ${section}
  hostnames:
    - ${name}.gw.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /${name}
      filters:
        - type: URLRewrite
          urlRewrite:
            path:
              type: ReplacePrefixMatch
              replacePrefixMatch: /
      backendRefs:
        - name: ${routeBackend}
          port: ${port}`);
  }
  return docs.join('\n---\n');
}

/** The shared Gateway the generated HTTPRoutes attach to (routes from every namespace allowed). */
const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: example
spec:
  controllerName: example.com/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
    - name: http
      port: 80
      protocol: HTTP
      hostname: "*.gw.example.com"
      allowedRoutes:
        namespaces:
          from: All
`;

function generate(apps: number, faults: Fault[] = []): Map<string, string> {
  const random = prng(apps);
  const files = new Map<string, string>();
  for (let start = 0; start < apps; start += APPS_PER_FILE) {
    const group: string[] = [];
    const uri = `file:///bench/apps/group-${start / APPS_PER_FILE}.yaml`;
    const found: Omit<Fault, 'uri'>[] = [];
    for (let i = start; i < Math.min(apps, start + APPS_PER_FILE); i++) group.push(app(i, random, found));
    faults.push(...found.map((f) => ({ ...f, uri })));
    files.set(uri, `${group.join('\n---\n')}\n`);
  }
  files.set('file:///bench/apps/gateway.yaml', GATEWAY);
  files.set('file:///bench/ingress-class.yaml', 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n');
  return files;
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function measure(apps: number): Record<string, number | string> {
  const faults: Fault[] = [];
  const files = generate(apps, faults);
  const changes = [...files].map(([uri, text]) => ({ uri, text }));
  const bytes = changes.reduce((sum, c) => sum + c.text.length, 0);
  // Same parser options as the engine, so the ratio isolates what the engine adds.
  const parse = () => {
    for (const change of changes) parseAllDocuments(change.text, { prettyErrors: false, merge: true, uniqueKeys: true });
  };
  const parseRuns = [time(parse), time(parse), time(parse)];
  let workspace = new Workspace();
  const indexRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    workspace = new Workspace();
    indexRuns.push(time(() => workspace.update(changes)));
  }
  const findings = workspace.uris().reduce((sum, uri) => sum + workspace.findings(uri).length, 0);
  const faultCheck = checkFaults(workspace, faults);
  const random = prng(7);
  const uris = [...files.keys()].filter((u) => u.includes('group-'));
  const edits: number[] = [];
  const analyzed: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const uri = uris[Math.floor(random() * uris.length)];
    const text = workspace.text(uri)!;
    // One-line edits of the kinds people make: a replica count, an image tag, a selector label.
    const kind = i % 3;
    const edited =
      kind === 0 ? text.replace(/replicas: (\d+)/, (_, n: string) => `replicas: ${Number(n) + 1}`)
      : kind === 1 ? text.replace(/image: (\S+):1\.(\d+)/, (_, image: string, n: string) => `image: ${image}:1.${Number(n) + 1}`)
      : text.replace(/selector:\n    app: (\S+)/, (_, label: string) => `selector:\n    app: ${label.endsWith('z') ? label.slice(0, -1) : `${label}z`}`);
    let result: ReturnType<Workspace['setFile']> | undefined;
    edits.push(time(() => (result = workspace.setFile(uri, edited))));
    analyzed.push(result!.analyzed);
  }
  const features = measureFeatures(workspace);
  return {
    apps,
    files: files.size,
    resources: workspace.allResources().length,
    'MB of YAML': (bytes / 1e6).toFixed(1),
    findings,
    'injected faults found': `${faultCheck.found} of ${faults.length}`,
    'other errors/warnings': faultCheck.others,
    'parse ms (median of 3)': median(parseRuns).toFixed(0),
    'cold index ms (median of 3)': median(indexRuns).toFixed(0),
    'first index ms': indexRuns[0].toFixed(0),
    'index / parse': (median(indexRuns) / median(parseRuns)).toFixed(2),
    're-check p50 ms': percentile(edits, 50).toFixed(2),
    're-check p95 ms': percentile(edits, 95).toFixed(2),
    'resources re-analysed per edit (p95)': percentile(analyzed, 95),
    ...features,
  };
}

/**
 * Whether every injected fault is reported (as an error or a warning, by its rule, in its file,
 * naming its object) and how many errors or warnings nobody injected: the speed figures count only
 * if the engine still finds what it should.
 */
function checkFaults(workspace: Workspace, faults: readonly Fault[]): { found: number; others: number } {
  const loud = workspace.uris().flatMap((uri) => workspace.findings(uri)).filter((f) => { const severity = effectiveSeverity(f, {}); return severity === 'error' || severity === 'warning'; });
  const matched = new Set<unknown>();
  let found = 0;
  for (const fault of faults) {
    const hit = loud.find((f) => !matched.has(f) && f.uri === fault.uri && f.rule === fault.rule && f.message.includes(`\`${fault.name}\``));
    if (hit) {
      matched.add(hit);
      found++;
    } else if (process.env.KRL_BENCH_DEBUG) {
      const quiet = workspace.findings(fault.uri).filter((f) => f.rule === fault.rule && f.message.includes(`\`${fault.name}\``));
      console.error(`missed ${fault.rule} ${fault.name}: ${quiet.map((f) => `${effectiveSeverity(f, {})} ${f.message}`).join(' | ') || 'not reported'}`);
    }
  }
  return { found, others: loud.length - matched.size };
}

/** Latency of the features an editor asks for on every cursor move or keystroke. */
function measureFeatures(workspace: Workspace): Record<string, string> {
  const resources = workspace.allResources();
  const services = resources.filter((r): r is Service => r.type === 'service');
  const ingresses = resources.filter((r): r is Ingress => r.type === 'ingress');
  const random = prng(11);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const hover: number[] = [];
  const definition: number[] = [];
  const completion: number[] = [];
  for (let i = 0; i < 300; i++) {
    const service = pick(services);
    const target = service.ports[0]?.targetPort;
    if (target) hover.push(time(() => doHover(workspace, service.uri, target.range.start)));
    const ingress = pick(ingresses);
    const name = ingress.rules[0]?.paths[0]?.backend?.service?.name;
    if (!name) continue;
    definition.push(time(() => findDefinition(workspace, ingress.uri, name.range.start)));
    completion.push(time(() => doComplete(workspace, ingress.uri, name.range.end)));
  }
  const p = (values: number[]) => `${percentile(values, 50).toFixed(2)} / ${percentile(values, 95).toFixed(2)}`;
  return { 'hover ms p50 / p95': p(hover), 'definition ms p50 / p95': p(definition), 'completion ms p50 / p95': p(completion) };
}

/** Memory of the engine alone: one index, then edits, in a process that does nothing else. */
function measureMemory(apps: number): Record<string, string> {
  let changes: { uri: string; text: string }[] | undefined = [...generate(apps)].map(([uri, text]) => ({ uri, text }));
  const workspace = new Workspace();
  workspace.update(changes);
  changes = undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return {
    'engine heap after index MB': (process.memoryUsage().heapUsed / 1e6).toFixed(0),
    'engine peak RSS MB': (process.resourceUsage().maxRSS / 1024).toFixed(0),
    resources: String(workspace.allResources().length),
  };
}

/** The language server as editors run it: files on disk, LSP over stdio, peak RSS from /proc. */
async function measureServer(apps: number): Promise<Record<string, string>> {
  const root = mkdtempSync(path.join(tmpdir(), `krl-bench-${apps}-`));
  for (const [uri, text] of generate(apps)) {
    const file = path.join(root, uri.replace('file:///bench/', ''));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const started = Date.now();
  const client = await TestClient.start({ rootPath: root, pull: false });
  const ready = Date.now() - started;
  const status = readFileSync(`/proc/${client.pid}/status`, 'utf8');
  const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  await client.stop();
  rmSync(root, { recursive: true, force: true });
  return { 'server start → indexed ms': String(ready), 'server peak RSS MB': peak.toFixed(0) };
}

// ── pathological inputs: how time and memory grow from N to 10N ──────────────────────────────

/** Inputs that once made something quadratic or exponential (issue 9), by size. */
const SCALING_CASES: Record<string, { n: number; files: (n: number) => Record<string, string> }> = {
  'copies of one Service in one file': {
    n: 500,
    files: (n) => ({ 'copies.yaml': Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: same\nspec:\n  selector: {app: a${i}}\n  ports: [{port: 80}]\n`).join('---\n') }),
  },
  'Services sharing one nodePort': {
    n: 500,
    files: (n) => ({ 'nodeports.yaml': Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  type: NodePort\n  selector: {app: a}\n  ports: [{port: 80, nodePort: 30080}]\n`).join('---\n') }),
  },
  'Ingresses with one host and path': {
    n: 300,
    files: (n) => ({ 'ingresses.yaml': Array.from({ length: n }, (_, i) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i${i}\nspec:\n  ingressClassName: nginx\n  rules: [{host: a.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]\n`).join('---\n') }),
  },
  'aliases to one anchor': {
    n: 5000,
    files: (n) => ({ 'aliases.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: many, labels: {app: &a web}}\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i}: *a\n`).join('')}` }),
  },
  'keys in one mapping': {
    n: 5000,
    files: (n) => ({ 'keys.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys}\ndata:\n${Array.from({ length: n }, (_, i) => `  k${i}: v\n`).join('')}` }),
  },
  'documents with 16-level doubling merge chains': {
    n: 20,
    files: (n) => {
      let chain = 'apiVersion: v1\nkind: ConfigMap\nl0: &l0 {a: 1, b: 2}\n';
      for (let i = 1; i <= 16; i++) chain += `l${i}: &l${i} {<<: [*l${i - 1}, *l${i - 1}], k${i}: ${i}}\n`;
      return { 'merges.yaml': Array.from({ length: n }, (_, d) => `${chain}metadata: {<<: *l16, name: c${d}}\n`).join('---\n') };
    },
  },
  'regex paths that backtrack (traced and hovered)': {
    n: 20,
    files: (n) => ({ 'regex.yaml': Array.from({ length: n }, (_, i) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: r${i}\n  annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2}\nspec:\n  ingressClassName: nginx\n  rules: [{host: r.example, http: {paths: [{path: "/r${i}(.?){40}.{40}", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}]}}]\n`).join('---\n') }),
  },
};

/** One case at one size, in this process: index, every finding, a trace and a hover per file. */
function measureScalingCase(name: string, n: number): Record<string, string> {
  const files = SCALING_CASES[name].files(n);
  const started = process.hrtime.bigint();
  const workspace = new Workspace();
  workspace.update(Object.entries(files).map(([file, text]) => ({ uri: `file:///scale/${file}`, text })));
  for (const uri of workspace.uris()) workspace.findings(uri);
  traceRequest(workspace, `http://r.example/r0${'a'.repeat(45)}!`);
  for (const uri of workspace.uris()) doHover(workspace, uri, { line: 8, character: 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms: ms.toFixed(0), rss: (process.resourceUsage().maxRSS / 1024).toFixed(0) };
}

function scalingTable(): Record<string, Record<string, string>> {
  const table: Record<string, Record<string, string>> = {};
  for (const [name, { n }] of Object.entries(SCALING_CASES)) {
    const small = inChild('--scale', n, name);
    const large = inChild('--scale', n * 10, name);
    table[name] = {
      N: String(n),
      'ms at N': String(small.ms),
      'ms at 10N': String(large.ms),
      'time ×': (Number(large.ms) / Math.max(1, Number(small.ms))).toFixed(1),
      'peak RSS MB at N / 10N': `${small.rss} / ${large.rss}`,
    };
  }
  return table;
}

// ── the whole CLI against a bare read-and-parse of the same files ─────────────────────────────

/** One app in two files (Deployment + Service; Ingress for nine in ten), 50 namespaces. */
function writeAppsOnDisk(root: string, apps: number): number {
  let count = 0;
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const ns = `team-${i % 50}`;
    const dir = path.join(root, ns, name);
    mkdirSync(dir, { recursive: true });
    const [deployment, service, ingress] = app(i, () => 0.5, []).split('\n---\n');
    writeFileSync(path.join(dir, 'deploy.yaml'), `${deployment}\n---\n${service}\n`);
    count++;
    if (i % 10 < 9 && ingress) {
      writeFileSync(path.join(dir, 'ingress.yaml'), `${ingress}\n`);
      count++;
    }
  }
  return count;
}

/** Median wall time of a command over `runs` runs (after one warm-up). */
function wallTime(args: readonly string[], runs = 3): number {
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (child.status !== 0 && child.status !== 1) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
    if (run > 0) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

function measureColdCheck(apps: number): Record<string, string> {
  const root = mkdtempSync(path.join(tmpdir(), `krl-cold-${apps}-`));
  try {
    const files = writeAppsOnDisk(root, apps);
    const cli = path.resolve(__dirname, '../../server/dist/cli.js');
    const bare = path.resolve(__dirname, '../../test/bench/bareParse.mjs');
    const check = wallTime([cli, 'check', '--format', 'json', '--exit-zero', root]);
    const parse = wallTime([bare, root]);
    return { apps: String(apps), files: String(files), 'bare read + parse ms': parse.toFixed(0), 'kube-route-lens check ms': check.toFixed(0), 'check / bare': (check / parse).toFixed(2) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs one measurement in a fresh process, so timings and memory do not mix. */
function inChild(mode: string, size: number, extra?: string): Record<string, number | string> {
  // Bundled by test/bench/run.mjs (as the server is); run from source through tsx otherwise.
  const self = __filename.endsWith('.ts') ? ['--import', 'tsx', __filename] : [__filename];
  const child = spawnSync(process.execPath, ['--expose-gc', ...self, mode, String(size), ...(extra ? [extra] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) {
    process.stderr.write(child.stderr);
    process.exit(1);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  const [mode, size] = [process.argv[2], Number(process.argv[3])];
  if (mode === '--time') return void process.stdout.write(`${JSON.stringify(measure(size))}\n`);
  if (mode === '--memory') return void process.stdout.write(`${JSON.stringify(measureMemory(size))}\n`);
  if (mode === '--server') return void process.stdout.write(`${JSON.stringify(await measureServer(size))}\n`);
  if (mode === '--scale') return void process.stdout.write(`${JSON.stringify(measureScalingCase(process.argv[4], size))}\n`);
  const rows = SIZES.map((apps) => ({ ...inChild('--time', apps), ...inChild('--memory', apps), ...inChild('--server', apps) }));
  console.log(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores`);
  for (const row of rows) {
    console.log(`\n${row.apps} applications`);
    console.table(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, { value: v }])));
  }
  console.log('\nThe whole CLI (`check --format json`, a fresh process) against a bare read-and-parse of the same files (median of 3)');
  console.table([2000, 10000].map(measureColdCheck));
  console.log('\nPathological inputs at N and 10N (index, findings, a trace and a hover; each in a fresh process)');
  console.table(scalingTable());
  console.log('Targets: every injected fault found and no other error or warning; index / parse ≤ 1.5 and check / bare ≤ 1.2; re-check p95 ≤ 20 ms at 10k applications; peak RSS ≤ 300 MB; pathological inputs grow about 10× in time from N to 10N.');
}

void main();

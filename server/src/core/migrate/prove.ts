/**
 * The proof of a migration: every sample request traced through the original workspace (its
 * Ingresses, as their controller routes them, ingress-nginx usually) and through the migrated one (the generated Gateway
 * and HTTPRoutes, as a conformant implementation routes them). Equivalent means the same answer
 * in the terms a client and a backend see: the same Service port (and weight) with the same
 * upstream path and Host, or the same redirect, or the same error status.
 */
import { Document } from 'yaml';
import type { TraceResult } from '../trace/types';
import { traceRequest } from '../trace/traceRequest';
import { Workspace } from '../workspace/workspace';
import { migrateIngresses } from './ingressToGateway';
import type { MigrateOptions, MigrationNote, MigrationResult, MigrationSample } from './ingressToGateway';
import { answerOf, describeAnswer, expectationOf } from '../routeTests/runRouteTests';
import type { RouteAnswer } from '../routeTests/runRouteTests';

export interface SampleVerdict {
  readonly sample: MigrationSample;
  readonly same: boolean;
  readonly before: RouteAnswer;
  readonly after: RouteAnswer;
  /** What differs, in one sentence, when not the same. */
  readonly difference?: string;
  readonly traces: { readonly before: TraceResult; readonly after: TraceResult };
}

export interface MigrationProof {
  readonly verdicts: readonly SampleVerdict[];
  readonly same: number;
  readonly total: number;
}

/**
 * A comparable key of a traced answer: where it goes and what arrives. A 503 for a Service
 * without endpoints still names the Service port and path, so it is compared on them too.
 */
function outcome(trace: TraceResult, answer: RouteAnswer): string {
  // `https://h` and `https://h/` are the same URL (RFC 3986 §6.2.3).
  if (answer.redirect) return `redirect ${answer.redirect.status} ${answer.redirect.location.replace(/^([a-z]+:\/\/[^/?#]+)(?=[?#]|$)/i, '$1/')}`;
  const backends = answer.backends.filter((b) => b.weight > 0).map((b) => `${b.backend} ${b.weight}%`).sort().join(', ');
  if (!answer.found && backends === '') return `status ${answer.status ?? 404}`;
  return `${answer.found ? '' : `status ${answer.status} `}${backends} path ${trace.upstreamPath ?? '?'} host ${(trace.upstreamHost ?? answer.host ?? '').toLowerCase()}`;
}

/**
 * Why a sample differs, where the reason is known: a near miss that ingress-nginx matched by
 * characters, a request another Ingress (or a default backend) answered before, the query string
 * or a trailing slash of a redirect. `own` is the backend the path itself reaches before.
 */
function explain(sample: MigrationSample, before: RouteAnswer, after: RouteAnswer, own: string | undefined): string {
  const reachesBefore = before.backends.length > 0 && !before.redirect;
  if (reachesBefore && after.backends.length === 0 && !after.redirect) {
    const key = before.backends.map((b) => b.backend).join(', ');
    if (sample.variant === 'near-miss' && sample.characterPrefix && key === own) {
      return ` — ingress-nginx matches \`${sample.path}\` by characters (ImplementationSpecific or regex mode), Gateway API's PathPrefix by whole path segments`;
    }
    if (key !== own) return ` — on ingress-nginx another Ingress's rule or default backend (${key}) answers it; the Gateway \`${sample.gateway}\` has no route for it`;
  }
  if (before.status === 503 && after.status === 500 && /does not exist|BackendNotFound/.test(`${before.reason} ${after.reason}`)) {
    return ' — the Service does not exist: ingress-nginx answers 503, Gateway API 500 (BackendNotFound); add the Service and both reach it';
  }
  if (before.redirect && after.redirect && before.redirect.location.replace(/\?.*$/, '') === after.redirect.location.replace(/\?.*$/, '')) {
    return ' — Gateway API leaves the query string of a redirect to the implementation (gateway-api-semantics §7.1)';
  }
  if (before.redirect && after.redirect && `${before.redirect.location}/` === after.redirect.location.replace(/\?.*$/, '')) {
    return ' — ingress-nginx cuts one trailing `/` from the https redirect (no preserve-trailing-slash), Gateway API keeps the path';
  }
  return '';
}

export function proveMigration(original: Workspace, migrated: Workspace, samples: readonly MigrationSample[]): MigrationProof {
  const own = new Map<string, string>();
  const verdicts = samples.map((sample): SampleVerdict => {
    const request = { url: sample.url, headers: {} };
    // `from` keeps independent examples that serve the same host apart.
    const before = traceRequest(original, sample.url, { from: sample.uri, ingressOnly: true });
    const after = traceRequest(migrated, sample.url, { gateway: sample.gateway });
    const a = answerOf(before, request);
    const b = answerOf(after, request);
    const same = outcome(before, a) === outcome(after, b);
    // Samples come path by path, the path itself first: its backend is the path's own.
    if (sample.variant === 'path') own.set(`${sample.ingress} ${sample.path}`, a.backends.map((x) => x.backend).join(', '));
    return {
      sample,
      same,
      before: a,
      after: b,
      ...(same ? {} : { difference: `Ingress: ${describeAnswer(a)}${a.host && b.host && a.host !== b.host ? ` (Host ${a.host})` : ''}; Gateway API: ${describeAnswer(b)}${a.host && b.host && a.host !== b.host ? ` (Host ${b.host})` : ''}${explain(sample, a, b, own.get(`${sample.ingress} ${sample.path}`))}` }),
      traces: { before, after },
    };
  });
  return { verdicts, same: verdicts.filter((v) => v.same).length, total: verdicts.length };
}

/**
 * Findings on the generated objects that mean the migration is wrong: routes that would not
 * attach, listeners in conflict, objects the CRDs reject. A missing Service or Secret is not among
 * them (the Ingress had the same problem, and the proof shows it).
 */
const GENERATED_RULES: ReadonlySet<string> = new Set(['route-no-matching-parent', 'route-not-allowed-by-listeners', 'route-no-matching-listener-hostname', 'route-ref-not-permitted', 'route-backend-port-missing', 'route-invalid-kind', 'gateway-listener-conflicted', 'gateway-api-invalid', 'route-rule-without-backends']);

/** Where the generated objects live in the migrated workspace (a file that is never written). */
export const MIGRATED_URI = 'file:///.kube-route-lens/migrated.gateway.yaml';

export interface MigrationReport {
  readonly result: MigrationResult;
  readonly proof: MigrationProof;
  /** Notes, plus what the engine's own rules find wrong with the generated objects (kind `untranslatable`). */
  readonly notes: readonly MigrationNote[];
  /** The Ingresses considered (ids). */
  readonly ingresses: readonly string[];
  /** The samples as a route test file (`migration.routes.yaml`). */
  readonly routeTests: string;
  /** True when every sample is equivalent and nothing is untranslatable or not migrated. */
  readonly equivalent: boolean;
}

/**
 * Migrates, then proves: the generated objects are added to a copy of the workspace, checked
 * with the engine's Gateway API rules (an existing Gateway that would not accept the routes, a
 * missing Service port…), and every sample is traced both ways.
 */
export function migrateAndProve(ws: Workspace, options: MigrateOptions): MigrationReport {
  const result = migrateIngresses(ws, options);
  const copy = new Workspace(ws.getSettings(), {}, { batch: true });
  copy.update([...ws.uris().map((uri) => ({ uri, text: ws.text(uri) ?? '' })), { uri: MIGRATED_URI, text: result.yaml }]);
  const notes = [...result.notes];
  const byName = new Map(result.objects.map((o) => [`${o.kind}/${o.namespace}/${o.name}`, o]));
  for (const finding of copy.findings(MIGRATED_URI)) {
    // Only what the migration itself decides; the cap ("defined in another folder") does not
    // apply, since the generated objects are applied with the Gateway the user named.
    if (!GENERATED_RULES.has(finding.rule)) continue;
    const owner = copy.resourcesOf(MIGRATED_URI).find((r) => r.range.start.line <= finding.range.start.line && finding.range.start.line <= r.range.end.line);
    const object = owner ? byName.get(`${owner.kind}/${owner.namespace}/${owner.name?.value ?? ''}`) : undefined;
    const from = object?.comment.match(/from Ingress (\S+)/)?.[1] ?? options.gateway ?? '';
    notes.push({ kind: 'untranslatable', ingress: from, uri: MIGRATED_URI, line: finding.range.start.line + 1, message: `the generated ${owner ? `${owner.kind} \`${owner.namespace}/${owner.name?.value ?? ''}\`` : 'objects'}: ${finding.message} (${finding.rule})` });
  }
  const proof = proveMigration(ws, copy, result.samples);
  const ingresses = ws.allResources().filter((r) => r.type === 'ingress' && !r.opaqueIdentity && !r.build && (!options.uris || options.uris.includes(r.uri)) && (!options.ids || options.ids.includes(r.id))).map((r) => r.id);
  const equivalent = proof.same === proof.total && !notes.some((n) => n.kind === 'untranslatable' || n.kind === 'not-migrated');
  return { result, proof, notes, ingresses, routeTests: routeTestFile(proof), equivalent };
}

/**
 * The samples as route tests (format: routeTests/routeTestFile.ts), expecting what the migrated
 * routes answer, so CI keeps checking them; a sample whose answer differs from ingress-nginx's
 * says so in a comment above it.
 */
export function routeTestFile(proof: MigrationProof): string {
  const tests = proof.verdicts.map((v) => {
    const expect = expectationOf(v.after);
    if (v.after.found && !v.after.redirect && v.after.host !== undefined) expect.host = v.after.host;
    return { url: v.sample.url, gateway: v.sample.gateway, expect };
  });
  const doc = new Document({ tests });
  doc.commentBefore = ' Sample requests of the Ingress → Gateway API migration (kube-route-lens migrate),\n expecting what the migrated routes answer.';
  const items = doc.getIn(['tests']) as { items: { commentBefore?: string }[] } | undefined;
  proof.verdicts.forEach((v, i) => {
    const item = items?.items[i];
    if (item) item.commentBefore = ` ${v.sample.ingress} ${v.sample.path}${v.same ? '' : ` — DIFFERS: ${v.difference}`}`;
  });
  return doc.toString({ lineWidth: 0 });
}

/** The report in words: the one line that counts, then every difference and note. */
export function formatMigrationReport(report: MigrationReport, where: (uri: string, line: number) => string): string {
  const { result, proof, notes } = report;
  const count = (kind: string) => result.objects.filter((o) => o.kind === kind).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `Migrated ${result.migrated.length} of ${plural(report.ingresses.length, 'Ingress').replace(/Ingresss$/, 'Ingresses')}: ${plural(count('Gateway'), 'Gateway')}, ${plural(count('HTTPRoute'), 'HTTPRoute')}${count('ReferenceGrant') > 0 ? `, ${plural(count('ReferenceGrant'), 'ReferenceGrant')}` : ''}.`,
    `${proof.same} of ${proof.total} sample requests reach the same Service port with the same upstream path.`,
  ];
  const differences = proof.verdicts.filter((v) => !v.same);
  if (differences.length > 0) {
    lines.push('', 'Differences:');
    for (const v of differences) lines.push(`  ${v.sample.url} (Ingress ${v.sample.ingress}, path ${v.sample.path}): ${v.difference}`);
  }
  const sections: [MigrationNote['kind'], string][] = [['untranslatable', 'Untranslatable'], ['not-migrated', 'Not migrated'], ['warning', 'Warnings'], ['info', 'Notes']];
  for (const [kind, title] of sections) {
    const some = notes.filter((n) => n.kind === kind);
    if (some.length === 0) continue;
    lines.push('', `${title}:`);
    for (const n of some) lines.push(`  ${where(n.uri, n.line)}${n.ingress ? ` Ingress ${n.ingress}` : ''}: ${n.message}`);
  }
  lines.push('', report.equivalent ? 'The migration is equivalent.' : 'The migration is NOT equivalent: see above.');
  return `${lines.join('\n')}\n`;
}

/** The report for scripts (README "Migrating Ingresses to Gateway API" documents it). */
export function migrationReportJson(report: MigrationReport, file: (uri: string) => string): Record<string, unknown> {
  return {
    equivalent: report.equivalent,
    ingresses: report.ingresses.length,
    migrated: report.result.migrated.length,
    objects: report.result.objects.map((o) => ({ kind: o.kind, namespace: o.namespace, name: o.name })),
    samples: { same: report.proof.same, total: report.proof.total },
    differences: report.proof.verdicts.filter((v) => !v.same).map((v) => ({ url: v.sample.url, ingress: v.sample.ingress, path: v.sample.path, variant: v.sample.variant, before: describeAnswer(v.before), after: describeAnswer(v.after), difference: v.difference })),
    notes: report.notes.map((n) => ({ kind: n.kind, ingress: n.ingress, file: file(n.uri), line: n.line, message: n.message })),
  };
}

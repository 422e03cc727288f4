/**
 * Real manifests written by others (../shared/corpus and ../shared/corpus2, never copied into
 * this repository): the engine must not crash on any of them, known-good apps must stay clean,
 * kube-linter's fixtures must give the findings kube-linter expects for the checks we share, and
 * every error or warning reported on a repository must be one we judged real by reading the
 * files (test/corpus/verdicts.json). Where a corpus is absent its tests are reported as skipped,
 * not passed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Workspace, effectiveSeverity } from '../../server/src/core';
import type { Finding } from '../../server/src/core';
import { collectYamlFiles } from '../../server/src/node/files';

const CORPUS = process.env.KRL_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus');
const CORPUS2 = process.env.KRL_CORPUS2 ?? path.resolve(__dirname, '../../../shared/corpus2');
const skip = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS} (set KRL_CORPUS to run these tests)`;

async function load(paths: string[]): Promise<{ workspace: Workspace; texts: Map<string, string> }> {
  const { files } = await collectYamlFiles(paths.map((p) => path.join(CORPUS, p)));
  const texts = new Map(files.map((file) => [pathToFileURL(file).href, readFileSync(file, 'utf8')]));
  const workspace = new Workspace();
  workspace.update([...texts].map(([uri, text]) => ({ uri, text })));
  return { workspace, texts };
}

function findingsOf(workspace: Workspace): Finding[] {
  return workspace.uris().flatMap((uri) => workspace.findings(uri));
}

function assertWellFormed(finding: Finding, texts: Map<string, string>): void {
  const text = texts.get(finding.uri);
  assert.ok(text !== undefined, `finding in unknown file ${finding.uri}`);
  const lines = text.split(/\r?\n|\r/);
  const { start, end } = finding.range;
  assert.ok(start.line < lines.length && end.line < lines.length, `range outside ${finding.uri}: ${JSON.stringify(finding.range)}`);
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `inverted range in ${finding.uri}`);
  assert.ok(finding.message.length > 0);
}

function relative(uri: string): string {
  return path.relative(CORPUS, new URL(uri).pathname);
}

describe('corpus: real-world manifests', () => {
  test('nothing crashes: the whole corpus as one workspace, and every file on its own', { skip }, async () => {
    const { workspace, texts } = await load(['.']);
    assert.ok(texts.size > 700, `expected the whole corpus, found ${texts.size} files`);
    for (const finding of findingsOf(workspace)) assertWellFormed(finding, texts);
    for (const [uri, text] of texts) {
      const single = new Workspace();
      single.setFile(uri, text);
      for (const finding of single.findings(uri)) assertWellFormed(finding, texts);
    }
  });

  test('incremental edits over the corpus equal a from-scratch analysis', { skip }, async () => {
    const { workspace, texts } = await load(['kubernetes__ingress-nginx', 'kubernetes__examples/web']);
    const uris = [...texts.keys()].sort();
    // Remove every third file, then put it back with its labels renamed, then restore it.
    for (const [i, uri] of uris.entries()) if (i % 3 === 0) workspace.removeFile(uri);
    for (const [i, uri] of uris.entries()) if (i % 3 === 0) workspace.setFile(uri, texts.get(uri)!.replace(/app: /g, 'app: x-'));
    for (const [i, uri] of uris.entries()) if (i % 3 === 0) workspace.setFile(uri, texts.get(uri)!);
    const scratch = new Workspace();
    scratch.update([...texts].map(([uri, text]) => ({ uri, text })));
    for (const uri of uris) assert.deepEqual(workspace.findings(uri), scratch.findings(uri), relative(uri));
  });

  for (const app of ['GoogleCloudPlatform__microservices-demo/kubernetes-manifests', 'istio__istio/samples/bookinfo']) {
    test(`known-good app stays clean: ${app}`, { skip }, async () => {
      const { workspace } = await load([app]);
      assert.ok(workspace.allResources().length > 10, 'the app was not loaded');
      const loud = findingsOf(workspace).filter((f) => {
        const severity = effectiveSeverity(f, {});
        return severity === 'error' || severity === 'warning';
      });
      assert.deepEqual(loud.map((f) => `${relative(f.uri)}:${f.range.start.line + 1} ${f.rule} ${f.message}`), []);
    });
  }
});

/** Findings of the rules we share with kube-linter, on one of its check fixtures on its own. */
async function kubeLinterFindings(fixture: string, rules: string[]): Promise<string[]> {
  const { workspace } = await load([path.join('stackrox__kube-linter/tests/checks', fixture)]);
  return findingsOf(workspace)
    .filter((f) => rules.includes(f.rule))
    .map((f) => `${f.range.start.line + 1} ${f.rule}`)
    .sort();
}

describe("corpus: kube-linter's expectations for the checks we share", () => {
  test('dangling-service: Services app1 and app2 select no pods', { skip }, async () => {
    const findings = await kubeLinterFindings('dangling-service.yml', ['service-selects-nothing']);
    assert.deepEqual(findings, ['41 service-selects-nothing', '62 service-selects-nothing']);
  });

  test('dangling-ingress: the missing Service and the bad port, not the resource backend', { skip }, async () => {
    const findings = await kubeLinterFindings('dangling-ingress.yml', ['ingress-backend-service-missing', 'ingress-backend-port-missing']);
    assert.deepEqual(findings, ['102 ingress-backend-port-missing', '76 ingress-backend-service-missing']);
  });

  test('dangling-hpa: hpa1 targets Deployment app2, which does not exist', { skip }, async () => {
    const findings = await kubeLinterFindings('dangling-hpa.yml', ['hpa-target-missing']);
    assert.deepEqual(findings, ['47 hpa-target-missing']);
  });

  test('mismatching-selector: Deployment app1 and DeploymentConfig app2', { skip }, async () => {
    const findings = await kubeLinterFindings('mismatching-selector.yml', ['workload-selector-mismatch']);
    assert.deepEqual(findings, ['38 workload-selector-mismatch', '51 workload-selector-mismatch']);
  });

  test('invalid-target-ports: the four port problems kube-linter reports, plus what the API also rejects', { skip }, async () => {
    const { workspace } = await load(['stackrox__kube-linter/tests/checks/invalid-target-ports.yaml']);
    const messages = findingsOf(workspace).filter((f) => f.rule === 'port-invalid').map((f) => `${f.range.start.line + 1} ${f.message}`);
    const expected = [
      /^10 .*targetPort 123456 must be between 1 and 65535/,
      /^11 .*targetPort `n234567890123456` .*no more than 15 characters/,
      /^26 .*port name `n234567890123456` must be no more than 15 characters/,
      /^28 .*port name `123456` must contain at least one letter/,
    ];
    for (const pattern of expected) assert.ok(messages.some((m) => pattern.test(m)), `missing ${pattern}; got:\n${messages.join('\n')}`);
    // kube-linter's check looks at names and targetPorts only; the API server also rejects a
    // containerPort of 123456 and Service ports without `port`.
    const extra = messages.filter((m) => !expected.some((p) => p.test(m)));
    assert.ok(extra.every((m) => /containerPort 123456|without `port`/.test(m)), `unexpected:\n${extra.join('\n')}`);
    // 'n-3456789012345' is exactly 15 characters and valid.
    assert.ok(!messages.some((m) => m.includes('n-3456789012345')));
  });
});

// ── verdicts ────────────────────────────────────────────────────────────────────────────────

/**
 * One judged finding: `reported` says whether the tool reports it as an error or a warning today.
 * Every error or warning on the corpus is listed, judged `real`, with why; real problems the tool
 * does not report as errors or warnings (by design, e.g. byte-identical duplicates, or reported as
 * information) are listed with `reported: false` and why. Findings judged false are not listed:
 * they are exactly what must not come back.
 */
interface Verdict {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly verdict: 'real' | 'false';
  readonly reported: boolean;
  readonly why: string;
}

const VERDICTS: Record<string, Verdict[]> = JSON.parse(readFileSync(path.join(__dirname, 'verdicts.json'), 'utf8'));

/** The repositories of a corpus folder: each is checked as its own workspace, as `check DIR` does. */
function repositories(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => statSync(path.join(root, d)).isDirectory())
    .sort();
}

async function loudFindings(dir: string): Promise<string[]> {
  const { files } = await collectYamlFiles([dir]);
  const workspace = new Workspace();
  workspace.update(files.map((file) => ({ uri: pathToFileURL(file).href, text: readFileSync(file, 'utf8') })));
  return findingsOf(workspace)
    .filter((f) => {
      const severity = effectiveSeverity(f, {});
      return severity === 'error' || severity === 'warning';
    })
    .map((f) => `${path.relative(dir, new URL(f.uri).pathname)}:${f.range.start.line + 1} ${f.rule}`);
}

for (const [name, root] of [['corpus', CORPUS], ['corpus2', CORPUS2]] as const) {
  const absent = existsSync(root) ? false : `${name} not found at ${root} (set KRL_${name.toUpperCase()} to run these tests)`;
  describe(`${name}: every error and warning is one we judged real`, () => {
    test('the verdicts name only repositories that exist', { skip: absent }, () => {
      const present = new Set(repositories(root));
      const named = Object.keys(VERDICTS).filter((k) => k.startsWith(`${name}/`)).map((k) => k.slice(name.length + 1));
      assert.deepEqual(named.filter((r) => !present.has(r)), []);
    });
    for (const repo of absent ? ['(all repositories)'] : repositories(root)) {
      test(repo, { skip: absent }, async () => {
        const verdicts = VERDICTS[`${name}/${repo}`] ?? [];
        const reported = new Set(await loudFindings(path.join(root, repo)));
        const id = (v: Verdict) => `${v.file}:${v.line} ${v.rule}`;
        const known = new Map(verdicts.map((v) => [id(v), v]));
        const unjudged = [...reported].filter((f) => !known.has(f)).sort();
        assert.deepEqual(unjudged, [], 'errors or warnings nobody judged real: read the files, then fix the rule or add a verdict');
        const judgedFalse = [...reported].filter((f) => known.get(f)?.verdict === 'false').sort();
        assert.deepEqual(judgedFalse, [], 'findings judged false are reported again');
        const lost = verdicts.filter((v) => v.reported && !reported.has(id(v))).map(id).sort();
        assert.deepEqual(lost, [], 'real problems no longer reported as errors or warnings');
        const nowReported = verdicts.filter((v) => !v.reported && reported.has(id(v))).map(id).sort();
        assert.deepEqual(nowReported, [], 'listed as not reported, but reported now: update the verdict');
      });
    }
  });
}

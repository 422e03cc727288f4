/**
 * The Ingress → Gateway API migration over every Ingress of the real-world corpora
 * (../shared/corpus and ../shared/corpus2, never copied here; skipped visibly when absent): nothing
 * crashes, and each Ingress either migrates with every sample equivalent and nothing left out, or
 * the report says why (a difference with both answers, or an untranslatable / not-migrated /
 * warning note on that Ingress). The per-repository counts are pinned: a change in the engine that
 * moves an Ingress from one side to the other must be looked at (and the reasons read again).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Workspace, migrateAndProve } from '../../server/src/core';
import { collectYamlFiles } from '../../server/src/node/files';

const CORPORA = [process.env.KRL_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus'), process.env.KRL_CORPUS2 ?? path.resolve(__dirname, '../../../shared/corpus2')];

/** repository → [Ingresses, equivalent, with reasons] (read: `V=1`-style listing in the test output on failure). */
const PINNED: Record<string, [number, number, number]> = {
  'corpus/kubernetes__examples': [1, 1, 0],
  'corpus/kubernetes__ingress-nginx': [21, 1, 20],
  'corpus/kubernetes__ingress-nginx__at-413450d7': [15, 0, 15],
  'corpus/kubernetes__website': [9, 0, 9],
  'corpus/stackrox__kube-linter': [7, 0, 7],
  'corpus/zegl__kube-score': [9, 3, 6],
  'corpus2/BuoyantIO__emojivoto': [1, 0, 1],
  'corpus2/Kong__kubernetes-ingress-controller': [15, 0, 15],
  'corpus2/aws-samples__eks-workshop-v2': [1, 0, 1],
  'corpus2/istio__istio': [1, 1, 0],
  'corpus2/kubernetes-sigs__aws-load-balancer-controller': [7, 0, 7],
  'corpus2/projectcontour__contour': [4, 1, 2],
};

for (const root of CORPORA) {
  const label = path.basename(root);
  const skip = existsSync(root) ? false : `corpus not found at ${root} (set KRL_CORPUS / KRL_CORPUS2 to run these tests)`;
  describe(`migrate: every Ingress of ${label}`, () => {
    test('each migrates equivalently or the report says why; counts pinned', { skip }, async () => {
      const totals = { files: 0, ingresses: 0, samples: 0, ms: 0 };
      const counts: Record<string, [number, number, number]> = {};
      for (const repo of readdirSync(root).filter((d) => !d.endsWith('.md')).sort()) {
        const { files } = await collectYamlFiles([path.join(root, repo)]);
        const ws = new Workspace({}, {}, { batch: true });
        ws.update(files.map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') })));
        const started = performance.now();
        const report = migrateAndProve(ws, { gatewayClass: 'eg' });
        totals.ms += performance.now() - started;
        totals.files += files.length;
        totals.ingresses += report.ingresses.length;
        totals.samples += report.proof.total;
        // Per Ingress (its file and namespace/name): samples equivalent, differences, reasons.
        const per = new Map<string, { same: number; reasons: string[] }>();
        for (const id of report.ingresses) {
          const r = ws.resource(id)!;
          per.set(`${r.uri}#${r.namespace}/${r.name?.value}`, { same: 0, reasons: [] });
        }
        for (const v of report.proof.verdicts) {
          const entry = per.get(`${v.sample.uri}#${v.sample.ingress}`);
          assert.ok(entry, `a sample of an Ingress not considered: ${v.sample.ingress}`);
          if (v.same) entry.same++;
          else {
            assert.match(v.difference ?? '', /^Ingress: .+; Gateway API: .+/, 'a difference names both answers');
            entry.reasons.push(v.difference!);
          }
        }
        for (const n of report.notes) {
          if (n.kind === 'info') continue;
          assert.ok(n.message.length > 20, `a reason says something: ${n.message}`);
          per.get(`${n.uri}#${n.ingress}`)?.reasons.push(`${n.kind}: ${n.message}`);
        }
        const unexplained = [...per].filter(([, e]) => e.same === 0 && e.reasons.length === 0).map(([k]) => k);
        assert.deepEqual(unexplained, [], `${repo}: Ingresses with neither an equivalent sample nor a reason`);
        if (report.ingresses.length > 0) {
          const equivalent = [...per.values()].filter((e) => e.reasons.length === 0).length;
          counts[`${label}/${repo}`] = [report.ingresses.length, equivalent, per.size - equivalent];
        }
      }
      const pinned = Object.fromEntries(Object.entries(PINNED).filter(([k]) => k.startsWith(`${label}/`)));
      assert.deepEqual(counts, pinned);
      console.log(`migrate ${label}: ${totals.files} files, ${totals.ingresses} Ingresses, ${totals.samples} samples, ${(totals.ms / 1000).toFixed(1)} s (migration + proof)`);
    });
  });
}

/**
 * The language server and files it cannot read (issue 9): indexing never blocks on a FIFO, and
 * every file it could not read or check gets one information diagnostic at 0:0 saying why.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DidChangeWatchedFilesNotification, FileChangeType, WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, FullDocumentDiagnosticReport, WorkspaceDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { SERVER, TestClient } from '../helpers/lspClient';
import { buildUnreadableTree, unprivilegedPrefix } from '../helpers/unreadableTree';
import type { SkippedCase, UnreadableTree } from '../helpers/unreadableTree';

const unprivileged = unprivilegedPrefix();
const EACCES_SKIP = 'skip' in unprivileged ? unprivileged.skip : false;

/** The server, without root's rights where possible, and killed after two minutes so that a hang fails instead of stalling the suite. */
function serverCommand(): string[] {
  const prefix = 'prefix' in unprivileged ? unprivileged.prefix : [];
  return ['timeout', '-s', 'KILL', '120', ...prefix, process.execPath, SERVER, '--stdio'];
}

function assertSkippedDiagnostic(diagnostics: readonly Diagnostic[] | undefined, c: SkippedCase): void {
  assert.equal(diagnostics?.length, 1, `one diagnostic for ${c.name}: ${JSON.stringify(diagnostics)}`);
  const [diagnostic] = diagnostics!;
  assert.deepEqual(diagnostic.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  assert.equal(diagnostic.severity, 3, 'information');
  assert.equal(diagnostic.source, 'kube-route-lens');
  assert.match(diagnostic.message, /^Not checked: /);
  assert.match(diagnostic.message, c.reason);
}

for (const pull of [false, true]) {
  describe(`language server and files it cannot read (${pull ? 'pull' : 'push'} diagnostics)`, () => {
    let tree: UnreadableTree;
    let cases: readonly SkippedCase[];
    let client: TestClient;
    const uri = (name: string) => `file://${path.join(tree.root, name)}`;

    before(async () => {
      tree = buildUnreadableTree();
      cases = tree.cases.filter((c) => !c.needsUnprivileged || !EACCES_SKIP);
      // Resolves when the first index is done: it must not block on the FIFOs.
      client = await TestClient.start({ rootPath: tree.root, pull, command: serverCommand() });
    });
    after(async () => {
      await client?.stop();
      tree.cleanup();
    });

    test('indexing finishes and reads the readable file', () => {
      const ready = client.statuses.filter((s) => s.state === 'ready').at(-1);
      assert.equal(ready?.resources, 2);
    });

    /** The diagnostics of each case, as the client has them (push) or asks for them (pull). */
    async function diagnosticsOf(wanted: readonly SkippedCase[]): Promise<Map<string, readonly Diagnostic[] | undefined>> {
      if (!pull) {
        await client.waitFor(() => wanted.every((c) => client.diagnostics.has(uri(c.uriName))), 'a diagnostic for every skipped file');
        return new Map(wanted.map((c) => [c.name, client.diagnostics.get(uri(c.uriName))]));
      }
      const report = (await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
      const items = (name: string) => (report.items.find((i) => i.uri === uri(name)) as FullDocumentDiagnosticReport | undefined)?.items;
      return new Map(wanted.map((c) => [c.name, items(c.uriName)]));
    }

    test('each file it could not read or check has one information diagnostic at 0:0 with the reason', async () => {
      const wanted = cases.filter((c) => !c.needsUnprivileged);
      const found = await diagnosticsOf(wanted);
      for (const c of wanted) assertSkippedDiagnostic(found.get(c.name), c);
      if (!pull) assert.equal(client.diagnostics.get(uri('ok.yaml'))?.length ?? 0, 0);
    });

    test('so have the unreadable file and folder (EACCES)', { skip: EACCES_SKIP }, async () => {
      const wanted = cases.filter((c) => c.needsUnprivileged);
      assert.equal(wanted.length, 2);
      const found = await diagnosticsOf(wanted);
      for (const c of wanted) assertSkippedDiagnostic(found.get(c.name), c);
    });

    if (!pull) {
      test('a FIFO that appears later is reported without blocking, and cleared when it goes', async () => {
        const fifo = path.join(tree.root, 'later.yaml');
        assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
        await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('later.yaml'), type: FileChangeType.Created }] });
        await client.waitFor(() => (client.diagnostics.get(uri('later.yaml'))?.length ?? 0) > 0, 'a diagnostic for later.yaml');
        assertSkippedDiagnostic(client.diagnostics.get(uri('later.yaml')), { name: 'later.yaml', uriName: 'later.yaml', reason: /FIFO/ });
        rmSync(fifo);
        await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('later.yaml'), type: FileChangeType.Deleted }] });
        await client.waitFor(() => (client.diagnostics.get(uri('later.yaml'))?.length ?? 0) === 0, 'the diagnostic of later.yaml to be cleared');
      });
    }
  });
}

/**
 * Nothing lost silently (issue 9): files that cannot be read or checked are named, with the
 * reason, in every output format; a FIFO never blocks; a file named on the command line that
 * cannot be checked is a usage error (exit 2, one line).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildUnreadableTree, unprivilegedPrefix } from '../helpers/unreadableTree';
import type { SkippedCase, UnreadableTree } from '../helpers/unreadableTree';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'server/dist/cli.js');
const unprivileged = unprivilegedPrefix();
const EACCES_SKIP = 'skip' in unprivileged ? unprivileged.skip : false;
/** A hung process fails the test instead of hanging the suite. */
const TIMEOUT_MS = 30_000;

function run(args: readonly string[], cwd: string) {
  assert.ok(existsSync(CLI), 'server/dist/cli.js is missing: run `npm run build` first');
  const prefix = 'prefix' in unprivileged ? unprivileged.prefix : [];
  const [command, ...rest] = [...prefix, process.execPath, CLI, ...args];
  const result = spawnSync(command, rest, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
  assert.equal(result.signal, null, `kube-route-lens ${args.join(' ')} did not finish within ${TIMEOUT_MS} ms (killed); stdout: ${result.stdout}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('check: files that cannot be read are reported, never lost', () => {
  let tree: UnreadableTree;
  let cases: readonly SkippedCase[];

  before(() => {
    tree = buildUnreadableTree();
    // Without a way to drop root's rights, the unreadable file and folder are readable.
    cases = tree.cases.filter((c) => !c.needsUnprivileged || !EACCES_SKIP);
  });
  after(() => tree.cleanup());

  test('a folder with FIFOs, broken links, special and oversized files: finishes, one note per file, exit code unchanged', () => {
    const result = run(['check', '.'], tree.root);
    assert.equal(result.code, 0, result.stderr);
    const notes = result.stdout.split('\n').filter((line) => line.startsWith('note: '));
    for (const c of cases) {
      const mine = notes.filter((line) => line.startsWith(`note: skipped ${c.name}: `));
      assert.equal(mine.length, 1, `one note for ${c.name} in:\n${result.stdout}`);
      assert.match(mine[0], c.reason);
    }
    assert.equal(notes.length, cases.length, result.stdout);
    const summary = result.stdout.trimEnd().split('\n').at(-1) ?? '';
    assert.doesNotMatch(summary, /no problems found/i, 'the summary must not claim that everything was read');
    const folders = cases.filter((c) => c.name.endsWith('/')).length;
    const skipped = `${cases.length - folders} files${folders > 0 ? ` and ${folders} folder` : ''} skipped`;
    assert.equal(summary, `${skipped} (see the notes above); the 1 file checked (2 resources) has no problems.`);
  });

  test('--format json carries `skipped: [{ file, reason }]` and keeps `findings`', () => {
    const result = run(['check', '--format', 'json', '.'], tree.root);
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout) as { findings: unknown[]; skipped: { file: string; reason: string }[] };
    assert.deepEqual(output.findings, []);
    assert.deepEqual(output.skipped.map((s) => s.file).sort(), cases.map((c) => c.name).sort());
    for (const c of cases) {
      const entry = output.skipped.find((s) => s.file === c.name);
      assert.deepEqual(Object.keys(entry ?? {}).sort(), ['file', 'reason']);
      assert.match(entry!.reason, c.reason, c.name);
    }
  });

  test('--format sarif carries them as tool execution notifications of the invocation', () => {
    const result = run(['check', '--format', 'sarif', '.'], tree.root);
    assert.equal(result.code, 0, result.stderr);
    const sarif = JSON.parse(result.stdout);
    assert.deepEqual(sarif.runs[0].results, []);
    const invocation = sarif.runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, true);
    const notifications = invocation.toolExecutionNotifications as { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[];
    assert.equal(notifications.length, cases.length);
    for (const c of cases) {
      const uri = c.uriName;
      const mine = notifications.filter((n) => n.locations[0].physicalLocation.artifactLocation.uri === uri);
      assert.equal(mine.length, 1, `one notification for ${uri}: ${JSON.stringify(notifications.map((n) => n.locations))}`);
      assert.equal(mine[0].locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.equal(mine[0].level, 'warning');
      assert.match(mine[0].message.text, c.reason);
    }
  });

  test('the unreadable file and folder (EACCES) are named', { skip: EACCES_SKIP }, () => {
    const result = run(['check', '.'], tree.root);
    assert.match(result.stdout, /^note: skipped secret\.yaml: permission denied$/m);
    assert.match(result.stdout, /^note: skipped private\/: permission denied$/m);
  });

  for (const [name, reason] of [
    ['fifo.yaml', /FIFO/],
    ['to-fifo.yaml', /FIFO/],
    ['dangling.yaml', /dangling symbolic link/],
    ['loop-a.yaml', /symbolic link loop/],
    ['null.yaml', /character device/],
    ['big.yaml', /larger than the 5\.0 MB limit/],
    ['huge.yaml', /larger than the 5\.0 MB limit/],
  ] as const) {
    test(`${name} named on the command line is a usage error: exit 2, one line`, () => {
      const result = run(['check', 'ok.yaml', name], tree.root);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`^kube-route-lens: cannot check ${name.replace(/\./g, '\\.')}: [^\\n]+\\n$`));
      assert.match(result.stderr, reason);
      assert.equal(result.stdout, '');
    });
  }

  test('an unreadable file or folder named on the command line: exit 2, one line', { skip: EACCES_SKIP }, () => {
    for (const name of ['secret.yaml', 'private']) {
      const result = run(['check', name], tree.root);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, new RegExp(`^kube-route-lens: cannot check ${name.replace(/\./g, '\\.')}: permission denied\\n$`));
    }
  });

  test('a FIFO named with --config is a usage error too', () => {
    const result = run(['check', '--config', 'fifo.yaml', 'ok.yaml'], tree.root);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /^kube-route-lens: cannot check fifo\.yaml: [^\n]*FIFO[^\n]*\n$/);
  });
});

describe('usage and IO errors print one line, never the usage text', () => {
  for (const args of [['check', '--bogus'], ['check', '--format', 'xml'], ['frobnicate'], ['check', '--rule', 'nope=off'], ['trace'], ['check', 'does/not/exist']]) {
    test(args.join(' '), () => {
      const result = run(args, ROOT);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^kube-route-lens: [^\n]+\n$/, `one line, got:\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /Usage:/);
    });
  }
});

/**
 * A temporary tree of YAML files that cannot be read or checked (issue 9, "nothing lost
 * silently"): FIFOs, a symlink to a FIFO, a dangling symlink, a symlink loop, a symlink to
 * /dev/null, files over the size limit, a name that is not valid UTF-8 and, where the tests can
 * drop root's rights, a file and a directory nobody may read. One clean manifest (`ok.yaml`) sits
 * among them, so a run that finishes has read something.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A clean Deployment and Service: no findings. */
export const CLEAN_MANIFEST = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports:\n            - containerPort: 80\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n',
].join('---\n');

/** The engine's default size limit (server/src/core/analysis/settings.ts, `maxFileSize`). */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface SkippedCase {
  /** Path relative to the root, as the CLI prints it (bytes that are not UTF-8 as `\xNN`, directories with a trailing `/`). */
  readonly name: string;
  /** The exact `file:` URI's path below the root (percent-encoded). */
  readonly uriName: string;
  readonly reason: RegExp;
  /** Needs a process without root's rights (EACCES). */
  readonly needsUnprivileged?: boolean;
}

export interface UnreadableTree {
  readonly root: string;
  readonly cases: readonly SkippedCase[];
  cleanup(): void;
}

/** The name `bad<0xff>.yaml` as bytes: not valid UTF-8. */
export const BAD_NAME_BYTES = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff]), Buffer.from('.yaml')]);

export function buildUnreadableTree(): UnreadableTree {
  const root = mkdtempSync(path.join(tmpdir(), 'krl-unreadable-'));
  // mkdtemp makes the folder private to root; an unprivileged run must be able to enter it.
  chmodSync(root, 0o755);
  const at = (name: string) => path.join(root, name);
  writeFileSync(at('ok.yaml'), CLEAN_MANIFEST);
  const fifo = (file: string) => {
    const made = spawnSync('mkfifo', [file]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  };
  fifo(at('fifo.yaml'));
  fifo(at('pipe'));
  symlinkSync('pipe', at('to-fifo.yaml'));
  symlinkSync('missing.yaml', at('dangling.yaml'));
  symlinkSync('loop-b.yaml', at('loop-a.yaml'));
  symlinkSync('loop-a.yaml', at('loop-b.yaml'));
  symlinkSync('/dev/null', at('null.yaml'));
  // Over the limit in characters (read, then refused by the engine) and far over it in bytes.
  writeFileSync(at('big.yaml'), `# ${'x'.repeat(MAX_FILE_SIZE)}\n${CLEAN_MANIFEST.replace(/web/g, 'big')}`);
  const huge = openSync(at('huge.yaml'), 'w');
  ftruncateSync(huge, 4 * MAX_FILE_SIZE);
  closeSync(huge);
  writeFileSync(Buffer.concat([Buffer.from(`${root}/`), BAD_NAME_BYTES]), CLEAN_MANIFEST.replace(/web/g, 'bad'));
  writeFileSync(at('secret.yaml'), CLEAN_MANIFEST.replace(/web/g, 'secret'));
  chmodSync(at('secret.yaml'), 0o000);
  mkdirSync(at('private'));
  writeFileSync(at('private/inside.yaml'), CLEAN_MANIFEST.replace(/web/g, 'inside'));
  chmodSync(at('private'), 0o000);
  const cases: SkippedCase[] = [
    { name: 'fifo.yaml', uriName: 'fifo.yaml', reason: /FIFO/ },
    { name: 'to-fifo.yaml', uriName: 'to-fifo.yaml', reason: /FIFO/ },
    { name: 'dangling.yaml', uriName: 'dangling.yaml', reason: /dangling symbolic link/ },
    { name: 'loop-a.yaml', uriName: 'loop-a.yaml', reason: /symbolic link loop/ },
    { name: 'loop-b.yaml', uriName: 'loop-b.yaml', reason: /symbolic link loop/ },
    { name: 'null.yaml', uriName: 'null.yaml', reason: /character device/ },
    { name: 'big.yaml', uriName: 'big.yaml', reason: /larger than the 5\.0 MB limit/ },
    { name: 'huge.yaml', uriName: 'huge.yaml', reason: /larger than the 5\.0 MB limit/ },
    { name: 'bad\\xff.yaml', uriName: 'bad%FF.yaml', reason: /file name is not valid UTF-8/ },
    { name: 'secret.yaml', uriName: 'secret.yaml', reason: /permission denied/, needsUnprivileged: true },
    { name: 'private/', uriName: 'private', reason: /permission denied/, needsUnprivileged: true },
  ];
  return {
    root,
    cases,
    cleanup: () => {
      chmodSync(at('private'), 0o755);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * How to run a command without root's rights, so that EACCES happens: nothing to add when the
 * tests are not root, `setpriv` to `nobody` when they are and it works, else undefined (the
 * EACCES cases are then skipped, with this reason).
 */
export function unprivilegedPrefix(): { prefix: readonly string[] } | { skip: string } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const prefix = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];
  const probe = spawnSync(prefix[0], [...prefix.slice(1), process.execPath, '-e', 'process.exit(process.getuid() === 0 ? 1 : 0)']);
  if (probe.status === 0) return { prefix };
  return { skip: 'running as root and cannot drop to nobody with setpriv: root reads unreadable files, so EACCES cannot be tested here' };
}

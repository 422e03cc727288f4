/**
 * Fuzz test (issue 9): seeded random mutations of the repository's examples, inline fixtures (a
 * kustomize project among them) and, when present, a sample of the real-world corpus:
 * truncations, byte and character flips (control characters, C1, bidi, NUL, lone surrogates,
 * tabs, CR), duplicated, deleted and swapped lines and documents, `---` and directives inserted,
 * alias and merge bombs, hostile names, keys and file names, regex bombs in Ingress paths with
 * rewrite-target, deep nesting, huge numbers, values of the wrong shape, Lists, and kustomize
 * references that loop or go nowhere (fuzzMutations.ts).
 *
 * Each mutant goes into a workspace with three healthy neighbour files (fuzzInputs.ts), and a
 * worker thread (fuzzWorker.ts) checks: no engine call throws, the case takes less than a bound,
 * the neighbours' findings are unchanged, and no output format carries a raw control character.
 * A case that hangs or exhausts memory ends the worker, not the test: it is recorded as a failure
 * and a new worker takes over. Bugs the fuzzer found are kept below as minimal reproducers.
 *
 *   KRL_FUZZ_SEED   the seed (default: today's UTC date as YYYYMMDD); printed, so a failure replays
 *   KRL_FUZZ_RUNS   mutants per run (default 2000: about 30 s on a 2-core machine), 60 % fixtures
 *                   and examples, 40 % corpus
 *   KRL_FUZZ_ONLY   one case to replay, by its id (`f17`, `c3`) as printed with a failure
 *   KRL_FUZZ_LOG    a file to append one line per case to: id, ms, size, input, mutations
 *   KRL_CORPUS, KRL_CORPUS2   where the corpus is (default ../shared/corpus, ../shared/corpus2)
 *
 * A failure prints the seed, the case id, the input and the list of mutations, and writes the
 * mutant to .cache/fuzz/failure-<seed>-<id>.yaml.
 */
import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Workspace } from '../../server/src/core';
import { FIXTURES, NEIGHBOURS, PROJECT_INPUTS } from './fuzzInputs';
import type { Input } from './fuzzInputs';
import { Rng, hash32, makeCase, shown } from './fuzzMutations';
import { FUZZ_BOUND_MS } from './fuzzWorker';
import type { FromWorker, FuzzCase, ToWorker } from './fuzzWorker';

const ROOT = path.resolve(__dirname, '../..');
const CORPORA = [process.env.KRL_CORPUS ?? path.resolve(ROOT, '../shared/corpus'), process.env.KRL_CORPUS2 ?? path.resolve(ROOT, '../shared/corpus2')];
const FAILURE_DIR = path.join(ROOT, '.cache/fuzz');

function seedFromEnv(): number {
  const given = process.env.KRL_FUZZ_SEED;
  if (given === undefined || given === '') return Number(new Date().toISOString().slice(0, 10).replace(/-/g, ''));
  if (/^\d+$/.test(given)) return Number(BigInt(given) % 4294967296n);
  return hash32(given);
}

const SEED = seedFromEnv();
const RUNS = Math.max(1, Number(process.env.KRL_FUZZ_RUNS ?? 2000) || 2000);
const ONLY = process.env.KRL_FUZZ_ONLY;
const LOG = process.env.KRL_FUZZ_LOG;
/** A case that does not answer within this is a hang (the bound itself is FUZZ_BOUND_MS, checked in the worker). */
const HANG_MS = 15_000;
/** Stop a run after this many failing cases: they are usually one bug, and a hang costs HANG_MS each. */
const MAX_FAILURES = 5;

console.log(`fuzz: seed ${SEED} (replay with KRL_FUZZ_SEED=${SEED}), ${RUNS} runs`);

/** The generator of one case: from the seed and the case id alone, so that one case replays on its own. */
function caseRng(id: string): Rng {
  return new Rng(hash32(`${SEED}/${id}`));
}

// ---------------------------------------------------------------------------------------------
// Inputs

function yamlFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      continue;
    }
    if (stat.isDirectory()) files.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/.test(entry) && stat.isFile() && stat.size <= 300_000) files.push(full);
  }
  return files;
}

const EXAMPLES: Input[] = yamlFilesUnder(path.join(ROOT, 'examples')).map((file) => ({ name: path.relative(ROOT, file), text: readFileSync(file, 'utf8') }));
const BASE_INPUTS: Input[] = [...FIXTURES, ...PROJECT_INPUTS, ...EXAMPLES];

const presentCorpora = CORPORA.filter((dir) => existsSync(dir));
/** Corpus files (read when picked), sorted so that a seed picks the same files on every machine with the same corpus. */
const CORPUS_FILES: { readonly file: string; readonly name: string }[] = presentCorpora.flatMap((dir) => yamlFilesUnder(dir).map((file) => ({ file, name: path.relative(path.dirname(dir), file) })));

// ---------------------------------------------------------------------------------------------
// Running cases in a worker

const TSX = require.resolve('tsx/cjs');
const WORKER = path.join(__dirname, 'fuzzWorker.ts');

class Checker {
  private worker: Worker | undefined;
  restarts = 0;

  private async start(): Promise<Worker> {
    // The CLI and the language server run the engine on a main thread, whose stack V8 limits to
    // about 1 MB (a worker's default is 4 MB): the same limit here, so that what overflows there
    // overflows here, and what is too deep to read there is too deep here.
    const worker = new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(WORKER)});`, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: 1 } });
    const ready = await this.ask(worker, { type: 'init', neighbours: NEIGHBOURS }, 60_000);
    if (ready.type !== 'ready') throw new Error(`the fuzz worker did not start: ${JSON.stringify(ready)}`);
    assert.deepEqual(ready.failures, [], 'the neighbours are healthy');
    assert.ok(ready.baselineFindings > 0, 'the neighbours have findings to compare');
    this.worker = worker;
    return worker;
  }

  /** Posts a message and waits for the answer, a crash of the worker, or the timeout (then the worker is ended). */
  private ask(worker: Worker, message: ToWorker, timeout: number): Promise<FromWorker | { type: 'died'; reason: string }> {
    return new Promise((resolve) => {
      const done = (answer: FromWorker | { type: 'died'; reason: string }) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(answer);
      };
      const onMessage = (answer: FromWorker) => done(answer);
      const onError = (error: Error) => done({ type: 'died', reason: `${error.name}: ${error.message}` });
      const onExit = (code: number) => done({ type: 'died', reason: `the worker exited with code ${code}` });
      const timer = setTimeout(() => done({ type: 'died', reason: `no answer within ${timeout} ms (a hang)` }), timeout);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(message);
    });
  }

  async check(fuzzCase: FuzzCase): Promise<{ ms: number; failures: readonly string[] }> {
    const worker = this.worker ?? (await this.start());
    const answer = await this.ask(worker, { type: 'case', case: fuzzCase }, HANG_MS);
    if (answer.type === 'result') return answer;
    // Hung or died (out of memory, a crash): a failure of this case; the next case gets a new worker.
    this.worker = undefined;
    this.restarts++;
    await worker.terminate();
    return { ms: Number.NaN, failures: [answer.type === 'died' ? answer.reason : `unexpected answer ${answer.type}`] };
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

interface Failure {
  readonly id: string;
  readonly report: string;
}

/** Runs cases `prefix0` … up to `runs`, or only KRL_FUZZ_ONLY when it names one of them. */
async function fuzz(t: TestContext, prefix: string, runs: number, inputFor: (rng: Rng) => Input): Promise<void> {
  const ids = ONLY !== undefined ? (ONLY.startsWith(prefix) ? [ONLY] : []) : Array.from({ length: runs }, (_, i) => `${prefix}${i}`);
  t.diagnostic(`seed ${SEED}, ${ids.length} cases (replay one with KRL_FUZZ_SEED=${SEED} KRL_FUZZ_ONLY=<id>)`);
  const checker = new Checker();
  const failures: Failure[] = [];
  const started = Date.now();
  let slowest = { id: '', ms: 0 };
  try {
    for (const id of ids) {
      const rng = caseRng(id);
      const input = inputFor(rng);
      const { fuzzCase, mutant } = makeCase(id, input, rng);
      const result = await checker.check(fuzzCase);
      if (result.ms > slowest.ms) slowest = { id, ms: result.ms };
      if (LOG) appendFileSync(LOG, `${id}\t${Math.round(result.ms)}\t${mutant.text.length}\t${input.name}\t${mutant.mutations.join('; ')}\n`);
      if (result.failures.length === 0) continue;
      mkdirSync(FAILURE_DIR, { recursive: true });
      const file = path.join(FAILURE_DIR, `failure-${SEED}-${id}.yaml`);
      writeFileSync(file, mutant.text);
      failures.push({
        id,
        report: [
          `case ${id} of seed ${SEED}: input ${input.name} as ${shown(mutant.name)}, mutations: ${mutant.mutations.join('; ')}`,
          ...result.failures.map((f) => `  - ${f}`),
          `  mutant written to ${path.relative(ROOT, file)}${input.siblings ? ` (analysed next to the ${input.siblings.length} other files of its project, test/fuzz/fuzzInputs.ts)` : ''}`,
          `  replay: KRL_FUZZ_SEED=${SEED} KRL_FUZZ_ONLY=${id} node --import tsx --test test/fuzz/fuzz.test.ts`,
        ].join('\n'),
      });
      if (failures.length >= MAX_FAILURES) break;
    }
  } finally {
    await checker.stop();
  }
  t.diagnostic(`${ids.length} cases in ${Date.now() - started} ms; slowest ${slowest.id} (${Math.round(slowest.ms)} ms; the bound is ${FUZZ_BOUND_MS} ms per MB, at least ${FUZZ_BOUND_MS} ms); worker restarts ${checker.restarts}`);
  if (failures.length > 0) {
    const message = `${failures.length} failing case(s)${failures.length >= MAX_FAILURES ? ' (stopped at the limit)' : ''} with seed ${SEED}:\n${failures.map((f) => f.report).join('\n')}`;
    console.error(message);
    assert.fail(message);
  }
}

/**
 * Bugs the fuzzer found, minimised. Each is checked as a mutant is (every check above), and each
 * fails until its bug is fixed; then it keeps it fixed.
 */
const FOUND: readonly { readonly title: string; readonly name: string; readonly text: string }[] = [
  {
    // `readWorkspaceConfig` parses with the `yaml` option `uniqueKeys: true`, which compares each
    // key with every key before it: 20,000 keys take 3.5 s, 40,000 take 12 s (`check`). Here
    // 15,000 keys take about 4 s, where linear time would be a few hundred ms.
    title: 'a workspace configuration with 15,000 keys is read in linear time',
    name: 'found/.kube-route-lens.yaml',
    text: `${Array.from({ length: 15_000 }, (_, k) => `k${k}: v`).join('\n')}\n`,
  },
  {
    // The migration quick fix (`migrateIngressText`) re-serialises the document with `yaml`,
    // which recurses per level and overflows the stack (RangeError: Maximum call stack size
    // exceeded) at fewer levels than the parser: on a main thread from about 1,000 nested flow
    // mappings (or 640 block mappings), in a 1 MB worker from about 600. The engine reads these
    // documents (they have findings); only the code action throws. Several depths, because where
    // the parser gives up depends on the stack too (see the next test).
    title: 'code actions on a removed-API Ingress with 600 to 1,400 nested flow mappings do not throw',
    name: 'found/legacy-deep.yaml',
    text: [600, 700, 800, 1000, 1200, 1400]
      .map(
        (depth) => `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: legacy-${depth}
spec:
  backend:
    serviceName: shop
    servicePort: 80
x: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}
`,
      )
      .join('---\n'),
  },
  {
    // Every copy of the Service links to every copy of the Deployment: N² links. 500 copies: check
    // 0.9 s, graph 2.1 s; 1,000: 2.3 s and 7.9 s; 2,000: 9 s and 33 s (the CLI, one file). Here
    // 400 copies take about 6 s (two graphs), where linear time would be a few hundred ms.
    title: '400 byte-identical copies of a Service and the Deployment it selects cost linear time',
    name: 'found/copies.yaml',
    text: Array<string>(400)
      .fill(`apiVersion: v1
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
          image: web:1
          ports:
            - containerPort: 8080
`)
      .join('---\n'),
  },
  {
    // A document nested past what the parser reads costs about 30 ms however small it is: for an
    // unclosed flow sequence the `yaml` composer raises one YAMLParseError per open level (2,000
    // per document here) before the engine gives up on it. A 4.9 MB file (under the 5 MB limit)
    // of 2,400 such documents keeps `check` busy for 94 s; 600 documents (1.2 MB), 19 s. Closed
    // nesting is cheaper (600 documents of 2,000 closed levels, 2.4 MB: 5.8 s) but not free.
    // Here 150 documents (300 KB) take about 4 s; a depth limit counted before parsing would
    // make each a few microseconds.
    title: '150 small documents nested too deeply (2,000 unclosed flow sequences each, 300 KB) are read within the bound',
    name: 'found/unclosed.yaml',
    text: Array<string>(150).fill(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: ${'['.repeat(2000)}\n`).join('---\n'),
  },
];

describe('fuzz: bugs found by the fuzzer', { concurrency: false }, () => {
  const checker = new Checker();
  after(() => checker.stop());
  for (const [index, found] of FOUND.entries()) {
    test(found.title, async () => {
      const id = `found${index}`;
      const fuzzCase: FuzzCase = {
        id,
        uri: `file:///fuzz/mutant/${found.name.split('/').map(encodeURIComponent).join('/')}`,
        text: found.text,
        siblings: [],
        positions: [{ line: 0, character: 0 }],
        renameTo: 'renamed',
        pathTails: ['/'],
        urls: [],
      };
      const result = await checker.check(fuzzCase);
      if (result.failures.length > 0) {
        mkdirSync(FAILURE_DIR, { recursive: true });
        writeFileSync(path.join(FAILURE_DIR, `failure-${id}.yaml`), found.text);
      }
      assert.deepEqual(result.failures, []);
    });
  }

  /**
   * The parser's depth limit is the JavaScript stack (a RangeError caught in `lenientYaml.ts`), and
   * how deep the stack goes depends on the JIT: the same document of 1,500 nested flow mappings is
   * "nested too deeply to read" the first few times a process reads it and analysed once the parser
   * is optimised. So `check` (a cold process) and an editor (warm) disagree, and an edit elsewhere
   * can change the findings of an unchanged file. A limit counted in levels would give one answer.
   */
  test('a deeply nested document gets the same findings every time it is read', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'{a: '.repeat(1500)}1${'}'.repeat(1500)}\n`;
    const uri = 'file:///fuzz/mutant/found/deep.yaml';
    const answers = Array.from({ length: 20 }, () => {
      const ws = new Workspace();
      ws.update([{ uri, text }]);
      return JSON.stringify(ws.findings(uri).map((f) => `${f.rule}: ${f.message}`));
    });
    assert.deepEqual([...new Set(answers)], [answers[0]], 'one answer for one text');
  });

  /**
   * `replaceResources` (workspace.ts) decides which index keys an edit changed by building, for each
   * key a resource provides, the JSON of every resource that provides it, and comparing the joined
   * strings: O(keys × resources × size). Pod labels are keys, so a resource with L labels costs L²,
   * times the resources sharing them. Four Deployments with 2,000 pod labels each: a comment added
   * at the end takes 4.6 s (1,000 labels: 1.2 s), where reading the file from scratch takes 0.1 s;
   * in a kustomize base, removing the file takes 3.9 s and the same edit 9 s.
   */
  test('an edit that changes no key costs no more than reading the file', () => {
    const labels = Array.from({ length: 2000 }, (_, k) => `        k${k}: v${k}`).join('\n');
    const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
${labels}
    spec:
      containers: [{ name: c, image: "c:1" }]
`;
    const uri = 'file:///fuzz/mutant/found/labels.yaml';
    const text = ['a', 'b', 'c', 'd'].map(deployment).join('---\n');
    const ws = new Workspace();
    let start = process.hrtime.bigint();
    ws.update([{ uri, text }]);
    const read = Number(process.hrtime.bigint() - start) / 1e6;
    start = process.hrtime.bigint();
    ws.setFile(uri, `${text}# a comment\n`);
    const edit = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(edit < Math.max(FUZZ_BOUND_MS, 10 * read), `the edit took ${Math.round(edit)} ms; reading the file took ${Math.round(read)} ms`);
  });
});

const corpusShare = CORPUS_FILES.length > 0 ? 0.4 : 0;
const fixtureRuns = Math.ceil(RUNS * 0.6);
const corpusRuns = Math.max(1, RUNS - fixtureRuns);

describe(`fuzz (seed ${SEED})`, { concurrency: false }, () => {
  test(`${fixtureRuns} mutants of the examples and fixtures`, async (t) => {
    await fuzz(t, 'f', fixtureRuns, (rng) => rng.pick(BASE_INPUTS));
  });

  test(
    `${corpusRuns} mutants of corpus files`,
    { skip: corpusShare === 0 ? `corpus not found at ${CORPORA.join(' or ')} (set KRL_CORPUS to fuzz it)` : false },
    async (t) => {
      t.diagnostic(`${CORPUS_FILES.length} corpus files to pick from`);
      await fuzz(t, 'c', corpusRuns, (rng) => {
        const { file, name } = rng.pick(CORPUS_FILES);
        return { name, text: readFileSync(file, 'utf8') };
      });
    },
  );
});

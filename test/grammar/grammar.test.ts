/**
 * Tokenization tests for the YAML injection grammar in syntaxes/kube-route-lens.injection.tmLanguage.json.
 *
 * The YAML host grammar is tm-grammars' `source.yaml` (the TextMate yaml.tmbundle grammar); the injection is
 * loaded through `getInjections('source.yaml')`, the way VS Code applies `contributes.grammars[].injectTo`.
 * Snapshots (test/grammar/snapshots/<fixture>.snap) list, under each fixture line, only the tokens that carry
 * one of our `*.kube-route-lens` scopes, so they stay readable and do not depend on the host grammar.
 * `UPDATE_EXPECT=1` rewrites them; a missing snapshot fails otherwise.
 *
 * Run: node --import tsx --test test/grammar/grammar.test.ts
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const REPO_ROOT = path.join(__dirname, '..', '..');
const GRAMMAR_FILE = path.join(REPO_ROOT, 'syntaxes', 'kube-route-lens.injection.tmLanguage.json');
const INJECTION_SCOPE = 'kube-route-lens.injection';
const FIXTURE_DIR = path.join(__dirname, 'fixtures');
const SNAPSHOT_DIR = path.join(__dirname, 'snapshots');
const UPDATING = process.env.UPDATE_EXPECT === '1';

/** Every scope this grammar introduces ends with this suffix. */
const OWN_SUFFIX = '.kube-route-lens';
/** Line-level scopes: they mark which lines the injection claimed; listed once per line, not per token. */
const LINE_SCOPES: Record<string, string> = {
  'meta.ingress-path.kube-route-lens': 'ingress-path',
  'meta.rewrite-target.kube-route-lens': 'rewrite-target',
};
const CAPTURE_REF = 'variable.other.capture-reference.kube-route-lens';
const GROUP_PAREN = 'punctuation.definition.group.regexp.kube-route-lens';
const GROUP_CONTENT = 'string.regexp.capture-group.kube-route-lens';
const NO_CAPTURE_PAREN = 'punctuation.definition.group.no-capture.regexp.kube-route-lens';

interface Token {
  text: string;
  scopes: string[];
}
interface Line {
  text: string;
  tokens: Token[];
}

let onigLoaded: Promise<void> | undefined;
function onigLib(): Promise<vsctm.IOnigLib> {
  onigLoaded ??= oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  return onigLoaded.then(() => ({
    createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
    createOnigString: (text: string) => new oniguruma.OnigString(text),
  }));
}

/** A `source.yaml` grammar (from the given host files) with our injection, loaded like VS Code does. */
async function loadYaml(hostFiles: Record<string, string>, inject = true): Promise<vsctm.IGrammar> {
  const files: Record<string, string> = { ...hostFiles, [INJECTION_SCOPE]: GRAMMAR_FILE };
  const requested: string[] = [];
  const registry = new vsctm.Registry({
    onigLib: onigLib(),
    loadGrammar: async (scopeName) => {
      requested.push(scopeName);
      const file = files[scopeName];
      // Unknown scopes (e.g. embedded languages the host refers to) are simply absent, as in VS Code.
      return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (inject && scopeName === 'source.yaml' ? [INJECTION_SCOPE] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  assert.ok(grammar, 'the host grammar source.yaml did not load');
  if (inject) assert.ok(requested.includes(INJECTION_SCOPE), 'the injection grammar was never requested');
  return grammar;
}

function tokenize(grammar: vsctm.IGrammar, source: string): Line[] {
  const texts = source.split(/\r?\n/);
  if (texts.length > 1 && texts[texts.length - 1] === '') texts.pop();
  let state = vsctm.INITIAL;
  return texts.map((text) => {
    const result = grammar.tokenizeLine(text, state);
    state = result.ruleStack;
    return { text, tokens: result.tokens.map((t) => ({ text: text.slice(t.startIndex, t.endIndex), scopes: t.scopes })) };
  });
}

const own = (token: Token) => token.scopes.filter((s) => s.endsWith(OWN_SUFFIX) && !(s in LINE_SCOPES));
const claimedAs = (line: Line) => [...new Set(line.tokens.flatMap((t) => t.scopes.filter((s) => s in LINE_SCOPES)))].map((s) => LINE_SCOPES[s]);
/** Tokens that carry one of our (non line-level) scopes, with the innermost such scope. */
const highlights = (line: Line) => line.tokens.filter((t) => own(t).length > 0).map((t) => ({ text: t.text, scope: own(t).at(-1)! }));

/** The snapshot text: every line, then the line-level claim and our tokens (raw text in backquotes) under it. */
function render(lines: Line[]): string {
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(`${String(i + 1).padStart(3)} | ${line.text}`.trimEnd());
    for (const claim of claimedAs(line)) out.push(`    |   [${claim}]`);
    for (const h of highlights(line)) out.push(`    |   ${`\`${h.text}\``.padEnd(10)} ${h.scope}`);
  });
  return `${out.join('\n')}\n`;
}

function expectSnapshot(actual: string, name: string): void {
  const file = path.join(SNAPSHOT_DIR, name);
  const shown = path.relative(REPO_ROOT, file);
  if (UPDATING) {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing snapshot ${shown}; run UPDATE_EXPECT=1 node --import tsx --test test/grammar/grammar.test.ts to create it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `snapshot ${shown} differs; if the change is intended, rerun with UPDATE_EXPECT=1`);
}

/** Lines the injection did not claim must tokenize exactly as without it (so the host's state survives our lines). */
async function assertHostUntouched(hostFiles: Record<string, string>): Promise<void> {
  const [withInjection, without] = [await loadYaml(hostFiles), await loadYaml(hostFiles, false)];
  for (const fixture of fixtures) {
    const ours = tokenize(withInjection, fixtureText(fixture));
    const host = tokenize(without, fixtureText(fixture));
    ours.forEach((line, i) => {
      if (claimedAs(line).length === 0) assert.deepEqual(line.tokens, host[i].tokens, `${fixture}:${i + 1} ${line.text}`);
    });
  }
}

const fixtures = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.yaml')).sort();
const fixtureText = (name: string) => readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
const TM_YAML = { 'source.yaml': require.resolve('tm-grammars/grammars/yaml.json') };

describe('grammar file', () => {
  test('is valid JSON with the expected scope name and injection selector', () => {
    const raw = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8'));
    assert.equal(raw.scopeName, INJECTION_SCOPE);
    assert.match(raw.injectionSelector, /^L:source\.yaml\b/);
    assert.ok(Array.isArray(raw.patterns) && raw.patterns.length > 0, 'no top-level patterns');
  });

  test('every regex compiles in Oniguruma and every #include resolves', async () => {
    const raw = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8'));
    await onigLib();
    const problems: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((child, i) => visit(child, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') {
          try {
            new oniguruma.OnigScanner([value]).dispose();
          } catch (error) {
            problems.push(`${where}.${key}: ${(error as Error).message}`);
          }
        } else if (key === 'include' && typeof value === 'string' && value.startsWith('#') && !(value.slice(1) in raw.repository)) {
          problems.push(`${where}.include: no repository entry ${value}`);
        } else {
          visit(value, `${where}.${key}`);
        }
      }
    };
    visit(raw, '$');
    assert.deepEqual(problems, []);
  });
});

describe('tokenization (tm-grammars source.yaml + injection)', () => {
  let yaml: vsctm.IGrammar;
  before(async () => {
    yaml = await loadYaml(TM_YAML);
  });
  const lineOf = (lines: Line[], needle: string) => {
    const found = lines.find((l) => l.text.includes(needle));
    assert.ok(found, `no line contains ${JSON.stringify(needle)}`);
    return found;
  };
  /** Contents of the capturing groups on a line, in order (outermost groups only). */
  const captureGroups = (line: Line) => {
    const groups: string[] = [];
    let depth = 0;
    for (const token of line.tokens) {
      const scopes = own(token);
      if (scopes.at(-1) === GROUP_PAREN && token.text.startsWith('(')) {
        if (depth++ === 0) groups.push('');
      } else if (scopes.at(-1) === GROUP_PAREN) {
        depth--;
      } else if (depth > 0) {
        groups[groups.length - 1] += token.text;
      }
    }
    return groups;
  };

  test('the injection is applied (a path line gets our scopes)', () => {
    const [line] = tokenize(yaml, '- path: /a(b)');
    assert.deepEqual(claimedAs(line), ['ingress-path'], 'the injection grammar did not load or did not match');
    assert.deepEqual(captureGroups(line), ['b']);
  });

  for (const fixture of fixtures) {
    test(`snapshot ${fixture}`, () => {
      expectSnapshot(render(tokenize(yaml, fixtureText(fixture))), fixture.replace(/\.yaml$/, '.snap'));
    });
  }

  test('no snapshot without a fixture', () => {
    const expected = new Set(fixtures.map((f) => f.replace(/\.yaml$/, '.snap')));
    const stale = readdirSync(SNAPSHOT_DIR).filter((f) => f.endsWith('.snap') && !expected.has(f));
    if (UPDATING) return stale.forEach((f) => unlinkSync(path.join(SNAPSHOT_DIR, f)));
    assert.deepEqual(stale, [], 'stale snapshots; rerun with UPDATE_EXPECT=1 to delete them');
  });

  test('lines not claimed tokenize exactly as without the injection', () => assertHostUntouched(TM_YAML));

  test('seed Ingress: $2 in the rewrite-target value is a capture reference', () => {
    const lines = tokenize(yaml, fixtureText('seed-ingress.yaml'));
    const line = lineOf(lines, 'rewrite-target: /$2');
    assert.deepEqual(claimedAs(line), ['rewrite-target']);
    assert.deepEqual(highlights(line), [{ text: '$2', scope: CAPTURE_REF }]);
  });

  test('seed Ingress: /abc(/|$)(.*) and /dfc(/|$)(.*) each show two capturing groups', () => {
    const lines = tokenize(yaml, fixtureText('seed-ingress.yaml'));
    for (const needle of ['path: /abc(/|$)(.*)', 'path: /dfc(/|$)(.*)']) {
      const line = lineOf(lines, needle);
      assert.deepEqual(captureGroups(line), ['/|$', '.*'], needle);
      const inGroup = line.tokens.filter((t) => t.scopes.includes(GROUP_CONTENT)).map((t) => [t.text, own(t).at(-1)]);
      assert.deepEqual(inGroup, [
        ['/', GROUP_CONTENT],
        ['|', 'keyword.operator.or.regexp.kube-route-lens'],
        ['$', 'keyword.control.anchor.regexp.kube-route-lens'],
        ['.', 'constant.other.character-class.regexp.kube-route-lens'],
        ['*', 'keyword.operator.quantifier.regexp.kube-route-lens'],
      ]);
    }
  });

  test('seed Ingress: the $2 in the leading comment is not highlighted', () => {
    const lines = tokenize(yaml, fixtureText('seed-ingress.yaml'));
    const comment = lines[0];
    assert.ok(comment.text.startsWith('#') && comment.text.includes('$2'));
    assert.deepEqual(claimedAs(comment), []);
    assert.deepEqual(highlights(comment), []);
  });

  test('quoted values work; a non-capturing group is not a capturing group; a Prefix path shows nothing', () => {
    const lines = tokenize(yaml, fixtureText('quoting.yaml'));
    assert.deepEqual(captureGroups(lineOf(lines, 'path: "/api(/|$)(.*)"')), ['/|$', '.*']);
    const single = lineOf(lines, `path: '/app/(v[0-9]+)/(?:legacy|old)/(.+)'`);
    assert.deepEqual(captureGroups(single), ['v[0-9]+', '.+']);
    assert.deepEqual(highlights(single).filter((h) => h.scope === NO_CAPTURE_PAREN).map((h) => h.text), ['(?:', ')']);
    assert.equal(highlights(single).at(-1)?.text, ')', 'the trailing comment must not be highlighted');
    const rewrite = lineOf(lines, '"nginx.ingress.kubernetes.io/rewrite-target": "/api/$1/v$2" # comment mentions $3');
    assert.deepEqual(highlights(rewrite), [
      { text: '$1', scope: CAPTURE_REF },
      { text: '$2', scope: CAPTURE_REF },
    ]);
    const prefix = lineOf(lines, 'path: /plain/prefix');
    assert.deepEqual(claimedAs(prefix), ['ingress-path']);
    assert.deepEqual(highlights(prefix), []);
  });

  test('nothing is highlighted in comments, other keys, strings, block scalars or flow mappings', () => {
    const lines = tokenize(yaml, fixtureText('not-highlighted.yaml'));
    assert.deepEqual(lines.flatMap(highlights), []);
    const claimed = lines.filter((l) => claimedAs(l).length > 0).map((l) => l.text.trim());
    assert.deepEqual(claimed, ['path: /healthz'], 'only the probe path line may be claimed (it has no regex syntax)');
    assert.deepEqual(claimedAs(lineOf(lines, 'image: registry.example.com/web:$1')), []);
  });
});

/**
 * The same fixtures through VS Code 1.100's built-in YAML grammar (RedCMD's, `source.yaml` -> `source.yaml.1.2`),
 * taken from the code-server install the VS Code tests keep in .cache/ (skipped when it is not there): our
 * tokens must be identical, which is what choosing generic selectors (`-comment -string`) is for.
 */
describe('tokenization (VS Code built-in source.yaml + injection)', () => {
  const cacheRoot = process.env.KRL_CACHE_DIR || path.join(REPO_ROOT, '.cache');
  const syntaxes = (existsSync(cacheRoot) ? readdirSync(cacheRoot) : [])
    .filter((d) => d.startsWith('code-server-'))
    .sort()
    .map((d) => path.join(cacheRoot, d, 'node_modules/code-server/lib/vscode/extensions/yaml/syntaxes'))
    .filter((dir) => existsSync(path.join(dir, 'yaml.tmLanguage.json')))
    .at(-1);

  test('fixtures tokenize exactly as with the tm-grammars host, and unclaimed lines as without the injection', { skip: syntaxes ? false : `no VS Code YAML grammar under ${cacheRoot}` }, async () => {
    const hostFiles: Record<string, string> = { 'source.yaml': path.join(syntaxes!, 'yaml.tmLanguage.json') };
    for (const version of ['1.0', '1.1', '1.2', '1.3']) {
      const file = path.join(syntaxes!, `yaml-${version}.tmLanguage.json`);
      if (existsSync(file)) hostFiles[`source.yaml.${version}`] = file;
    }
    const vscodeYaml = await loadYaml(hostFiles);
    const tmYaml = await loadYaml(TM_YAML);
    for (const fixture of fixtures) {
      const text = fixtureText(fixture);
      assert.equal(render(tokenize(vscodeYaml, text)), render(tokenize(tmYaml, text)), fixture);
    }
    await assertHostUntouched(hostFiles);
  });
});

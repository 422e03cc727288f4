import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Document, Node, Scalar, YAMLMap } from 'yaml';
import { parseDocumentsLikeKubectl, splitLikeKubectl } from '../../server/src/core/parse/lenientYaml';
import type { ParsedDocument } from '../../server/src/core/parse/lenientYaml';

const lines = (...text: string[]): string => text.join('\n') + '\n';

function parse(text: string) {
  return parseDocumentsLikeKubectl(text).documents;
}

/** The node at a path of map keys and sequence indexes. */
function at(doc: Document, ...path: (string | number)[]): Node {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (typeof step === 'number') {
      assert.ok(isSeq(node), `expected a sequence at ${step}`);
      node = node.items[step];
    } else {
      assert.ok(isMap(node), `expected a map at ${step}`);
      node = (node as YAMLMap).get(step, true);
    }
  }
  assert.ok(node, `nothing at ${path.join('.')}`);
  return node as Node;
}

/** The original text a node's range covers (value part, without trailing comments). */
function source(text: string, node: Node): string {
  const [start, end] = node.range!;
  return text.slice(start, end);
}

function only(documents: ParsedDocument[]): ParsedDocument {
  assert.equal(documents.length, 1, `expected one document, got ${documents.map((d) => d.status).join(', ')}`);
  return documents[0];
}

/** Every node's range lies inside the text and starts where the node's source does. */
function assertRangesInText(text: string, parsed: ParsedDocument): void {
  visit(parsed.doc, {
    Scalar(_, node) {
      const [start, end] = node.range!;
      assert.ok(start >= parsed.start && end <= parsed.end && start <= end, `range ${start}-${end} outside ${parsed.start}-${parsed.end}`);
      assert.notEqual(text[start], ' ', `scalar ${JSON.stringify(node.value)} starts on a space`);
    },
  });
}

describe('lenientYaml: what kubectl accepts and the yaml package does not', () => {
  const crdSingle = lines(
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'spec:',
    '  versions:',
    '  - name: v1',
    '    schema:',
    '      openAPIV3Schema:',
    '        properties:',
    '          spec:',
    "            description: 'Spec is what the user wants. It''s",
    '  continued less indented, with # not a comment',
    "and: not a key'",
    '            type: object',
  );

  test('a CRD description in single quotes, continued less indented, reads as kubectl reads it', () => {
    // The yaml package alone rejects this document.
    assert.ok(parseAllDocuments(crdSingle)[0].errors.length > 0);
    const parsed = only(parse(crdSingle));
    assert.equal(parsed.status, 'lenient');
    assert.equal(parsed.problem, undefined);
    const spec = ['spec', 'versions', 0, 'schema', 'openAPIV3Schema', 'properties', 'spec'] as const;
    const description = at(parsed.doc, ...spec, 'description') as Scalar;
    assert.equal(description.value, "Spec is what the user wants. It's continued less indented, with # not a comment and: not a key");
    // Ranges are in the original text: the whole quoted scalar, and the value after it.
    assert.equal(source(crdSingle, description), "'Spec is what the user wants. It''s\n  continued less indented, with # not a comment\nand: not a key'");
    const type = at(parsed.doc, ...spec, 'type');
    assert.equal(source(crdSingle, type), 'object');
    assert.equal(crdSingle.indexOf('object'), type.range![0]);
    assert.equal(source(crdSingle, at(parsed.doc, 'kind')), 'CustomResourceDefinition');
    assertRangesInText(crdSingle, parsed);
  });

  test('the same in double quotes, with escapes, an escaped line break and a line at column 0', () => {
    const text = lines(
      'spec:',
      '  properties:',
      '    status:',
      '      description: "Status is the \\"observed\\" state # of it',
      '  second line \\',
      'third"',
      '      type: object',
    );
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'lenient');
    const description = at(parsed.doc, 'spec', 'properties', 'status', 'description') as Scalar;
    assert.equal(description.value, 'Status is the "observed" state # of it second line third');
    assert.equal(source(text, description), text.slice(text.indexOf('"Status'), text.indexOf('third"') + 'third"'.length));
    assert.equal(source(text, at(parsed.doc, 'spec', 'properties', 'status', 'type')), 'object');
  });

  test('quoted continuation lines at the key column, in a sequence item, or indented with a tab', () => {
    for (const text of [
      lines('items:', '- name: a', "  description: 'first", "  second'", '  port: 80'),
      lines('a:', "  b: 'first", "\tsecond'", '  c: 1'),
      lines('a:', "  b: 'first", '\t', "    second'", '  c: 1'),
      lines('a:', '- "first', 'second"'),
      // A tab after `key:` is no indentation: go-yaml skips it there.
      lines('a:', "  b: 'first", "second'", '  c:\tfirst second'),
    ]) {
      const parsed = only(parse(text));
      assert.equal(parsed.status, 'lenient', text);
      assert.match(JSON.stringify(parsed.doc.toJS()), /first( |\\n)second/, text);
    }
  });

  test('flow collections continued less indented than their key', () => {
    const text = lines('spec:', '  containers:', '  - name: web', '    args: ["--a",', '  "--b",', '"--c"]', '    ports: {http:', ' 80}');
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'lenient');
    assert.deepEqual(parsed.doc.toJS(), { spec: { containers: [{ name: 'web', args: ['--a', '--b', '--c'], ports: { http: 80 } }] } });
    const args = at(parsed.doc, 'spec', 'containers', 0, 'args');
    assert.ok(isSeq(args));
    // Items on padded lines keep their original offsets.
    assert.equal(args.items[1] && (args.items[1] as Scalar).range![0], text.indexOf('"--b"'));
    assert.equal((args.items[2] as Scalar).range![0], text.indexOf('"--c"'));
    assert.equal(source(text, at(parsed.doc, 'spec', 'containers', 0, 'ports', 'http')), '80');
  });

  test('a comment right after a closing quote or bracket', () => {
    const text = lines("a: 'b'#note", 'c: "d"#note', 'e: [f]#note', 'g: {h: i}#note', 'j: [k,#note', '  l]');
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'lenient');
    assert.deepEqual(parsed.doc.toJS(), { a: 'b', c: 'd', e: ['f'], g: { h: 'i' }, j: ['k', 'l'] });
  });

  test('CRLF line ends keep exact ranges; lone CRs are line breaks', () => {
    const crlf = ['a:', "  b: 'first", "second'", '  c: value', ''].join('\r\n');
    const parsed = only(parse(crlf));
    assert.equal(parsed.status, 'lenient');
    assert.equal(source(crlf, at(parsed.doc, 'a', 'b')), "'first\r\nsecond'");
    assert.equal(source(crlf, at(parsed.doc, 'a', 'c')), 'value');
    const cr = 'a: 1\rb: 2\r';
    const oldMac = only(parse(cr));
    assert.equal(oldMac.status, 'lenient');
    assert.deepEqual(oldMac.doc.toJS(), { a: 1, b: 2 });
    assert.equal(source(cr, at(oldMac.doc, 'b')), '2');
  });

  test('a byte order mark, `--- # comment` and `---` with trailing blanks are fine', () => {
    const text = '\ufeffa: 1\n--- # next\nb: 2\n---\t \nc: 3\n';
    const documents = parse(text);
    assert.deepEqual(
      documents.map((d) => [d.status, d.doc.toJS()]),
      [
        ['ok', { a: 1 }],
        ['ok', { b: 2 }],
        ['ok', { c: 3 }],
      ],
    );
    assert.equal(source(text, at(documents[2].doc, 'c')), '3');
  });

  test('toOriginalOffset maps offsets of the text that was parsed back to the original', () => {
    const text = lines('x: 1', '---', 'a:', "  b: 'first", "second'", '  c: 1');
    const stream = parseDocumentsLikeKubectl(text);
    const [plain, padded] = stream.documents;
    assert.equal(padded.status, 'lenient');
    // Read as it is: only shifted by where the document starts.
    assert.equal(stream.toOriginalOffset(0, plain), 0);
    assert.equal(stream.toOriginalOffset(0, padded), text.indexOf('a:'));
    // The line `second'` was padded to one column deeper than its mapping (3 spaces).
    const second = text.indexOf("second'");
    const inParsed = second - padded.start + 3;
    assert.equal(stream.toOriginalOffset(inParsed, padded), second);
    assert.equal(stream.toOriginalOffset(inParsed - 1, padded), second, 'inside the padding: where it was inserted');
    assert.equal(stream.toOriginalOffset(inParsed + 10, padded), second + 10);
    // Node ranges are mapped already.
    assert.equal(at(padded.doc, 'a', 'c').range![0], text.lastIndexOf('1'));
  });
});

describe('lenientYaml: what kubectl rejects stays rejected, with one problem per document', () => {
  test('plain scalars continued at or left of their key are errors for go-yaml too', () => {
    for (const text of [lines('a:', '  b: word1', '  word2'), lines('a:', '  b: word1', 'word2'), lines('a:', '- b: word1', '  word2')]) {
      const parsed = only(parse(text));
      assert.equal(parsed.status, 'broken', text);
      assert.ok(parsed.problem);
    }
  });

  test('a key that spans lines stays an error after padding (go-yaml fails on it)', () => {
    for (const text of [lines('a: {\'k', "z': 1}"), lines('a:', "  'k", "z': 1")]) {
      const parsed = only(parse(text));
      assert.equal(parsed.status, 'broken', text);
    }
  });

  test('tabs as indentation, document markers inside quotes, unterminated quotes', () => {
    const cases = [lines('a:', '\tb: 1'), lines("a: 'x", '...', "y'"), lines("a: 'x", 'b: 1'), lines('a:', "  b: 'x", "y'", '\tc: 1')];
    for (const text of cases) {
      const documents = parse(text);
      assert.ok(documents.some((d) => d.status === 'broken'), text);
    }
  });

  test('a broken document reports one problem, in plain words, and leaves its neighbours intact', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: before',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: broken',
      'data:',
      '  a: [1, 2',
      '  b: {',
      '\tc: d',
      '  e: "unterminated',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: after',
    );
    // The yaml package alone: many errors, including ones after the broken document.
    assert.ok(parseAllDocuments(text).flatMap((d) => d.errors).length > 3);
    const documents = parse(text);
    assert.deepEqual(
      documents.map((d) => d.status),
      ['ok', 'broken', 'ok'],
    );
    const [before, broken, after] = documents;
    assert.equal(source(text, at(before.doc, 'metadata', 'name')), 'before');
    assert.equal(source(text, at(after.doc, 'metadata', 'name')), 'after');
    assert.equal(at(after.doc, 'metadata', 'name').range![0], text.lastIndexOf('after'));
    const problem = broken.problem!;
    assert.ok(problem.start >= broken.start && problem.end <= broken.end);
    assert.ok(problem.start >= text.indexOf('[1, 2'), 'the first real error is at or after the unclosed bracket');
    assert.doesNotMatch(problem.message, /\n|:\s*$| at line \d+/);
    assert.deepEqual(broken.duplicateKeys, []);
  });

  test('the problem is the first real error, not a tolerated continuation line before it', () => {
    const text = lines('a:', "  description: 'first", "second'", '  b:', '\tc: 1');
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'broken');
    assert.equal(parsed.problem!.start, text.indexOf('\tc'));
    assert.match(parsed.problem!.message, /[Tt]ab/);
  });

  test('YAML directives and `--- text` separators: kubectl rejects them before parsing', () => {
    const text = lines('%YAML 1.2', '---', 'a: 1', '--- b: 2', 'c: 3', '---', 'd: 4');
    const documents = parse(text);
    assert.deepEqual(
      documents.map((d) => [d.status, d.problem?.code]),
      [
        ['broken', 'KUBECTL_DIRECTIVE'],
        ['ok', undefined],
        ['broken', 'KUBECTL_SEPARATOR'],
        ['ok', undefined],
      ],
    );
    assert.equal(text.slice(documents[0].problem!.start, documents[0].problem!.end), '%YAML 1.2');
    assert.equal(text.slice(documents[2].problem!.start, documents[2].problem!.end), 'b: 2');
    assert.match(documents[2].problem!.message, /`b: 2`/);
  });

  test('deep nesting never throws: the document is broken, its neighbours are read', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = `a: 1\n---\nb: ${deep}\n---\nc: 3\n`;
    let documents: ParsedDocument[] = [];
    assert.doesNotThrow(() => {
      documents = parse(text);
    });
    assert.deepEqual(
      documents.map((d) => d.status),
      ['ok', 'broken', 'ok'],
    );
    assert.match(documents[1].problem!.message, /nested more than 500 levels deep/);
    assert.deepEqual(documents[2].doc.toJS(), { c: 3 });
    // The limit is fixed, not wherever the stack runs out: 500 levels are read, 501 are not, every time.
    for (let round = 0; round < 3; round++) {
      assert.equal(parse(`a: ${'['.repeat(500)}${']'.repeat(500)}\n`)[0].status, 'ok');
      assert.equal(parse(`a: ${'{b: '.repeat(501)}1${'}'.repeat(501)}\n`)[0].status, 'broken');
    }
    assert.doesNotThrow(() => parse('- '.repeat(100_000) + 'x\n'));
    assert.doesNotThrow(() => parse(lines('a:', "  b: 'x", "y'", '  c: ' + '{a: '.repeat(50_000))));
  });

  test('never throws on arbitrary text', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ["'", '"', '[', ']', '{', '}', ',', ':', ' ', '  ', '\t', '\n', '\r', '\r\n', '#', '-', '---', '...', '%', '|', '>', '&a', '*a', '!t', '?', 'k', 'v', '\\', '\ufeff'];
    for (let k = 0; k < 2000; k++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let p = 0; p < length; p++) text += pieces[Math.floor(random() * pieces.length)];
      const documents = parseDocumentsLikeKubectl(text).documents;
      for (const d of documents) {
        assert.ok(d.start >= 0 && d.end <= text.length && d.start <= d.end, JSON.stringify(text));
        if (d.status === 'broken') assert.ok(d.problem && d.problem.start >= 0 && d.problem.end <= text.length, JSON.stringify(text));
      }
    }
  });
});

describe('lenientYaml: duplicate keys', () => {
  test('are not fatal, name the whole key, and point at the repeated key', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  labels:',
      '    "app.kubernetes.io/name": web',
      "    'app.kubernetes.io/name': api",
      'spec:',
      '  containers:',
      '  - name: web',
      '    ports:',
      '    - containerPort: 80',
      '      containerPort: 8080',
      '  selector: {a b: 1, "a b": 2}',
      'spec: {}',
    );
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'ok');
    assert.deepEqual(
      parsed.duplicateKeys.map((d) => [d.key, text.slice(d.start, d.end), text.slice(d.firstStart, d.firstEnd)]),
      [
        ['app.kubernetes.io/name', "'app.kubernetes.io/name'", '"app.kubernetes.io/name"'],
        ['containerPort', 'containerPort', 'containerPort'],
        ['a b', '"a b"', 'a b'],
        ['spec', 'spec', 'spec'],
      ],
    );
    assert.equal(parsed.duplicateKeys[1].start, text.lastIndexOf('containerPort'));
    assert.match(parsed.duplicateKeys[3].message, /^Duplicate key `spec`: kubectl apply/);
    // The last value wins, as with kubectl.
    assert.deepEqual((parsed.doc.toJS() as { spec: unknown }).spec, {});
  });

  test('keys that become the same JSON key collide; merge keys do not', () => {
    const text = lines('base: &b {x: 1}', 'm:', '  <<: *b', '  <<: *b', '  1: one', '  "1": uno', '  true: yes', "  'true': si");
    const parsed = only(parse(text));
    assert.deepEqual(
      parsed.duplicateKeys.map((d) => d.key),
      ['1', 'true'],
    );
  });

  test('no bogus one-character duplicates from error recovery', () => {
    const text = lines(
      'properties:',
      '  a:',
      "    description: 'first",
      "  line'",
      '    type: string',
      '  b:',
      "    description: 'second",
      "  line'",
      '    type: string',
    );
    // What the yaml package reports on its own: a duplicate key `l`, made up by its error recovery.
    const strict = parseAllDocuments(text, { uniqueKeys: true })[0];
    assert.ok(strict.errors.some((e) => e.code === 'DUPLICATE_KEY'));
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'lenient');
    assert.deepEqual(parsed.duplicateKeys, []);
    assert.deepEqual(parsed.doc.toJS(), { properties: { a: { description: 'first line', type: 'string' }, b: { description: 'second line', type: 'string' } } });
  });

  test('in broken documents they are not reported: the one problem is', () => {
    const text = lines('a: 1', 'a: 2', 'b: [1,', '\tc');
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'broken');
    assert.deepEqual(parsed.duplicateKeys, []);
  });
});

describe('lenientYaml: splitting like kubectl', () => {
  test('documents end at lines starting with `---`; empty ones produce nothing', () => {
    const text = '# header only\n---\n---\na: 1\r\n---\r\nb: 2';
    assert.deepEqual(
      splitLikeKubectl(text).map((c) => text.slice(c.start, c.end)),
      ['# header only\n', 'a: 1\r\n', 'b: 2'],
    );
    assert.deepEqual(
      parse(text).map((d) => d.doc.toJS()),
      [{ a: 1 }, { b: 2 }],
    );
    assert.deepEqual(parse(''), []);
  });

  test('a quoted scalar cut by a `---` line is broken and the next document is still read', () => {
    const documents = parse(lines("a: 'x", '---', 'b: 2'));
    assert.deepEqual(
      documents.map((d) => d.status),
      ['broken', 'ok'],
    );
    assert.deepEqual(documents[1].doc.toJS(), { b: 2 });
  });

  test('large inputs with many tolerated lines are read in one piece', () => {
    let text = 'a:\n';
    for (let k = 0; k < 20_000; k++) text += `  k${k}: 'x\n y'\n`;
    const parsed = only(parse(text));
    assert.equal(parsed.status, 'lenient');
    const map = at(parsed.doc, 'a');
    assert.ok(isMap(map));
    assert.equal(map.items.length, 20_000);
    const last = map.items[19_999].value as Scalar;
    assert.equal(last.value, 'x y');
    assert.ok(isScalar(last));
    assert.equal(last.range![0], text.lastIndexOf("'x"));
  });
});

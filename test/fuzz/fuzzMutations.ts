/** The mutations of the fuzz test (fuzz.test.ts), and the seeded random generator they draw from. */
import type { FuzzCase, Position } from './fuzzWorker';
import type { Input } from './fuzzInputs';

/** FNV-1a: a seed from a string (a case id, a seed given as text). */
export function hash32(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: small, fast, and the same on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

export interface Mutant {
  text: string;
  /** The file name (last segments of the input's path, or a hostile one). */
  name: string;
  readonly mutations: string[];
}

/** Characters a flip writes: controls a terminal obeys, C1, bidi, NUL, lone surrogate halves, BOM, and YAML's indicators. */
const FLIP_CHARS = [
  '\u0000', '\u0001', '\u0007', '\u0008', '\t', '\r', '\u000b', '\u000c', '\u001b', '\u007f', '\u0080', '\u0085', '\u009b', '\u009f',
  '\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', '\udbff', '\udc00', '\udfff',
  '\ufeff', '\ufffd', '\uffff', ':', '-', ' ', '\n', '#', '&', '*', '!', '|', '>', '{', '}', '[', ']', '"', "'", '%', '@', '`', ',', '?', '\\', '$', '<',
];

/** Names and values that attack the outputs: HTML, Mermaid directives, KaTeX, Markdown, templates, terminals, and JavaScript's own object keys. */
const HOSTILE_VALUES = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</script><!--',
  '$$\\frac{}{}$$',
  '$$\\unknowncommand{x}$$',
  '$x$ and $$y$$',
  '%%{init: {"securityLevel": "loose", "theme": "dark"}}%%',
  '%%{init}%%',
  '`whoami`',
  '```js\nalert(1)\n```',
  'x'.repeat(5000),
  'a-'.repeat(2600),
  '{{ .Values.name }}',
  '{{',
  '}}',
  '${VAR:-x}',
  '$(VAR)',
  '<fill-in>',
  'click n0 call alert()',
  '"]; n1-->n2; x["',
  'end',
  'subgraph',
  '#60;',
  '&lt;b&gt;',
  '-->',
  'a|b',
  '[link](javascript:alert(1))',
  '\u202egnp.exe',
  'a\u001b]0;PWNED\u0007',
  'csi\u009b2J',
  'nul\u0000byte',
  'cr\rlf',
  'tab\there',
  'line\u2028sep',
  'bidi\u2066iso\u2069\u200f\u061c',
  'ñame-ünïcode-名前-🙂',
  'lone\ud800half',
  '../../etc/passwd',
  'a b c',
  '',
  ' ',
  '-',
  '0',
  'null',
  '~',
  'true',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
];

const REFERENCES = ['.', './', '..', '../..', '../../..', '/', '/etc/passwd', 'kustomization.yaml', './kustomization.yaml', '../base', '../../base', '../../overlays/prod', '../../overlays/dev', '../../components/canary', '../prod', 'base/../base', 'missing.yaml', 'missing/', 'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0', 'git@github.com:x/y.git', 'file:///etc', '*', '**/*.yaml', '', '~', '{{ .Values.x }}', '%2e%2e', '..\\..', 'deployment.yaml', 'service.yaml', '/spec/ports/-', '/spec/ports/99999999', '/spec/template/spec/containers/0/ports/0/containerPort', '/metadata/name~1x~0', '/', '/-/-', 'Deployment', 'Service', 'List'];

/** Values of another shape than expected, tags and aliases that go nowhere. */
const SHAPES = ['[]', '{}', 'null', '~', '""', '0', 'true', '[1, 2]', '{a: 1}', '[{}]', '[[]]', '[null]', '{? a}', '!!set {a, b}', '!!omap [a: 1, b: 2]', '!!pairs [a: 1]', '!!binary aGVsbG8=', '!!timestamp 2001-12-14', '!!float 1', '!Ref x', '!<tag:yaml.org,2002:str> x', '*nowhere', '&a', '|\n  block', '>-\n  folded', '? [a]\n  : b', '- a', 'a: b: c', '2001-12-14t21:59:43.10-05:00', '0x10', '1e3', '.5', 'y', 'NO', 'on'];

const REGEX_BOMBS = ['/(.?){40}.{40}', '/(a+)+$', '/(a|a)*b', '/((a*)*)*c', '/(.*a){25}', '/(\\w+\\s?)+$', '/(?<n>a+)+\\k<n>', '/[', '/(', '/a{99999}', '/(a{1000}){1000}', '/\\', '/(?=a)*', '/(|a)*$'];

const HUGE_NUMBERS = ['99999999999999999999', '-1', '0', '65536', '4294967376', '1e400', '.inf', '-.inf', '.nan', '0x7fffffff', '0o777', '1_000', '80.5', '-0', '9007199254740993', '"80"', '""', '[80]', '{a: 1}', '!!str 80', '!!int 3', '0b101', '+80', '８０', '1e3', '0x', '18446744073709551616'];

const PORT_KEYS = /^(\s*(?:-\s+)?)(port|targetPort|containerPort|nodePort|hostPort|number|servicePort|replicas|minReplicas|maxReplicas|averageUtilization|count)(\s*:\s*)(.*)$/;
const NAME_KEYS = /^(\s*(?:-\s+)?)(name|host|app|path|serviceName|ingressClassName|namespace|controller|kind|apiVersion|secretName|[A-Za-z0-9_./-]+)(\s*:\s+)(\S.*)$/;

/** A YAML scalar holding `text`: double-quoted with escapes (exact), single-quoted, or plain (often not YAML at all). */
function yamlScalar(text: string, rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return `'${text.replace(/'/g, "''")}'`;
    case 1:
      return text;
    default: {
      // Anything but printable ASCII as `\uXXXX` per UTF-16 unit, so lone surrogates and controls survive exactly.
      let out = '';
      for (let k = 0; k < text.length; k++) {
        const c = text[k];
        out += c === '"' || c === '\\' ? `\\${c}` : /[ -~]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      }
      return `"${out}"`;
    }
  }
}

/** A short, printable description of a value for the mutation list. */
export function shown(text: string): string {
  const json = JSON.stringify(text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text);
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Lines matching `pattern` (indexes), for a mutation that targets a kind of line. */
function matchingLines(lines: readonly string[], pattern: RegExp): number[] {
  const found: number[] = [];
  lines.forEach((line, i) => {
    if (pattern.test(line)) found.push(i);
  });
  return found;
}

/** Alias and merge bombs, as YAML lines at an indentation; each defines its anchors before use. Returns the lines and the anchor to use the bomb. */
function bombLines(rng: Rng, indent: string): { lines: string[]; use: string; what: string } {
  const tag = `b${rng.int(1000)}`;
  switch (rng.int(6)) {
    case 0: {
      // Billion laughs: each level lists the previous one `width` times.
      const depth = rng.between(4, 12);
      const width = rng.between(2, 10);
      const lines = [`${indent}${tag}l0: &${tag}0 "lol"`];
      for (let d = 1; d <= depth; d++) lines.push(`${indent}${tag}l${d}: &${tag}${d} [${Array(width).fill(`*${tag}${d - 1}`).join(', ')}]`);
      return { lines, use: `*${tag}${depth}`, what: `laughs(depth ${depth}, width ${width})` };
    }
    case 1: {
      // Many aliases to one anchor.
      const count = rng.chance(0.1) ? 20000 : rng.pick([10, 100, 1000, 5000]);
      return { lines: [`${indent}${tag}a: &${tag} {app: web, tier: x}`, `${indent}${tag}refs: [${Array(count).fill(`*${tag}`).join(', ')}]`], use: `*${tag}`, what: `manyAliases(${count})` };
    }
    case 2: {
      // A merge chain, each level merging the previous one twice (as a list and nested).
      const depth = rng.between(4, 20);
      const lines = [`${indent}${tag}m0: &${tag}0 {app: web, k0: v}`];
      for (let d = 1; d <= depth; d++) {
        lines.push(
          rng.chance(0.5)
            ? `${indent}${tag}m${d}: &${tag}${d} {<<: [*${tag}${d - 1}, *${tag}${d - 1}], k${d}: v}`
            : `${indent}${tag}m${d}: &${tag}${d} {<<: *${tag}${d - 1}, x${d}: {<<: *${tag}${d - 1}}, y${d}: {<<: *${tag}${d - 1}}}`,
        );
      }
      return { lines, use: `{<<: *${tag}${depth}}`, what: `mergeChain(depth ${depth})` };
    }
    case 3:
      // A mapping that merges itself.
      return { lines: [`${indent}${tag}self: &${tag} {<<: *${tag}, app: web}`], use: `*${tag}`, what: 'selfMerge' };
    case 4:
      // A sequence that contains itself.
      return { lines: [`${indent}${tag}cycle: &${tag} [*${tag}, {<<: *${tag}}]`], use: `*${tag}`, what: 'aliasCycle' };
    default: {
      // Many distinct keys in one mapping.
      const count = rng.chance(0.1) ? 10000 : rng.pick([10, 100, 1000, 2000]);
      const lines = [`${indent}${tag}keys: &${tag}`];
      for (let k = 0; k < count; k++) lines.push(`${indent}  k${k}: v${k}`);
      return { lines, use: `*${tag}`, what: `manyKeys(${count})` };
    }
  }
}

/** A document whose Service and Deployment read the bomb where the engine looks (labels, selector, metadata through `<<`). */
function bombDocument(rng: Rng): { text: string; what: string } {
  const bomb = bombLines(rng, '  ');
  const where = rng.int(4);
  const labels = where === 0 ? bomb.use : '{app: web}';
  const selector = where === 1 ? bomb.use : '{app: web}';
  const metadata = where === 2 ? `{<<: ${bomb.use.startsWith('{') ? bomb.use.slice(4, -1) : bomb.use}, name: bomb}` : '{name: bomb}';
  const templateLabels = where === 3 ? bomb.use : '{app: web}';
  return {
    what: `${bomb.what} in ${['labels', 'selector', 'metadata', 'pod labels'][where]}`,
    text: `x-bomb:
${bomb.lines.join('\n')}
apiVersion: v1
kind: Service
metadata: ${metadata}
spec:
  selector: ${selector}
  ports: [{port: 80, targetPort: http}]
---
x-bomb:
${bomb.lines.join('\n')}
apiVersion: apps/v1
kind: Deployment
metadata: {name: bomb, labels: ${labels}}
spec:
  selector: {matchLabels: ${selector}}
  template:
    metadata: {labels: ${templateLabels}}
    spec: {containers: [{name: c, image: "c:1", ports: [{name: http, containerPort: 8080}]}]}
`,
  };
}

function regexBombDocument(rng: Rng): { text: string; what: string } {
  const path = rng.pick(REGEX_BOMBS);
  const rewrite = rng.pick(['/$1', '/$2', '/$1$1$1$1', '/${1}', '/$9']);
  return {
    what: `regexBombIngress(${shown(path)}, rewrite ${rewrite})`,
    text: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: redos
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: ${rewrite}
    nginx.ingress.kubernetes.io/use-regex: "true"
spec:
  ingressClassName: nginx
  rules:
    - host: redos.example.com
      http:
        paths:
          - path: ${yamlScalar(path, rng)}
            pathType: ImplementationSpecific
            backend:
              service:
                name: redos
                port:
                  number: 80
          - path: /ok(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: redos
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: redos
spec:
  selector:
    app: redos
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redos
spec:
  selector:
    matchLabels:
      app: redos
  template:
    metadata:
      labels:
        app: redos
    spec:
      containers:
        - name: c
          image: c:1
          ports:
            - containerPort: 8080
`,
  };
}

type Mutation = (m: Mutant, rng: Rng) => void;

/**
 * Copies stop at about this many characters: a mutant of a few MB only measures how fast the
 * parser reads YAML (about 1 µs a character), while the pathological shapes (many copies, deep
 * nesting, bombs) show at this size already.
 */
const MAX_GROWTH = 200_000;

export const MUTATIONS: readonly (readonly [string, number, Mutation])[] = [
  [
    'truncate',
    3,
    (m, rng) => {
      const at = rng.int(m.text.length + 1);
      m.text = m.text.slice(0, at);
      m.mutations.push(`truncate@${at}`);
    },
  ],
  [
    'charFlip',
    4,
    (m, rng) => {
      const count = rng.between(1, 4);
      for (let k = 0; k < count; k++) {
        const at = rng.int(m.text.length + 1);
        const c = rng.pick(FLIP_CHARS);
        m.text = m.text.slice(0, at) + c + m.text.slice(at + (rng.chance(0.5) ? 1 : 0));
        m.mutations.push(`char@${at}=${shown(c)}`);
      }
    },
  ],
  [
    'byteFlip',
    2,
    (m, rng) => {
      // Bytes, not characters: the text read back as UTF-8 (an invalid sequence becomes U+FFFD, as the CLI reads files).
      const bytes = Buffer.from(m.text, 'utf8');
      if (bytes.length === 0) return;
      const count = rng.between(1, 4);
      for (let k = 0; k < count; k++) {
        const at = rng.int(bytes.length);
        const bit = rng.int(8);
        bytes[at] ^= 1 << bit;
        m.mutations.push(`byte@${at}^${1 << bit}`);
      }
      m.text = bytes.toString('utf8');
    },
  ],
  [
    'duplicateLine',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      const i = rng.int(lines.length);
      const times = Math.max(1, Math.min(rng.chance(0.8) ? 1 : rng.between(2, 200), Math.floor(MAX_GROWTH / (lines[i].length + 1))));
      lines.splice(i, 0, ...Array<string>(times).fill(lines[i]));
      m.text = lines.join('\n');
      m.mutations.push(`duplicateLine ${i + 1}×${times}`);
    },
  ],
  [
    'deleteLine',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      const i = rng.int(lines.length);
      lines.splice(i, 1);
      m.text = lines.join('\n');
      m.mutations.push(`deleteLine ${i + 1}`);
    },
  ],
  [
    'swapLines',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      m.text = lines.join('\n');
      m.mutations.push(`swapLines ${i + 1},${j + 1}`);
    },
  ],
  [
    'insertSeparator',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      const i = rng.int(lines.length + 1);
      const separator = rng.pick(['---', '--- ', '---\t# c', '--- |', '...', '--- !!map', '---\r']);
      lines.splice(i, 0, separator);
      m.text = lines.join('\n');
      m.mutations.push(`insert ${shown(separator)} at line ${i + 1}`);
    },
  ],
  [
    'duplicateDocument',
    1,
    (m, rng) => {
      const docs = m.text.split(/^---[ \t]*$/m);
      const i = rng.int(docs.length);
      const times = Math.max(1, Math.min(rng.chance(0.1) ? 300 : rng.pick([1, 2, 10, 100]), Math.floor(MAX_GROWTH / (docs[i].length + 5))));
      m.text = `${m.text}\n${Array<string>(times).fill(`---\n${docs[i].trim()}\n`).join('')}`;
      m.mutations.push(`duplicateDocument ${i}×${times}`);
    },
  ],
  [
    'whitespace',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      switch (rng.int(5)) {
        case 0:
          m.text = m.text.replace(/\n/g, '\r\n');
          m.mutations.push('crlf');
          return;
        case 1: {
          const i = rng.int(lines.length);
          lines[i] = lines[i].replace(/^ {1,2}/, '\t');
          m.mutations.push(`tabIndent line ${i + 1}`);
          break;
        }
        case 2:
          m.text = `\ufeff${m.text}`;
          m.mutations.push('bom');
          return;
        case 3: {
          const i = rng.int(lines.length);
          lines[i] = ` ${lines[i]}`;
          m.mutations.push(`indent line ${i + 1}`);
          break;
        }
        default: {
          const i = rng.int(lines.length + 1);
          const directive = rng.pick(['%YAML 1.1', '%YAML 1.2', '%TAG ! tag:example.com,2000:', '%FOO bar', '{{- if .Values.enabled }}', '{{ end }}', '#!/bin/sh']);
          lines.splice(i, 0, directive);
          m.mutations.push(`insert ${shown(directive)} at line ${i + 1}`);
        }
      }
      m.text = lines.join('\n');
    },
  ],
  [
    'aliasBomb',
    3,
    (m, rng) => {
      if (rng.chance(0.5)) {
        const doc = bombDocument(rng);
        m.text = `${m.text}\n---\n${doc.text}`;
        m.mutations.push(`append ${doc.what}`);
        return;
      }
      const lines = m.text.split('\n');
      const structural = matchingLines(lines, /^\s*(metadata|spec|selector|labels|matchLabels|template|annotations|ports|backend|service)\s*:\s*$/);
      if (structural.length > 0 && rng.chance(0.5)) {
        // The issue's self-referencing merge, in place: `labels: &s` with `<<: *s` under it.
        const i = rng.pick(structural);
        const anchor = `self${rng.int(100)}`;
        const child = `${indentOf(lines[i])}  `;
        lines[i] = `${lines[i].replace(/\s*$/, '')} &${anchor}`;
        lines.splice(i + 1, 0, `${child}<<: *${anchor}`);
        m.mutations.push(`selfMerge at line ${i + 1}`);
      } else {
        const i = rng.int(lines.length + 1);
        const indent = indentOf(lines[Math.min(i, lines.length - 1)] ?? '');
        const bomb = bombLines(rng, indent);
        lines.splice(i, 0, ...bomb.lines);
        // Use it as a value of a following key, when there is one.
        const later = matchingLines(lines.slice(i + bomb.lines.length), NAME_KEYS);
        if (later.length > 0 && rng.chance(0.7)) {
          const j = i + bomb.lines.length + rng.pick(later);
          lines[j] = lines[j].replace(NAME_KEYS, (_all, lead: string, key: string, colon: string) => `${lead}${key}${colon}${bomb.use}`);
          m.mutations.push(`insert ${bomb.what} at line ${i + 1}, used at line ${j + 1}`);
        } else {
          m.mutations.push(`insert ${bomb.what} at line ${i + 1}`);
        }
      }
      m.text = lines.join('\n');
    },
  ],
  [
    'hostileName',
    4,
    (m, rng) => {
      const lines = m.text.split('\n');
      const candidates = matchingLines(lines, NAME_KEYS);
      const value = rng.pick(HOSTILE_VALUES);
      if (candidates.length === 0) {
        m.text = `${m.text}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${yamlScalar(value, rng)}\nspec:\n  selector: {app: ${yamlScalar(value, rng)}}\n  ports: [{port: 80}]\n`;
        m.mutations.push(`append Service named ${shown(value)}`);
        return;
      }
      const i = rng.pick(candidates);
      const old = NAME_KEYS.exec(lines[i])![4].trim();
      const scalar = yamlScalar(value, rng);
      if (rng.chance(0.5)) {
        // Every line with the same value: links still resolve, so the hostile name travels through links, the graph and traces.
        let count = 0;
        for (let k = 0; k < lines.length; k++) {
          const match = NAME_KEYS.exec(lines[k]);
          if (match && match[4].trim() === old) {
            lines[k] = `${match[1]}${match[2]}${match[3]}${scalar}`;
            count++;
          }
        }
        m.mutations.push(`hostile value ${shown(value)} for all ${count} values ${shown(old)}`);
      } else if (rng.chance(0.3)) {
        lines[i] = lines[i].replace(NAME_KEYS, (_all, lead: string, _key: string, colon: string, rest: string) => `${lead}${scalar}${colon}${rest}`);
        m.mutations.push(`hostile key ${shown(value)} at line ${i + 1}`);
      } else {
        lines[i] = lines[i].replace(NAME_KEYS, (_all, lead: string, key: string, colon: string) => `${lead}${key}${colon}${scalar}`);
        m.mutations.push(`hostile value ${shown(value)} at line ${i + 1}`);
      }
      m.text = lines.join('\n');
    },
  ],
  [
    'regexBomb',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      const paths = matchingLines(lines, /^\s*(-\s+)?path\s*:\s*\S/);
      if (paths.length === 0 || rng.chance(0.3)) {
        const doc = regexBombDocument(rng);
        m.text = `${m.text}\n---\n${doc.text}`;
        m.mutations.push(`append ${doc.what}`);
        return;
      }
      const i = rng.pick(paths);
      const bomb = rng.pick(REGEX_BOMBS);
      const scalar = yamlScalar(bomb, rng);
      lines[i] = lines[i].replace(/(path\s*:\s*).*$/, (_all, key: string) => `${key}${scalar}`);
      // Regex mode and a rewrite-target on the Ingress: under its `annotations:` or a new one under `metadata:`.
      let annotations = -1;
      let metadata = -1;
      for (let k = i; k >= 0 && !/^---/.test(lines[k]); k--) {
        if (/^\s*annotations\s*:\s*$/.test(lines[k])) annotations = k;
        if (/^\s*metadata\s*:\s*$/.test(lines[k])) metadata = k;
      }
      const rewrite = rng.pick(['/$1', '/$2', '/$1/$2']);
      if (annotations >= 0) {
        const child = `${indentOf(lines[annotations])}  `;
        lines.splice(annotations + 1, 0, `${child}nginx.ingress.kubernetes.io/rewrite-target: ${rewrite}`, `${child}nginx.ingress.kubernetes.io/use-regex: "true"`);
      } else if (metadata >= 0) {
        const child = `${indentOf(lines[metadata])}  `;
        lines.splice(metadata + 1, 0, `${child}annotations:`, `${child}  nginx.ingress.kubernetes.io/rewrite-target: ${rewrite}`, `${child}  nginx.ingress.kubernetes.io/use-regex: "true"`);
      }
      m.text = lines.join('\n');
      m.mutations.push(`regex path ${shown(bomb)} at line ${i + 1} (rewrite ${rewrite}${annotations < 0 && metadata < 0 ? ', no metadata found' : ''})`);
    },
  ],
  [
    'deepNesting',
    1,
    (m, rng) => {
      const lines = m.text.split('\n');
      const i = rng.int(lines.length + 1);
      const indent = indentOf(lines[Math.min(i, lines.length - 1)] ?? '');
      // 20,000 levels is 100 KB of brackets, which the `yaml` parser alone takes about 0.5 s to read.
      const depth = rng.chance(0.1) ? 20000 : rng.pick([50, 500, 5000]);
      let inserted: string[];
      switch (rng.int(4)) {
        case 0:
          inserted = [`${indent}deep: ${'['.repeat(depth)}${']'.repeat(depth)}`];
          break;
        case 1:
          inserted = [`${indent}deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`];
          break;
        case 2:
          inserted = [`${indent}deep: ${'['.repeat(depth)}`];
          break;
        default: {
          // Block nesting, one space per level (so the text stays quadratic but small).
          const levels = Math.min(depth, 1500);
          inserted = Array.from({ length: levels }, (_, d) => `${indent}${' '.repeat(d)}a${d}:`);
          break;
        }
      }
      lines.splice(i, 0, ...inserted);
      m.text = lines.join('\n');
      m.mutations.push(`deepNesting(${depth}) at line ${i + 1}`);
    },
  ],
  [
    'hugeNumber',
    2,
    (m, rng) => {
      const lines = m.text.split('\n');
      const candidates = matchingLines(lines, PORT_KEYS);
      const value = rng.pick(HUGE_NUMBERS);
      if (candidates.length === 0) {
        m.text = `${m.text}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: huge}\nspec:\n  type: NodePort\n  ports: [{port: ${value}, targetPort: ${value}, nodePort: ${value}}]\n`;
        m.mutations.push(`append Service with ports ${shown(value)}`);
        return;
      }
      const i = rng.pick(candidates);
      lines[i] = lines[i].replace(PORT_KEYS, (_all, lead: string, key: string, colon: string) => `${lead}${key}${colon}${value}`);
      m.text = lines.join('\n');
      m.mutations.push(`number ${shown(value)} at line ${i + 1}`);
    },
  ],
  [
    'reference',
    2,
    (m, rng) => {
      // What a kustomization lists (resources, bases, components, patch files) or a patch targets:
      // itself, its folder, a cycle, nothing, something remote, a hostile path.
      const lines = m.text.split('\n');
      const candidates = matchingLines(lines, /^\s*-\s+[^\s#:]+\s*$|^\s*(-\s+)?(path|from|name|kind)\s*:\s*\S/);
      if (candidates.length === 0) return;
      const i = rng.pick(candidates);
      const ref = rng.pick(REFERENCES);
      const scalar = yamlScalar(ref, rng);
      if (/^\s*-\s+[^\s#:]+\s*$/.test(lines[i]) && rng.chance(0.5)) {
        lines.splice(i + 1, 0, lines[i].replace(/-\s+.*$/, () => `- ${scalar}`));
        m.mutations.push(`reference ${shown(ref)} added after line ${i + 1}`);
      } else {
        lines[i] = lines[i].replace(/(-\s+|:\s*)\S.*$/, (_all, lead: string) => `${lead}${scalar}`);
        m.mutations.push(`reference ${shown(ref)} at line ${i + 1}`);
      }
      m.text = lines.join('\n');
    },
  ],
  [
    'typeConfusion',
    3,
    (m, rng) => {
      // A mapping or list where a scalar belongs, and the other way round: a key's whole block
      // (or its value) replaced by a value of another shape.
      const lines = m.text.split('\n');
      const candidates = matchingLines(lines, /^\s*(-\s+)?[A-Za-z0-9_./-]+\s*:(\s|$)/);
      if (candidates.length === 0) return;
      const i = rng.pick(candidates);
      const value = rng.pick(SHAPES);
      const indent = indentOf(lines[i]).length + (/^\s*-\s/.test(lines[i]) ? 2 : 0);
      let end = i + 1;
      if (/:\s*$/.test(lines[i])) while (end < lines.length && (lines[end].trim() === '' || indentOf(lines[end]).length > indent || (indentOf(lines[end]).length === indent && /^\s*-\s/.test(lines[end])))) end++;
      lines.splice(i, end - i, lines[i].replace(/:(\s.*)?$/, () => `: ${value}`));
      m.text = lines.join('\n');
      m.mutations.push(`value ${shown(value)} for lines ${i + 1}-${end}`);
    },
  ],
  [
    'wrapInList',
    1,
    (m, rng) => {
      // One document as the item of a `kind: List` (or of a List in a List).
      const docs = m.text.split(/^---[ \t]*$/m);
      const i = rng.int(docs.length);
      const body = docs[i].replace(/^\s*\n/, '').replace(/\s+$/, '');
      const item = body.split('\n').map((line, k) => (k === 0 ? `  - ${line}` : `    ${line}`)).join('\n');
      const list = `apiVersion: v1\nkind: ${rng.pick(['List', 'ServiceList', 'DeploymentList'])}\nitems:\n${item}\n`;
      docs[i] = rng.chance(0.2) ? `\napiVersion: v1\nkind: List\nitems:\n${list.split('\n').filter(Boolean).map((line, k) => (k === 0 ? `  - ${line}` : `    ${line}`)).join('\n')}\n` : `\n${list}`;
      m.text = docs.join('---');
      m.mutations.push(`wrapInList document ${i}`);
    },
  ],
  [
    'hostileFileName',
    1,
    (m, rng) => {
      // The last segment only: the folder keeps its role (a kustomize project keeps its layout).
      const name = rng.pick([`evil\u001b]0;x\u0007\u009b\u202e.yaml`, `templates/x.yaml`, `kustomization.yaml`, `Kustomization`, `a b%20c#d?.yaml`, `Chart.yaml`, `名前.yml`, `..yaml`, `x\u0000.yaml`]);
      m.name = m.name.includes('/') ? `${m.name.slice(0, m.name.lastIndexOf('/'))}/${name}` : name;
      m.mutations.push(`file name ${shown(m.name)}`);
    },
  ],
];

const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [, weight]) => sum + weight, 0);

function pickMutation(rng: Rng): Mutation {
  let at = rng.int(TOTAL_WEIGHT);
  for (const [, weight, mutation] of MUTATIONS) {
    if (at < weight) return mutation;
    at -= weight;
  }
  return MUTATIONS[0][2];
}

/** Paths to trace after each host: the root, a long run that makes a backtracking regex work, and a path nginx normalises. */
const PATH_TAILS = ['/', `/${'a'.repeat(60)}!`, '/shop/../api//x/%2e%2e/y'];
const HOSTILE_URLS = ['http://\u001b]0;PWNED\u0007/', 'ftp://x/\u009b', 'http://[::1]:99999/', 'http://a/%zz/../..//x', "curl -H 'Host: shop.example.com' http://127.0.0.1/shop/x", 'http://\u202eexample.com/', `http://${'a'.repeat(5000)}.com/`, ''];

const mutantUri = (name: string) => `file:///fuzz/mutant/${name.split('/').map(encodeURIComponent).join('/')}`;

export function makeCase(id: string, input: Input, rng: Rng): { fuzzCase: FuzzCase; mutant: Mutant } {
  const segments = input.name.split(/[\\/]/);
  const mutant: Mutant = { text: input.text, name: input.siblings ? input.name : segments.slice(-2).join('/'), mutations: [] };
  const count = rng.chance(0.5) ? 1 : rng.between(2, 4);
  for (let k = 0; k < count; k++) pickMutation(rng)(mutant, rng);
  const lines = mutant.text.split('\n');
  const positions: Position[] = [];
  for (let k = 0; k < 4; k++) {
    const line = rng.int(lines.length + 1);
    positions.push({ line, character: rng.int((lines[line]?.length ?? 0) + 2) });
  }
  // A name or a port: where hovers and definitions have something to say.
  const interesting = matchingLines(lines, /^\s*(-\s+)?(name|port|targetPort|serviceName|path|host)\s*:/);
  for (let k = 0; k < 2 && interesting.length > 0; k++) {
    const line = rng.pick(interesting);
    positions.push({ line, character: Math.max(0, lines[line].length - 1) });
  }
  const siblings = (input.siblings ?? []).map((file) => ({ uri: mutantUri(file.name), text: file.text }));
  const renameTo = rng.chance(0.5) ? 'renamed' : rng.pick(HOSTILE_VALUES);
  const fuzzCase: FuzzCase = { id, uri: mutantUri(mutant.name), text: mutant.text, siblings, positions, renameTo, pathTails: PATH_TAILS, urls: rng.chance(0.1) ? [rng.pick(HOSTILE_URLS)] : [] };
  return { mutant, fuzzCase };
}

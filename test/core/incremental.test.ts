import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Workspace } from '../../server/src/core';

/** A tiny deterministic PRNG so failures can be replayed from the printed seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state % n;
  };
}

const NAMES = ['web', 'api', 'db', 'wbe'];
const NAMESPACES = ['default', 'shop'];
const PORT_NAMES = ['http', 'grpc', 'htp'];

function pick<T>(random: (n: number) => number, list: readonly T[]): T {
  return list[random(list.length)];
}

/** Generates one file with a random mix of linked objects, written so that many links can break. */
function randomFile(random: (n: number) => number, index: number): string {
  const docs: string[] = [];
  const count = 1 + random(3);
  for (let i = 0; i < count; i++) {
    const name = pick(random, NAMES);
    const ns = pick(random, NAMESPACES);
    switch (random(6)) {
      case 0:
        docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${1 + random(3)}
  selector:
    matchLabels:
      app: ${pick(random, NAMES)}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: c
          image: img:${random(9)}
          ports:
            - name: ${pick(random, PORT_NAMES)}
              containerPort: ${pick(random, [80, 8080])}`);
        break;
      case 1:
      case 2:
        docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: ${pick(random, ['ClusterIP', 'NodePort'])}
  selector:
    app: ${pick(random, NAMES)}
  ports:
    - name: ${pick(random, PORT_NAMES)}
      port: ${pick(random, [80, 8080])}
      targetPort: ${pick(random, [...PORT_NAMES, '80', '8080'])}
      nodePort: ${pick(random, [30000, 30001, 0])}`);
        break;
      case 3:
        docs.push(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  ingressClassName: ${pick(random, ['nginx', 'ngnix'])}
  rules:
    - host: ${pick(random, ['a.test', 'b.test'])}
      http:
        paths:
          - path: /${pick(random, NAMES)}
            pathType: Prefix
            backend:
              service:
                name: ${pick(random, NAMES)}
                port:
                  ${random(2) === 0 ? `number: ${pick(random, [80, 8080])}` : `name: ${pick(random, PORT_NAMES)}`}`);
        break;
      case 4:
        docs.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    kind: Deployment
    name: ${pick(random, NAMES)}
  maxReplicas: 3`);
        break;
      default:
        docs.push(random(2) === 0
          ? `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx`
          : `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
patches:
  - path: f${random(6)}.yaml`);
    }
  }
  return `# file ${index}\n${docs.join('\n---\n')}\n`;
}

/** Everything observable about a workspace: findings and links of every file. */
function snapshot(workspace: Workspace): string {
  return JSON.stringify(workspace.uris().map((uri) => ({ uri, findings: workspace.findings(uri), links: workspace.links(uri) })));
}

function fromScratch(files: Map<string, string>): Workspace {
  const workspace = new Workspace();
  workspace.update([...files].map(([uri, text]) => ({ uri, text })));
  return workspace;
}

describe('incremental analysis', () => {
  test('after any sequence of edits, results equal a from-scratch analysis', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = prng(seed);
      const files = new Map<string, string>();
      const workspace = new Workspace();
      for (let step = 0; step < 30; step++) {
        const uri = `file:///ws/f${random(6)}.yaml`;
        const action = random(10);
        if (action === 0 && files.has(uri)) {
          files.delete(uri);
          workspace.removeFile(uri);
        } else if (action === 1 && files.size > 1) {
          // A batch: two files at once, as a workspace scan or a branch switch delivers them.
          const other = `file:///ws/f${random(6)}.yaml`;
          const changes = [uri, other].map((u, i) => ({ uri: u, text: randomFile(random, step * 10 + i) }));
          for (const change of changes) files.set(change.uri, change.text);
          workspace.update(changes);
        } else {
          const text = randomFile(random, step);
          files.set(uri, text);
          workspace.setFile(uri, text);
        }
        assert.equal(snapshot(workspace), snapshot(fromScratch(files)), `seed ${seed}, step ${step}: incremental result differs`);
      }
    }
  });

  test('a batch workspace (the CLI: no dependency bookkeeping) gives the same results, also after edits', () => {
    for (let seed = 1; seed <= 15; seed++) {
      const random = prng(seed * 7919);
      const files = new Map<string, string>();
      for (let i = 0; i < 6; i++) files.set(`file:///ws/f${i}.yaml`, randomFile(random, i));
      const batch = new Workspace({}, {}, { batch: true });
      batch.update([...files].map(([uri, text]) => ({ uri, text })));
      assert.equal(snapshot(batch), snapshot(fromScratch(files)), `seed ${seed}: batch differs`);
      const uri = `file:///ws/f${random(6)}.yaml`;
      files.set(uri, randomFile(random, 99));
      batch.setFile(uri, files.get(uri)!);
      assert.equal(snapshot(batch), snapshot(fromScratch(files)), `seed ${seed}: batch differs after an edit`);
    }
  });

  test('editing a container image re-analyses only the edited file', () => {
    const deployment = (image: string) => `apiVersion: apps/v1
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
          image: ${image}
          ports:
            - name: http
              containerPort: 80
`;
    const workspace = new Workspace();
    const services = Array.from({ length: 20 }, (_, i) => ({
      uri: `file:///svc${i}.yaml`,
      text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n`,
    }));
    workspace.update([{ uri: 'file:///deploy.yaml', text: deployment('nginx:1') }, ...services]);
    const imageEdit = workspace.setFile('file:///deploy.yaml', deployment('nginx:2'));
    assert.equal(imageEdit.analyzed, 1);
    assert.deepEqual(imageEdit.affectedUris, ['file:///deploy.yaml']);
    const labelEdit = workspace.setFile('file:///deploy.yaml', deployment('nginx:2').replace(/app: web/g, 'app: webb'));
    assert.equal(labelEdit.analyzed, 21, 'the Deployment and the 20 Services that select it');
    assert.equal(labelEdit.affectedUris.length, 21);
  });

  test('an unrelated Service is not re-analysed when another one changes', () => {
    const workspace = new Workspace();
    workspace.update([
      { uri: 'file:///a.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: a\n  ports:\n    - port: 80\n' },
      { uri: 'file:///b.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  selector:\n    app: b\n  ports:\n    - port: 80\n' },
    ]);
    const result = workspace.setFile('file:///a.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: a2\n  ports:\n    - port: 80\n');
    assert.deepEqual(result.affectedUris, ['file:///a.yaml']);
  });

  test('changing the default namespace re-resolves everything', () => {
    const workspace = new Workspace();
    workspace.update([
      { uri: 'file:///d.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels:\n    app: p\nspec:\n  containers: []\n' },
      { uri: 'file:///s.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: p\n  ports:\n    - port: 80\n' },
    ]);
    assert.equal(workspace.findings('file:///s.yaml').length, 1);
    workspace.configure({ defaultNamespace: 'shop' });
    assert.equal(workspace.findings('file:///s.yaml').length, 0);
  });

  test('loading in batches, then analysing once, equals a from-scratch analysis and analyses each resource once', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const random = prng(seed);
      const files = new Map<string, string>();
      for (let i = 0; i < 12; i++) files.set(`file:///ws/f${i}.yaml`, randomFile(random, i));
      const loaded = new Workspace();
      const entries = [...files].map(([uri, text]) => ({ uri, text }));
      for (let i = 0; i < entries.length; i += 3) loaded.load(entries.slice(i, i + 3));
      let analyzed = 0;
      const total = loaded.resourceCount();
      let remaining = total;
      while (remaining > 0) {
        const next = loaded.analyzeLoaded(2);
        analyzed += remaining - next;
        remaining = next;
      }
      assert.equal(analyzed, total, `seed ${seed}: every resource is analysed once`);
      assert.equal(snapshot(loaded), snapshot(fromScratch(files)), `seed ${seed}: batched loading differs`);
      // The next update analyses whatever loading left, too.
      const flushed = new Workspace();
      for (let i = 0; i < entries.length; i += 5) flushed.load(entries.slice(i, i + 5));
      assert.equal(flushed.update([]).analyzed, total);
      assert.equal(snapshot(flushed), snapshot(loaded), `seed ${seed}: update after load differs`);
      // An edit after loading still updates incrementally.
      const edited = randomFile(random, 99);
      files.set('file:///ws/f0.yaml', edited);
      loaded.setFile('file:///ws/f0.yaml', edited);
      assert.equal(snapshot(loaded), snapshot(fromScratch(files)), `seed ${seed}: an edit after loading differs`);
    }
  });

  test('an update with the text a file already has re-analyses nothing', () => {
    const workspace = new Workspace();
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector:\n    app: a\n  ports:\n    - port: 80\n';
    workspace.setFile('file:///a.yaml', text);
    assert.deepEqual(workspace.setFile('file:///a.yaml', text), { affectedUris: [], analyzed: 0 });
    assert.deepEqual(workspace.removeFile('file:///never.yaml'), { affectedUris: [], analyzed: 0 });
  });
});

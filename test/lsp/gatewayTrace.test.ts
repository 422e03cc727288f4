/** Gateway API traces over real LSP, against the built server: kubeRouteLens/trace with `gateway`, and kubeRouteLens/traceGateways. */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestClient } from '../helpers/lspClient';
import { ROUTE_GRAPH_REQUEST, TRACE_GATEWAYS_REQUEST, TRACE_REQUEST } from '../../server/src/protocol';
import type { RouteGraphResult, TraceGatewaysResult } from '../../server/src/protocol';
import type { TraceResult } from '../../server/src/core';

const EXAMPLES = path.resolve(__dirname, '../../examples');

describe('Gateway API trace requests over LSP', () => {
  let client: TestClient;
  let root: string;
  const uri = (file: string) => `file://${path.join(root, file)}`;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'krl-gateway-trace-'));
    cpSync(EXAMPLES, root, { recursive: true });
    client = await TestClient.start({ rootPath: root, pull: true });
  });
  after(async () => client.stop());

  test('kubeRouteLens/trace with `gateway` follows the Gateway; the graph highlights its listener and rule', async () => {
    const url = 'http://www.test.pri/abc/index.html';
    const trace = (await client.connection.sendRequest(TRACE_REQUEST, { url, gateway: 'default/test-gateway' })) as TraceResult;
    assert.equal(trace.found, true, trace.reason);
    assert.equal(trace.upstreamPath, '/index.html');
    assert.deepEqual(trace.route?.gateway, { namespace: 'default', name: 'test-gateway', listener: 'http' });
    assert.equal(trace.route?.route?.name, 'test-route');
    assert.equal(trace.route?.backends[0].name, 'abc-svc');
    const highlight = trace.steps.map((s) => s.nodeId).filter((id): id is string => id !== undefined);
    const listener = highlight.find((id) => id.startsWith('gw:'));
    assert.ok(listener?.endsWith('gateway-api/gateway.yaml#Gateway/default/test-gateway:http'), listener);
    const graph = (await client.connection.sendRequest(ROUTE_GRAPH_REQUEST, { scope: { kind: 'workspace' }, highlight })) as RouteGraphResult;
    const mermaidId = Object.entries(graph.mermaidIds).find(([, id]) => id === listener)?.[0];
    assert.ok(mermaidId, 'the listener is in the graph');
    assert.match(graph.mermaid, new RegExp(`class (\\w+,)*${mermaidId}(,\\w+)* traced`));
  });

  test('without `gateway` the Ingress with a rule for the host answers and names the Gateway; from the Gateway\'s example, the Gateway answers', async () => {
    const url = 'http://www.test.pri/abc/index.html';
    const plain = (await client.connection.sendRequest(TRACE_REQUEST, { url, gateway: 42 })) as TraceResult;
    assert.equal(plain.route?.ingress?.name, 'test-ingress', 'a malformed gateway is ignored');
    assert.match(plain.steps[0].text, /Gateway `default\/test-gateway` also accepts port 80 and host `www\.test\.pri`/);
    const fromExample = (await client.connection.sendRequest(TRACE_REQUEST, { url, from: uri('gateway-api/httproute.yaml') })) as TraceResult;
    assert.equal(fromExample.route?.gateway?.name, 'test-gateway');
    const unknown = (await client.connection.sendRequest(TRACE_REQUEST, { url, gateway: 'default/nope' })) as TraceResult;
    assert.equal(unknown.found, false);
    assert.match(unknown.reason ?? '', /no Gateway `default\/nope` in the workspace/);
  });

  test('kubeRouteLens/traceGateways lists the Gateways, which accept the URL, and whether an Ingress serves its host', async () => {
    const answer = (await client.connection.sendRequest(TRACE_GATEWAYS_REQUEST, { url: 'http://www.test.pri/abc' })) as TraceGatewaysResult;
    assert.deepEqual(answer, { gateways: [{ namespace: 'default', name: 'test-gateway', accepts: true, listeners: ['http: 80/HTTP www.test.pri'] }], ingressServesHost: true });
    const other = (await client.connection.sendRequest(TRACE_GATEWAYS_REQUEST, { url: 'http://10.0.0.1:8080/', headers: { Host: 'shop.test.pri' } })) as TraceGatewaysResult;
    assert.deepEqual(other, { gateways: [{ namespace: 'default', name: 'test-gateway', accepts: false, listeners: ['http: 80/HTTP www.test.pri'] }], ingressServesHost: true });
    const bad = (await client.connection.sendRequest(TRACE_GATEWAYS_REQUEST, { url: 'ftp://x' })) as TraceGatewaysResult;
    assert.deepEqual(bad, { gateways: [], ingressServesHost: false });
  });
});

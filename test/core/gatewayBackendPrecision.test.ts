/**
 * A backendRef's did-you-mean comes only from nearby, as for Ingress backends: a Service of
 * another example (or another repository opened in the same workspace) that shares the namespace
 * must neither be suggested nor turn the missing Service into an error. Found by checking all of
 * corpus2 as one workspace: gateway-api's traffic-splitting examples (`foo-v1`, `foo-v2`) became
 * errors with "did you mean `foo-svc`" because Envoy Gateway's examples define `foo-svc` in
 * `default`.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { checkFindings } from '../helpers/check';

const otherExample = `
#- /envoy/examples/http-routing.yaml
apiVersion: v1
kind: Service
metadata:
  name: foo-svc
spec:
  selector:
    app: foo
  ports:
    - port: 8080
`;

/** The parent and the selector are beside the point here. */
const QUIET = { rules: { 'route-no-matching-parent': 'off', 'service-selects-nothing': 'off' } } as const;

describe('route-backend-not-found: suggestions only from nearby', () => {
  test('a Service of another folder is not suggested, and the finding stays information', () => {
    const [finding] = checkFindings(`${otherExample}
#- /gateway-api/examples/traffic-splitting/split.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: split
spec:
  parentRefs:
    - name: gw
  rules:
    - backendRefs:
        - name: foo-v1
      #         ^^^^^^ information route-backend-not-found
          port: 8080
`, QUIET);
    assert.doesNotMatch(finding.message, /did you mean/);
  });

  test('a Service of the same folder with a close name is a mistake: an error with the did-you-mean', () => {
    checkFindings(`
#- /app/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: foo-svc
spec:
  selector:
    app: foo
  ports:
    - port: 8080
#- /app/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: split
spec:
  parentRefs:
    - name: gw
  rules:
    - backendRefs:
        - name: foo-sv
      #         ^^^^^^ error route-backend-not-found ~ did you mean \`foo-svc\`?
          port: 8080
`, QUIET);
  });
});

/** Command-line parsing for `kube-route-lens`: pure, so usage errors are testable without a process. */
import { isRuleId, isSeverity, parsePortRange } from '../core';
import type { EngineSettings, RuleSeverities } from '../core';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CheckCommand {
  readonly command: 'check';
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly settings: Partial<EngineSettings>;
  readonly rules: RuleSeverities;
  readonly routes: boolean;
  readonly exitZero: boolean;
  readonly color: boolean | undefined;
  /** `--config FILE`: the workspace configuration (default: `.kube-route-lens.yaml` found from the paths up). */
  readonly config?: string;
}

export type TraceFormat = 'text' | 'json';

export interface TraceCommand {
  readonly command: 'trace';
  readonly url: string;
  readonly paths: readonly string[];
  readonly format: TraceFormat;
  readonly settings: Partial<EngineSettings>;
  readonly color: boolean | undefined;
  /** `--header NAME=VALUE`, repeatable. */
  readonly headers: Readonly<Record<string, string>>;
  readonly method?: string;
  /** `--from FILE`: prefer the manifests applied with this file when independent ones serve the host. */
  readonly from?: string;
  /** `--gateway NAMESPACE/NAME`: send the request through this Gateway API Gateway. */
  readonly gateway?: string;
  readonly config?: string;
  /** `--save-test FILE`: append the answer to this route test file as a new test. */
  readonly saveTest?: string;
}

export type TestFormat = 'text' | 'json' | 'junit';

export interface TestCommand {
  readonly command: 'test';
  /** Route test files named on the command line (`*.routes.yaml`); none: every one under the paths. */
  readonly files: readonly string[];
  /** Manifest folders and files (default: .). */
  readonly paths: readonly string[];
  readonly format: TestFormat;
  readonly settings: Partial<EngineSettings>;
  readonly color: boolean | undefined;
  readonly config?: string;
}

export type GraphFormat = 'mermaid' | 'json' | 'html';

export interface GraphCommand {
  readonly command: 'graph';
  readonly paths: readonly string[];
  readonly format: GraphFormat;
  readonly host?: string;
  readonly namespace?: string;
  readonly out?: string;
  /** `--all`: no node budget. */
  readonly all: boolean;
  readonly settings: Partial<EngineSettings>;
  readonly config?: string;
}

export interface MigrateCommand {
  readonly command: 'migrate';
  readonly paths: readonly string[];
  /** `--gateway-class NAME`: gatewayClassName of the generated Gateways (required). */
  readonly gatewayClass: string;
  /** `--gateway NAMESPACE/NAME`: attach the routes to this Gateway instead of one per IngressClass. */
  readonly gateway?: string;
  /** `--out DIR`: write the files there instead of printing the YAML. */
  readonly out?: string;
  readonly format: 'text' | 'json';
  readonly settings: Partial<EngineSettings>;
  readonly config?: string;
}

export type Command =
  | CheckCommand
  | MigrateCommand
  | TraceCommand
  | GraphCommand
  | TestCommand
  | { readonly command: 'lsp' }
  | { readonly command: 'help' }
  | { readonly command: 'version' };

/** Bad usage: exit 2 with the one-line message (and a pointer to `--help`). */
export class UsageError extends Error {}

/** A failure the user can fix (a missing file the command needs): exit 2 with the one-line message. */
export class CliError extends Error {}

export const USAGE = `Usage: kube-route-lens <command> [options]

Commands:
  check [PATH ...]     Check the Kubernetes manifests under PATH (default: .) and print findings
  trace URL [PATH ...] Follow a request (host, port, path) through the manifests to the pods
  graph [PATH ...]     Print the route graph (hosts → Ingresses → Services → workloads)
  test [FILE ...] [PATH ...]
                       Run route tests (FILE: *.routes.yaml; default: every one under PATH)
                       against the manifests under PATH (default: .)
  migrate [PATH ...]   Convert the Ingresses to Gateway API and prove it by tracing sample requests
  lsp --stdio          Run the language server over stdio (for any LSP editor)
  help                 Show this help
  version              Show the version

Options for check:
  --format text|json|sarif   Output format (default: text)
  --default-namespace NAME   Namespace of objects without metadata.namespace (default: default)
  --node-port-range MIN-MAX  The cluster's node port range (default: 30000-32767)
  --rule ID=SEVERITY         Set a rule's severity: error, warning, information, hint or off (repeatable)
  --routes                   Also print the routes found (host → Ingress → Service → workload)
  --exit-zero                Exit with 0 even when errors are found
  --config FILE              Workspace configuration (default: .kube-route-lens.yaml next to or above the paths)
  --no-color                 Plain text output (also when NO_COLOR is set)

Options for trace (URL: [http[s]://]host[:port]/path[?query]; the port picks the Ingress
controller, NodePort Service or Gateway listener it reaches):
  --format text|json         Output format (default: text)
  -H, --header 'NAME: VALUE' A request header (repeatable; NAME=VALUE also works): Host picks the
                             virtual host (the URL then says where the request is sent), others
                             decide canaries and header matches
  --method METHOD            The request method (default: GET)
  --gateway NAMESPACE/NAME   Send it through this Gateway API Gateway (default: the one Gateway
                             whose listeners accept the URL's port and host, if no Ingress has
                             a rule for the host)
  --from FILE                Prefer the manifests applied with FILE when independent ones serve the host
  --save-test FILE           Append the answer to the route test file FILE as a new test
                             (created with a \`tests:\` list if absent; the existing text is kept)
  --default-namespace NAME   Namespace of objects without metadata.namespace (default: default)
  --config FILE              Workspace configuration (see check)
  --no-color                 Plain text output (also when NO_COLOR is set)

Options for test:
  --format text|json|junit   Output format (default: text); JSON and JUnit are documented in the README
  --default-namespace NAME   Namespace of objects without metadata.namespace (default: default)
  --config FILE              Workspace configuration (see check)
  --no-color                 Plain text output (also when NO_COLOR is set)

Options for graph:
  --format mermaid|json|html Output format (default: mermaid); html is a self-contained page
  --host HOST                Only the routes of this host
  --namespace NAME           Only the routes through this namespace
  --all                      The whole graph (default: at most 300 nodes)
  --out FILE                 Write to FILE instead of standard output
  --default-namespace NAME   Namespace of objects without metadata.namespace (default: default)
  --config FILE              Workspace configuration (see check)

Options for migrate (without --out: the YAML on standard output, the report on standard error):
  --gateway-class NAME       gatewayClassName of the generated Gateways (required)
  --gateway NAMESPACE/NAME   Attach every route to this Gateway (generated if the manifests
                             lack it) instead of one Gateway per namespace and IngressClass
  --out DIR                  Write gateways.yaml, httproutes.yaml, migration.routes.yaml (the
                             samples as route tests) and the report into DIR
  --format text|json         Report format (default: text); json without --out prints one
                             object with the report, the YAML and the route tests
  --default-namespace NAME   Namespace of objects without metadata.namespace (default: default)
  --config FILE              Workspace configuration (see check)

Exit codes: 0 no errors (trace: the URL reaches pods; test: every test passes; migrate: every
sample is equivalent), 1 errors found (trace: no route; test: a test fails; migrate: a difference,
or something untranslatable or not migrated), 2 bad usage, an invalid route test file, or internal
failure.`;

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  // `kube-route-lens check --help` asks for help, as every CLI users know answers it.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) return { command: 'help' };
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    case 'version':
    case '--version':
    case '-v':
      return { command: 'version' };
    case 'lsp':
      return { command: 'lsp' };
    case 'check':
      return parseCheck(rest);
    case 'trace':
      return parseTrace(rest);
    case 'graph':
      return parseGraph(rest);
    case 'test':
      return parseTest(rest);
    case 'migrate':
      return parseMigrate(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Splits `--flag value` / `--flag=value` options from positional arguments, one option at a time. */
function eachOption(argv: readonly string[], handle: (flag: string, value: () => string, arg: string) => boolean, positional: (arg: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (handle(flag, value, arg)) continue;
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    positional(arg);
  }
}

type MutableSettings = { -readonly [K in keyof EngineSettings]?: EngineSettings[K] };

/** Options more than one command takes: `--default-namespace`, `--config`, and `--color` / `--no-color` where the command prints in colour. */
function sharedOption(flag: string, value: () => string, settings: MutableSettings, setColor?: (color: boolean) => void, setConfig?: (file: string) => void): boolean {
  switch (flag) {
    case '--default-namespace':
      settings.defaultNamespace = value();
      return true;
    case '--config':
      if (!setConfig) return false;
      setConfig(value());
      return true;
    case '--no-color':
    case '--color':
      if (!setColor) return false;
      setColor(flag === '--color');
      return true;
    default:
      return false;
  }
}

function parseTrace(argv: readonly string[]): TraceCommand {
  const positional: string[] = [];
  const settings: MutableSettings = {};
  const headers: Record<string, string> = {};
  let format: TraceFormat = 'text';
  let color: boolean | undefined;
  let method: string | undefined;
  let from: string | undefined;
  let gateway: string | undefined;
  let config: string | undefined;
  let saveTest: string | undefined;
  eachOption(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--format': {
          const text = value();
          if (text !== 'text' && text !== 'json') throw new UsageError(`--format must be text or json, not '${text}'`);
          format = text;
          return true;
        }
        case '-H':
        case '--header': {
          // curl's `Name: value`, or NAME=VALUE.
          const text = value();
          const curl = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):(.*)$/.exec(text);
          if (curl) {
            headers[curl[1]] = curl[2].trim();
            return true;
          }
          const eq = text.indexOf('=');
          if (eq <= 0) throw new UsageError(`--header expects 'Name: value' or NAME=VALUE, not '${text}'`);
          headers[text.slice(0, eq).trim()] = text.slice(eq + 1);
          return true;
        }
        case '--method': {
          const text = value();
          if (!/^[A-Za-z]+$/.test(text)) throw new UsageError(`--method expects a method name like GET, not '${text}'`);
          method = text.toUpperCase();
          return true;
        }
        case '--from':
          from = value();
          return true;
        case '--save-test':
          saveTest = value();
          if (saveTest === '') throw new UsageError('--save-test needs a file name');
          return true;
        case '--gateway': {
          const text = value();
          if (!GATEWAY_NAME.test(text)) throw new UsageError(`--gateway expects NAMESPACE/NAME, not '${text}'`);
          gateway = text;
          return true;
        }
        default:
          return sharedOption(flag, value, settings, (on) => (color = on), (file) => (config = file));
      }
    },
    (arg) => positional.push(arg),
  );
  const [url, ...paths] = positional;
  if (url === undefined) throw new UsageError('trace needs a URL, e.g. kube-route-lens trace http://www.example.com/path');
  return { command: 'trace', url, paths: paths.length > 0 ? paths : ['.'], format, settings, color, headers, ...(method ? { method } : {}), ...(from ? { from } : {}), ...(gateway ? { gateway } : {}), ...(config ? { config } : {}), ...(saveTest !== undefined ? { saveTest } : {}) };
}

/** A route test file argument: named `*.routes.yaml` / `*.routes.yml` (a folder so named is a PATH). */
function isRouteTestArg(arg: string): boolean {
  return /\.routes\.ya?ml$/i.test(arg);
}

function parseTest(argv: readonly string[]): TestCommand {
  const files: string[] = [];
  const paths: string[] = [];
  const settings: MutableSettings = {};
  let format: TestFormat = 'text';
  let color: boolean | undefined;
  let config: string | undefined;
  eachOption(
    argv,
    (flag, value) => {
      if (flag !== '--format') return sharedOption(flag, value, settings, (on) => (color = on), (file) => (config = file));
      const text = value();
      if (text !== 'text' && text !== 'json' && text !== 'junit') throw new UsageError(`--format must be text, json or junit, not '${text}'`);
      format = text;
      return true;
    },
    (arg) => (isRouteTestArg(arg) ? files : paths).push(arg),
  );
  return { command: 'test', files, paths: paths.length > 0 ? paths : ['.'], format, settings, color, ...(config ? { config } : {}) };
}

/** A Gateway's `namespace/name` (DNS labels; the name may have dots). */
const GATEWAY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

function parseGraph(argv: readonly string[]): GraphCommand {
  const paths: string[] = [];
  const settings: MutableSettings = {};
  let format: GraphFormat = 'mermaid';
  let host: string | undefined;
  let namespace: string | undefined;
  let out: string | undefined;
  let all = false;
  let config: string | undefined;
  eachOption(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--all':
          all = true;
          return true;
        case '--format': {
          const text = value();
          if (text !== 'mermaid' && text !== 'json' && text !== 'html') throw new UsageError(`--format must be mermaid, json or html, not '${text}'`);
          format = text;
          return true;
        }
        case '--host':
          host = value();
          return true;
        case '--namespace':
          namespace = value();
          return true;
        case '--out':
          out = value();
          return true;
        default:
          return sharedOption(flag, value, settings, undefined, (file) => (config = file));
      }
    },
    (arg) => paths.push(arg),
  );
  if (host !== undefined && namespace !== undefined) throw new UsageError('--host and --namespace cannot be combined');
  if (host === '') throw new UsageError('--host needs a value');
  if (namespace === '') throw new UsageError('--namespace needs a value');
  if (out === '') throw new UsageError('--out needs a value');
  return { command: 'graph', paths: paths.length > 0 ? paths : ['.'], format, ...(host !== undefined ? { host } : {}), ...(namespace !== undefined ? { namespace } : {}), ...(out !== undefined ? { out } : {}), all, settings, ...(config ? { config } : {}) };
}

function parseMigrate(argv: readonly string[]): MigrateCommand {
  const paths: string[] = [];
  const settings: MutableSettings = {};
  let gatewayClass: string | undefined;
  let gateway: string | undefined;
  let out: string | undefined;
  let format: 'text' | 'json' = 'text';
  let config: string | undefined;
  eachOption(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--gateway-class': {
          const text = value();
          if (!/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(text)) throw new UsageError(`--gateway-class expects a GatewayClass name, not '${text}'`);
          gatewayClass = text;
          return true;
        }
        case '--gateway': {
          const text = value();
          if (!GATEWAY_NAME.test(text)) throw new UsageError(`--gateway expects NAMESPACE/NAME, not '${text}'`);
          gateway = text;
          return true;
        }
        case '--out':
          out = value();
          if (out === '') throw new UsageError('--out needs a value');
          return true;
        case '--format': {
          const text = value();
          if (text !== 'text' && text !== 'json') throw new UsageError(`--format must be text or json, not '${text}'`);
          format = text;
          return true;
        }
        default:
          return sharedOption(flag, value, settings, undefined, (file) => (config = file));
      }
    },
    (arg) => paths.push(arg),
  );
  if (gatewayClass === undefined) throw new UsageError('migrate needs --gateway-class NAME (the GatewayClass of the generated Gateways, e.g. eg or nginx)');
  return { command: 'migrate', paths: paths.length > 0 ? paths : ['.'], gatewayClass, ...(gateway ? { gateway } : {}), ...(out !== undefined ? { out } : {}), format, settings, ...(config ? { config } : {}) };
}

function parseCheck(argv: readonly string[]): CheckCommand {
  const paths: string[] = [];
  const settings: MutableSettings = {};
  const rules: { -readonly [K in keyof RuleSeverities]: RuleSeverities[K] } = {};
  let format: OutputFormat = 'text';
  let routes = false;
  let exitZero = false;
  let color: boolean | undefined;
  let config: string | undefined;
  eachOption(
    argv,
    (flag, value) => {
      switch (flag) {
        case '--format':
          format = parseFormat(value());
          return true;
        case '--node-port-range': {
          const text = value();
          const range = parsePortRange(text);
          if (!range) throw new UsageError(`--node-port-range expects MIN-MAX within 1-65535, not '${text}'`);
          settings.nodePortRange = range;
          return true;
        }
        case '--rule':
          parseRule(value(), rules);
          return true;
        case '--routes':
          routes = true;
          return true;
        case '--exit-zero':
          exitZero = true;
          return true;
        default:
          return sharedOption(flag, value, settings, (on) => (color = on), (file) => (config = file));
      }
    },
    (arg) => paths.push(arg),
  );
  return { command: 'check', paths: paths.length > 0 ? paths : ['.'], format, settings, rules, routes, exitZero, color, ...(config ? { config } : {}) };
}

function parseFormat(text: string): OutputFormat {
  if (text === 'text' || text === 'json' || text === 'sarif') return text;
  throw new UsageError(`--format must be text, json or sarif, not '${text}'`);
}

function parseRule(text: string, rules: Record<string, string>): void {
  const [id, severity] = text.split('=');
  if (!id || !isRuleId(id)) throw new UsageError(`--rule: unknown rule '${id ?? ''}'`);
  if (!severity || (severity !== 'off' && !isSeverity(severity))) {
    throw new UsageError(`--rule ${id}: severity must be error, warning, information, hint or off`);
  }
  rules[id] = severity;
}

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
}

export type Command =
  | CheckCommand
  | { readonly command: 'lsp' }
  | { readonly command: 'help' }
  | { readonly command: 'version' };

export class UsageError extends Error {}

export const USAGE = `Usage: kube-route-lens <command> [options]

Commands:
  check [PATH ...]     Check the Kubernetes manifests under PATH (default: .) and print findings
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
  --no-color                 Plain text output (also when NO_COLOR is set)

Exit codes: 0 no errors, 1 errors found, 2 bad usage or internal failure.`;

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
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
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function parseCheck(argv: readonly string[]): CheckCommand {
  const paths: string[] = [];
  const settings: { -readonly [K in keyof EngineSettings]?: EngineSettings[K] } = {};
  const rules: { -readonly [K in keyof RuleSeverities]: RuleSeverities[K] } = {};
  let format: OutputFormat = 'text';
  let routes = false;
  let exitZero = false;
  let color: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--format':
        format = parseFormat(value());
        break;
      case '--default-namespace':
        settings.defaultNamespace = value();
        break;
      case '--node-port-range': {
        const text = value();
        const range = parsePortRange(text);
        if (!range) throw new UsageError(`--node-port-range expects MIN-MAX within 1-65535, not '${text}'`);
        settings.nodePortRange = range;
        break;
      }
      case '--rule':
        parseRule(value(), rules);
        break;
      case '--routes':
        routes = true;
        break;
      case '--exit-zero':
        exitZero = true;
        break;
      case '--no-color':
        color = false;
        break;
      case '--color':
        color = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        paths.push(arg);
    }
  }
  return { command: 'check', paths: paths.length > 0 ? paths : ['.'], format, settings, rules, routes, exitZero, color };
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

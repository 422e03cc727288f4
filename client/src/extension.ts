/**
 * VS Code face of Kube Route Lens: starts the bundled language server over IPC, restarts it if
 * it crashes, and shows its state in the status bar. All analysis happens in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { MIGRATE_REQUEST, RUN_ROUTE_TESTS_REQUEST, SERVER_INFO_REQUEST, SHOW_LOCATIONS_COMMAND, SHOW_MIGRATION_REPORT_COMMAND, STATUS_NOTIFICATION } from '../../server/src/protocol';
import type { MigrateParams, MigrateResult, RouteTestRun, RunRouteTestsResult, ServerInfo, ServerStatus } from '../../server/src/protocol';
import { CrashHandler, MAX_RESTARTS } from './crashHandler';
import { GraphPanelController } from './graphPanel';
import type { GraphPanelApi } from './graphPanel';
import { StatusBar } from './statusBar';
import { RED_HAT_YAML, withYamlSyntaxDefault } from './yamlCoexistence';

/** What `activate` returns: used by the tests, and available to other extensions. */
export interface KubeRouteLensApi {
  /** Resolves with the first `ready` status after the workspace was indexed. */
  readonly ready: Promise<ServerStatus>;
  /** Fires on every status the server sends (and again after a restart). */
  readonly onDidChangeStatus: vscode.Event<ServerStatus>;
  serverInfo(): Promise<ServerInfo>;
  /** The routing graph panel (tests wait on its renders; see `GraphPanelApi`). */
  readonly graphPanel: GraphPanelApi;
  /** Runs every route test of the workspace (what "Run Route Tests" lists). */
  runRouteTests(): Promise<RunRouteTestsResult | null>;
}

let client: LanguageClient | undefined;

interface LspPosition {
  line: number;
  character: number;
}

interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

function toPosition(p: LspPosition): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

async function showLocations(uri: string, position: LspPosition, locations: LspLocation[]): Promise<void> {
  const targets = locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(toPosition(l.range.start), toPosition(l.range.end))));
  await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(uri), toPosition(position), targets);
}

/**
 * "Run Route Tests": every route test of the workspace in a Quick Pick, failures first; picking
 * one opens the test and shows its route in the routing graph.
 */
async function runRouteTests(client: LanguageClient, output: vscode.OutputChannel, trace: (params: unknown) => Thenable<unknown>): Promise<void> {
  const result = await client.sendRequest<RunRouteTestsResult | null>(RUN_ROUTE_TESTS_REQUEST);
  if (!result) {
    void vscode.window.showErrorMessage('Kube Route Lens: the route tests could not be run (see the output).');
    return;
  }
  for (const problem of result.problems) output.appendLine(`${vscode.Uri.parse(problem.uri).fsPath}:${problem.line + 1}: ${problem.message}`);
  if (result.tests.length === 0 && result.problems.length === 0) {
    void vscode.window.showInformationMessage('Kube Route Lens: no route tests in this workspace (files named *.routes.yaml).');
    return;
  }
  const failed = result.tests.filter((t) => !t.pass).length;
  type Item = vscode.QuickPickItem & { test: RouteTestRun };
  const items: Item[] = [...result.tests]
    .sort((a, b) => Number(a.pass) - Number(b.pass))
    .map((test) => ({
      label: `${test.pass ? '$(pass)' : '$(error)'} ${test.name}`,
      description: test.title.replace(/^[✓✗] /, ''),
      detail: `${vscode.workspace.asRelativePath(vscode.Uri.parse(test.uri))}:${test.range.start.line + 1}${test.message ? ` · ${test.message}` : ''}`,
      test,
    }));
  const problems = result.problems.length > 0 ? `, ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in test files (see the output)` : '';
  const picked = await vscode.window.showQuickPick(items, {
    title: `Kube Route Lens: ${result.tests.length} route tests, ${result.tests.length - failed} passed, ${failed} failed${problems}`,
    placeHolder: 'Pick a test to show its route in the routing graph',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const range = new vscode.Range(toPosition(picked.test.range.start), toPosition(picked.test.range.end));
  await vscode.window.showTextDocument(vscode.Uri.parse(picked.test.uri), { selection: range, preview: true });
  await trace(picked.test.trace);
}

function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel, crashes: CrashHandler): LanguageClient {
  const serverModule = context.asAbsolutePath('server/dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannel: output,
    errorHandler: crashes,
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => (params.items[i]?.section === 'kubeRouteLens' ? withYamlSyntaxDefault(value) : value));
        },
      },
    },
  };
  return new LanguageClient('kubeRouteLens', 'Kube Route Lens', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<KubeRouteLensApi> {
  const output = vscode.window.createOutputChannel('Kube Route Lens');
  const statusBar = new StatusBar();
  const statusEmitter = new vscode.EventEmitter<ServerStatus>();
  let resolveReady: (status: ServerStatus) => void = () => undefined;
  const ready = new Promise<ServerStatus>((resolve) => (resolveReady = resolve));
  const crashes = new CrashHandler((count) => {
    statusBar.stopped(`the language server crashed ${count} times in a few minutes and was not restarted.`);
    void vscode.window
      .showErrorMessage(`Kube Route Lens: the language server crashed ${count} times in a few minutes (more than ${MAX_RESTARTS} restarts), so it was stopped.`, 'Restart Server', 'Show Output')
      .then((choice) => {
        if (choice === 'Restart Server') void vscode.commands.executeCommand('kubeRouteLens.restartServer');
        if (choice === 'Show Output') output.show(true);
      });
  });
  const languageClient = createClient(context, output, crashes);
  const migrationOutput = vscode.window.createOutputChannel('Kube Route Lens: Gateway API migration', 'markdown');
  const showReport = (report: unknown) => {
    if (typeof report !== 'string') return;
    migrationOutput.clear();
    migrationOutput.append(report);
    migrationOutput.show(true);
  };
  client = languageClient;
  const graphPanel = new GraphPanelController({
    extensionUri: context.extensionUri,
    request: (method, params) => languageClient.sendRequest(method, params),
    output,
    onDidChangeStatus: statusEmitter.event,
  });
  context.subscriptions.push(
    output,
    statusBar,
    statusEmitter,
    languageClient.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
      statusBar.update(status);
      statusEmitter.fire(status);
      if (status.state === 'ready') resolveReady(status);
    }),
    vscode.commands.registerCommand('kubeRouteLens.restartServer', async () => {
      crashes.reset();
      statusBar.starting();
      await languageClient.restart();
    }),
    vscode.commands.registerCommand('kubeRouteLens.showOutput', () => output.show(true)),
    graphPanel,
    vscode.commands.registerCommand('kubeRouteLens.showRoutingGraph', () => graphPanel.show()),
    // An optional URL argument skips the input box (keybindings, tests).
    vscode.commands.registerCommand('kubeRouteLens.traceRequest', (url?: unknown) => graphPanel.traceRequest(url)),
    vscode.commands.registerCommand('kubeRouteLens.runRouteTests', () => runRouteTests(languageClient, output, (params) => graphPanel.traceRequest(params))),
    migrationOutput,
    vscode.commands.registerCommand(SHOW_MIGRATION_REPORT_COMMAND, (report: unknown) => showReport(report)),
    // An optional argument ({ gatewayClass, gateway, apply: false }) skips the input box and, with
    // `apply: false`, returns the server's answer without applying it (tests).
    vscode.commands.registerCommand('kubeRouteLens.convertToGatewayApi', async (args?: unknown) => {
      const given = args !== null && typeof args === 'object' ? (args as Partial<MigrateParams> & { apply?: boolean }) : undefined;
      const gatewayClass = given?.gatewayClass ?? (await vscode.window.showInputBox({
        title: 'Convert Ingresses to Gateway API',
        prompt: 'gatewayClassName of the generated Gateways (empty: the GatewayClass of the workspace, else the Ingress class)',
        placeHolder: 'e.g. eg, nginx, istio, cilium',
        validateInput: (v) => (v === '' || /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'A GatewayClass name: lowercase letters, digits, - and .'),
      }));
      if (gatewayClass === undefined) return undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString();
      const result = await languageClient.sendRequest<MigrateResult | null>(MIGRATE_REQUEST, { gatewayClass, ...(given?.gateway ? { gateway: given.gateway } : {}), ...(folder ? { folder } : {}) } satisfies MigrateParams);
      if (given?.apply === false) return result;
      if (!result || result.files.length === 0) {
        void vscode.window.showInformationMessage(result ? 'Kube Route Lens: no Ingress could be converted; see the report.' : 'Kube Route Lens: no Ingress to convert.');
        if (result) showReport(result.report);
        return result;
      }
      // The edit is annotated needsConfirmation: VS Code shows the refactor preview first.
      const edit = await languageClient.protocol2CodeConverter.asWorkspaceEdit(result.edit as Parameters<typeof languageClient.protocol2CodeConverter.asWorkspaceEdit>[0]);
      const applied = edit !== undefined && (await vscode.workspace.applyEdit(edit, { isRefactoring: true }));
      if (applied) showReport(result.report);
      return result;
    }),
    vscode.commands.registerCommand(SHOW_LOCATIONS_COMMAND, (uri: string, position: LspPosition, locations: LspLocation[]) => showLocations(uri, position, locations)),
    // Installing or removing Red Hat YAML changes whether yaml-syntax is on by default.
    vscode.extensions.onDidChange(() => {
      if (languageClient.isRunning()) void languageClient.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }),
  );
  await languageClient.start();
  output.appendLine(`Kube Route Lens started${vscode.extensions.getExtension(RED_HAT_YAML) ? ' (Red Hat YAML is installed: yaml-syntax is off unless you turn it on)' : ''}.`);
  return {
    ready,
    onDidChangeStatus: statusEmitter.event,
    serverInfo: () => languageClient.sendRequest<ServerInfo>(SERVER_INFO_REQUEST),
    graphPanel: graphPanel.api,
    runRouteTests: () => languageClient.sendRequest<RunRouteTestsResult | null>(RUN_ROUTE_TESTS_REQUEST),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

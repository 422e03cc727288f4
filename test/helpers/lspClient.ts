/**
 * A minimal LSP client for protocol tests: spawns the built server over stdio and offers
 * helpers that wait for events (never for time).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  ConfigurationRequest,
  DiagnosticRefreshRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { ClientCapabilities, Diagnostic, ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

import { STATUS_NOTIFICATION } from '../../server/src/protocol';
import type { ServerStatus } from '../../server/src/protocol';

export const SERVER = path.resolve(__dirname, '../../server/dist/server.js');

export interface ClientOptions {
  readonly rootPath: string;
  /** Advertise pull diagnostics (like VS Code) or not (like Neovim 0.7). */
  readonly pull: boolean;
  /** Answers to workspace/configuration, by section. */
  readonly settings?: Record<string, unknown>;
  /** Command to start the server (default: the built server.js over --stdio). */
  readonly command?: readonly string[];
  /** Advertise what VS Code does for edits: documentChanges, file creation, change annotations, and code actions resolved lazily. */
  readonly richEdits?: boolean;
}

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly refreshes: number[] = [];
  private listeners: (() => void)[] = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown>;
  readonly connection: ProtocolConnection;
  readonly stderr: string[] = [];

  private constructor(private readonly child: ChildProcess, options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.connection = createProtocolConnection(child.stdout!, child.stdin!);
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.notify();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => this.settings[item.section ?? ''] ?? null));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes.push(Date.now());
      this.notify();
    });
    this.connection.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
      this.statuses.push(status);
      if (status.state === 'ready') this.indexedCount++;
      this.notify();
    });
    this.connection.listen();
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  static async start(options: ClientOptions): Promise<TestClient> {
    if (!options.command && !existsSync(SERVER)) throw new Error('server/dist/server.js is missing: run `npm run build` first');
    const [command, ...args] = options.command ?? [process.execPath, SERVER, '--stdio'];
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(child, options);
    const indexed = client.waitFor(() => client.indexedCount > 0, 'the initial index');
    const rootUri = `file://${options.rootPath}`;
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        didChangeConfiguration: { dynamicRegistration: true },
        workspaceFolders: true,
        ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
        ...(options.richEdits ? { workspaceEdit: { documentChanges: true, resourceOperations: ['create'], changeAnnotationSupport: { groupsOnLabel: true } } } : {}),
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        ...(options.richEdits ? { codeAction: { dataSupport: true, resolveSupport: { properties: ['edit', 'command'] } } } : {}),
        publishDiagnostics: { relatedInformation: true },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      window: { workDoneProgress: true },
    };
    const result = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      capabilities,
      workspaceFolders: [{ uri: rootUri, name: 'test' }],
    });
    client.serverCapabilities = result.capabilities;
    await client.connection.sendNotification(InitializedNotification.type, {});
    await indexed;
    return client;
  }

  indexedCount = 0;
  readonly statuses: ServerStatus[] = [];
  serverCapabilities: unknown;

  get pid(): number | undefined {
    return this.child.pid;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves when `predicate` holds, re-checking on every message from the server. */
  waitFor(predicate: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  rules(uri: string): string[] {
    return (this.diagnostics.get(uri) ?? []).map((d) => String(d.code)).sort();
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  async replace(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.exitCode === null) await exited;
    this.connection.dispose();
  }
}

/** Starts the language server on the transport named on the command line (--stdio, --node-ipc, --socket). */
import { format } from 'node:util';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import type { Connection } from 'vscode-languageserver/node';
import { collectYamlFiles, readText } from '../node/files';
import { FrameSanitizer } from './frameSanitizer';
import { ProtocolGate } from './protocolGate';
import { startServer } from './server';

export function runLanguageServer(): void {
  // The lifecycle and request shapes are checked before any handler, on every transport.
  const gate = new ProtocolGate();
  const options = { messageStrategy: gate };
  let connection: Connection;
  if (transportOf(process.argv.slice(2)) === 'stdio') {
    // Over stdio the bytes are framed by the client: a malformed frame must not stall the reader.
    const input = new FrameSanitizer();
    process.stdin.on('error', (error) => input.destroy(error));
    process.stdin.pipe(input);
    connection = createConnection(ProposedFeatures.all, input, process.stdout, options);
    input.on('malformed', (reason: string) => connection.console.warn(`[kube-route-lens] malformed input: ${reason}`));
    // What the library does for `--stdio` itself: console output must not corrupt stdout.
    redirectConsole(connection);
  } else {
    connection = createConnection(ProposedFeatures.all, options);
  }
  gate.attach(connection);
  startServer(connection, { collectYamlFiles, readText });
  connection.listen();
}

/** The transport vscode-languageserver picks from the arguments: the first one named. */
function transportOf(args: readonly string[]): 'stdio' | 'other' | undefined {
  for (const arg of args) {
    if (arg === '--stdio') return 'stdio';
    if (arg === '--node-ipc' || arg === '--socket' || arg === '--pipe' || arg.startsWith('--socket=') || arg.startsWith('--pipe=')) return 'other';
  }
  return undefined;
}

function redirectConsole(connection: Connection): void {
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = console.trace = (...args: unknown[]) => connection.console.error(format(...args));
}

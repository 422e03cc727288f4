/** Starts the language server on the transport named on the command line (--stdio, --node-ipc, --socket). */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { collectYamlFiles, readText } from '../node/files';
import { startServer } from './server';

export function runLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection, { collectYamlFiles, readText });
  connection.listen();
}

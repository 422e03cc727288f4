/** Entry point of the `kube-route-lens` command. */
import { PRODUCT_VERSION } from '../productInfo';
import { USAGE, UsageError, parseArgs } from './args';
import { runCheck } from './check';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseArgs(argv);
  switch (command.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${PRODUCT_VERSION}\n`);
      return 0;
    case 'lsp': {
      // The language server reads --stdio (or --node-ipc, --socket) from process.argv itself.
      const { runLanguageServer } = await import('../lsp/main');
      runLanguageServer();
      return new Promise<number>(() => undefined);
    }
    case 'check': {
      const color = command.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
      const output = await runCheck(command, process.cwd(), color);
      process.stdout.write(output.stdout);
      return output.exitCode;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`kube-route-lens: ${error.message}\n\n${USAGE}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`kube-route-lens: internal error: ${message}\nPlease report it with the command you ran.\n`);
    }
    process.exitCode = 2;
  },
);

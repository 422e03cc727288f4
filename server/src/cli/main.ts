/** Entry point of the `kube-route-lens` command. */
import { PRODUCT_VERSION } from '../productInfo';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliError, USAGE, UsageError, parseArgs } from './args';
import { runCheck } from './check';
import { runGraph } from './graph';
import { runTests } from './test';
import { runMigrate } from './migrate';
import { runTrace } from './trace';
import { visible, wantsColor } from './terminal';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseArgs(argv);
  // `kube-route-lens check | head`: the reader left, so the rest is not wanted; exit with the
  // result as it stands instead of an unhandled EPIPE. (The language server handles its own stream.)
  if (command.command !== 'lsp') {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
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
      const output = await runCheck(command, process.cwd(), wantsColor(command.color));
      process.stdout.write(output.stdout);
      return output.exitCode;
    }
    case 'trace': {
      const output = await runTrace(command, process.cwd(), wantsColor(command.color));
      for (const note of output.notes) process.stderr.write(`${visible(note)}\n`);
      process.stdout.write(output.stdout);
      return output.exitCode;
    }
    case 'test': {
      const output = await runTests(command, process.cwd(), wantsColor(command.color));
      for (const note of output.notes) process.stderr.write(`${visible(note)}\n`);
      process.stdout.write(output.stdout);
      return output.exitCode;
    }
    case 'migrate': {
      const output = await runMigrate(command, process.cwd());
      for (const note of output.notes) process.stderr.write(`${visible(note)}\n`);
      process.stderr.write(output.stderr);
      for (const file of output.written) process.stderr.write(`kube-route-lens: wrote ${visible(file)}\n`);
      process.stdout.write(output.stdout);
      return output.exitCode;
    }
    case 'graph': {
      const output = await runGraph(command, process.cwd());
      for (const note of output.notes) process.stderr.write(`${visible(note)}\n`);
      if (output.notice) process.stderr.write(`${visible(output.notice)}\n`);
      if (command.out === undefined) {
        process.stdout.write(output.text);
      } else {
        try {
          const out = path.resolve(process.cwd(), command.out);
          mkdirSync(path.dirname(out), { recursive: true });
          writeFileSync(out, output.text);
          process.stderr.write(`kube-route-lens: wrote ${visible(command.out)}\n`);
        } catch (error) {
          throw new CliError(`cannot write ${command.out}: ${error instanceof Error && 'code' in error ? String(error.code) : String(error)}`);
        }
      }
      return 0;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Messages echo what was given (a URL, a path, an option), which may hold control characters:
    // they are shown as escapes, as manifest text is.
    if (error instanceof UsageError) {
      // One line, as for every error; the usage is one `--help` away.
      process.stderr.write(`kube-route-lens: ${visible(error.message)} (see kube-route-lens --help)\n`);
    } else if (error instanceof CliError) {
      process.stderr.write(`kube-route-lens: ${visible(error.message)}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`kube-route-lens: internal error: ${visible(message)}\nPlease report it with the command you ran.\n`);
    }
    process.exitCode = 2;
  },
);

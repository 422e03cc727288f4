/**
 * What happens when the language server dies: it is restarted quietly a few times; after
 * repeated crashes in a short time it stays down and the user is told, with a way back.
 */
import { CloseAction, ErrorAction } from 'vscode-languageclient/node';
import type { CloseHandlerResult, ErrorHandler, ErrorHandlerResult, Message } from 'vscode-languageclient/node';

/** Restarts allowed within `WINDOW_MS` before giving up. */
export const MAX_RESTARTS = 4;
const WINDOW_MS = 3 * 60 * 1000;

export class CrashHandler implements ErrorHandler {
  private crashes: number[] = [];

  constructor(
    private readonly onGaveUp: (crashes: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    // A few transport errors in a row are tolerated; more mean the connection is broken.
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = this.now();
    this.crashes = [...this.crashes.filter((t) => now - t < WINDOW_MS), now];
    if (this.crashes.length <= MAX_RESTARTS) return { action: CloseAction.Restart, handled: true };
    this.onGaveUp(this.crashes.length);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  /** After a manual restart the count starts over. */
  reset(): void {
    this.crashes = [];
  }
}

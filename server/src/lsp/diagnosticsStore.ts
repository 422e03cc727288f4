/**
 * Current diagnostics per file, with a result id that changes only when a file's diagnostics do.
 * Serves both models: push (`publishDiagnostics` for what changed) and pull (document reports,
 * and workspace reports held open until something changes, so closed files update promptly).
 */
import type { Diagnostic } from 'vscode-languageserver/node';

interface Entry {
  readonly resultId: string;
  readonly diagnostics: Diagnostic[];
  readonly serialized: string;
  readonly errors: number;
  readonly warnings: number;
}

/** LSP DiagnosticSeverity values. */
const ERROR = 1;
const WARNING = 2;

export interface WorkspaceItem {
  readonly uri: string;
  readonly resultId: string;
  readonly diagnostics: Diagnostic[];
}

export class DiagnosticsStore {
  private readonly entries = new Map<string, Entry>();
  private counter = 0;
  private waiters: (() => void)[] = [];
  /** Totals over all files, kept up to date on every change (the status bar shows them). */
  errors = 0;
  warnings = 0;

  /** Records new diagnostics; returns true when they differ from what was there. */
  set(uri: string, diagnostics: Diagnostic[]): boolean {
    const serialized = JSON.stringify(diagnostics);
    const previous = this.entries.get(uri);
    if (previous?.serialized === serialized) return false;
    const errors = diagnostics.filter((d) => d.severity === ERROR).length;
    const warnings = diagnostics.filter((d) => d.severity === WARNING).length;
    this.errors += errors - (previous?.errors ?? 0);
    this.warnings += warnings - (previous?.warnings ?? 0);
    this.entries.set(uri, { resultId: String(++this.counter), diagnostics, serialized, errors, warnings });
    // A file seen for the first time without problems is not news for anyone.
    if (!previous && diagnostics.length === 0) return false;
    this.wake();
    return true;
  }

  get(uri: string): { resultId: string; diagnostics: Diagnostic[] } {
    const entry = this.entries.get(uri);
    return entry ?? { resultId: '0', diagnostics: [] };
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  /** Items whose result id differs from what the client reported having. */
  changedSince(previous: ReadonlyMap<string, string>): WorkspaceItem[] {
    const items: WorkspaceItem[] = [];
    for (const [uri, entry] of this.entries) {
      const known = previous.get(uri);
      if (known === entry.resultId || (known === undefined && entry.diagnostics.length === 0)) continue;
      items.push({ uri, resultId: entry.resultId, diagnostics: entry.diagnostics });
    }
    return items;
  }

  /** Resolves at the next change (or immediately if `cancelled` fires first). */
  nextChange(onCancel: (listener: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      onCancel(resolve);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Releases held workspace requests (on shutdown). */
  dispose(): void {
    this.wake();
  }
}

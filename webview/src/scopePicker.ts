/**
 * The scope picker: a <select> for the kind of scope (workspace, namespace, host, current file,
 * follow cursor) and a second one for the namespace or host. Options are built with
 * `new Option(text, value)`, so names from the manifests stay text.
 */
import type { ScopeChoice } from './protocol';

type Kind = ScopeChoice['kind'];

const KINDS: readonly Kind[] = ['workspace', 'namespace', 'host', 'file', 'cursor'];

export class ScopePicker {
  private namespaces: readonly string[] = [];
  private hosts: readonly string[] = [];
  private scope: ScopeChoice = { kind: 'workspace' };

  constructor(
    private readonly kindSelect: HTMLSelectElement,
    private readonly valueSelect: HTMLSelectElement,
    private readonly onPick: (scope: ScopeChoice) => void,
  ) {
    kindSelect.addEventListener('change', () => this.pickKind());
    valueSelect.addEventListener('change', () => this.pickValue());
  }

  /** Shows the scope the extension drew and the choices it offers. */
  update(scope: ScopeChoice, namespaces: readonly string[], hosts: readonly string[], fileName: string | undefined): void {
    this.scope = scope;
    this.namespaces = namespaces;
    this.hosts = hosts;
    for (const option of Array.from(this.kindSelect.options)) {
      if (option.value === 'namespace') option.disabled = namespaces.length === 0;
      if (option.value === 'host') option.disabled = hosts.length === 0;
      if (option.value === 'file') option.text = fileName ? `Current file (${fileName})` : 'Current file';
      if (option.value === 'cursor') option.text = fileName ? `Follow cursor (${fileName})` : 'Follow cursor';
    }
    this.kindSelect.value = scope.kind;
    this.fillValues(scope.kind, scope.kind === 'namespace' ? scope.namespace : scope.kind === 'host' ? scope.host : undefined);
  }

  private fillValues(kind: Kind, selected: string | undefined): void {
    const values = kind === 'namespace' ? this.namespaces : kind === 'host' ? this.hosts : [];
    this.valueSelect.replaceChildren(...values.map((value) => new Option(value, value, false, value === selected)));
    if (selected !== undefined && !values.includes(selected)) this.valueSelect.add(new Option(selected, selected, false, true));
    this.valueSelect.hidden = kind !== 'namespace' && kind !== 'host';
    this.valueSelect.setAttribute('aria-label', kind === 'host' ? 'Host' : 'Namespace');
  }

  private pickKind(): void {
    const kind = KINDS.find((k) => k === this.kindSelect.value) ?? 'workspace';
    const current = this.scope.kind === kind ? this.scope : undefined;
    if (kind === 'namespace' || kind === 'host') {
      const values = kind === 'namespace' ? this.namespaces : this.hosts;
      const previous = current?.kind === 'namespace' ? current.namespace : current?.kind === 'host' ? current.host : undefined;
      const value = previous ?? (kind === 'namespace' && values.includes('default') ? 'default' : values[0]);
      this.fillValues(kind, value);
      if (value === undefined) return;
      this.emit(kind === 'namespace' ? { kind, namespace: value } : { kind, host: value });
      return;
    }
    this.fillValues(kind, undefined);
    this.emit({ kind });
  }

  private pickValue(): void {
    const value = this.valueSelect.value;
    if (this.kindSelect.value === 'namespace') this.emit({ kind: 'namespace', namespace: value });
    if (this.kindSelect.value === 'host') this.emit({ kind: 'host', host: value });
  }

  private emit(scope: ScopeChoice): void {
    this.scope = scope;
    this.onPick(scope);
  }
}

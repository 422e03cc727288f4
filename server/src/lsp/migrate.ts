/**
 * Ingress → Gateway API in the editor: the "Convert to Gateway API" refactoring on an Ingress
 * (computed on codeAction/resolve where the client supports it, since the proof traces every
 * sample) and the `kubeRouteLens/migrate` request behind the command. Both answer a WorkspaceEdit
 * that creates new files (CreateFile + TextDocumentEdit) under a change annotation with
 * `needsConfirmation`, so VS Code shows its refactor preview before anything is written.
 */
import { CodeActionKind } from 'vscode-languageserver/node';
import type { CodeAction, Connection, WorkspaceEdit } from 'vscode-languageserver/node';
import { MIGRATED_URI, formatMigrationReport, migrateAndProve } from '../core';
import type { Ingress, MigrationReport, Workspace } from '../core';
import { MIGRATE_REQUEST, SHOW_MIGRATION_REPORT_COMMAND } from '../protocol';
import type { MigrateParams, MigrateResult } from '../protocol';
import type { FeatureContext } from './features';
import { runSafe } from './runSafe';
import { record } from './settings';

export const CONVERT_TITLE = 'Convert to Gateway API';

/** The GatewayClass the quick fix uses: one the workspace defines, else the Ingress's class, else `nginx`. */
export function defaultGatewayClass(ws: Workspace, ingress?: Ingress): string {
  const declared = ws.allResources().find((r) => r.kind === 'GatewayClass' && r.name && !r.name.unknown);
  if (declared?.name && !declared.name.unknown) return declared.name.value;
  const written = ingress?.ingressClassName ?? ingress?.classAnnotation;
  return written && !written.unknown && /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(written.value) ? written.value : 'nginx';
}

function parentOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

/** A URI in `folder` not used by the workspace: `name.yaml`, else `name-2.yaml`, … */
function freeUri(ws: Workspace, folder: string, name: string, ext: string): string {
  for (let n = 1; ; n++) {
    const uri = `${folder}/${name}${n > 1 ? `-${n}` : ''}${ext}`;
    if (ws.text(uri) === undefined) return uri;
  }
}

function markdownReport(report: MigrationReport): string {
  const text = formatMigrationReport(report, (uri, line) => (uri === MIGRATED_URI ? `(generated):${line}` : `${decodeURIComponent(uri.replace(/^file:\/\//, ''))}:${line}`));
  return `# Ingress → Gateway API migration\n\n\`\`\`text\n${text}\`\`\`\n`;
}

export function buildMigration(ws: Workspace, params: MigrateParams): MigrateResult {
  const ingresses = ws.allResources().filter((r): r is Ingress => r.type === 'ingress' && (!params.ids || params.ids.includes(r.id)));
  const gatewayClass = params.gatewayClass || defaultGatewayClass(ws, ingresses[0]);
  const report = migrateAndProve(ws, { gatewayClass, ...(params.gateway ? { gateway: params.gateway } : {}), ...(params.ids ? { ids: params.ids } : {}) });
  const first = ingresses[0];
  const folder = params.folder ? `${params.folder.replace(/\/$/, '')}/gateway-api` : first ? parentOf(first.uri) : undefined;
  const base = params.ids && first ? `${first.name && !first.name.unknown ? first.name.value : 'ingress'}.gateway` : 'gateway-api';
  const files: string[] = [];
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  if (folder && report.result.objects.length > 0) {
    const yamlUri = freeUri(ws, folder, base, '.yaml');
    const testsUri = freeUri(ws, folder, params.ids ? base.replace(/\.gateway$/, '.migration') : 'migration', '.routes.yaml');
    for (const [uri, text] of [[yamlUri, report.result.yaml], [testsUri, report.routeTests]] as const) {
      files.push(uri);
      documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false }, annotationId: 'kube-route-lens-migrate' });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text, annotationId: 'kube-route-lens-migrate' }] });
    }
  }
  const edit: WorkspaceEdit = {
    documentChanges,
    changeAnnotations: {
      'kube-route-lens-migrate': { label: CONVERT_TITLE, needsConfirmation: true, description: `${report.proof.same} of ${report.proof.total} sample requests equivalent` },
    },
  };
  return { edit, report: markdownReport(report), equivalent: report.equivalent, same: report.proof.same, total: report.proof.total, files };
}

/** The refactoring offered on an Ingress; its edit and report are filled in by `resolveConvertAction`. */
export function convertAction(ws: Workspace, uri: string, line: number, resolveLater: boolean): CodeAction | undefined {
  const ingress = ws.resourcesOf(uri).find((r): r is Ingress => r.type === 'ingress' && !r.opaqueIdentity && r.range.start.line <= line && line <= r.range.end.line);
  if (!ingress) return undefined;
  const action: CodeAction = { title: CONVERT_TITLE, kind: CodeActionKind.RefactorRewrite, data: { kubeRouteLensMigrate: { ids: [ingress.id] } } };
  return resolveLater ? action : resolveConvertAction(ws, action);
}

export function resolveConvertAction(ws: Workspace, action: CodeAction): CodeAction {
  const data = record(record(action.data).kubeRouteLensMigrate);
  const ids = Array.isArray(data.ids) ? data.ids.filter((id): id is string => typeof id === 'string') : undefined;
  if (!ids) return action;
  const result = buildMigration(ws, { ids });
  return { ...action, edit: result.edit as WorkspaceEdit, command: { title: 'Show the migration report', command: SHOW_MIGRATION_REPORT_COMMAND, arguments: [result.report] } };
}

export function registerMigrateRequest(connection: Connection, ctx: FeatureContext): void {
  connection.onRequest(MIGRATE_REQUEST, async (params: MigrateParams | undefined): Promise<MigrateResult | null> => {
    await ctx.ready;
    ctx.flushAll();
    const fields = record(params) as Partial<MigrateParams>;
    const clean: MigrateParams = {
      ...(typeof fields.gatewayClass === 'string' && fields.gatewayClass ? { gatewayClass: fields.gatewayClass } : {}),
      ...(typeof fields.gateway === 'string' && /^[a-z0-9][-a-z0-9]*\/[a-z0-9][-.a-z0-9]*$/.test(fields.gateway) ? { gateway: fields.gateway } : {}),
      ...(Array.isArray(fields.ids) ? { ids: fields.ids.filter((id): id is string => typeof id === 'string') } : {}),
      ...(typeof fields.folder === 'string' && fields.folder ? { folder: fields.folder } : {}),
    };
    return runSafe(ctx.log, () => buildMigration(ctx.workspace(), clean), null);
  });
}

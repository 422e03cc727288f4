/** `kube-route-lens trace URL`: where a request goes through the manifests, step by step. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { answerOf, appendRouteTest, describeOutcome, expectationOf, parseTraceUrl, traceRequest } from '../core';
import type { TraceResult, TraceStep } from '../core';
import { CliError, UsageError } from './args';
import type { TraceCommand } from './args';
import { openWorkspace, relativeFile } from './check';
import { skippedNotes } from './report';
import { painter, safeJsonStringify, visible } from './terminal';

export interface TraceOutput {
  readonly stdout: string;
  readonly exitCode: 0 | 1;
  /** For stderr: one `note: skipped FILE: REASON` per file that could not be read or checked. */
  readonly notes: readonly string[];
}

export async function runTrace(command: TraceCommand, cwd: string, color: boolean): Promise<TraceOutput> {
  const parsed = parseTraceUrl(command.url);
  if (parsed.error !== undefined) throw new UsageError(parsed.error);
  // `trace examples/` (the URL forgotten): a bare name that exists on disk is a path, not a host.
  if (parsed.url.scheme === undefined && parsed.url.host !== undefined && parsed.url.port === undefined && existsSync(path.resolve(cwd, command.url))) {
    throw new UsageError(`trace needs a URL before the paths: '${command.url}' is a file or directory`);
  }
  const { workspace, skipped } = await openWorkspace(command.paths, command.settings, cwd, command.config);
  const from = command.from === undefined ? undefined : pathToFileURL(path.resolve(cwd, command.from)).href;
  const result = traceRequest(workspace, command.url, { headers: command.headers, ...(command.method ? { method: command.method } : {}), ...(from ? { from } : {}), ...(command.gateway ? { gateway: command.gateway } : {}) });
  const stdout = command.format === 'json' ? formatTraceJson(result, cwd) : formatTraceText(result, cwd, color);
  const notes = skippedNotes(skipped);
  if (command.saveTest !== undefined) notes.push(saveTest(command, result, cwd));
  return { stdout, exitCode: result.found ? 0 : 1, notes };
}

/** `--save-test FILE`: the answer appended to FILE as a test (README "Route tests"); returns the note to print. */
function saveTest(command: TraceCommand, result: TraceResult, cwd: string): string {
  const file = path.resolve(cwd, command.saveTest!);
  if (!/\.routes\.ya?ml$/i.test(file)) throw new UsageError(`--save-test needs a route test file named *.routes.yaml, not '${command.saveTest}'`);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot read ${command.saveTest}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const answer = answerOf(result, { url: command.url, headers: command.headers });
  const next = appendRouteTest(text, {
    url: command.url,
    ...(command.gateway ? { gateway: command.gateway } : {}),
    headers: command.headers,
    ...(command.method && command.method !== 'GET' ? { method: command.method } : {}),
    expect: expectationOf(answer),
  });
  if ('error' in next) throw new CliError(`cannot add a test to ${command.saveTest}: ${next.error}`);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, next.text);
  } catch (error) {
    throw new CliError(`cannot write ${command.saveTest}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return `kube-route-lens: saved a test to ${command.saveTest}: ${command.url} ${describeOutcome(answer)}`;
}

function where(step: TraceStep, cwd: string): string {
  if (!step.location) return '';
  const { line, character } = step.location.range.start;
  return `${relativeFile(step.location.uri, cwd)}:${line + 1}:${character + 1}`;
}

/**
 * Numbered steps (notes are indented under the step they qualify), each with the file and line it
 * comes from, then what the backend receives (or the redirect answered), or why there is no route.
 */
export function formatTraceText(result: TraceResult, cwd: string, color: boolean): string {
  const paint = painter(color);
  const lines = [visible(`Trace ${result.url}`)];
  let number = 0;
  for (const step of result.steps) {
    const at = where(step, cwd);
    const suffix = at ? `  ${paint('dim', visible(at))}` : '';
    if (step.kind === 'note') {
      lines.push(`     note: ${visible(step.text)}${suffix}`);
    } else {
      number++;
      lines.push(`${String(number).padStart(3)}. ${visible(step.text)}${suffix}`);
    }
  }
  const redirect = result.route?.redirect;
  if (result.found && redirect) {
    lines.push(paint('good', visible(`→ ${redirect.status} redirect to ${redirect.location}`)));
  } else if (result.found) {
    lines.push(paint('good', visible(`→ backend receives ${result.upstreamPath ?? '(cannot be known offline)'}${result.upstreamHost !== undefined ? ` (Host: ${result.upstreamHost})` : ''}`)));
  } else {
    lines.push(paint('bad', visible(`✗ no route: ${result.reason ?? 'unknown'}`)));
    if (result.closest) lines.push(visible(`  closest: ${result.closest}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The TraceResult as JSON, with `location: { file, range }` (paths relative to the working directory) instead of URIs. */
export function formatTraceJson(result: TraceResult, cwd: string): string {
  const steps = result.steps.map((step) => ({
    kind: step.kind,
    text: step.text,
    ...(step.location ? { location: { file: relativeFile(step.location.uri, cwd), range: step.location.range } } : {}),
    ...(step.nodeId ? { nodeId: step.nodeId } : {}),
  }));
  return `${safeJsonStringify({ ...result, steps })}\n`;
}

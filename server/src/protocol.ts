/**
 * The custom messages between the Kube Route Lens server and its clients, declared once. The
 * server owns this file; the VS Code client imports it (types and message names only).
 */

/** Where the server is: indexing the workspace, or ready with these counts. */
export interface ServerStatus {
  readonly state: 'indexing' | 'ready';
  /** YAML files read so far (indexing) or in the workspace (ready). */
  readonly files: number;
  /** While indexing: how many files there are to read. */
  readonly totalFiles?: number;
  /** Kubernetes objects in the index. */
  readonly resources: number;
  /** Diagnostics currently reported, by severity. */
  readonly errors: number;
  readonly warnings: number;
}

/** Server → client notification, sent when indexing starts, progresses and ends, and after edits. */
export const STATUS_NOTIFICATION = 'kubeRouteLens/status';

export interface ServerInfo {
  readonly version: string;
  /** The server's process id (tests use it to check restarts after a crash). */
  readonly pid: number;
}

/** Client → server request: facts about the running server. */
export const SERVER_INFO_REQUEST = 'kubeRouteLens/serverInfo';

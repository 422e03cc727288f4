/**
 * The LSP lifecycle and the shape of requests, enforced before any handler runs. vscode-jsonrpc
 * hands every incoming message to a `MessageStrategy` first; this one lets through what the
 * protocol allows at that point and refuses the rest:
 *
 * - before `initialize`, a request answers ServerNotInitialized (-32002) and a notification other
 *   than `exit` is dropped (without this, requests waited for the first index, forever);
 * - a second `initialize` answers InvalidRequest (-32600);
 * - after `shutdown`, a request answers InvalidRequest and a notification other than `exit` (and
 *   cancellations) is dropped;
 * - request params that are present but neither an object nor an array (JSON-RPC 2.0, 4.2)
 *   answer InvalidParams (-32602): the library would otherwise fail on `params.workDoneToken`.
 *
 * The library answers requests only through handlers, so a refused request is dispatched, with
 * its own id, to REFUSED_REQUEST, whose handler (installed by `attach`) returns the error.
 */
import { ErrorCodes, Message, ResponseError } from 'vscode-languageserver/node';
import type { Connection, MessageStrategy, RequestMessage } from 'vscode-languageserver/node';

/** Internal method a refused request is renamed to; never sent by a client (one that tries is refused). */
export const REFUSED_REQUEST = '$/kubeRouteLens/refused';

interface Refusal {
  readonly code: number;
  readonly message: string;
}

type State = 'new' | 'running' | 'shutDown';

const EXIT = 'exit';
const CANCEL = '$/cancelRequest';

export class ProtocolGate implements MessageStrategy {
  private state: State = 'new';

  handleMessage(message: Message, next: (message: Message) => void): void {
    if (Message.isRequest(message)) {
      const refusal = this.refusalOf(message);
      if (refusal) {
        next({ jsonrpc: message.jsonrpc, id: message.id, method: REFUSED_REQUEST, params: refusal } as RequestMessage);
        return;
      }
      if (message.method === 'initialize') this.state = 'running';
      else if (message.method === 'shutdown') this.state = 'shutDown';
      next(message);
    } else if (Message.isNotification(message)) {
      if (this.state === 'running' || message.method === EXIT || (this.state === 'shutDown' && message.method === CANCEL)) next(message);
    } else {
      // Responses to the server's own requests, and whatever the library reports as invalid.
      next(message);
    }
  }

  private refusalOf(request: RequestMessage): Refusal | undefined {
    if (request.method === REFUSED_REQUEST) return { code: ErrorCodes.MethodNotFound, message: `Unhandled method ${REFUSED_REQUEST}` };
    if (this.state === 'new' && request.method !== 'initialize') {
      return { code: ErrorCodes.ServerNotInitialized, message: `The server is not initialized: ${request.method} came before initialize` };
    }
    if (this.state === 'running' && request.method === 'initialize') return { code: ErrorCodes.InvalidRequest, message: 'initialize was already received' };
    if (this.state === 'shutDown') return { code: ErrorCodes.InvalidRequest, message: `The server is shutting down: ${request.method} came after shutdown` };
    const params: unknown = request.params;
    if (params !== undefined && (params === null || typeof params !== 'object')) {
      return { code: ErrorCodes.InvalidParams, message: `The params of ${request.method} must be an object or an array` };
    }
    return undefined;
  }

  /** Installs the handler that answers refused requests with their error. */
  attach(connection: Connection): void {
    connection.onRequest(REFUSED_REQUEST, (refusal: Refusal) => new ResponseError(refusal.code, refusal.message));
  }
}

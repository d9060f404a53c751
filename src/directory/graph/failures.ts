/**
 * Graph failures mapped to the product's errors at the boundary. Only a 404 means "not found"; every
 * other failure, including a refused permission, means the directory cannot answer right now.
 */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { DirectoryUnavailableError } from '../../errors.js';

/** The name used in answers and errors. */
export const ENTRA = 'Entra ID';

/** Whether Graph said the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof GraphError && error.statusCode === 404;
}

/** Turn whatever a Graph call threw into DirectoryUnavailableError with an operator's message. */
export function unavailable(error: unknown, operation: string): DirectoryUnavailableError {
  if (error instanceof DirectoryUnavailableError) return error;

  const status = error instanceof GraphError ? error.statusCode : undefined;
  const code = error instanceof GraphError ? error.code : undefined;
  const detail = code ? ` (${code})` : '';
  let message: string;
  if (code === 'GraphTokenError' && error instanceof Error) {
    message = error.message;
  } else if (status === 401 || status === 403) {
    message =
      `${ENTRA} refused ${operation} with HTTP ${status}${detail}: check GRAPH_TENANT_ID, ` +
      'GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET, and that the app registration has the application ' +
      'permissions User.Read.All and GroupMember.Read.All with admin consent';
  } else if (status === 429) {
    message = `${ENTRA} is throttling requests (HTTP 429) and the retries ran out during ${operation}`;
  } else if (status !== undefined && status >= 400) {
    message = `${ENTRA} answered ${operation} with HTTP ${status}${detail}`;
  } else {
    // statusCode -1 or no GraphError at all: the request never got an HTTP answer.
    const name = code ?? (error instanceof Error ? error.name : 'Error');
    const reason = error instanceof Error && error.message ? `${name}: ${error.message}` : name;
    message = `${ENTRA} could not be reached for ${operation} (${reason})`;
  }

  return new DirectoryUnavailableError(ENTRA, message, { cause: error });
}

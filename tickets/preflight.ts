/**
 * The check run before a scan starts: can custos use the configured tracker? Credentials, the
 * Jira project and issue type, the GitHub repository and its visibility. A failure is a
 * `TicketPreflightError` (exit 2) whose message names the problem, never the token.
 */
import { isTicketSinkError, TicketPreflightError } from './errors.js';
import type { TicketSink } from './types.js';

export async function preflight(sink: TicketSink): Promise<void> {
  try {
    await sink.preflight();
  } catch (error) {
    if (error instanceof TicketPreflightError) throw error;
    if (isTicketSinkError(error)) throw new TicketPreflightError(`${sink.describe}: ${error.message}`);
    throw error;
  }
}

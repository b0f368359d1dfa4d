/**
 * Clients per scanned account: the caller's own clients, or clients holding the audit role's
 * session in that account. One set per account, reused by every target of that account.
 */
import { AwsClients } from './clients.js';
import { type AuditRole, assumedRoleProvider, DEFAULT_REFRESH_MARGIN_MS } from './credentials.js';

export interface SessionOptions {
  /** Renew each account's session this long before it expires. Default: 5 minutes. */
  readonly refreshMarginMs?: number;
}

export class AccountSessions {
  private readonly byAccount = new Map<string, AwsClients>();

  constructor(
    readonly caller: AwsClients,
    private readonly role: AuditRole | undefined,
    private readonly runId: string,
    private readonly options: SessionOptions = {},
  ) {}

  /** Clients for `accountId`. Without a role the caller's clients serve (one account only). */
  clientsFor(accountId: string): AwsClients {
    if (this.role === undefined) return this.caller;
    let clients = this.byAccount.get(accountId);
    if (clients === undefined) {
      // The caller's options carry the shared rate limiter, connections and call metrics.
      clients = new AwsClients({
        ...this.caller.options,
        accountId,
        credentials: assumedRoleProvider(
          this.caller,
          accountId,
          this.role,
          this.runId,
          Date.now,
          this.options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
        ),
      });
      this.byAccount.set(accountId, clients);
    }
    return clients;
  }

  /** Obtains the account's session now, so a role that cannot be assumed shows up in the plan. */
  async open(accountId: string): Promise<void> {
    const { credentials } = this.clientsFor(accountId).options;
    if (typeof credentials === 'function') await credentials();
  }

  destroy(): void {
    for (const clients of this.byAccount.values()) clients.destroy();
    this.byAccount.clear();
    this.caller.destroy();
  }
}

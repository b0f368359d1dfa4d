/** `custos tickets sync --run <runId> [--dry-run]`: the ticket step of a stored run, on its own. */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { SSM } from '@aws-sdk/client-ssm';
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import type { CollectorId } from '../core/types.js';
import { openStore } from '../reports/open-store.js';
import { ticketsSyncCommand } from '../tickets/command.js';
import { loadConfig } from './config-file.js';
import { liveCredentials } from './engine-context.js';

export interface TicketsSyncOptions {
  readonly run: string;
  readonly dryRun?: boolean;
  readonly config?: string;
  readonly out?: string;
  readonly profile?: string;
  readonly region?: string;
}

export async function ticketsSync(
  options: TicketsSyncOptions,
  write: (text: string) => void,
): Promise<number> {
  const config = loadConfig(options.config, options.out !== undefined ? { store: options.out } : {});
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const credentials = () => liveCredentials(options);
  const store = openStore(config, () => new S3Client({ region, credentials: credentials() }));
  const checks = [...ALL_CHECKS, ...historyChecks];
  return ticketsSyncCommand(
    store,
    config.tickets,
    {
      runId: options.run,
      ...(options.dryRun === true && { dryRun: true }),
      checkNeeds: (id) => checks.find((c) => c.id === id)?.needs as readonly CollectorId[] | undefined,
      tokens: {
        ssm: () => new SSM({ region, credentials: credentials() }),
        secretsManager: () => new SecretsManager({ region, credentials: credentials() }),
        env: process.env,
      },
    },
    write,
  );
}

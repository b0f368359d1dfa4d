/**
 * `custos securityhub import --run <runId>`: sends a stored run's `findings.asff.json` to Security
 * Hub. The findings were rendered for the scanning account's default product in its home
 * region; Security Hub accepts from that account only its own findings, and says which it refused.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CustosError, UsageError } from '../core/errors.js';
import { openStore } from '../reports/open-store.js';
import { importToSecurityHub } from '../reports/securityhub-sink.js';
import { loadConfig } from './config-file.js';
import { liveCredentials } from './engine-context.js';

export interface SecurityHubImportCommandOptions {
  readonly run: string;
  readonly config?: string;
  readonly out?: string;
  readonly profile?: string;
  readonly region?: string;
}

export async function securityHubImport(
  options: SecurityHubImportCommandOptions,
  write: (text: string) => void,
  client?: SecurityHubClient,
): Promise<number> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(options.run)) {
    throw new UsageError(`--run: ${JSON.stringify(options.run)} is not a run id`);
  }
  const config = loadConfig(options.config, options.out !== undefined ? { store: options.out } : {});
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const store = openStore(config, () => new S3Client({ region, credentials: liveCredentials(options) }));
  const key = `runs/${options.run}/findings.asff.json`;
  const body = await store.get(key);
  if (body === undefined) {
    throw new CustosError(
      `${store.locate(key)} does not exist: was the run written with the "asff" format?`,
      {
        exitCode: 2,
      },
    );
  }
  const { Findings: findings } = JSON.parse(body.toString('utf8')) as { Findings: AwsSecurityFinding[] };
  const securityHub =
    client ??
    new SecurityHubClient({
      region,
      credentials: liveCredentials(options),
      retryMode: 'adaptive',
      maxAttempts: 8,
    });
  const result = await importToSecurityHub(securityHub, findings);
  write(
    `Security Hub: ${result.imported} of ${findings.length} finding(s) imported, ${result.failed.length} refused`,
  );
  for (const failure of result.failed.slice(0, 10))
    write(`  ${failure.id}: ${failure.code}: ${failure.message}`);
  return result.failed.length === 0 ? 0 : 1;
}

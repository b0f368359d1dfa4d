/**
 * Imports ASFF findings into Security Hub with BatchImportFindings, 100 per request, one request
 * at a time. Nothing is retried here: the SDK client retries throttling and transient faults
 * itself (give it `retryMode: 'adaptive'`). What Security Hub refuses comes back as data, per
 * finding, so one bad finding or one refused batch does not hide the rest.
 */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { ASFF_MAX_BATCH, asffBatches } from './formats/asff.js';

export interface SecurityHubImportOptions {
  /** Findings per request, 1 to 100. Default 100 (the API's maximum). */
  readonly batchSize?: number;
  readonly abortSignal?: AbortSignal;
}

export interface SecurityHubImportFailure {
  /** The finding's `Id` (custos's fingerprint). */
  readonly id: string;
  /** Security Hub's error code, the exception name when the whole request was refused, or `AccountMismatch`. */
  readonly code: string;
  readonly message: string;
}

export interface SecurityHubImportResult {
  /** Findings sent to Security Hub (those refused up front are not sent). */
  readonly sent: number;
  /** Findings Security Hub accepted. */
  readonly imported: number;
  readonly failed: readonly SecurityHubImportFailure[];
}

const DEFAULT_PRODUCT = /^arn:[a-z0-9-]+:securityhub:[a-z0-9-]+:(\d{12}):product\/(\d{12})\/default$/;

/**
 * Security Hub accepts a finding through an account's default product only when that same
 * account calls BatchImportFindings and is the finding's `AwsAccountId`; such a finding for
 * another account would fail (and could take its whole batch with it), so it is not sent.
 */
function accountMismatch(finding: AwsSecurityFinding): SecurityHubImportFailure | undefined {
  const match = DEFAULT_PRODUCT.exec(finding.ProductArn ?? '');
  if (match === null) return undefined;
  const productAccount = match[2];
  if (finding.AwsAccountId === productAccount) return undefined;
  return {
    id: finding.Id ?? '',
    code: 'AccountMismatch',
    message: `finding is for account ${finding.AwsAccountId ?? '(none)'} but ProductArn is the default product of account ${productAccount}: import it from account ${finding.AwsAccountId ?? '(none)'}`,
  };
}

/** An error the service (or the SDK on its behalf) answered with, as opposed to a bug here. */
function isServiceError(error: unknown): error is Error & { $metadata: unknown } {
  return error instanceof Error && '$metadata' in error;
}

export async function importToSecurityHub(
  client: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
  options: SecurityHubImportOptions = {},
): Promise<SecurityHubImportResult> {
  const failed: SecurityHubImportFailure[] = [];
  const sendable: AwsSecurityFinding[] = [];
  for (const finding of findings) {
    const refusal = accountMismatch(finding);
    if (refusal === undefined) sendable.push(finding);
    else failed.push(refusal);
  }

  let sent = 0;
  let imported = 0;
  for (const batch of asffBatches(sendable, options.batchSize ?? ASFF_MAX_BATCH)) {
    sent += batch.length;
    try {
      const response = await client.send(
        new BatchImportFindingsCommand({ Findings: batch }),
        options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
      );
      const refused = response.FailedFindings ?? [];
      for (const failure of refused) {
        failed.push({
          id: failure.Id ?? '',
          code: failure.ErrorCode ?? 'Unknown',
          message: failure.ErrorMessage ?? '',
        });
      }
      imported += response.SuccessCount ?? batch.length - (response.FailedCount ?? refused.length);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      for (const finding of batch) {
        failed.push({ id: finding.Id ?? '', code: error.name, message: error.message });
      }
    }
  }
  return { sent, imported, failed };
}

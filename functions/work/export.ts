/**
 * What the export function does (functions/export.ts is its handler): `exportEvidence(store,
 * { framework, from, to })` from reports/export.ts (the same function `custos export` calls)
 * builds the bundle of the period's runs and writes it under `exports/` in the report bucket; the
 * function answers with a presigned link to it, valid for 15 minutes.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { toolVersion } from '../../cli/version.js';
import { UsageError } from '../../core/errors.js';
import { exportEvidence } from '../../reports/export.js';
import { type ExportEvent, type ExportResult, InvalidEventError } from '../events.js';
import { logger, MetricUnit, metrics } from '../lambda.js';
import {
  lambdaSettings,
  loadLambdaConfig,
  openReportStore,
  type RuntimeOptions,
  reportClient,
} from '../runtime.js';

export const LINK_SECONDS = 15 * 60;

export async function exportRun(event: ExportEvent, options: RuntimeOptions = {}): Promise<ExportResult> {
  logger.appendKeys({ framework: event.framework, from: event.from, to: event.to });
  const settings = lambdaSettings(options.env);
  const config = loadLambdaConfig(options);
  const store = openReportStore(config, options);
  let exported: Awaited<ReturnType<typeof exportEvidence>>;
  try {
    exported = await exportEvidence(store, {
      framework: event.framework,
      from: event.from,
      to: event.to,
      toolVersion: process.env.CUSTOS_TOOL_VERSION ?? toolVersion(),
      ...(options.now !== undefined && { now: options.now }),
    });
  } catch (error) {
    // A framework or period the export refuses is a bad event, not a failure to retry.
    if (error instanceof UsageError) throw new InvalidEventError(error.message);
    throw error;
  }
  const url = await getSignedUrl(
    reportClient(options, settings),
    new GetObjectCommand({ Bucket: settings.bucket, Key: exported.key }),
    { expiresIn: LINK_SECONDS },
  );
  metrics.addMetric('EvidenceExported', MetricUnit.Count, 1);
  logger.info('evidence exported', { key: exported.key, intact: exported.intact });
  return {
    bucket: settings.bucket,
    key: exported.key,
    url,
    expiresInSeconds: LINK_SECONDS,
    sha256: exported.sha256,
    intact: exported.intact,
  };
}

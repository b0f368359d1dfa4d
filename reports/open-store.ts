/** The report store a config names: a local folder, or `s3://bucket/prefix`. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ResolvedConfig } from '../core/config/load.js';
import { LocalReportStore } from './local-store.js';
import { parseS3Url, S3ReportStore } from './s3-store.js';
import type { ReportStore } from './store.js';

export function openStore(
  config: Pick<ResolvedConfig, 'output' | 'evidence'>,
  s3Client: () => S3Client,
): ReportStore {
  const { store, kmsKeyId } = config.output;
  if (!store.startsWith('s3://')) return new LocalReportStore(store);
  const { bucket, prefix } = parseS3Url(store);
  return new S3ReportStore({
    client: s3Client(),
    bucket,
    prefix,
    ...(kmsKeyId !== undefined && { kmsKeyId }),
    ...(config.evidence !== undefined && {
      objectLock: { mode: config.evidence.mode, retentionDays: config.evidence.retentionDays },
    }),
  });
}

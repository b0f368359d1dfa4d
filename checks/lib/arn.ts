/**
 * Resource ids for findings, in AWS's ARN formats. Account- and region-level findings use an
 * id that contains the account id, so a finding always says whose it is.
 */
import type { Target } from '../../core/types.js';

const PARTITION = 'aws';

/** `arn:aws:ec2:<region>:<account>:<type>/<id>` for VPC resources (security groups, ENIs, ...). */
export function ec2Arn(target: Target, resourceType: string, id: string): string {
  return `arn:${PARTITION}:ec2:${target.region}:${target.accountId}:${resourceType}/${id}`;
}

/** EBS snapshot ARNs carry no account id: `arn:aws:ec2:<region>::snapshot/<id>`. */
export function snapshotArn(target: Target, snapshotId: string): string {
  return `arn:${PARTITION}:ec2:${target.region}::snapshot/${snapshotId}`;
}

/** A per-region account setting, e.g. `ebs-default-encryption`. */
export function regionSettingId(target: Target, service: string, setting: string): string {
  return `arn:${PARTITION}:${service}:${target.region}:${target.accountId}:${setting}`;
}

export function rootArn(accountId: string): string {
  return `arn:${PARTITION}:iam::${accountId}:root`;
}

export function bucketArn(bucketName: string): string {
  return `arn:${PARTITION}:s3:::${bucketName}`;
}

/** The account-wide S3 Block Public Access setting. */
export function accountPublicAccessBlockId(accountId: string): string {
  return `arn:${PARTITION}:s3::${accountId}:account-public-access-block`;
}

/**
 * The whole scope a check could not see (a region or an account), for ERROR findings:
 * `arn:aws:<service>:<region>:<account>:*`, with an empty region for global scope.
 */
export function scopeId(service: string, accountId: string, region: string): string {
  const regionPart = region === 'global' || region === '*' ? '' : region;
  return `arn:${PARTITION}:${service}:${regionPart}:${accountId}:*`;
}

/** Tags in AWS's list form to a plain record, for findings and suppressions. */
export function tagRecord(
  tags: ReadonlyArray<{ Key: string; Value: string }> | undefined,
): Record<string, string> | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

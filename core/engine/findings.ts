/**
 * Turning verdicts into findings: the check's metadata is added here, once, from the check
 * object, and every finding gets its fingerprint.
 */
import { scopeId } from '../../checks/lib/arn.js';
import { describeKind } from '../../inventory/errors.js';
import { fingerprint } from '../fingerprint.js';
import type { CheckMetadata, CheckResult, CollectorError, Finding, Target } from '../types.js';

export function toFinding(check: CheckMetadata, target: Target, result: CheckResult): Finding {
  return {
    checkId: check.id,
    status: result.status,
    severity: check.severity,
    accountId: target.accountId,
    region: target.region,
    resourceType: result.resourceType ?? check.resourceType,
    resourceId: result.resourceId,
    title: check.title,
    message: result.message,
    evidence: result.evidence,
    remediation: check.remediation,
    frameworks: check.frameworks,
    fingerprint: fingerprint({
      checkId: check.id,
      accountId: target.accountId,
      region: target.region,
      resourceId: result.resourceId,
    }),
    ...(result.tags !== undefined && { tags: result.tags }),
  };
}

/** The service part of a check id (`ec2.sg.admin-ports-public` → `ec2`), for scope ids. */
function serviceOf(check: CheckMetadata): string {
  return check.id.split('.')[0] ?? 'aws';
}

/**
 * An ERROR finding for everything `check` would have assessed in `target`: the scope is named
 * by an id that contains the account id and the region.
 */
export function errorFinding(
  check: CheckMetadata,
  target: Target,
  source: string,
  error: CollectorError,
): Finding {
  return toFinding(check, target, {
    status: 'ERROR',
    resourceId: scopeId(serviceOf(check), target.accountId, target.region),
    resourceType: 'AwsScope',
    message: `Not assessed: ${source} failed (${describeKind(error.kind)}: ${error.code}).`,
    evidence: {
      source,
      kind: error.kind,
      code: error.code,
      reason: error.message,
      ...(error.operation !== undefined && { operation: error.operation }),
    },
  });
}

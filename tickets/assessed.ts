/**
 * Whether a run assessed a resource: the rule that keeps custos from closing what an errored
 * target or collector hid (TICKETS.md, Lifecycle). A resource is assessed when the report has a
 * verdict for it (PASS, or FAIL), or when its scope (check × account × region) has no ERROR
 * finding and its target was scanned, or errored but not in a collector the check needs.
 */
import type { CollectorId, Report, TargetCoverage } from '../core/types.js';
import { GLOBAL_REGION } from '../core/types.js';

/** What the rule needs to know of a resource (a finding, or what the record remembers of one). */
export interface ResourceRef {
  readonly checkId: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId?: string;
  /** The finding's fingerprint. */
  readonly fingerprint?: string;
}

export type IsAssessed = (resource: ResourceRef) => boolean;

/** The collectors a check needs, when known (the check registry); undefined: unknown. */
export type CheckNeeds = (checkId: string) => readonly CollectorId[] | undefined;

export interface ReportAssessment {
  readonly isAssessed: IsAssessed;
  /**
   * Whether every resource the check could have in the account was assessed: every region,
   * no ERROR for the check there. Used when custos no longer knows a ticket's resources.
   */
  readonly wholeCheckAssessed: (checkId: string, accountId: string) => boolean;
}

const key = (...parts: string[]): string => parts.join('\u001f');

export function reportAssessment(report: Report, checkNeeds: CheckNeeds = () => undefined): ReportAssessment {
  const statusByFingerprint = new Map<string, 'PASS' | 'FAIL' | 'ERROR'>();
  const erroredScopes = new Set<string>();
  const erroredChecks = new Set<string>();
  for (const f of report.findings) {
    const before = statusByFingerprint.get(f.fingerprint);
    // ERROR over FAIL over PASS: a resource with two verdicts, one of them ERROR, is not assessed.
    if (before === undefined || rank(f.status) > rank(before))
      statusByFingerprint.set(f.fingerprint, f.status);
    if (f.status === 'ERROR') {
      erroredScopes.add(key(f.checkId, f.accountId, f.region));
      erroredChecks.add(key(f.checkId, f.accountId));
    }
  }
  const checks = new Set(report.scope.checks);
  const accounts = new Set(report.scope.accounts);
  const regions = report.scope.regions === 'all' ? undefined : new Set(report.scope.regions);
  const accountStatus = new Map(report.coverage.accounts.map((a) => [a.accountId, a.status]));
  const targets = new Map(report.coverage.targets.map((t) => [key(t.accountId, t.region), t]));
  const targetsByAccount = new Map<string, TargetCoverage[]>();
  for (const t of report.coverage.targets) {
    const list = targetsByAccount.get(t.accountId) ?? [];
    list.push(t);
    targetsByAccount.set(t.accountId, list);
  }

  const inScope = (checkId: string, accountId: string): boolean =>
    checks.has(checkId) && accounts.has(accountId) && accountStatus.get(accountId) === 'scanned';

  const targetServed = (target: TargetCoverage, checkId: string): boolean => {
    if (target.status === 'scanned') return true;
    if (target.status !== 'error') return false;
    const needs = checkNeeds(checkId);
    return needs?.every((id) => target.collectors[id]?.ok === true) === true;
  };

  const scopeAssessed = (checkId: string, accountId: string, region: string): boolean => {
    if (!inScope(checkId, accountId)) return false;
    if (region !== GLOBAL_REGION && regions !== undefined && !regions.has(region)) return false;
    if (
      erroredScopes.has(key(checkId, accountId, region)) ||
      erroredScopes.has(key(checkId, accountId, '*'))
    ) {
      return false;
    }
    const target = targets.get(key(accountId, region));
    return target !== undefined && targetServed(target, checkId);
  };

  const isAssessed: IsAssessed = (resource) => {
    const status =
      resource.fingerprint === undefined ? undefined : statusByFingerprint.get(resource.fingerprint);
    if (status === 'PASS' || status === 'FAIL') return true;
    if (status === 'ERROR') return false;
    return scopeAssessed(resource.checkId, resource.accountId, resource.region);
  };

  const wholeCheckAssessed = (checkId: string, accountId: string): boolean => {
    if (!inScope(checkId, accountId) || regions !== undefined) return false;
    if (erroredChecks.has(key(checkId, accountId))) return false;
    const list = targetsByAccount.get(accountId) ?? [];
    // Regions that are not enabled (`not-scanned`) hold no resources.
    return list.length > 0 && list.every((t) => t.status === 'not-scanned' || targetServed(t, checkId));
  };

  return { isAssessed, wholeCheckAssessed };
}

function rank(status: 'PASS' | 'FAIL' | 'ERROR'): number {
  return status === 'PASS' ? 0 : status === 'FAIL' ? 1 : 2;
}

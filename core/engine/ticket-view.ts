/**
 * What the ticket sync reads of a run's findings, and nothing more, for a run too large to hold
 * its findings: identity and status of every finding (whether a resource was assessed), what a
 * new ticket says of a failing check (title, remediation, frameworks, the resource), and the
 * error kind and code of an ERROR finding. Messages, evidence, tags and history are left out, and
 * so is a passing finding's resource id (only its fingerprint is looked up); what findings of one
 * check share is kept once.
 */
import type { Finding, FrameworkRefs, Remediation } from '../types.js';

const NO_EVIDENCE: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_REMEDIATION: Remediation = Object.freeze({ text: '' });
const NO_FRAMEWORKS: FrameworkRefs = Object.freeze({});

/** A function that reduces each finding to what the ticket sync reads of it. */
export function ticketView(): (finding: Finding) => Finding {
  const strings = new Map<string, string>();
  const objects = new Map<string, object>();
  function once(value: string): string;
  function once<T extends object>(value: T): T;
  function once(value: string | object): string | object {
    if (typeof value === 'string') {
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    }
    const key = JSON.stringify(value);
    const known = objects.get(key);
    if (known !== undefined) return known;
    objects.set(key, value);
    return value;
  }
  return (f) => {
    const failing = f.status === 'FAIL';
    return {
      checkId: once(f.checkId),
      status: f.status,
      severity: f.severity,
      accountId: once(f.accountId),
      region: once(f.region),
      resourceType: once(f.resourceType),
      resourceId: f.status === 'PASS' ? '' : f.resourceId,
      title: failing ? once(f.title) : '',
      message: '',
      evidence: f.status === 'ERROR' ? f.evidence : NO_EVIDENCE,
      remediation: failing ? once(f.remediation) : NO_REMEDIATION,
      frameworks: failing ? once(f.frameworks) : NO_FRAMEWORKS,
      fingerprint: f.fingerprint,
      ...(f.suppressed !== undefined && { suppressed: f.suppressed }),
    };
  };
}

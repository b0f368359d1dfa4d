/**
 * What the export formats share: how a finding's framework references, remediation, partition
 * and times are written, so the CSV, OCSF, ASFF and JUnit files say the same thing the same way.
 */
import { FRAMEWORKS } from '../../core/frameworks/index.js';
import {
  FRAMEWORK_IDS,
  type FrameworkId,
  type FrameworkRefs,
  GLOBAL_REGION,
  type Remediation,
} from '../../core/types.js';

/** The finding type every custos finding has, in the ASFF taxonomy (also used in OCSF exports). */
export const FINDING_TYPE_BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';

/**
 * Short framework names in the style Security Hub uses for related requirements
 * (`CIS AWS Foundations Benchmark v5.0.0/5.3`); the catalogue's version is appended when it has one.
 */
const FRAMEWORK_SHORT_NAMES: Readonly<Record<FrameworkId, string>> = {
  'cis-aws-3.0': 'CIS AWS Foundations Benchmark',
  'cis-aws-5.0': 'CIS AWS Foundations Benchmark',
  fsbp: 'AWS Foundational Security Best Practices',
  hipaa: 'HIPAA Security Rule',
  gdpr: 'GDPR',
  ferpa: 'FERPA',
};

/** `CIS AWS Foundations Benchmark v5.0.0`, `HIPAA Security Rule`. */
export function frameworkLabel(frameworkId: FrameworkId): string {
  const version = FRAMEWORKS[frameworkId].version;
  const name = FRAMEWORK_SHORT_NAMES[frameworkId];
  return version === undefined ? name : `${name} v${version}`;
}

/** Each referenced framework that has at least one control, in catalogue order. */
function referencedFrameworks(refs: FrameworkRefs): Array<[FrameworkId, readonly string[]]> {
  const out: Array<[FrameworkId, readonly string[]]> = [];
  for (const frameworkId of FRAMEWORK_IDS) {
    const controls = refs[frameworkId];
    if (controls !== undefined && controls.length > 0) out.push([frameworkId, controls]);
  }
  return out;
}

/** `['CIS AWS Foundations Benchmark v5.0.0/5.3', 'AWS Foundational Security Best Practices v1.0.0/EC2.53']`. */
export function frameworkRequirements(refs: FrameworkRefs): string[] {
  return referencedFrameworks(refs).flatMap(([frameworkId, controls]) =>
    controls.map((control) => `${frameworkLabel(frameworkId)}/${control}`),
  );
}

/** The frameworks a finding gives evidence for: `['CIS AWS Foundations Benchmark v5.0.0', ...]`. */
export function frameworkStandards(refs: FrameworkRefs): string[] {
  return referencedFrameworks(refs).map(([frameworkId]) => frameworkLabel(frameworkId));
}

/** The compact form for one cell: `cis-aws-5.0:5.3|fsbp:EC2.53`. */
export function frameworkRefsText(refs: FrameworkRefs): string {
  return referencedFrameworks(refs)
    .flatMap(([frameworkId, controls]) => controls.map((control) => `${frameworkId}:${control}`))
    .join('|');
}

/** The remediation as one text: what to do, then where in the console, then the CLI command. */
export function remediationText(remediation: Remediation, separator = '\n'): string {
  const parts = [remediation.text];
  if (remediation.console !== undefined) parts.push(`Console: ${remediation.console}`);
  if (remediation.cli !== undefined) parts.push(`CLI: ${remediation.cli}`);
  return parts.join(separator);
}

/** `suppressed: <reason> (until <expires>)`. */
export function suppressionText(suppression: { readonly reason: string; readonly expires: string }): string {
  return `suppressed: ${suppression.reason} (until ${suppression.expires})`;
}

/**
 * Shortens a text to at most `max` UTF-16 code units (the unit AWS's length limits count),
 * ending with an ellipsis when cut, and never splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** The partition in an ARN (`arn:aws-cn:...` → `aws-cn`), or `undefined` when it is not an ARN. */
export function arnPartition(resourceId: string): string | undefined {
  const match = /^arn:([a-z][a-z0-9-]*):/.exec(resourceId);
  return match?.[1];
}

/** The partition a region belongs to, from its name. */
export function regionPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/** A finding's region as an AWS region name, or `undefined` for account-wide (`global`) findings. */
export function awsRegion(region: string): string | undefined {
  return region === GLOBAL_REGION || region === '' ? undefined : region;
}

/** ISO-8601 to epoch milliseconds; a timestamp that does not parse is a bug upstream. */
export function epochMillis(iso: string, field: string): number {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new Error(`${field} is not an ISO-8601 timestamp: ${JSON.stringify(iso)}`);
  return millis;
}

/** ISO-8601 normalised to UTC with milliseconds (`2025-01-02T03:04:05.000Z`). */
export function isoUtc(iso: string, field: string): string {
  return new Date(epochMillis(iso, field)).toISOString();
}

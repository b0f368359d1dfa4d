/**
 * `findings.asff.json`: every finding in the AWS Security Finding Format, as
 * `{ "Findings": [ … ] }`, ready for Security Hub's BatchImportFindings (batches of 100).
 * Reference: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html
 *
 * - `ProductArn` is the importing account's default product in its home region; Security Hub
 *   accepts a finding through the default product only from the account named in its
 *   `AwsAccountId`, so in an organization each account's findings are imported from that account
 *   (the Security Hub sink refuses the others up front, finding by finding).
 * - `Id` is the fingerprint, so each run updates the same Security Hub finding.
 * - Severity and Types also go into `FindingProviderFields`: that is where Security Hub takes a
 *   provider's updates to them from once a finding exists.
 * - Workflow: FAIL and ERROR → NEW, PASS → RESOLVED, suppressed → SUPPRESSED. Security Hub takes
 *   the workflow status from an import only when it creates the finding.
 * - Compliance.Status: PASS → PASSED, FAIL → FAILED, ERROR → NOT_AVAILABLE (Security Hub's value
 *   for a check that could not be performed, e.g. after an API error), with a status reason.
 * - Evidence is not exported (it can hold addresses and policy documents; report.json keeps it).
 * - Account-wide findings (`region: "global"`) name no resource region.
 */
import { InputError } from '../../core/errors.js';
import type { Finding, FindingStatus, FrameworkRefs, Report, Severity } from '../../core/types.js';
import {
  arnPartition,
  awsRegion,
  FINDING_TYPE_BEST_PRACTICES,
  frameworkRequirements,
  isoUtc,
  regionPartition,
  remediationText,
  suppressionText,
  truncate,
} from './common.js';
import { arrayMarker, prettyJsonWithArray } from './json-stream.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** BatchImportFindings takes at most 100 findings per request. */
export const ASFF_MAX_BATCH = 100;

/** Length limits from the ASFF reference (UTF-16 code units). */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  noteText: 512,
  relatedRequirements: 32,
  types: 50,
  productFieldsEntries: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  statusReasonDescription: 2048,
} as const;

export type AsffSeverityLabel = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
export type AsffComplianceStatus = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';
export type AsffWorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';
/** The partitions ASFF's `Resources[].Partition` accepts for AWS. */
export type AsffPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface AsffResource {
  Type: string;
  Id: string;
  Partition?: AsffPartition;
  Region?: string;
}

/** The ASFF fields custos writes; assignable to the SDK's `AwsSecurityFinding`. */
export interface AsffFinding {
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  ProductName: string;
  CompanyName: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  FirstObservedAt?: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: AsffSeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string } };
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Compliance: {
    Status: AsffComplianceStatus;
    RelatedRequirements?: string[];
    StatusReasons?: Array<{ ReasonCode: string; Description: string }>;
  };
  Workflow: { Status: AsffWorkflowStatus };
  RecordState: 'ACTIVE';
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
  FindingProviderFields: {
    Severity: { Label: AsffSeverityLabel; Original: string };
    Types: string[];
  };
}

export interface AsffDocument {
  Findings: AsffFinding[];
}

export interface AsffOptions {
  /** The home region: the Security Hub the findings are imported into. */
  readonly region: string;
  /** The account that imports them (its default product receives them). */
  readonly accountId: string;
  /** `CompanyName`. Default `custos`. */
  readonly companyName?: string;
}

const SEVERITY_LABEL: Readonly<Record<Severity, AsffSeverityLabel>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

const COMPLIANCE_STATUS: Readonly<Record<FindingStatus, AsffComplianceStatus>> = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  ERROR: 'NOT_AVAILABLE',
};

const ASFF_PARTITIONS: ReadonlySet<string> = new Set<AsffPartition>(['aws', 'aws-cn', 'aws-us-gov']);

/** The default product of an account in a region: where a custom integration's findings go. */
export function defaultProductArn(region: string, accountId: string): string {
  return `arn:${regionPartition(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** The ASFF finding types: best practices always, plus the regulatory standards a check maps to. */
export function asffTypes(refs: FrameworkRefs): string[] {
  const types = [FINDING_TYPE_BEST_PRACTICES];
  const standards = 'Software and Configuration Checks/Industry and Regulatory Standards';
  if ((refs['cis-aws-3.0']?.length ?? 0) > 0 || (refs['cis-aws-5.0']?.length ?? 0) > 0) {
    types.push(`${standards}/CIS AWS Foundations Benchmark`);
  }
  if ((refs.hipaa?.length ?? 0) > 0) types.push(`${standards}/HIPAA Controls (USA)`);
  if ((refs.gdpr?.length ?? 0) > 0) types.push(`${standards}/GDPR Controls (Europe)`);
  return types;
}

function workflowStatus(finding: Finding): AsffWorkflowStatus {
  if (finding.suppressed !== undefined) return 'SUPPRESSED';
  return finding.status === 'PASS' ? 'RESOLVED' : 'NEW';
}

function resourcePartition(finding: Finding, homeRegion: string): AsffPartition | undefined {
  const partition =
    arnPartition(finding.resourceId) ?? regionPartition(awsRegion(finding.region) ?? homeRegion);
  return ASFF_PARTITIONS.has(partition) ? (partition as AsffPartition) : undefined;
}

/** What an ASFF finding takes from its run. */
export type AsffRun = Pick<Report, 'runId' | 'asOf' | 'toolVersion'>;

function productFields(report: AsffRun, finding: Finding): Record<string, string> {
  const fields: Record<string, string> = {
    'custos/CheckId': finding.checkId,
    'custos/Status': finding.status,
    'custos/RunId': report.runId,
    'custos/ToolVersion': report.toolVersion,
  };
  if (finding.history !== undefined) {
    fields['custos/HistoryState'] = finding.history.state;
    fields['custos/FirstSeen'] = finding.history.firstSeen;
  }
  if (finding.suppressed !== undefined) fields['custos/SuppressedUntil'] = finding.suppressed.expires;
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, truncate(value, ASFF_LIMITS.productFieldValue)]),
  );
}

function checkOptions(options: AsffOptions): void {
  const problems: Array<{ path: string; message: string }> = [];
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region)) {
    problems.push({
      path: 'region',
      message: `got ${JSON.stringify(options.region)}, expected an AWS region name such as eu-west-1`,
    });
  }
  if (!/^\d{12}$/.test(options.accountId)) {
    problems.push({
      path: 'accountId',
      message: `got ${JSON.stringify(options.accountId)}, expected a 12-digit AWS account id`,
    });
  }
  if (problems.length > 0) throw new InputError('Security Hub export options', problems);
}

export function toAsffFinding(report: AsffRun, finding: Finding, options: AsffOptions): AsffFinding {
  checkOptions(options);
  const updatedAt = isoUtc(report.asOf, 'report.asOf');
  const firstSeen =
    finding.history === undefined ? undefined : isoUtc(finding.history.firstSeen, 'history.firstSeen');
  // CreatedAt: when the problem was first seen, never after this update.
  const createdAt = firstSeen !== undefined && firstSeen < updatedAt ? firstSeen : updatedAt;
  const severity = { Label: SEVERITY_LABEL[finding.severity], Original: finding.severity };
  const types = asffTypes(finding.frameworks).slice(0, ASFF_LIMITS.types);
  const title = truncate(finding.title, ASFF_LIMITS.title);
  const region = awsRegion(finding.region);

  const resource: AsffResource = { Type: finding.resourceType, Id: finding.resourceId };
  const partition = resourcePartition(finding, options.region);
  if (partition !== undefined) resource.Partition = partition;
  if (region !== undefined) resource.Region = region;

  const compliance: AsffFinding['Compliance'] = { Status: COMPLIANCE_STATUS[finding.status] };
  const requirements = frameworkRequirements(finding.frameworks).slice(0, ASFF_LIMITS.relatedRequirements);
  if (requirements.length > 0) compliance.RelatedRequirements = requirements;
  if (finding.status === 'ERROR') {
    compliance.StatusReasons = [
      {
        ReasonCode: 'ASSESSMENT_ERROR',
        Description: truncate(finding.message, ASFF_LIMITS.statusReasonDescription),
      },
    ];
  }

  const asff: AsffFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: truncate(finding.fingerprint, ASFF_LIMITS.id),
    ProductArn: defaultProductArn(options.region, options.accountId),
    ProductName: 'custos',
    CompanyName: options.companyName ?? 'custos',
    GeneratorId: truncate(finding.checkId, ASFF_LIMITS.generatorId),
    AwsAccountId: finding.accountId,
    Types: types,
    LastObservedAt: updatedAt,
    CreatedAt: createdAt,
    UpdatedAt: updatedAt,
    Severity: severity,
    Title: title === '' ? finding.checkId : title,
    Description: truncate(finding.message === '' ? finding.title : finding.message, ASFF_LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: truncate(remediationText(finding.remediation), ASFF_LIMITS.recommendationText),
      },
    },
    ProductFields: productFields(report, finding),
    Resources: [resource],
    Compliance: compliance,
    Workflow: { Status: workflowStatus(finding) },
    RecordState: 'ACTIVE',
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
  };
  if (firstSeen !== undefined) asff.FirstObservedAt = createdAt;
  if (finding.suppressed !== undefined) {
    asff.Note = {
      Text: truncate(suppressionText(finding.suppressed), ASFF_LIMITS.noteText),
      UpdatedBy: 'custos',
      UpdatedAt: updatedAt,
    };
  }
  return asff;
}

export function toAsffFindings(report: Report, options: AsffOptions): AsffFinding[] {
  checkOptions(options);
  return report.findings.map((finding) => toAsffFinding(report, finding, options));
}

/** The file: `{ "Findings": [ … ] }`, in report order. */
export function renderAsff(report: Report, options: AsffOptions): string {
  const document: AsffDocument = { Findings: toAsffFindings(report, options) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `renderAsff` as the findings come, batch by batch: the same bytes. */
export async function* asffChunks(
  report: AsffRun,
  findings: AsyncIterable<readonly Finding[]>,
  options: AsffOptions,
): AsyncGenerator<string> {
  checkOptions(options);
  const marker = arrayMarker();
  yield* prettyJsonWithArray({ Findings: marker }, marker, findings, (finding) =>
    toAsffFinding(report, finding, options),
  );
  yield '\n';
}

/** Splits findings into BatchImportFindings requests of at most `size` (1 to 100). */
export function asffBatches<T>(findings: readonly T[], size: number = ASFF_MAX_BATCH): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > ASFF_MAX_BATCH) {
    throw new RangeError(`batch size must be an integer from 1 to ${ASFF_MAX_BATCH}, got ${size}`);
  }
  const batches: T[][] = [];
  for (let start = 0; start < findings.length; start += size) {
    batches.push(findings.slice(start, start + size));
  }
  return batches;
}

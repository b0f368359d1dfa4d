/**
 * `findings.ocsf.json`: every finding as an OCSF 1.3.0 Detection Finding (class 2004), for
 * security data lakes and SIEMs (Amazon Security Lake custom sources, and the like).
 *
 * Mapping choices, against https://schema.ocsf.io/1.3.0/classes/detection_finding:
 * - `finding_info.uid` is the fingerprint: the same problem on the same resource keeps its uid
 *   from run to run, as OCSF's mutable findings expect. `metadata.uid` identifies this event
 *   instance, so it is `<runId>/<fingerprint>`; `metadata.correlation_uid` is the run id.
 * - Lifecycle `status_id`: FAIL → 1 New, PASS → 4 Resolved (nothing is left to do), ERROR → 99
 *   Other with `status` "Not Assessed" (the finding could not be assessed, so it is neither
 *   new nor resolved); a suppressed finding of any status → 3 Suppressed. `status_code` keeps
 *   custos's own PASS / FAIL / ERROR, `status_detail` the error or the suppression.
 * - The Detection Finding class defines no `compliance` attribute (that attribute belongs to
 *   the Compliance Finding class), so the OCSF Compliance object (control, requirements,
 *   standards, status_id 1 Pass / 2 Warning / 3 Fail) is carried under `unmapped.compliance`,
 *   where a strict schema validator accepts it. ERROR maps to Warning, which OCSF describes as
 *   a check that did not yield a result for want of information.
 * - `evidences` is left out: custos's evidence can hold addresses and policy documents, and it
 *   is kept in report.json. `message` (also `finding_info.desc`) says in a sentence what decided
 *   the verdict.
 * - Account-wide findings (`region: "global"`) carry no region: `global` is not a region name.
 */
import type { Finding, FindingStatus, Report, Severity } from '../../core/types.js';
import {
  arnPartition,
  awsRegion,
  epochMillis,
  FINDING_TYPE_BEST_PRACTICES,
  frameworkRequirements,
  frameworkStandards,
  remediationText,
  suppressionText,
} from './common.js';
import { arrayMarker, prettyJsonWithArray } from './json-stream.js';

/** The OCSF schema version these events conform to. */
export const OCSF_SCHEMA_VERSION = '1.3.0';

export const OCSF_DETECTION_FINDING = {
  categoryUid: 2,
  categoryName: 'Findings',
  classUid: 2004,
  className: 'Detection Finding',
  activityId: 1,
  activityName: 'Create',
  /** class_uid × 100 + activity_id. */
  typeUid: 200401,
  typeName: 'Detection Finding: Create',
} as const;

const SEVERITY: Readonly<Record<Severity, { readonly id: OcsfSeverityId; readonly caption: string }>> = {
  critical: { id: 5, caption: 'Critical' },
  high: { id: 4, caption: 'High' },
  medium: { id: 3, caption: 'Medium' },
  low: { id: 2, caption: 'Low' },
  info: { id: 1, caption: 'Informational' },
};

/** OCSF severity_id: 1 Informational … 5 Critical. */
export type OcsfSeverityId = 1 | 2 | 3 | 4 | 5;

/** Finding lifecycle: 1 New, 3 Suppressed, 4 Resolved, 99 Other. */
export type OcsfFindingStatusId = 1 | 3 | 4 | 99;

/** Compliance result: 1 Pass, 2 Warning, 3 Fail. */
export type OcsfComplianceStatusId = 1 | 2 | 3;

const COMPLIANCE_STATUS: Readonly<
  Record<FindingStatus, { readonly id: OcsfComplianceStatusId; readonly caption: string }>
> = {
  PASS: { id: 1, caption: 'Pass' },
  ERROR: { id: 2, caption: 'Warning' },
  FAIL: { id: 3, caption: 'Fail' },
};

export interface OcsfProduct {
  name: string;
  vendor_name: string;
  version: string;
}

export interface OcsfMetadata {
  version: string;
  product: OcsfProduct;
  uid: string;
  correlation_uid: string;
  profiles: string[];
}

export interface OcsfAnalytic {
  uid: string;
  name: string;
  /** 1 Rule. */
  type_id: 1;
  type: 'Rule';
}

export interface OcsfFindingInfo {
  uid: string;
  title: string;
  desc: string;
  created_time: number;
  first_seen_time?: number;
  types: string[];
  analytic: OcsfAnalytic;
}

export interface OcsfResource {
  uid: string;
  type: string;
  region?: string;
  cloud_partition?: string;
}

export interface OcsfCloud {
  provider: 'AWS';
  region?: string;
  account: {
    uid: string;
    /** 10 AWS Account. */
    type_id: 10;
    type: 'AWS Account';
  };
}

export interface OcsfCompliance {
  control: string;
  requirements: string[];
  standards: string[];
  status_id: OcsfComplianceStatusId;
  status: string;
  status_detail?: string;
}

export interface OcsfDetectionFinding {
  activity_id: 1;
  activity_name: 'Create';
  category_uid: 2;
  category_name: 'Findings';
  class_uid: 2004;
  class_name: 'Detection Finding';
  type_uid: 200401;
  type_name: 'Detection Finding: Create';
  time: number;
  severity_id: OcsfSeverityId;
  severity: string;
  status_id: OcsfFindingStatusId;
  status: string;
  status_code: FindingStatus;
  status_detail?: string;
  message: string;
  metadata: OcsfMetadata;
  finding_info: OcsfFindingInfo;
  resources: OcsfResource[];
  cloud: OcsfCloud;
  remediation: { desc: string };
  unmapped: { compliance: OcsfCompliance };
}

export interface OcsfOptions {
  /** `metadata.product.vendor_name`. Default `custos`. */
  readonly vendorName?: string;
}

function lifecycleStatus(finding: Finding): { id: OcsfFindingStatusId; caption: string } {
  if (finding.suppressed !== undefined) return { id: 3, caption: 'Suppressed' };
  switch (finding.status) {
    case 'FAIL':
      return { id: 1, caption: 'New' };
    case 'PASS':
      return { id: 4, caption: 'Resolved' };
    case 'ERROR':
      return { id: 99, caption: 'Not Assessed' };
  }
}

function statusDetail(finding: Finding): string | undefined {
  const details: string[] = [];
  if (finding.status === 'ERROR') details.push(finding.message);
  if (finding.suppressed !== undefined) details.push(suppressionText(finding.suppressed));
  return details.length === 0 ? undefined : details.join('; ');
}

/** What an OCSF event takes from its run. */
export type OcsfRun = Pick<Report, 'runId' | 'asOf' | 'toolVersion'>;

export function toOcsfFinding(
  report: OcsfRun,
  finding: Finding,
  options: OcsfOptions = {},
): OcsfDetectionFinding {
  const time = epochMillis(report.asOf, 'report.asOf');
  const severity = SEVERITY[finding.severity];
  const status = lifecycleStatus(finding);
  const detail = statusDetail(finding);
  const region = awsRegion(finding.region);
  const partition = arnPartition(finding.resourceId);
  const compliance = COMPLIANCE_STATUS[finding.status];

  const findingInfo: OcsfFindingInfo = {
    uid: finding.fingerprint,
    title: finding.title,
    desc: finding.message,
    created_time: time,
    types: [FINDING_TYPE_BEST_PRACTICES],
    analytic: { uid: finding.checkId, name: finding.checkId, type_id: 1, type: 'Rule' },
  };
  if (finding.history !== undefined) {
    findingInfo.first_seen_time = epochMillis(finding.history.firstSeen, 'history.firstSeen');
  }

  const resource: OcsfResource = { uid: finding.resourceId, type: finding.resourceType };
  if (region !== undefined) resource.region = region;
  if (partition !== undefined) resource.cloud_partition = partition;

  const cloud: OcsfCloud = {
    provider: 'AWS',
    account: { uid: finding.accountId, type_id: 10, type: 'AWS Account' },
  };
  if (region !== undefined) cloud.region = region;

  const complianceObject: OcsfCompliance = {
    control: finding.checkId,
    requirements: frameworkRequirements(finding.frameworks),
    standards: frameworkStandards(finding.frameworks),
    status_id: compliance.id,
    status: compliance.caption,
  };
  if (finding.status === 'ERROR') complianceObject.status_detail = finding.message;

  const event: OcsfDetectionFinding = {
    activity_id: OCSF_DETECTION_FINDING.activityId,
    activity_name: OCSF_DETECTION_FINDING.activityName,
    category_uid: OCSF_DETECTION_FINDING.categoryUid,
    category_name: OCSF_DETECTION_FINDING.categoryName,
    class_uid: OCSF_DETECTION_FINDING.classUid,
    class_name: OCSF_DETECTION_FINDING.className,
    type_uid: OCSF_DETECTION_FINDING.typeUid,
    type_name: OCSF_DETECTION_FINDING.typeName,
    time,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: status.id,
    status: status.caption,
    status_code: finding.status,
    message: finding.message,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      product: {
        name: 'custos',
        vendor_name: options.vendorName ?? 'custos',
        version: report.toolVersion,
      },
      uid: `${report.runId}/${finding.fingerprint}`,
      correlation_uid: report.runId,
      profiles: ['cloud'],
    },
    finding_info: findingInfo,
    resources: [resource],
    cloud,
    remediation: { desc: remediationText(finding.remediation) },
    unmapped: { compliance: complianceObject },
  };
  if (detail !== undefined) event.status_detail = detail;
  return event;
}

export function toOcsfFindings(report: Report, options: OcsfOptions = {}): OcsfDetectionFinding[] {
  return report.findings.map((finding) => toOcsfFinding(report, finding, options));
}

/** The file: a JSON array of Detection Findings, in report order. */
export function renderOcsf(report: Report, options: OcsfOptions = {}): string {
  return `${JSON.stringify(toOcsfFindings(report, options), null, 2)}\n`;
}

/** `renderOcsf` as the findings come, batch by batch: the same bytes. */
export async function* ocsfChunks(
  report: OcsfRun,
  findings: AsyncIterable<readonly Finding[]>,
  options: OcsfOptions = {},
): AsyncGenerator<string> {
  const marker = arrayMarker();
  yield* prettyJsonWithArray(marker, marker, findings, (finding) => toOcsfFinding(report, finding, options));
  yield '\n';
}

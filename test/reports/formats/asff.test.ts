import type { AwsSecurityFinding, BatchImportFindingsRequest } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import type { Finding } from '../../../core/types.js';
import {
  type AsffFinding,
  asffBatches,
  defaultProductArn,
  renderAsff,
  toAsffFindings,
} from '../../../reports/formats/asff.js';
import {
  ACCOUNT,
  AS_OF,
  criticalFinding,
  errorFinding,
  FINDINGS,
  makeReport,
  passFinding,
  SECRET_EVIDENCE,
  suppressedFinding,
} from './fixture.js';

const OPTIONS = { region: 'eu-west-1', accountId: ACCOUNT } as const;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Every field BatchImportFindings requires and the length limits of the fields custos writes,
 * from the ASFF reference:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html and
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
 */
function asffProblems(finding: AsffFinding): string[] {
  const problems: string[] = [];
  const nonEmpty = (name: string, value: unknown, max: number) => {
    if (typeof value !== 'string' || value.length === 0) problems.push(`${name} is missing`);
    else if (value.length > max) problems.push(`${name} is ${value.length} long, more than ${max}`);
  };
  if (finding.SchemaVersion !== '2018-10-08') problems.push('SchemaVersion is not 2018-10-08');
  nonEmpty('Id', finding.Id, 512);
  nonEmpty('ProductArn', finding.ProductArn, 2048);
  if (finding.ProductArn.length < 12) problems.push('ProductArn is shorter than 12');
  nonEmpty('GeneratorId', finding.GeneratorId, 512);
  if (!/^\d{12}$/.test(finding.AwsAccountId)) problems.push('AwsAccountId is not 12 digits');
  for (const field of ['CreatedAt', 'UpdatedAt', 'LastObservedAt'] as const) {
    if (!ISO_8601.test(finding[field])) problems.push(`${field} is not ISO 8601 UTC`);
  }
  if (finding.CreatedAt > finding.UpdatedAt) problems.push('CreatedAt is after UpdatedAt');
  nonEmpty('Title', finding.Title, 256);
  nonEmpty('Description', finding.Description, 1024);
  if (!['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].includes(finding.Severity.Label)) {
    problems.push('Severity.Label is not a label');
  }
  if (finding.Types.length === 0 || finding.Types.length > 50) problems.push('Types has 0 or over 50 items');
  const namespaces = [
    'Software and Configuration Checks',
    'TTPs',
    'Effects',
    'Unusual Behaviors',
    'Sensitive Data Identifications',
  ];
  for (const type of finding.Types) {
    if (!namespaces.includes(type.split('/')[0] ?? ''))
      problems.push(`Types: ${type} has no valid namespace`);
  }
  if (finding.Resources.length === 0 || finding.Resources.length > 32)
    problems.push('Resources has 0 or over 32');
  for (const resource of finding.Resources) {
    nonEmpty('Resources[].Type', resource.Type, 256);
    nonEmpty('Resources[].Id', resource.Id, 512);
    if (resource.Partition !== undefined && !['aws', 'aws-cn', 'aws-us-gov'].includes(resource.Partition)) {
      problems.push('Resources[].Partition is not a partition');
    }
    if (resource.Region !== undefined) nonEmpty('Resources[].Region', resource.Region, 16);
  }
  if (!['PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE'].includes(finding.Compliance.Status)) {
    problems.push('Compliance.Status is not a status');
  }
  if ((finding.Compliance.RelatedRequirements?.length ?? 0) > 32)
    problems.push('RelatedRequirements over 32');
  if (!['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'].includes(finding.Workflow.Status)) {
    problems.push('Workflow.Status is not a status');
  }
  if (finding.RecordState !== 'ACTIVE') problems.push('RecordState is not ACTIVE');
  nonEmpty('Remediation.Recommendation.Text', finding.Remediation.Recommendation.Text, 512);
  if (finding.Note !== undefined) nonEmpty('Note.Text', finding.Note.Text, 512);
  if (Object.keys(finding.ProductFields).length > 50) problems.push('ProductFields has over 50 entries');
  for (const [key, value] of Object.entries(finding.ProductFields)) {
    if (key.length > 128 || value.length > 2048) problems.push(`ProductFields ${key} is too long`);
  }
  return problems;
}

describe('findings.asff.json', () => {
  it('type-checks as what BatchImportFindings takes', () => {
    // Act
    const findings = toAsffFindings(makeReport(), OPTIONS);
    // tsc proves the shape: these assignments compile only if custos's findings are SDK findings.
    const sdkFindings: AwsSecurityFinding[] = findings;
    const request: BatchImportFindingsRequest = { Findings: findings };

    // Assess
    expect(sdkFindings).toHaveLength(FINDINGS.length);
    expect(request.Findings).toBe(findings);
  });

  it('writes { Findings: [...] } with every required field within its limits', () => {
    // Act
    const document = JSON.parse(renderAsff(makeReport(), OPTIONS)) as { Findings: AsffFinding[] };

    // Assess
    expect(Object.keys(document)).toEqual(['Findings']);
    expect(document.Findings).toHaveLength(FINDINGS.length);
    for (const finding of document.Findings) expect(asffProblems(finding)).toEqual([]);
  });

  it('keeps long texts and many requirements within the limits', () => {
    // Prepare
    const long: Finding = {
      ...criticalFinding,
      title: 'T'.repeat(300),
      message: `${'M'.repeat(1022)}😀😀`,
      remediation: { text: 'R'.repeat(600) },
      frameworks: { hipaa: Array.from({ length: 40 }, (_, i) => `164.${i}`) },
    };

    // Act
    const [finding] = toAsffFindings(makeReport([long]), OPTIONS);

    // Assess
    expect(asffProblems(finding!)).toEqual([]);
    expect(finding?.Title).toHaveLength(256);
    expect(finding?.Title.endsWith('…')).toBe(true);
    expect(finding?.Description.length).toBeLessThanOrEqual(1024);
    // A surrogate pair is never cut in half.
    expect(finding?.Description).toBe(`${'M'.repeat(1022)}…`);
    expect(finding?.Remediation.Recommendation.Text).toHaveLength(512);
    expect(finding?.Compliance.RelatedRequirements).toHaveLength(32);
  });

  it('maps a critical FAIL with history', () => {
    // Act
    const [finding] = toAsffFindings(makeReport([criticalFinding]), OPTIONS);

    // Assess
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: criticalFinding.fingerprint,
      ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      GeneratorId: 'iam.root.access-keys',
      AwsAccountId: ACCOUNT,
      CreatedAt: '2025-05-01T02:00:00.000Z',
      FirstObservedAt: '2025-05-01T02:00:00.000Z',
      UpdatedAt: AS_OF,
      LastObservedAt: AS_OF,
      Severity: { Label: 'CRITICAL', Original: 'critical' },
      Title: criticalFinding.title,
      Description: criticalFinding.message,
      Resources: [{ Type: 'AwsAccount', Id: `arn:aws:iam::${ACCOUNT}:root`, Partition: 'aws' }],
      Compliance: {
        Status: 'FAILED',
        RelatedRequirements: [
          'CIS AWS Foundations Benchmark v3.0.0/1.4',
          'CIS AWS Foundations Benchmark v5.0.0/1.3',
          'AWS Foundational Security Best Practices v1.0.0/IAM.4',
        ],
      },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      ProductFields: { 'custos/HistoryState': 'persisting', 'custos/CheckId': 'iam.root.access-keys' },
      FindingProviderFields: { Severity: { Label: 'CRITICAL' } },
    });
    expect(finding?.Types).toEqual([
      'Software and Configuration Checks/AWS Security Best Practices',
      'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
    ]);
    expect(finding?.FindingProviderFields.Types).toEqual(finding?.Types);
    expect(finding?.Remediation.Recommendation.Text).toContain('Delete the root user access keys.');
    // An account-wide finding names no resource region.
    expect(finding?.Resources[0]?.Region).toBeUndefined();
  });

  it('maps PASS to PASSED/RESOLVED, suppressed to SUPPRESSED with a note, ERROR to NOT_AVAILABLE', () => {
    // Act
    const [pass, suppressed, error] = toAsffFindings(
      makeReport([passFinding, suppressedFinding, errorFinding]),
      OPTIONS,
    );

    // Assess
    expect(pass).toMatchObject({ Compliance: { Status: 'PASSED' }, Workflow: { Status: 'RESOLVED' } });
    expect(pass?.Resources[0]?.Region).toBe('eu-west-1');
    expect(pass?.FirstObservedAt).toBeUndefined();
    expect(pass?.CreatedAt).toBe(AS_OF);

    expect(suppressed).toMatchObject({
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'SUPPRESSED' },
      Note: {
        Text: 'suppressed: Bastion host, replaced in Q3 (CHG-1234) (until 2025-09-30T00:00:00.000Z)',
        UpdatedBy: 'custos',
        UpdatedAt: AS_OF,
      },
    });
    expect(suppressed?.Compliance.RelatedRequirements).toContain('CIS AWS Foundations Benchmark v5.0.0/5.3');

    expect(error).toMatchObject({
      AwsAccountId: errorFinding.accountId,
      Compliance: {
        Status: 'NOT_AVAILABLE',
        StatusReasons: [{ ReasonCode: 'ASSESSMENT_ERROR', Description: errorFinding.message }],
      },
      Workflow: { Status: 'NEW' },
      Resources: [{ Region: 'ap-southeast-2', Partition: 'aws' }],
    });
  });

  it('names the importing account default product in the home region and its partition', () => {
    // Assess
    expect(defaultProductArn('us-east-1', '123456789012')).toBe(
      'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
    );
    expect(defaultProductArn('cn-north-1', '123456789012')).toBe(
      'arn:aws-cn:securityhub:cn-north-1:123456789012:product/123456789012/default',
    );
    expect(defaultProductArn('us-gov-west-1', '123456789012')).toMatch(/^arn:aws-us-gov:securityhub:/);
  });

  it('refuses options that cannot make a product ARN', () => {
    // Assess
    expect(() => toAsffFindings(makeReport(), { region: 'global', accountId: ACCOUNT })).toThrow(InputError);
    expect(() => toAsffFindings(makeReport(), { region: 'eu-west-1', accountId: '1234' })).toThrow(
      /accountId: got "1234", expected a 12-digit AWS account id/,
    );
  });

  it('leaves evidence out', () => {
    // Assess
    expect(renderAsff(makeReport(), OPTIONS)).not.toContain(SECRET_EVIDENCE);
  });
});

describe('asffBatches', () => {
  it('splits 250 findings into batches of 100, 100 and 50, in order', () => {
    // Prepare
    const items = Array.from({ length: 250 }, (_, index) => index);

    // Act
    const batches = asffBatches(items);

    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(items);
  });

  it('takes a smaller size, gives no batch for no findings, and refuses sizes outside 1..100', () => {
    // Assess
    expect(asffBatches([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
    expect(asffBatches([])).toEqual([]);
    expect(() => asffBatches([1], 0)).toThrow(RangeError);
    expect(() => asffBatches([1], 101)).toThrow(RangeError);
    expect(() => asffBatches([1], 1.5)).toThrow(RangeError);
  });
});

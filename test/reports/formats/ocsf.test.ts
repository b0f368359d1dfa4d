import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OCSF_SCHEMA_VERSION, renderOcsf, toOcsfFindings } from '../../../reports/formats/ocsf.js';
import {
  ACCOUNT,
  AS_OF,
  criticalFinding,
  errorFinding,
  FINDINGS,
  makeReport,
  OTHER_ACCOUNT,
  passFinding,
  SECRET_EVIDENCE,
  suppressedFinding,
} from './fixture.js';

// The required attributes of the OCSF 1.3.0 Detection Finding class and their types, from
// https://schema.ocsf.io/1.3.0/classes/detection_finding?profiles=cloud
// (source: https://github.com/ocsf/ocsf-schema/tree/v1.3.0, events/findings/detection_finding.json,
// its parents finding.json and base_event.json, and the objects it names). Timestamps are epoch
// milliseconds (timestamp_t, a long); integers are integer_t / long_t.
const timestamp = z.int().nonnegative();
const requiredDetectionFinding = z
  .object({
    activity_id: z.int(), // required, Integer (0 Unknown, 1 Create, 2 Update, 3 Close, 99 Other)
    category_uid: z.literal(2), // required, Integer: 2 Findings
    class_uid: z.literal(2004), // required, Integer: 2004 Detection Finding
    finding_info: z.object({
      uid: z.string().min(1), // required, String
      title: z.string().min(1), // String; custos always writes it
    }), // required, Finding Information
    metadata: z.object({
      product: z.object({ name: z.string().min(1), vendor_name: z.string().min(1) }), // required, Product
      version: z.string().regex(/^\d+\.\d+\.\d+/), // required, String: the schema version
    }), // required, Metadata
    severity_id: z.union([z.int().min(0).max(6), z.literal(99)]), // required, Integer
    time: timestamp, // required, Timestamp
    type_uid: z.int(), // required, Long: class_uid × 100 + activity_id
    cloud: z.object({ provider: z.string().min(1) }), // required by the cloud profile, Cloud
  })
  .refine((event) => event.type_uid === event.class_uid * 100 + event.activity_id, {
    message: 'type_uid must be class_uid × 100 + activity_id',
  });

/** The attributes OCSF 1.3.0 defines for Detection Finding (with the cloud profile): nothing else may appear. */
const DETECTION_FINDING_ATTRIBUTES = new Set([
  'action',
  'action_id',
  'activity_id',
  'activity_name',
  'actor',
  'api',
  'attacks',
  'category_name',
  'category_uid',
  'class_name',
  'class_uid',
  'cloud',
  'comment',
  'confidence',
  'confidence_id',
  'confidence_score',
  'count',
  'device',
  'disposition',
  'disposition_id',
  'duration',
  'end_time',
  'enrichments',
  'evidences',
  'finding_info',
  'impact',
  'impact_id',
  'impact_score',
  'malware',
  'message',
  'metadata',
  'observables',
  'raw_data',
  'remediation',
  'resources',
  'risk_level',
  'risk_level_id',
  'risk_score',
  'severity',
  'severity_id',
  'start_time',
  'status',
  'status_code',
  'status_detail',
  'status_id',
  'time',
  'timezone_offset',
  'type_name',
  'type_uid',
  'unmapped',
  'vulnerabilities',
]);

// The enums of the recommended attributes custos writes.
const recommendedAttributes = z.object({
  activity_name: z.literal('Create'),
  category_name: z.literal('Findings'),
  class_name: z.literal('Detection Finding'),
  type_name: z.literal('Detection Finding: Create'),
  severity: z.enum(['Informational', 'Low', 'Medium', 'High', 'Critical']),
  status_id: z.union([z.int().min(0).max(6), z.literal(99)]),
  status: z.string().min(1),
  message: z.string(),
  resources: z.array(
    z.object({
      uid: z.string().min(1),
      type: z.string().min(1),
      region: z.string().optional(),
      cloud_partition: z.string().optional(),
    }),
  ),
  remediation: z.object({ desc: z.string().min(1) }), // desc is the Remediation object's required attribute
  unmapped: z.object({
    compliance: z.object({
      control: z.string(),
      requirements: z.array(z.string()),
      standards: z.array(z.string()), // required in the Compliance object
      status_id: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(99)]),
      status: z.string(),
    }),
  }),
});

describe('findings.ocsf.json', () => {
  it('is a JSON array with one Detection Finding per finding, each with every required attribute', () => {
    // Act
    const events = JSON.parse(renderOcsf(makeReport())) as unknown[];

    // Assess
    expect(events).toHaveLength(FINDINGS.length);
    for (const event of events) {
      const required = requiredDetectionFinding.safeParse(event);
      expect(required.error?.issues ?? []).toEqual([]);
      const recommended = recommendedAttributes.safeParse(event);
      expect(recommended.error?.issues ?? []).toEqual([]);
      const unknown = Object.keys(event as object).filter((key) => !DETECTION_FINDING_ATTRIBUTES.has(key));
      expect(unknown).toEqual([]);
    }
  });

  it('has a schema that rejects an event missing a required attribute or with a wrong type_uid', () => {
    // Prepare
    const [event] = toOcsfFindings(makeReport([criticalFinding]));
    const { finding_info: _dropped, ...withoutFindingInfo } = event!;

    // Assess
    expect(requiredDetectionFinding.safeParse(withoutFindingInfo).success).toBe(false);
    expect(requiredDetectionFinding.safeParse({ ...event, type_uid: 200402 }).success).toBe(false);
    expect(requiredDetectionFinding.safeParse({ ...event, time: AS_OF }).success).toBe(false);
    expect(requiredDetectionFinding.safeParse(event).success).toBe(true);
  });

  it('writes the class, activity and type ids and the schema and product versions', () => {
    // Act
    const [event] = toOcsfFindings(makeReport([criticalFinding]));

    // Assess
    expect(event).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      time: Date.parse(AS_OF),
      metadata: {
        version: OCSF_SCHEMA_VERSION,
        product: { name: 'custos', vendor_name: 'custos', version: '0.1.0' },
        uid: `2025-06-01T02-00-00Z-abc123/${criticalFinding.fingerprint}`,
        correlation_uid: '2025-06-01T02-00-00Z-abc123',
        profiles: ['cloud'],
      },
    });
    expect(OCSF_SCHEMA_VERSION).toBe('1.3.0');
  });

  it('maps a critical FAIL with history: severity 5, New, first seen from history, compliance Fail', () => {
    // Act
    const [event] = toOcsfFindings(makeReport([criticalFinding]));

    // Assess
    expect(event).toMatchObject({
      severity_id: 5,
      severity: 'Critical',
      status_id: 1,
      status: 'New',
      status_code: 'FAIL',
      message: criticalFinding.message,
      finding_info: {
        uid: criticalFinding.fingerprint,
        title: criticalFinding.title,
        desc: criticalFinding.message,
        created_time: Date.parse(AS_OF),
        first_seen_time: Date.parse('2025-05-01T02:00:00.000Z'),
        analytic: { uid: 'iam.root.access-keys', type_id: 1 },
      },
      resources: [{ uid: `arn:aws:iam::${ACCOUNT}:root`, type: 'AwsAccount', cloud_partition: 'aws' }],
      cloud: { provider: 'AWS', account: { uid: ACCOUNT, type_id: 10 } },
      unmapped: {
        compliance: {
          control: 'iam.root.access-keys',
          requirements: [
            'CIS AWS Foundations Benchmark v3.0.0/1.4',
            'CIS AWS Foundations Benchmark v5.0.0/1.3',
            'AWS Foundational Security Best Practices v1.0.0/IAM.4',
          ],
          standards: [
            'CIS AWS Foundations Benchmark v3.0.0',
            'CIS AWS Foundations Benchmark v5.0.0',
            'AWS Foundational Security Best Practices v1.0.0',
          ],
          status_id: 3,
          status: 'Fail',
        },
      },
    });
    expect(event?.remediation.desc).toContain('aws iam delete-access-key');
    // An account-wide finding names no region: "global" is not a region.
    expect(event?.cloud.region).toBeUndefined();
    expect(event?.resources[0]?.region).toBeUndefined();
    expect(event?.status_detail).toBeUndefined();
  });

  it('maps PASS to Resolved, suppressed to Suppressed, ERROR to Other with a status detail', () => {
    // Act
    const [pass, suppressed, error] = toOcsfFindings(
      makeReport([passFinding, suppressedFinding, errorFinding]),
    );

    // Assess
    expect(pass).toMatchObject({ status_id: 4, status: 'Resolved', status_code: 'PASS', severity_id: 5 });
    expect(pass?.unmapped.compliance).toMatchObject({ status_id: 1, status: 'Pass' });
    expect(pass?.finding_info.first_seen_time).toBeUndefined();
    expect(pass?.cloud.region).toBe('eu-west-1');

    expect(suppressed).toMatchObject({
      status_id: 3,
      status: 'Suppressed',
      status_code: 'FAIL',
      severity_id: 4,
      status_detail: 'suppressed: Bastion host, replaced in Q3 (CHG-1234) (until 2025-09-30T00:00:00.000Z)',
    });
    expect(suppressed?.unmapped.compliance.status_id).toBe(3);

    expect(error).toMatchObject({
      status_id: 99,
      status: 'Not Assessed',
      status_code: 'ERROR',
      status_detail: errorFinding.message,
      cloud: { region: 'ap-southeast-2', account: { uid: OTHER_ACCOUNT } },
      resources: [{ region: 'ap-southeast-2', cloud_partition: 'aws' }],
    });
    expect(error?.unmapped.compliance).toMatchObject({ status_id: 2, status: 'Warning' });
  });

  it('maps every custos severity to its OCSF id', () => {
    // Prepare
    const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
    const findings = severities.map((severity, index) => ({
      ...criticalFinding,
      severity,
      fingerprint: String(index).repeat(64),
    }));

    // Act
    const events = toOcsfFindings(makeReport(findings));

    // Assess
    expect(events.map((event) => [event.severity_id, event.severity])).toEqual([
      [1, 'Informational'],
      [2, 'Low'],
      [3, 'Medium'],
      [4, 'High'],
      [5, 'Critical'],
    ]);
  });

  it('leaves evidence out', () => {
    // Act
    const text = renderOcsf(makeReport());

    // Assess
    expect(text).not.toContain(SECRET_EVIDENCE);
    expect(text).not.toContain('"evidences"');
  });

  it('writes an empty array for a report without findings', () => {
    // Assess
    expect(JSON.parse(renderOcsf(makeReport([])))).toEqual([]);
  });
});

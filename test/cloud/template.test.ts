import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Packaged, packaged, REPO, stateMachineDefinition, type Template } from './packaged.js';
import {
  aslValidator,
  asText,
  conditionValues,
  policyStatements,
  resolveIfs,
  resourcesFor,
  resourcesOfType,
  roleStatements,
  type Statement,
} from './template.js';

let result: Packaged;
let template: Template;

beforeAll(async () => {
  result = await packaged();
  template = result.template;
}, 180_000);

const BUCKET_ARN = `\${ReportBucket.Arn}`;
const KEY_ARN = `\${ReportKey.Arn}`;
const STAGE = 'prod';
const SCANNER_ARN = `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/custos-${STAGE}-scanner-\${AWS::Region}`;
const AUDIT_ROLE_ARN = `arn:\${AWS::Partition}:iam::*:role/CustosAudit`;

const FUNCTION_ROLES = {
  PlanLambdaFunction: 'PlanRole',
  ScanTargetLambdaFunction: 'ScanTargetRole',
  FinalizeLambdaFunction: 'FinalizeRole',
  ExportLambdaFunction: 'ExportRole',
} as const;

const ROLES = [
  'PlanRole',
  'ScanTargetRole',
  'FinalizeRole',
  'ExportRole',
  'ScannerRole',
  'StateMachineRole',
  'ScheduleRole',
] as const;

function resource(logicalId: string) {
  const r = template.Resources[logicalId];
  if (r === undefined) throw new Error(`no resource ${logicalId}`);
  return r;
}

function props(logicalId: string): Record<string, unknown> {
  return resource(logicalId).Properties;
}

describe('osls package', () => {
  it('resolves nothing from AWS when packaging: no aws, ssm, cf or s3 variable', () => {
    const text = readFileSync(join(REPO, 'serverless.yml'), 'utf8');
    expect(text).not.toMatch(/\$\{(aws|ssm|cf|s3|sls:instanceId)[:.(]/);
    expect(text).toContain(`\${env:CUSTOS_CONFIG, './custos.config.json'}`);
  });

  it('packages without AWS credentials and prints each bundle size', () => {
    expect(result.log).toContain('Service packaged');
    for (const name of ['plan', 'scanTarget', 'finalize', 'export']) {
      expect(result.log).toMatch(
        new RegExp(`custos bundle ${name}\\s+index\\.mjs [\\d.]+ KiB, ${name}\\.zip [\\d.]+ KiB`),
      );
    }
  });
});

describe('the functions', () => {
  it('run on nodejs22.x on arm64, each with its own role and no other', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(Object.keys(FUNCTION_ROLES).sort());
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Role).toEqual({
        'Fn::GetAtt': [FUNCTION_ROLES[id as keyof typeof FUNCTION_ROLES], 'Arn'],
      });
    }
    // No shared default role: osls makes one only when a function has none.
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('hold no secret in their environment: only resource names and settings', () => {
    const allowed = new Set([
      'CUSTOS_REPORT_BUCKET',
      'CUSTOS_KMS_KEY_ARN',
      'CUSTOS_SCANNER_ROLE_ARN',
      'CUSTOS_ORG_READER_ROLE_ARN',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_LOG_LEVEL',
    ]);
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      for (const [name, value] of Object.entries(variables)) {
        expect(allowed.has(name), `${id} ${name}`).toBe(true);
        expect(name).not.toMatch(/TOKEN|SECRET|PASSWORD|CREDENTIAL/i);
        if (typeof value === 'string') {
          expect(value, `${id} ${name}`).toMatch(
            /^$|^custos-[a-z0-9-]+$|^Custos$|^INFO$|^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/,
          );
        } else {
          // References to this stack's own resources.
          expect(asText(value), `${id} ${name}`).toMatch(
            /^\$\{(ReportBucket|ReportKey\.Arn|ScannerRole\.Arn)\}$/,
          );
        }
      }
    }
  });

  it('log to groups with a retention', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(groups.map(([, g]) => g.Properties.LogGroupName).sort()).toEqual(
      ['export', 'finalize', 'plan', 'scanTarget'].map((f) => `/aws/lambda/custos-${STAGE}-${f}`),
    );
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(90);
  });
});

describe('least privilege', () => {
  it('grants no wildcard action, and no action outside what custos does', () => {
    const expected = new Set([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sts:AssumeRole',
      'lambda:InvokeFunction',
      'states:StartExecution',
      'states:DescribeExecution',
      'states:StopExecution',
      'ssm:GetParameter',
      'secretsmanager:GetSecretValue',
      'organizations:ListAccounts',
      'iam:ListOrganizationsFeatures',
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
    for (const role of ROLES) {
      for (const statement of roleStatements(template, role)) {
        expect(statement.Effect).toBe('Allow');
        for (const action of statement.Action) {
          expect(action, `${role} ${statement.Sid}`).not.toContain('*');
          if (!action.startsWith('s3:')) expect(expected.has(action), `${role}: ${action}`).toBe(true);
        }
      }
    }
  });

  it('writes nowhere but the report bucket (and each function its own log group)', () => {
    for (const role of ROLES) {
      for (const statement of roleStatements(template, role)) {
        for (const action of statement.Action) {
          if (action.startsWith('s3:')) {
            for (const r of statement.Resource) {
              expect(r === BUCKET_ARN || r.startsWith(`${BUCKET_ARN}/`), `${role} ${action} ${r}`).toBe(true);
            }
          }
          if (action.startsWith('kms:')) expect(statement.Resource).toEqual([KEY_ARN]);
          if (action.startsWith('logs:')) {
            expect(statement.Resource).toHaveLength(1);
            expect(statement.Resource[0]).toMatch(
              /:log-group:\/aws\/lambda\/custos-prod-(plan|scanTarget|finalize|export):\*$/,
            );
          }
        }
      }
    }
  });

  it('lets the audited accounts trust one scanner role, which may only assume the audit role name', () => {
    const scanner = roleStatements(template, 'ScannerRole');
    // Default deployment: no organization reader named, so the scanner lists the organization itself.
    expect(resourcesFor(scanner, 'sts:AssumeRole')).toEqual([AUDIT_ROLE_ARN]);
    expect(resourcesFor(scanner, 'organizations:ListAccounts')).toEqual(['*']);
    expect(scanner.flatMap((s) => s.Action).sort()).toEqual([
      'iam:ListOrganizationsFeatures',
      'organizations:ListAccounts',
      'sts:AssumeRole',
    ]);
    const trust = props('ScannerRole').AssumeRolePolicyDocument as {
      Statement: Array<{ Principal: { AWS: unknown[] } }>;
    };
    expect(trust.Statement[0]!.Principal.AWS.map(asText)).toEqual([
      `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/custos-${STAGE}-plan-\${AWS::Region}`,
      `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/custos-${STAGE}-scanTarget-\${AWS::Region}`,
    ]);
    expect(asText(props('PlanRole').RoleName)).toBe(`custos-${STAGE}-plan-\${AWS::Region}`);
    expect(asText(props('ScanTargetRole').RoleName)).toBe(`custos-${STAGE}-scanTarget-\${AWS::Region}`);
    expect(asText(props('ScannerRole').RoleName)).toBe(`custos-${STAGE}-scanner-\${AWS::Region}`);
    // Every other AssumeRole in the stack is the scanner role.
    for (const role of ROLES.filter((r) => r !== 'ScannerRole')) {
      for (const r of resourcesFor(roleStatements(template, role), 'sts:AssumeRole'))
        expect(r).toBe(SCANNER_ARN);
    }
  });

  it('gives each function what it does and nothing more', () => {
    const s3 = (role: string) =>
      roleStatements(template, role)
        .flatMap((s: Statement) =>
          s.Action.filter((a) => a.startsWith('s3:')).flatMap((a) => s.Resource.map((r) => `${a} ${r}`)),
        )
        .sort();

    expect(resourcesFor(roleStatements(template, 'PlanRole'), 'sts:AssumeRole')).toEqual([SCANNER_ARN]);
    expect(s3('PlanRole')).toEqual([
      `s3:AbortMultipartUpload ${BUCKET_ARN}/runs/*/plan.json`,
      `s3:AbortMultipartUpload ${BUCKET_ARN}/runs/*/targets.json`,
      `s3:PutObject ${BUCKET_ARN}/runs/*/plan.json`,
      `s3:PutObject ${BUCKET_ARN}/runs/*/targets.json`,
    ]);

    expect(resourcesFor(roleStatements(template, 'ScanTargetRole'), 'sts:AssumeRole')).toEqual([SCANNER_ARN]);
    expect(s3('ScanTargetRole')).toEqual([
      `s3:AbortMultipartUpload ${BUCKET_ARN}/runs/*/shards/*`,
      `s3:GetObject ${BUCKET_ARN}/runs/*/plan.json`,
      `s3:PutObject ${BUCKET_ARN}/runs/*/shards/*`,
    ]);

    const finalize = roleStatements(template, 'FinalizeRole');
    expect(resourcesFor(finalize, 'sts:AssumeRole')).toEqual([]);
    expect(resourcesFor(finalize, 's3:PutObject')).toEqual([`${BUCKET_ARN}/*`]);
    expect(resourcesFor(finalize, 's3:GetObject')).toEqual([`${BUCKET_ARN}/*`]);
    expect(resourcesFor(finalize, 's3:ListBucket')).toEqual([BUCKET_ARN]);
    expect(resourcesFor(finalize, 'kms:Decrypt')).toEqual([KEY_ARN]);
    expect(resourcesFor(finalize, 'kms:GenerateDataKey')).toEqual([KEY_ARN]);
    // The default config uses the local ticket sink: no token to read.
    expect(resourcesFor(finalize, 'ssm:GetParameter')).toEqual([]);

    const exporter = roleStatements(template, 'ExportRole');
    expect(resourcesFor(exporter, 's3:GetObject')).toEqual([`${BUCKET_ARN}/*`]);
    expect(resourcesFor(exporter, 's3:PutObject')).toEqual([`${BUCKET_ARN}/exports/*`]);
    expect(exporter.flatMap((s) => s.Action).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
  });

  it('lets the scanner query an AWS Config aggregator of its own account only when the config reads one', () => {
    const scanner = template.Resources.ScannerRole!.Properties.Policies as Array<{
      PolicyDocument: { Statement: unknown[] };
    }>;
    const guarded = scanner[0]!.PolicyDocument.Statement.filter(
      (s) => typeof s === 'object' && s !== null && 'Fn::If' in s,
    ) as Array<{ 'Fn::If': [string, { Action: string[]; Resource: unknown }, unknown] }>;
    const aggregator = guarded.find((s) => s['Fn::If'][0] === 'ReadsConfigAggregator');
    expect(aggregator?.['Fn::If'][1].Action).toEqual([
      'config:SelectAggregateResourceConfig',
      'config:BatchGetAggregateResourceConfig',
    ]);
    expect(asText(aggregator?.['Fn::If'][1].Resource)).toBe(
      `arn:\${AWS::Partition}:config:\${AWS::Region}:\${AWS::AccountId}:config-aggregator/*`,
    );
    expect(conditionValues(template).ReadsConfigAggregator).toBe(false);
  });

  it('reads the ticket token from its SSM parameter only, when the config names one', () => {
    // The statement is there, behind the condition the package settled from the config.
    const finalize = template.Resources.FinalizeRole!.Properties.Policies as Array<{
      PolicyDocument: { Statement: unknown[] };
    }>;
    const guarded = finalize[0]!.PolicyDocument.Statement.filter(
      (s) => typeof s === 'object' && s !== null && 'Fn::If' in s,
    ) as Array<{ 'Fn::If': [string, { Action: string; Resource: unknown }, unknown] }>;
    const ssm = guarded.find((s) => s['Fn::If'][0] === 'ReadsTicketTokenFromSsm');
    expect(ssm?.['Fn::If'][1].Action).toBe('ssm:GetParameter');
    expect(asText(ssm?.['Fn::If'][1].Resource)).toBe(
      `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:`,
    );
    expect(conditionValues(template).ReadsTicketTokenFromSsm).toBe(false);
  });
});

describe('the report bucket', () => {
  it('is encrypted with a customer-managed key that rotates and outlives the stack', () => {
    expect(resource('ReportKey').Type).toBe('AWS::KMS::Key');
    expect(props('ReportKey').EnableKeyRotation).toBe(true);
    expect(resource('ReportKey').DeletionPolicy).toBe('Retain');
    const keyPolicy = policyStatements(props('ReportKey').KeyPolicy, template);
    for (const s of keyPolicy) for (const a of s.Action) expect(a).not.toContain('*');

    const encryption = props('ReportBucket').BucketEncryption as {
      ServerSideEncryptionConfiguration: Array<{
        ServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: unknown };
        BucketKeyEnabled: boolean;
      }>;
    };
    const [rule] = encryption.ServerSideEncryptionConfiguration;
    expect(rule!.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(asText(rule!.ServerSideEncryptionByDefault.KMSMasterKeyID)).toBe(KEY_ARN);
    expect(rule!.BucketKeyEnabled).toBe(true);
  });

  it('blocks public access, enforces the bucket owner, keeps versions and locks them', () => {
    const bucket = props('ReportBucket');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.ObjectLockEnabled).toBe(true);
    // evidence: { retentionDays: 365, mode: GOVERNANCE } in custos.config.json.
    expect(bucket.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
    });
    expect(resource('ReportBucket').DeletionPolicy).toBe('Retain');
  });

  it('has lifecycle rules and logs every access to an encrypted, private, TLS-only log bucket', () => {
    const bucket = props('ReportBucket');
    const rules = (bucket.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.find((r) => r.Id === 'expire-old-versions')).toMatchObject({
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 365 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: 'AccessLogBucket' },
      LogFilePrefix: 'report-bucket/',
    });

    const logs = props('AccessLogBucket');
    expect(logs.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(logs.PublicAccessBlockConfiguration).toEqual(bucket.PublicAccessBlockConfiguration);
    expect(logs.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const logPolicy = policyStatements(props('AccessLogBucketPolicy').PolicyDocument, template);
    expectDeniesInsecureTransport(logPolicy, `\${AccessLogBucket.Arn}`);
    const delivery = logPolicy.find((s) => s.Effect === 'Allow');
    expect(delivery?.Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
    expect(delivery?.Resource).toEqual([`\${AccessLogBucket.Arn}/report-bucket/*`]);
  });

  it('refuses requests without TLS and uploads not encrypted with the stack key', () => {
    const policy = policyStatements(props('ReportBucketPolicy').PolicyDocument, template);
    expectDeniesInsecureTransport(policy, BUCKET_ARN);
    const denies = policy.filter((s) => s.Effect === 'Deny' && s.Action.includes('s3:PutObject'));
    // Another algorithm than SSE-KMS, another key, or a customer-provided key: refused.
    expect(denies.map((s) => s.Condition)).toEqual([
      {
        Null: { 's3:x-amz-server-side-encryption': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      },
      {
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        StringNotEquals: {
          's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': ['ReportKey', 'Arn'] },
        },
      },
      { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
    ]);
    for (const s of denies) expect(s.Resource).toEqual([`${BUCKET_ARN}/*`]);
    expect(policy.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });
});

function expectDeniesInsecureTransport(policy: readonly Statement[], bucketArn: string): void {
  const tls = policy.find((s) => s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
  expect(tls).toMatchObject({ Effect: 'Deny', Principal: '*', Action: ['s3:*'] });
  expect(tls?.Resource).toEqual([bucketArn, `${bucketArn}/*`]);
}

describe('the schedule and the state machine', () => {
  it('starts the state machine on the config schedule, through a role that may do only that', () => {
    const rule = props('NightlySchedule');
    expect(rule.ScheduleExpression).toBe('cron(0 2 * * ? *)');
    expect(rule.State).toBe('ENABLED');
    const [target] = rule.Targets as Array<Record<string, unknown>>;
    expect(target!.Arn).toEqual({ Ref: 'AuditStateMachine' });
    expect(target!.RoleArn).toEqual({ 'Fn::GetAtt': ['ScheduleRole', 'Arn'] });
    expect(target!.Input).toBe('{}');
    expect(roleStatements(template, 'ScheduleRole')).toEqual([
      {
        Sid: 'StartAudit',
        Effect: 'Allow',
        Action: ['states:StartExecution'],
        Resource: [`\${AuditStateMachine}`],
      },
    ]);
  });

  it('is valid Amazon States Language with a Distributed Map reading its items from S3', () => {
    const definition = stateMachineDefinition(template);
    const validation = aslValidator(definition, { checkArn: true, checkPaths: true });
    expect(validation.errorsText('\n')).toBe('');
    expect(validation.isValid).toBe(true);

    const states = definition.States as Record<string, Record<string, unknown>>;
    const map = states.ScanTargets!;
    expect(map.Type).toBe('Map');
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: 'custos-prod-reportbucket-0123456789ab', 'Key.$': '$.targetsKey' },
    });
    expect((map.ItemProcessor as { ProcessorConfig: unknown }).ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'EXPRESS',
    });
    // schedule: { maxConcurrency: 40, toleratedFailurePercentage: 5 } in custos.config.json.
    expect(map.MaxConcurrency).toBe(40);
    expect(map.ToleratedFailurePercentage).toBe(5);
    expect(map.ItemSelector).toEqual({ 'runId.$': '$.runId', 'target.$': '$$.Map.Item.Value' });
    expect(states.Plan?.Next).toBe('ScanTargets');
    expect(map.Next).toBe('Finalize');
  });

  it('retries every task with backoff on Lambda and throttling errors', () => {
    const definition = stateMachineDefinition(template);
    const states = definition.States as Record<string, Record<string, unknown>>;
    const inner = (states.ScanTargets!.ItemProcessor as { States: Record<string, Record<string, unknown>> })
      .States;
    const tasks = { Plan: states.Plan!, ScanTarget: inner.ScanTarget!, Finalize: states.Finalize! };
    for (const [name, task] of Object.entries(tasks)) {
      const retry = task.Retry as Array<{ ErrorEquals: string[]; BackoffRate: number; MaxAttempts: number }>;
      const errors = retry.flatMap((r) => r.ErrorEquals);
      expect(errors, name).toEqual(
        expect.arrayContaining(['Lambda.TooManyRequestsException', 'Lambda.ServiceException']),
      );
      expect(errors, name).toEqual(
        expect.arrayContaining(['ThrottlingException', 'TooManyRequestsException', 'SlowDown']),
      );
      // Not States.ALL: a bad event or a custos defect is not retried into the same failure.
      expect(errors, name).not.toContain('States.ALL');
      for (const r of retry) {
        expect(r.BackoffRate, name).toBeGreaterThan(1);
        expect(r.MaxAttempts, name).toBeGreaterThan(1);
      }
    }
  });

  it('runs only the stack functions, and its Map children, with the role it has', () => {
    const statements = roleStatements(template, 'StateMachineRole');
    expect(resourcesFor(statements, 'lambda:InvokeFunction')).toEqual([
      `\${FinalizeLambdaFunction.Arn}`,
      `\${PlanLambdaFunction.Arn}`,
      `\${ScanTargetLambdaFunction.Arn}`,
    ]);
    expect(resourcesFor(statements, 'states:StartExecution')).toEqual([
      `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:custos-${STAGE}-audit`,
    ]);
    expect(props('AuditStateMachine').StateMachineName).toBe(`custos-${STAGE}-audit`);
  });
});

describe('knowing when the audit itself failed', () => {
  const alarm = (id: string) => props(id);

  it('alarms on failed and timed-out executions', () => {
    for (const [id, metric] of [
      ['ExecutionsFailedAlarm', 'ExecutionsFailed'],
      ['ExecutionsTimedOutAlarm', 'ExecutionsTimedOut'],
    ] as const) {
      expect(alarm(id)).toMatchObject({
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: 'AuditStateMachine' } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms when no run has finished in 26 hours, missing data counting as breaching', () => {
    const heartbeat = alarm('NoFinishedRunAlarm');
    expect(heartbeat).toMatchObject({
      Namespace: 'Custos',
      MetricName: 'RunFinished',
      Dimensions: [{ Name: 'service', Value: `custos-${STAGE}` }],
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect((heartbeat.Period as number) * (heartbeat.EvaluationPeriods as number)).toBe(26 * 3600);
    expect(heartbeat.DatapointsToAlarm).toBe(heartbeat.EvaluationPeriods);
  });

  it('watches the metrics the functions emit, under the namespace and service they emit them', () => {
    const variables = (props('FinalizeLambdaFunction').Environment as { Variables: Record<string, unknown> })
      .Variables;
    for (const id of ['NoFinishedRunAlarm', 'AccountsNotScannedAlarm', 'TargetsNotScannedAlarm']) {
      expect(alarm(id).Namespace).toBe(variables.POWERTOOLS_METRICS_NAMESPACE);
      expect(alarm(id).Dimensions).toEqual([{ Name: 'service', Value: variables.POWERTOOLS_SERVICE_NAME }]);
    }
  });

  it('alarms on accounts and targets that could not be scanned', () => {
    expect(alarm('AccountsNotScannedAlarm')).toMatchObject({
      Namespace: 'Custos',
      MetricName: 'AccountsErrored',
    });
    expect(alarm('TargetsNotScannedAlarm')).toMatchObject({
      Namespace: 'Custos',
      MetricName: 'TargetsMissing',
    });
  });

  it('sends every alarm to a topic encrypted with the key', () => {
    expect(asText(props('AlarmTopic').KmsMasterKeyId)).toBe(KEY_ARN);
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(5);
    for (const [, a] of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    // CloudWatch may use the key to publish to the encrypted topic.
    const keyPolicy = policyStatements(props('ReportKey').KeyPolicy, template);
    expect(
      keyPolicy.find((s) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'))?.Action,
    ).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});

describe('what custos invoke and the member accounts need', () => {
  it('publishes the state machine in SSM and the scanner role as an output', () => {
    expect(props('StateMachineArnParameter')).toMatchObject({
      Name: `/custos/${STAGE}/state-machine-arn`,
      Value: { Ref: 'AuditStateMachine' },
    });
    const outputs = resolveIfs(template.Outputs, conditionValues(template)) as Record<
      string,
      { Value: unknown }
    >;
    expect(outputs.ScannerRoleArn?.Value).toEqual({ 'Fn::GetAtt': ['ScannerRole', 'Arn'] });
    expect(outputs.ReportBucketName?.Value).toEqual({ Ref: 'ReportBucket' });
  });
});

/**
 * `custos permissions` covers every call a scan makes: the demo is scanned with every check
 * selected, each operation the simulator served is mapped to the IAM action that authorizes
 * it, and the actions are compared with the two policies custos prints. Calls made through the
 * audit role (in every scanned account, the management account included) must be allowed by
 * the `audit` policy; the caller's own calls (Organizations, centralized root access) by the
 * `organization` policy, STS aside. Neither policy may hold an action the scan never used.
 */
import { fileURLToPath } from 'node:url';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.js';
import { loadConfig } from '../../cli/config-file.js';
import { runScan, type ScanRun } from '../../core/engine/run.js';
import { policyDocument } from '../../core/permissions.js';
import { AwsClients } from '../../inventory/clients.js';
import { AccountSessions } from '../../inventory/sessions.js';
import { loadEstateFile } from '../../sim/estate.js';
import { type SimCall, type Simulator, startSimulator } from '../../sim/server.js';

const ESTATE = fileURLToPath(new URL('../../examples/demo-estate.json', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/demo.config.json', import.meta.url));
const HOME_REGION = 'us-east-1';

/** S3's IAM actions are not named after its operations. */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  ListBuckets: 's3:ListAllMyBuckets',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketAcl: 's3:GetBucketAcl',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
};

/** S3 Control's operations are authorized by `s3:` actions. */
const S3_CONTROL_ACTIONS: Readonly<Record<string, string>> = {
  GetPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
};

/** The IAM action that authorizes an operation, by the simulator's service name. */
function iamAction(service: string, operation: string): string {
  switch (service) {
    // EC2, IAM, Organizations and STS actions carry the operation's own name.
    case 'ec2':
    case 'iam':
    case 'organizations':
    case 'sts':
      return `${service}:${operation}`;
    case 's3':
    case 's3control': {
      const action = (service === 's3' ? S3_ACTIONS : S3_CONTROL_ACTIONS)[operation];
      if (action === undefined) throw new Error(`no IAM action listed for ${service} ${operation}`);
      return action;
    }
    default:
      throw new Error(`no IAM action known for the ${service} service (${operation})`);
  }
}

/** Audit-policy actions the demo cannot exercise, each with the reason. None today. */
const UNEXERCISED_AUDIT_ACTIONS: Readonly<Record<string, string>> = {};

const SDK_SERVICES: Readonly<Record<string, string>> = {
  EC2Client: 'ec2',
  IAMClient: 'iam',
  OrganizationsClient: 'organizations',
  S3Client: 's3',
  S3ControlClient: 's3control',
  STSClient: 'sts',
};

interface Operation {
  readonly service: string;
  readonly operation: string;
}

/** Records every command sent through one SDK client, before any retry. */
function recordCommands<Input extends object, Output extends MetadataBearer>(
  stack: MiddlewareStack<Input, Output>,
  log: Operation[],
): void {
  stack.add(
    (next, context) => (args) => {
      const service = SDK_SERVICES[context.clientName ?? ''] ?? `unknown client ${context.clientName}`;
      log.push({ service, operation: (context.commandName ?? '').replace(/Command$/, '') });
      return next(args);
    },
    { step: 'initialize', name: 'permissionsCoverageCallerLog' },
  );
}

/**
 * The caller's own clients, which record what they send: the simulator logs the account a
 * call is answered from, and in the management account both the caller and the audit role call.
 */
class RecordingClients extends AwsClients {
  readonly sent: Operation[] = [];
  readonly #watched = new WeakSet<object>();

  override ec2(region: string) {
    const client = super.ec2(region);
    this.#watch(client, client.middlewareStack);
    return client;
  }

  override sts(region?: string) {
    const client = super.sts(region);
    this.#watch(client, client.middlewareStack);
    return client;
  }

  override iam() {
    const client = super.iam();
    this.#watch(client, client.middlewareStack);
    return client;
  }

  override organizations() {
    const client = super.organizations();
    this.#watch(client, client.middlewareStack);
    return client;
  }

  override s3(region: string) {
    const client = super.s3(region);
    this.#watch(client, client.middlewareStack);
    return client;
  }

  override s3control(region?: string) {
    const client = super.s3control(region);
    this.#watch(client, client.middlewareStack);
    return client;
  }

  /** Adds the recorder once per client: the base class hands out the same client again. */
  #watch<Input extends object, Output extends MetadataBearer>(
    client: object,
    stack: MiddlewareStack<Input, Output>,
  ): void {
    if (this.#watched.has(client)) return;
    this.#watched.add(client);
    recordCommands(stack, this.sent);
  }
}

function key({ service, operation }: Operation): string {
  return `${service} ${operation}`;
}

function policyActions(role: 'audit' | 'organization'): string[] {
  return policyDocument(ALL_CHECKS, role).Statement.flatMap((statement) => statement.Action);
}

describe('custos permissions against the calls of a full demo scan', () => {
  let sim: Simulator;
  let run: ScanRun;
  let caller: RecordingClients;
  let callerAccountId: string;
  /** Calls made through the audit role, in any scanned account. */
  let auditCalls: SimCall[];

  beforeAll(async () => {
    sim = await startSimulator(loadEstateFile(ESTATE));
    const config = loadConfig(CONFIG, { checks: ['*'] });
    caller = new RecordingClients({
      credentials: sim.credentials,
      endpoint: sim.endpoint,
      homeRegion: HOME_REGION,
    });
    const sessions = new AccountSessions(caller, config.assumeRole, 'permissions-run');
    try {
      run = await runScan(
        {
          config,
          registry: ALL_CHECKS,
          sessions,
          homeRegion: HOME_REGION,
          toolVersion: '0.0.0-test',
          now: () => new Date(),
        },
        'permissions-run',
      );
    } finally {
      sessions.destroy();
    }
    callerAccountId = run.plan.callerAccountId;

    // Every call the caller sent was served in its own account; the rest went through the role.
    const unclaimed = new Map<string, number>();
    for (const op of caller.sent) unclaimed.set(key(op), (unclaimed.get(key(op)) ?? 0) + 1);
    auditCalls = sim.calls().filter((call) => {
      const k = key(call);
      const left = unclaimed.get(k) ?? 0;
      if (call.accountId !== callerAccountId || left === 0) return true;
      unclaimed.set(k, left - 1);
      return false;
    });
    expect([...unclaimed].filter(([, left]) => left > 0)).toEqual([]);
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('runs every check', () => {
    expect(run.report.scope.checks).toEqual(expect.arrayContaining(ALL_CHECKS.map((c) => c.id)));
    const catalogue = new Set(ALL_CHECKS.map((c) => c.id));
    expect(run.report.coverage.checksNotRun.filter((c) => catalogue.has(c.checkId))).toEqual([]);
  });

  it('leaves the caller only STS, listing the organization and its root-access features', () => {
    expect([...new Set(caller.sent.map(key))].sort()).toEqual([
      'iam ListOrganizationsFeatures',
      'organizations ListAccounts',
      'sts AssumeRole',
      'sts GetCallerIdentity',
    ]);
  });

  it('calls through the audit role only what the audit policy allows', () => {
    const audit = new Set(policyActions('audit'));
    const used = [...new Set(auditCalls.map((c) => iamAction(c.service, c.operation)))].sort();
    expect(used.filter((action) => !audit.has(action))).toEqual([]);
    // The role is used in every ACTIVE account, the management account included.
    expect(new Set(auditCalls.map((c) => c.accountId))).toEqual(
      new Set(run.report.coverage.accounts.filter((a) => a.status === 'scanned').map((a) => a.accountId)),
    );
  });

  it('calls as the caller, STS aside, only what the organization policy allows', () => {
    const organization = new Set(policyActions('organization'));
    const used = caller.sent
      .filter((op) => op.service !== 'sts')
      .map((op) => iamAction(op.service, op.operation));
    expect(used.filter((action) => !organization.has(action))).toEqual([]);
  });

  it('puts no action in the audit policy that the scan never used', () => {
    const used = new Set(auditCalls.map((c) => iamAction(c.service, c.operation)));
    const unused = policyActions('audit').filter((action) => !used.has(action));
    expect(unused).toEqual(Object.keys(UNEXERCISED_AUDIT_ACTIONS).sort());
  });

  it('puts no action in the organization policy that the caller never used', () => {
    const used = new Set(caller.sent.map((op) => iamAction(op.service, op.operation)));
    expect(policyActions('organization').filter((action) => !used.has(action))).toEqual([]);
  });
});

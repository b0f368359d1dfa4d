/**
 * The demo organization (examples/demo-estate.json scanned with examples/demo.config.json), as
 * `npm run demo` scans it: every verdict resource by resource, what is left out (the suspended
 * account, the region that is not opted in), the coverage gap the estate's fault makes, and
 * how many calls the scan makes.
 *
 * The demo's dates are chosen so that its verdicts hold whatever day the scan runs (see
 * examples/README.md), so the scan runs on the real clock, as the CLI does.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.js';
import { loadConfig } from '../../cli/config-file.js';
import { main } from '../../cli/main.js';
import { runScan, type ScanRun } from '../../core/engine/run.js';
import type { CollectorId, Finding, FindingStatus, Report } from '../../core/types.js';
import { AwsClients } from '../../inventory/clients.js';
import { AccountSessions } from '../../inventory/sessions.js';
import { type Estate, loadEstateFile } from '../../sim/estate.js';
import { type SimCall, type Simulator, startSimulator } from '../../sim/server.js';

const ESTATE = fileURLToPath(new URL('../../examples/demo-estate.json', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../examples/demo.config.json', import.meta.url));

const MANAGEMENT = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const SUSPENDED = '444444444444';
const ACTIVE = [MANAGEMENT, PROD, DEV] as const;

const EU = 'eu-west-1';
const US = 'us-east-1';
const GLOBAL = 'global';
const NOT_OPTED_IN = 'ap-east-1';

/** One finding: account, region, the resource id after its last `:`, and the verdict. */
type Row = readonly [accountId: string, region: string, resource: string, status: FindingStatus];

/**
 * Every finding of the demo, by check. The resource is the end of the finding's resourceId
 * (after the last `:`): `security-group/sg-…`, `root`, `user/alice`, a bucket name, or `*` for
 * an ERROR that covers a whole account and region.
 */
const EXPECTED: Readonly<Record<string, readonly Row[]>> = {
  'ec2.ebs.default-encryption': [
    [MANAGEMENT, EU, 'ebs-default-encryption', 'PASS'],
    [MANAGEMENT, US, 'ebs-default-encryption', 'PASS'],
    [PROD, EU, 'ebs-default-encryption', 'PASS'],
    [PROD, US, 'ebs-default-encryption', 'FAIL'],
    [DEV, EU, 'ebs-default-encryption', 'FAIL'],
    [DEV, US, 'ebs-default-encryption', 'PASS'],
  ],
  'ec2.ebs.snapshot-public': [
    [PROD, EU, 'snapshot/snap-0b2d4f6a8c1e3a570', 'PASS'], // prod-db-1-nightly
    [PROD, EU, 'snapshot/snap-0d4f6a8c0e2b1c792', 'FAIL'], // storefront-ami-2023-09: restorable by all
    [PROD, EU, 'snapshot/snap-0f6a8c0e2b4d1e914', 'PASS'], // prod-db-1-pre-upgrade: shared with dev only
    [PROD, US, 'snapshot/snap-01a8c0e2b4d6f1136', 'PASS'], // support-case-repro: public but latent (BPA)
    [DEV, EU, 'snapshot/snap-0a4c6e8b0d2f1a246', 'PASS'], // dev-experiments-before-kernel-upgrade
    [DEV, US, '*', 'ERROR'], // the estate's fault: DescribeSnapshots denied
  ],
  'ec2.ebs.snapshot-unencrypted': [
    [PROD, EU, 'snapshot/snap-0b2d4f6a8c1e3a570', 'PASS'], // prod-db-1-nightly
    [PROD, EU, 'snapshot/snap-0d4f6a8c0e2b1c792', 'FAIL'], // storefront-ami-2023-09
    [PROD, EU, 'snapshot/snap-0f6a8c0e2b4d1e914', 'FAIL'], // prod-db-1-pre-upgrade
    [PROD, US, 'snapshot/snap-01a8c0e2b4d6f1136', 'FAIL'], // support-case-repro
    [DEV, EU, 'snapshot/snap-0a4c6e8b0d2f1a246', 'FAIL'], // dev-experiments-before-kernel-upgrade
    [DEV, US, '*', 'ERROR'], // the estate's fault: DescribeSnapshots denied
  ],
  'ec2.ebs.volume-unencrypted': [
    [PROD, EU, 'volume/vol-00a8c0e2f4b6d1136', 'FAIL'], // prod-db-1-data
    [PROD, EU, 'volume/vol-02c0e2a4b6d8f1358', 'FAIL'], // prod-db-1-root
    [PROD, EU, 'volume/vol-04e2a4c6d8f0b1570', 'FAIL'], // prod-db-old-restore-test: not attached
    [PROD, EU, 'volume/vol-06a4c6e8f0b2d1792', 'PASS'], // prod-sftp-root
    [PROD, EU, 'volume/vol-0a2c4e6f8b1d3a570', 'PASS'], // prod-bastion-root
    [PROD, EU, 'volume/vol-0c4e6a8b0d2f1c792', 'PASS'], // prod-app-1-root
    [PROD, EU, 'volume/vol-0e6a8c0d2f4b1e914', 'PASS'], // prod-app-2-root
    [PROD, US, 'volume/vol-08c6e8a0b2d4f1914', 'FAIL'], // prod-us-windows-jump-root
    [DEV, EU, 'volume/vol-0b3d5f7a9c1e2e468', 'FAIL'], // dev-experiments-root
    [DEV, EU, 'volume/vol-0d5f7a9c1e3b4e680', 'PASS'], // dev-build-runner-root
  ],
  'ec2.eni.internet-exposed': [
    [PROD, EU, 'network-interface/eni-00b2d4f6a8c1e3579', 'PASS'], // prod-app-1
    [PROD, EU, 'network-interface/eni-02d4f6a8c0b1e5791', 'PASS'], // prod-app-2
    [PROD, EU, 'network-interface/eni-04f6a8c0e2b1d7913', 'PASS'], // prod-db-1
    [PROD, EU, 'network-interface/eni-06a8c0e2a4b1f9135', 'FAIL'], // prod-partner-sftp: partner range
    [PROD, EU, 'network-interface/eni-0a1c3e5f7b9d20468', 'PASS'], // load balancer prod-web
    [PROD, EU, 'network-interface/eni-0c3e5a7f9b1d42680', 'PASS'], // load balancer prod-web
    [PROD, EU, 'network-interface/eni-0e5a7c9f1b3d64802', 'FAIL'], // prod-bastion: SSH from anywhere
    [PROD, US, 'network-interface/eni-0b1d3f5a7c9e2f680', 'PASS'], // windows jump: RDP open, VPC BPA blocks it
    [DEV, EU, 'network-interface/eni-0d9f1b3a5c7e2d135', 'FAIL'], // dev-experiments: every port from anywhere
    [DEV, EU, 'network-interface/eni-0f1b3d5a7c9e4e357', 'PASS'], // dev-build-runner: SSH from the allowlisted VPN list only
  ],
  'ec2.nacl.admin-ports-public': [
    [MANAGEMENT, EU, 'network-acl/acl-0d6f8b0a2c4e61739', 'PASS'], // default ACL, hardened
    [PROD, EU, 'network-acl/acl-01b3d5f7a9c2e8c57', 'FAIL'], // prod-eu-private: 1024-65535 holds 3389
    [PROD, EU, 'network-acl/acl-0f7a9c1e3b5d60a35', 'FAIL'], // default ACL of prod-eu
    [PROD, US, 'network-acl/acl-03d5f7a9c1e2b4e79', 'FAIL'], // default ACL of prod-us
    [DEV, EU, 'network-acl/acl-05f7a9c1e3b2d6a91', 'FAIL'], // default ACL of dev-sandbox
  ],
  'ec2.sg.admin-ports-public': [
    [MANAGEMENT, EU, 'security-group/sg-0a8c2e4f6b1d3e579', 'PASS'], // default group of the default VPC
    [PROD, EU, 'security-group/sg-03a5c7e9b1d2f4681', 'PASS'], // prod-app
    [PROD, EU, 'security-group/sg-05c7e9b1d3f2a4803', 'PASS'], // prod-db-postgres
    [PROD, EU, 'security-group/sg-07e9b1d3f5a2c4025', 'PASS'], // prod-partner-sftp
    [PROD, EU, 'security-group/sg-0b7d9f1a3c5e2e847', 'PASS'], // prod-web-alb
    [PROD, EU, 'security-group/sg-0d2f4b6a8c1e3e705', 'PASS'], // default group of prod-eu
    [PROD, EU, 'security-group/sg-0f1b3d5a7c9e2e069', 'FAIL'], // prod-bastion-ssh
    [PROD, US, 'security-group/sg-09b1d3f5a7c2e6247', 'PASS'], // default group of prod-us
    [PROD, US, 'security-group/sg-0b3d5f7a9c1e8a469', 'FAIL'], // prod-us-windows-jump: 3389
    [DEV, EU, 'security-group/sg-01d5f7a9c3e2b4802', 'FAIL'], // dev-wide-open
    [DEV, EU, 'security-group/sg-03f7a9c1e5d2b6024', 'PASS'], // dev-partner-postgres
    [DEV, EU, 'security-group/sg-05a9c1e3d7f2b8246', 'PASS'], // dev-ssh-from-vpn
    [DEV, EU, 'security-group/sg-0f3b5d7a9c1e2a680', 'PASS'], // default group of dev-sandbox
  ],
  'ec2.sg.default-restricts-all': [
    [MANAGEMENT, EU, 'security-group/sg-0a8c2e4f6b1d3e579', 'PASS'], // default group of the default VPC
    [PROD, EU, 'security-group/sg-0d2f4b6a8c1e3e705', 'FAIL'], // default group of prod-eu
    [PROD, US, 'security-group/sg-09b1d3f5a7c2e6247', 'FAIL'], // default group of prod-us
    [DEV, EU, 'security-group/sg-0f3b5d7a9c1e2a680', 'FAIL'], // default group of dev-sandbox
  ],
  'ec2.sg.high-risk-ports-public': [
    [MANAGEMENT, EU, 'security-group/sg-0a8c2e4f6b1d3e579', 'PASS'], // default group of the default VPC
    [PROD, EU, 'security-group/sg-03a5c7e9b1d2f4681', 'PASS'], // prod-app
    [PROD, EU, 'security-group/sg-05c7e9b1d3f2a4803', 'PASS'], // prod-db-postgres
    [PROD, EU, 'security-group/sg-07e9b1d3f5a2c4025', 'PASS'], // prod-partner-sftp
    [PROD, EU, 'security-group/sg-0b7d9f1a3c5e2e847', 'PASS'], // prod-web-alb
    [PROD, EU, 'security-group/sg-0d2f4b6a8c1e3e705', 'PASS'], // default group of prod-eu
    [PROD, EU, 'security-group/sg-0f1b3d5a7c9e2e069', 'PASS'], // prod-bastion-ssh
    [PROD, US, 'security-group/sg-09b1d3f5a7c2e6247', 'PASS'], // default group of prod-us
    [PROD, US, 'security-group/sg-0b3d5f7a9c1e8a469', 'PASS'], // prod-us-windows-jump: 3389 is an admin port
    [DEV, EU, 'security-group/sg-01d5f7a9c3e2b4802', 'FAIL'], // dev-wide-open
    [DEV, EU, 'security-group/sg-03f7a9c1e5d2b6024', 'FAIL'], // dev-partner-postgres: via prefix list
    [DEV, EU, 'security-group/sg-05a9c1e3d7f2b8246', 'PASS'], // dev-ssh-from-vpn
    [DEV, EU, 'security-group/sg-0f3b5d7a9c1e2a680', 'PASS'], // default group of dev-sandbox
  ],
  'ec2.sg.ingress-outside-allowlist': [
    [MANAGEMENT, EU, 'security-group/sg-0a8c2e4f6b1d3e579', 'PASS'], // default group of the default VPC
    [PROD, EU, 'security-group/sg-03a5c7e9b1d2f4681', 'PASS'], // prod-app
    [PROD, EU, 'security-group/sg-05c7e9b1d3f2a4803', 'PASS'], // prod-db-postgres: head office range
    [PROD, EU, 'security-group/sg-07e9b1d3f5a2c4025', 'FAIL'], // prod-partner-sftp: partner range
    [PROD, EU, 'security-group/sg-0b7d9f1a3c5e2e847', 'PASS'], // prod-web-alb
    [PROD, EU, 'security-group/sg-0d2f4b6a8c1e3e705', 'PASS'], // default group of prod-eu
    [PROD, EU, 'security-group/sg-0f1b3d5a7c9e2e069', 'FAIL'], // prod-bastion-ssh
    [PROD, US, 'security-group/sg-09b1d3f5a7c2e6247', 'PASS'], // default group of prod-us
    [PROD, US, 'security-group/sg-0b3d5f7a9c1e8a469', 'FAIL'], // prod-us-windows-jump: allowlisted list absent in us-east-1
    [DEV, EU, 'security-group/sg-01d5f7a9c3e2b4802', 'FAIL'], // dev-wide-open
    [DEV, EU, 'security-group/sg-03f7a9c1e5d2b6024', 'FAIL'], // dev-partner-postgres
    [DEV, EU, 'security-group/sg-05a9c1e3d7f2b8246', 'PASS'], // dev-ssh-from-vpn: allowlisted prefix list
    [DEV, EU, 'security-group/sg-0f3b5d7a9c1e2a680', 'PASS'], // default group of dev-sandbox
  ],
  'ec2.sg.unauthorized-port-public': [
    [MANAGEMENT, EU, 'security-group/sg-0a8c2e4f6b1d3e579', 'PASS'], // default group of the default VPC
    [PROD, EU, 'security-group/sg-03a5c7e9b1d2f4681', 'PASS'], // prod-app
    [PROD, EU, 'security-group/sg-05c7e9b1d3f2a4803', 'PASS'], // prod-db-postgres
    [PROD, EU, 'security-group/sg-07e9b1d3f5a2c4025', 'PASS'], // prod-partner-sftp
    [PROD, EU, 'security-group/sg-0b7d9f1a3c5e2e847', 'PASS'], // prod-web-alb
    [PROD, EU, 'security-group/sg-0d2f4b6a8c1e3e705', 'PASS'], // default group of prod-eu
    [PROD, EU, 'security-group/sg-0f1b3d5a7c9e2e069', 'FAIL'], // prod-bastion-ssh
    [PROD, US, 'security-group/sg-09b1d3f5a7c2e6247', 'PASS'], // default group of prod-us
    [PROD, US, 'security-group/sg-0b3d5f7a9c1e8a469', 'FAIL'], // prod-us-windows-jump
    [DEV, EU, 'security-group/sg-01d5f7a9c3e2b4802', 'FAIL'], // dev-wide-open
    [DEV, EU, 'security-group/sg-03f7a9c1e5d2b6024', 'FAIL'], // dev-partner-postgres
    [DEV, EU, 'security-group/sg-05a9c1e3d7f2b8246', 'PASS'], // dev-ssh-from-vpn
    [DEV, EU, 'security-group/sg-0f3b5d7a9c1e2a680', 'PASS'], // default group of dev-sandbox
  ],
  'iam.root.access-keys': [
    [MANAGEMENT, GLOBAL, 'root', 'FAIL'], // management: key from 2014, still active
    [PROD, GLOBAL, 'root', 'PASS'], // prod
    [DEV, GLOBAL, 'root', 'PASS'], // dev
  ],
  'iam.root.hardware-mfa': [
    [MANAGEMENT, GLOBAL, 'root', 'FAIL'], // management: no MFA at all
    [PROD, GLOBAL, 'root', 'FAIL'], // prod: virtual device prod-root-authenticator
    [DEV, GLOBAL, 'root', 'PASS'], // dev: root credentials centrally removed
  ],
  'iam.root.mfa': [
    [MANAGEMENT, GLOBAL, 'root', 'FAIL'], // management
    [PROD, GLOBAL, 'root', 'PASS'], // prod
    [DEV, GLOBAL, 'root', 'PASS'], // dev: root credentials centrally removed
  ],
  'iam.root.recent-use': [
    [MANAGEMENT, GLOBAL, 'root', 'PASS'], // management: last used 2015
    [PROD, GLOBAL, 'root', 'FAIL'], // prod: password used 2026-10-14
    [DEV, GLOBAL, 'root', 'PASS'], // dev
  ],
  'iam.user.access-key-rotation': [
    [MANAGEMENT, GLOBAL, 'user/billing-viewer', 'PASS'],
    [MANAGEMENT, GLOBAL, 'user/terraform-org-admin', 'FAIL'],
    [PROD, GLOBAL, 'user/automation/ci-deploy', 'FAIL'], // old key 1 beside a fresh key 2
    [PROD, GLOBAL, 'user/contractor-jlee', 'PASS'], // key deactivated
    [PROD, GLOBAL, 'user/oncall-breakglass', 'PASS'],
    [DEV, GLOBAL, 'user/alice', 'PASS'],
    [DEV, GLOBAL, 'user/bob', 'PASS'],
    [DEV, GLOBAL, 'user/svc-data-sync', 'PASS'],
  ],
  'iam.user.console-mfa': [
    [MANAGEMENT, GLOBAL, 'user/billing-viewer', 'FAIL'],
    [MANAGEMENT, GLOBAL, 'user/terraform-org-admin', 'PASS'],
    [PROD, GLOBAL, 'user/automation/ci-deploy', 'PASS'],
    [PROD, GLOBAL, 'user/contractor-jlee', 'PASS'],
    [PROD, GLOBAL, 'user/oncall-breakglass', 'PASS'],
    [DEV, GLOBAL, 'user/alice', 'FAIL'],
    [DEV, GLOBAL, 'user/bob', 'PASS'],
    [DEV, GLOBAL, 'user/svc-data-sync', 'FAIL'],
  ],
  'iam.user.unused-credentials': [
    [MANAGEMENT, GLOBAL, 'user/billing-viewer', 'FAIL'],
    [MANAGEMENT, GLOBAL, 'user/terraform-org-admin', 'FAIL'],
    [PROD, GLOBAL, 'user/automation/ci-deploy', 'FAIL'],
    [PROD, GLOBAL, 'user/contractor-jlee', 'PASS'],
    [PROD, GLOBAL, 'user/oncall-breakglass', 'FAIL'], // console with MFA, unused since 2025
    [DEV, GLOBAL, 'user/alice', 'FAIL'],
    [DEV, GLOBAL, 'user/bob', 'PASS'],
    [DEV, GLOBAL, 'user/svc-data-sync', 'FAIL'], // password never used (no_information)
  ],
  's3.account.public-access-block': [
    [MANAGEMENT, GLOBAL, 'account-public-access-block', 'PASS'],
    [PROD, GLOBAL, 'account-public-access-block', 'FAIL'],
    [DEV, GLOBAL, 'account-public-access-block', 'FAIL'], // two of four
  ],
  's3.bucket.public': [
    [MANAGEMENT, GLOBAL, 'acme-org-billing-reports', 'PASS'],
    [MANAGEMENT, GLOBAL, 'acme-org-cloudtrail-111111111111', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-app-data', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-logs-eu-west-1', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-marketing-downloads', 'FAIL'], // BlockPublicPolicy alone
    [PROD, GLOBAL, 'acme-prod-partner-exchange', 'FAIL'], // ACL: AuthenticatedUsers READ
    [PROD, GLOBAL, 'acme-prod-public-assets', 'FAIL'], // policy: Principal *
    [PROD, GLOBAL, 'acme-prod-static-site', 'PASS'], // public policy, RestrictPublicBuckets
    [DEV, GLOBAL, 'acme-dev-scratch', 'PASS'], // account IgnorePublicAcls
    [DEV, GLOBAL, 'acme-dev-terraform-state', 'PASS'],
  ],
  's3.bucket.public-access-block': [
    [MANAGEMENT, GLOBAL, 'acme-org-billing-reports', 'PASS'],
    [MANAGEMENT, GLOBAL, 'acme-org-cloudtrail-111111111111', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-app-data', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-logs-eu-west-1', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-marketing-downloads', 'FAIL'],
    [PROD, GLOBAL, 'acme-prod-partner-exchange', 'FAIL'],
    [PROD, GLOBAL, 'acme-prod-public-assets', 'FAIL'],
    [PROD, GLOBAL, 'acme-prod-static-site', 'PASS'],
    [DEV, GLOBAL, 'acme-dev-scratch', 'FAIL'],
    [DEV, GLOBAL, 'acme-dev-terraform-state', 'PASS'],
  ],
  's3.bucket.secure-transport': [
    [MANAGEMENT, GLOBAL, 'acme-org-billing-reports', 'FAIL'], // no policy
    [MANAGEMENT, GLOBAL, 'acme-org-cloudtrail-111111111111', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-app-data', 'FAIL'], // the Deny covers s3:PutObject only
    [PROD, GLOBAL, 'acme-prod-logs-eu-west-1', 'PASS'],
    [PROD, GLOBAL, 'acme-prod-marketing-downloads', 'FAIL'],
    [PROD, GLOBAL, 'acme-prod-partner-exchange', 'FAIL'],
    [PROD, GLOBAL, 'acme-prod-public-assets', 'FAIL'],
    [PROD, GLOBAL, 'acme-prod-static-site', 'FAIL'],
    [DEV, GLOBAL, 'acme-dev-scratch', 'FAIL'],
    [DEV, GLOBAL, 'acme-dev-terraform-state', 'PASS'],
  ],
};

interface KnownDefect {
  readonly summary: string;
  /** What the scan reports today, by check. */
  readonly reportedToday: Readonly<Record<string, readonly Row[]>>;
  /** What it should report instead; move these rows into EXPECTED once the defect is fixed. */
  readonly correct: Readonly<Record<string, readonly Row[]>>;
}

/**
 * Verdicts custos gets wrong today. They are not part of EXPECTED: the test checks that the
 * wrong verdicts are still the ones reported, so fixing a defect fails it on purpose, and the
 * `correct` rows then move into EXPECTED.
 */
const KNOWN_DEFECTS: readonly KnownDefect[] = [];

function tail(resourceId: string): string {
  return resourceId.slice(resourceId.lastIndexOf(':') + 1);
}

function lines(table: Readonly<Record<string, readonly Row[]>>): string[] {
  return Object.entries(table).flatMap(([checkId, rows]) => rows.map((row) => [checkId, ...row].join(' ')));
}

function findingLines(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => [f.checkId, f.accountId, f.region, tail(f.resourceId), f.status].join(' '))
    .sort();
}

/** What the demo reports today: EXPECTED plus the wrong verdicts of the known defects. */
function reportedToday(): string[] {
  return [...lines(EXPECTED), ...KNOWN_DEFECTS.flatMap((d) => lines(d.reportedToday))].sort();
}

/** Paging parameters: a walk is the calls that share everything else. */
const PAGE_TOKENS = ['NextToken', 'Marker', 'ContinuationToken'];
const PAGE_SIZES = ['MaxResults', 'MaxItems', 'MaxBuckets'];

function walkKey(call: SimCall): string {
  const params = Object.entries(call.params)
    .filter(([name]) => !PAGE_TOKENS.includes(name) && !PAGE_SIZES.includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
  return `${call.accountId} ${call.region} ${call.service}:${call.operation} ${JSON.stringify(params)}`;
}

function isContinuation(call: SimCall): boolean {
  return PAGE_TOKENS.some((name) => call.params[name] !== undefined);
}

/**
 * How Node writes a process warning to stderr: `(node:1234) SomeWarning: …`. The AWS SDK
 * warns this way about the Node version, once per process: the runtime's output, not custos's.
 */
const NODE_WARNING = /^\(node:\d+\) (\[\w+\] )?\w*Warning: /;

interface DemoScan {
  readonly run: ScanRun;
  readonly calls: readonly SimCall[];
  readonly printed: readonly string[];
}

/**
 * Scans the demo through a simulator of its own, as `custos scan --estate` does, and records
 * whatever was printed meanwhile.
 */
async function scanDemo(estate: Estate, maxPageSize: number): Promise<DemoScan> {
  const printed: string[] = [];
  const record = (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  };
  const write = (chunk: string | Uint8Array): boolean => {
    if (!NODE_WARNING.test(String(chunk))) printed.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(console, 'log').mockImplementation(record),
    vi.spyOn(console, 'info').mockImplementation(record),
    vi.spyOn(console, 'warn').mockImplementation(record),
    vi.spyOn(console, 'error').mockImplementation(record),
    vi.spyOn(process.stdout, 'write').mockImplementation(write),
    vi.spyOn(process.stderr, 'write').mockImplementation(write),
  ];
  const sim: Simulator = await startSimulator(estate, { maxPageSize });
  const config = loadConfig(CONFIG, {});
  const caller = new AwsClients({ credentials: sim.credentials, endpoint: sim.endpoint, homeRegion: US });
  const sessions = new AccountSessions(caller, config.assumeRole, 'demo-run');
  try {
    const run = await runScan(
      {
        config,
        registry: ALL_CHECKS,
        sessions,
        homeRegion: US,
        toolVersion: '0.0.0-test',
        now: () => new Date(),
      },
      'demo-run',
    );
    return { run, calls: sim.calls(), printed };
  } finally {
    sessions.destroy();
    await sim.close();
    for (const spy of spies) spy.mockRestore();
  }
}

describe('the demo organization', () => {
  let estate: Estate;
  let scan: DemoScan;
  let findings: readonly Finding[];

  beforeAll(async () => {
    estate = loadEstateFile(ESTATE);
    // Pages of two make every paginated call walk several pages.
    scan = await scanDemo(estate, 2);
    findings = scan.run.report.findings;
  });

  it('gives every resource the verdict listed for it, and nothing else', () => {
    expect(
      findingLines(findings),
      'a verdict changed; if a KNOWN_DEFECTS entry was fixed, move its correct rows into EXPECTED',
    ).toEqual(reportedToday());
  });

  it('still shows each known defect, and none of the verdicts that would replace it', () => {
    const reported = new Set(findingLines(findings));
    for (const defect of KNOWN_DEFECTS) {
      for (const line of lines(defect.reportedToday)) expect(reported, defect.summary).toContain(line);
      for (const line of lines(defect.correct)) expect(reported, defect.summary).not.toContain(line);
    }
  });

  it('gives each finding one row: no resource is judged twice by a check', () => {
    const keys = findings.map((f) => `${f.checkId} ${f.accountId} ${f.region} ${f.resourceId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('makes every check pass somewhere and fail somewhere', () => {
    for (const check of ALL_CHECKS) {
      const statuses = new Set(findings.filter((f) => f.checkId === check.id).map((f) => f.status));
      expect([...statuses], check.id).toEqual(expect.arrayContaining(['PASS', 'FAIL']));
    }
    const catalogue = new Set(ALL_CHECKS.map((c) => c.id));
    expect(scan.run.report.coverage.checksNotRun.filter((c) => catalogue.has(c.checkId))).toEqual([]);
  });

  it('scans the ACTIVE accounts in their enabled regions and nothing else', () => {
    expect(scan.run.plan.targets).toEqual(
      ACTIVE.flatMap((accountId) => [GLOBAL, EU, US].map((region) => ({ accountId, region }))),
    );
    expect(scan.run.report.summary.accounts).toEqual({ total: 4, scanned: 3, notScanned: 1, errored: 0 });
  });

  it('gives the suspended account no findings and records it as not scanned', () => {
    expect(findings.filter((f) => f.accountId === SUSPENDED)).toEqual([]);
    expect(scan.run.report.coverage.accounts.find((a) => a.accountId === SUSPENDED)).toMatchObject({
      status: 'not-scanned',
      state: 'SUSPENDED',
    });
  });

  it('gives the region that is not opted in no findings and records it as not scanned', () => {
    expect(findings.filter((f) => f.region === NOT_OPTED_IN)).toEqual([]);
    const skipped = scan.run.report.coverage.targets.filter((t) => t.region === NOT_OPTED_IN);
    expect(skipped).toEqual(
      ACTIVE.map((accountId) => ({
        accountId,
        region: NOT_OPTED_IN,
        status: 'not-scanned',
        reason: 'region not enabled (not-opted-in)',
        collectors: {},
      })),
    );
  });

  it("turns the estate's fault into ERROR for exactly the checks that need the denied collectors", () => {
    const denied = new Set<string>(['ec2.snapshots', 'ec2.publicSnapshotIds']);
    const needing = ALL_CHECKS.filter((c) =>
      (c.needs as readonly CollectorId[]).some((id) => denied.has(id)),
    ).map((c) => c.id);
    expect(needing.sort()).toEqual(['ec2.ebs.snapshot-public', 'ec2.ebs.snapshot-unencrypted']);

    const faulted = findings.filter((f) => f.status === 'ERROR' && denied.has(String(f.evidence.source)));
    expect(faulted.map((f) => [f.checkId, f.accountId, f.region, f.resourceId, f.evidence.code])).toEqual(
      needing.map((id) => [id, DEV, US, `arn:aws:ec2:${US}:${DEV}:*`, 'UnauthorizedOperation']),
    );
    // The checks in the same target that need neither collector still assess their resources.
    expect(
      findings.filter((f) => f.accountId === DEV && f.region === US && !needing.includes(f.checkId)),
    ).not.toContainEqual(
      expect.objectContaining({ evidence: expect.objectContaining({ source: 'ec2.snapshots' }) }),
    );
    expect(
      findings.find(
        (f) => f.checkId === 'ec2.ebs.default-encryption' && f.accountId === DEV && f.region === US,
      )?.status,
    ).toBe('PASS');

    const target = scan.run.report.coverage.targets.find((t) => t.accountId === DEV && t.region === US);
    expect(target?.collectors['ec2.snapshots']).toMatchObject({
      ok: false,
      error: { kind: 'access-denied' },
    });
    expect(target?.collectors['ec2.publicSnapshotIds']).toMatchObject({
      ok: false,
      error: { kind: 'access-denied' },
    });
    expect(scan.run.report.summary.incomplete).toBe(true);
  });

  it('walks each paginated list once per account and region, across several pages', () => {
    const walks = new Map<string, number>();
    const pages = new Map<string, number>();
    for (const call of scan.calls) {
      const key = walkKey(call);
      pages.set(key, (pages.get(key) ?? 0) + 1);
      if (!isContinuation(call)) walks.set(key, (walks.get(key) ?? 0) + 1);
    }
    for (const [key, count] of walks) {
      // GenerateCredentialReport is asked again until the report is COMPLETE: a poll, not a read.
      if (key.includes(' iam:GenerateCredentialReport ')) expect(count, key).toBeLessThanOrEqual(2);
      else expect(count, key).toBe(1);
    }
    const ec2Lists = [
      'DescribeSecurityGroups',
      'DescribeNetworkInterfaces',
      'DescribeNetworkAcls',
      'DescribeRouteTables',
      'DescribeVolumes',
    ];
    const walked = (accountId: string, region: string, operation: string) =>
      [...walks].filter(([key]) => key.startsWith(`${accountId} ${region} ec2:${operation} `));
    for (const accountId of ACTIVE) {
      for (const region of [EU, US]) {
        for (const operation of ec2Lists) {
          expect(walked(accountId, region, operation), `${accountId} ${region} ${operation}`).toHaveLength(1);
        }
        // Exclusions only matter where the block is on.
        const options = estate.accounts[accountId]?.regions[region]?.ec2.VpcBlockPublicAccessOptions;
        const blockOn = (options?.InternetGatewayBlockMode ?? 'off') !== 'off';
        expect(walked(accountId, region, 'DescribeVpcBlockPublicAccessExclusions')).toHaveLength(
          blockOn ? 1 : 0,
        );
      }
    }
    // prod's six security groups in eu-west-1 come in three pages of two, in one walk.
    const groups = [...pages].filter(([key]) => key.startsWith(`${PROD} ${EU} ec2:DescribeSecurityGroups `));
    expect(groups.map(([, count]) => count)).toEqual([3]);
  });

  it('reads each bucket setting once per bucket, skipping only what is already known', () => {
    for (const accountId of ACTIVE) {
      const buckets = estate.accounts[accountId]?.s3.Buckets ?? [];
      const calls = scan.calls.filter((c) => c.accountId === accountId && c.service === 's3');
      const perBucket = (operation: string) =>
        calls
          .filter((c) => c.operation === operation)
          .map((c) => String(c.params.Bucket))
          .sort();
      const names = (list: typeof buckets) => list.map((b) => b.Name).sort();
      expect(perBucket('GetBucketPolicy'), accountId).toEqual(names(buckets));
      expect(perBucket('GetPublicAccessBlock'), accountId).toEqual(names(buckets));
      expect(perBucket('GetBucketOwnershipControls'), accountId).toEqual(names(buckets));
      // No policy, no policy status to ask for; under BucketOwnerEnforced the ACL grants nothing.
      expect(perBucket('GetBucketPolicyStatus'), accountId).toEqual(
        names(buckets.filter((b) => b.Policy !== null)),
      );
      expect(perBucket('GetBucketAcl'), accountId).toEqual(
        names(
          buckets.filter(
            (b) => !b.OwnershipControls?.Rules.some((r) => r.ObjectOwnership === 'BucketOwnerEnforced'),
          ),
        ),
      );
    }
  });

  it('reads the credential report, the account summary and the account settings once per account', () => {
    const count = (accountId: string, service: string, operation: string) =>
      scan.calls.filter(
        (c) => c.accountId === accountId && c.service === service && c.operation === operation,
      ).length;
    for (const accountId of ACTIVE) {
      expect(count(accountId, 'iam', 'GetCredentialReport'), accountId).toBe(1);
      expect(count(accountId, 'iam', 'GetAccountSummary'), accountId).toBe(1);
      expect(count(accountId, 's3control', 'GetPublicAccessBlock'), accountId).toBe(1);
      expect(count(accountId, 'ec2', 'DescribeRegions'), accountId).toBe(1);
    }
    // The caller assumes the audit role once per ACTIVE account, and never in the suspended one.
    const assumed = scan.calls
      .filter((c) => c.operation === 'AssumeRole')
      .map((c) => String(c.params.RoleArn))
      .sort();
    expect(assumed).toEqual(ACTIVE.map((id) => `arn:aws:iam::${id}:role/CustosAudit`));
  });

  it('prints nothing while it scans', () => {
    expect(scan.printed).toEqual([]);
  });
});

describe('the demo through the CLI', () => {
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'custos-demo-'));
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('prints nothing with --quiet, exits 0 and writes a report with the same verdicts', async () => {
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      if (!NODE_WARNING.test(String(chunk))) written.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    let code: number;
    try {
      code = await main(['scan', '--estate', ESTATE, '--config', CONFIG, '--out', out, '--quiet']);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(written).toEqual([]);
    expect(code).toBe(0);

    const latest = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as { reportKey: string };
    const report = JSON.parse(await readFile(join(out, latest.reportKey), 'utf8')) as Report;
    expect(findingLines(report.findings)).toEqual(reportedToday());
  });
});

/**
 * report.html without a browser: size at 50,000 findings, no network references, no way for a
 * finding to end the data script, and the control matrix's statuses.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../checks/registry.js';
import { fingerprint } from '../../../core/fingerprint.js';
import type { ControlIndex } from '../../../core/frameworks/index.js';
import type {
  Finding,
  FindingStatus,
  FrameworkId,
  Report,
  Severity,
  TargetCoverage,
} from '../../../core/types.js';
import { SEVERITIES } from '../../../core/types.js';
import { CLIENT_SCRIPT, CLIENT_SHA256 } from '../../../reports/formats/html/client.js';
import type { CompactData, CompactExtra } from '../../../reports/formats/html/data.js';
import {
  type ControlRow,
  controlMatrix,
  controlStatus,
  coverageGaps,
  encodeFindings,
  escapeHtml,
  HTML_SIZE_LIMIT,
  jsonForScript,
  renderHtml,
} from '../../../reports/formats/html.js';

const HOSTILE_ID = '</script><img src=x onerror=alert(1)>';
const AS_OF = '2026-11-20T02:00:00.000Z';

/** A small deterministic generator, so the synthetic report is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function summaryOf(findings: readonly Finding[], targets: readonly TargetCoverage[]): Report['summary'] {
  const count = (status: FindingStatus) => findings.filter((f) => f.status === status).length;
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings)
    if (f.status === 'FAIL' && f.suppressed === undefined) failBySeverity[f.severity] += 1;
  return {
    findings: { PASS: count('PASS'), FAIL: count('FAIL'), ERROR: count('ERROR') },
    failBySeverity,
    suppressed: findings.filter((f) => f.suppressed !== undefined).length,
    targets: { total: targets.length, scanned: targets.length, errored: 0 },
    accounts: { total: 1, scanned: 1, notScanned: 0, errored: 0 },
    topFailingChecks: [],
    incomplete: count('ERROR') > 0,
  };
}

function reportOf(findings: Finding[], extra: Partial<Report> = {}): Report {
  const targets: TargetCoverage[] = [
    { accountId: '111122223333', region: 'eu-west-1', status: 'scanned', collectors: {} },
  ];
  return {
    schemaVersion: 1,
    runId: '2026-11-20T02-00-00Z-test',
    startedAt: AS_OF,
    finishedAt: '2026-11-20T02:05:00.000Z',
    asOf: AS_OF,
    toolVersion: '0.1.0',
    configDigest: 'sha256:0000',
    scope: { accounts: [], regions: 'all', checks: ALL_CHECKS.map((c) => c.id) },
    summary: summaryOf(findings, targets),
    coverage: {
      accounts: [{ accountId: '111122223333', name: 'prod', status: 'scanned' }],
      targets,
      checksNotRun: [],
    },
    findings,
    ...extra,
  };
}

/**
 * 50,000 findings as a large organization produces them: 60 accounts, 8 regions, every check,
 * unique resource ids and names, messages that quote them, evidence and tags on each.
 */
function syntheticReport(count: number): Report {
  const rand = random(7);
  const hex = (length: number) =>
    Array.from({ length }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const accounts = Array.from({ length: 60 }, (_, i) => String(100000000000 + i * 7919));
  const regions = [
    'us-east-1',
    'us-east-2',
    'us-west-2',
    'eu-west-1',
    'eu-central-1',
    'ap-southeast-1',
    'ap-northeast-1',
    'sa-east-1',
  ];
  const words = [
    'prod',
    'web',
    'api',
    'db',
    'cache',
    'batch',
    'etl',
    'bastion',
    'legacy',
    'ml',
    'payments',
    'search',
  ];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const check = ALL_CHECKS[i % ALL_CHECKS.length]!;
    const accountId = accounts[Math.floor(rand() * accounts.length)]!;
    const global = check.scope === 'global';
    const region = global ? 'global' : regions[Math.floor(rand() * regions.length)]!;
    const name = `${words[Math.floor(rand() * words.length)]}-${words[Math.floor(rand() * words.length)]}-${hex(4)}`;
    const id = global ? name : `sg-${hex(17)}`;
    const resourceId = global
      ? `arn:aws:s3:::${name}-${accountId}`
      : `arn:aws:ec2:${region}:${accountId}:security-group/${id}`;
    const roll = rand();
    const status: FindingStatus = roll < 0.55 ? 'FAIL' : roll < 0.6 ? 'ERROR' : 'PASS';
    const port = [22, 3389, 5432, 6379, 9200, 27017][Math.floor(rand() * 6)]!;
    const finding: Finding = {
      checkId: check.id,
      status,
      severity: check.severity,
      accountId,
      region,
      resourceType: check.resourceType,
      resourceId,
      title: check.title,
      message:
        status === 'FAIL'
          ? `${id} (${name}) admits 0.0.0.0/0 and ::/0 on TCP ${port} through rule sgr-${hex(17)}.`
          : status === 'ERROR'
            ? `Not assessed: ${check.needs[0] ?? 'collector'} failed (access denied: AccessDenied).`
            : `${id} (${name}) passes.`,
      evidence: {
        groupId: id,
        groupName: name,
        vpcId: `vpc-${hex(17)}`,
        rules: [
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: '0.0.0.0/0', RuleId: `sgr-${hex(17)}` },
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIpv6: '::/0', RuleId: `sgr-${hex(17)}` },
        ],
        description: 'x'.repeat(Math.floor(rand() * 1200)),
      },
      remediation: check.remediation,
      frameworks: check.frameworks,
      fingerprint: fingerprint({ checkId: check.id, accountId, region, resourceId }),
      tags: { Name: name, owner: `team-${hex(3)}`, 'cost-center': hex(6) },
      ...(status === 'FAIL' && { history: { state: rand() < 0.2 ? 'new' : 'persisting', firstSeen: AS_OF } }),
      ...(status === 'FAIL' &&
        rand() < 0.02 && {
          suppressed: { reason: `Accepted risk ${hex(6)}`, expires: '2027-01-31T00:00:00.000Z' },
        }),
    };
    findings.push(finding);
  }
  const report = reportOf(findings);
  return {
    ...report,
    coverage: {
      ...report.coverage,
      accounts: accounts.map((accountId, i) => ({ accountId, name: `acct-${i}`, status: 'scanned' })),
    },
  };
}

/** The text of every `<script ...>…</script>` element as an HTML tokenizer would cut it. */
function scriptElements(html: string): Array<{ open: string; body: string }> {
  const scripts: Array<{ open: string; body: string }> = [];
  const open = /<script\b[^>]*>/gi;
  let match: RegExpExecArray | null = open.exec(html);
  while (match !== null) {
    const start = match.index + match[0].length;
    const end = html.toLowerCase().indexOf('</script', start);
    scripts.push({ open: match[0], body: html.slice(start, end) });
    open.lastIndex = end;
    match = open.exec(html);
  }
  return scripts;
}

function embeddedData(html: string): CompactData {
  const data = scriptElements(html).find((s) => s.open.includes('application/json'));
  return JSON.parse(data?.body ?? 'null') as CompactData;
}

import { writeFileSync, mkdirSync } from 'node:fs';
it('scratch', () => {
  const report = syntheticReport(50_000);
  mkdirSync('test-output', { recursive: true });
  writeFileSync('test-output/report-50k.html', renderHtml(report, {}));
});

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

/** What the page script does to get a finding back from its compact row. */
function decodeRow(data: CompactData, index: number) {
  const row = data.f[index]!;
  const s = (i: unknown) => data.s[i as number]!;
  const meta = data.m[row[0] as number]!;
  const [account, region] = data.t[row[2] as number]!;
  const suffix = row[4] as string;
  const resourceId = s(row[3]) + suffix;
  const args = row.length > 6 ? row[6] : 0;
  const values = typeof args === 'string' ? args.split(' ') : [];
  const parts = s(row[5]).split('\u0003');
  const shape = parts.map((part, i) => (i === 0 ? part : `${values[i - 1] ?? ''}${part}`)).join('');
  const message = shape.split('\u0001').join(resourceId).split('\u0002').join(suffix);
  const extra = (row.length > 8 ? row[8] : {}) as CompactExtra;
  return {
    checkId: meta.c,
    status: ['FAIL', 'ERROR', 'PASS'][(row[1] as number) % 3],
    accountId: s(account),
    region: s(region),
    resourceType: meta.k,
    resourceId,
    message,
    firstSeen: row.length > 7 && (row[7] as number) >= 0 ? s(row[7]) : undefined,
    extra,
  };
}

describe('renderHtml at 50,000 findings', () => {
  it('stays under 5 MB, in bounded memory, and keeps every finding', () => {
    // Prepare
    const report = syntheticReport(50_000);
    const peakBefore = process.resourceUsage().maxRSS;

    // Act
    const html = renderHtml(report, {});

    // Assess
    const bytes = Buffer.byteLength(html, 'utf8');
    const peakGrowthMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    expect(bytes).toBeLessThan(5_000_000);
    expect(bytes).toBeLessThanOrEqual(HTML_SIZE_LIMIT);
    expect(peakGrowthMb).toBeLessThan(400);
    const data = embeddedData(html);
    expect(data.f).toHaveLength(50_000);
    for (const index of [0, 1, 12_345, 49_999]) {
      const finding = report.findings[index]!;
      const decoded = decodeRow(data, index);
      expect(decoded).toMatchObject({
        checkId: finding.checkId,
        status: finding.status,
        accountId: finding.accountId,
        region: finding.region,
        resourceId: finding.resourceId,
        resourceType: finding.resourceType,
        message: finding.message,
        firstSeen: finding.history?.firstSeen,
      });
    }
  }, 60_000);

  it('keeps evidence for the worst findings first when it cannot keep all of it', () => {
    // Prepare
    const report = syntheticReport(10_000);
    const open = (f: Finding) => f.status === 'FAIL' && f.suppressed === undefined;

    // Act
    const { json, stats } = encodeFindings(report, 2_400_000);

    // Assess
    const data = JSON.parse(json) as CompactData;
    expect(stats.bytes).toBeLessThanOrEqual(2_400_000);
    expect(stats.passOmitted).toBe(0);
    expect(stats.evidenceOmitted).toBeGreaterThan(0);
    expect(data.eo).toBe(stats.evidenceOmitted);
    const kept = report.findings.filter((_, i) => decodeRow(data, i).extra.e !== undefined);
    expect(kept.length).toBe(stats.evidenceKept);
    expect(kept.filter((f) => f.status === 'PASS')).toEqual([]);
    const critical = report.findings.filter((f) => open(f) && f.severity === 'critical');
    expect(critical.length).toBeGreaterThan(100);
    expect(kept.filter((f) => open(f) && f.severity === 'critical')).toHaveLength(critical.length);
  }, 60_000);

  it('leaves out PASS findings before cutting messages short when the rows alone are too big', () => {
    // Prepare
    const report = syntheticReport(20_000);
    const notPass = report.findings.filter((f) => f.status !== 'PASS');

    // Act
    const { json, stats } = encodeFindings(report, 1_400_000);

    // Assess
    const data = JSON.parse(json) as CompactData;
    expect(stats.bytes).toBeLessThanOrEqual(1_400_000);
    expect(stats.passOmitted).toBe(report.findings.length - notPass.length);
    expect(data.po).toBe(stats.passOmitted);
    expect(data.f).toHaveLength(notPass.length);
    expect(stats.messageCap).toBe(0);
    notPass.slice(0, 100).forEach((finding, i) => {
      expect(decodeRow(data, i)).toMatchObject({ resourceId: finding.resourceId, message: finding.message });
    });
  }, 60_000);
});

describe('renderHtml is self-contained', () => {
  const report = syntheticReport(300);
  const html = renderHtml(report, {
    trend: [
      {
        runId: 'r1',
        finishedAt: '2026-11-18T02:00:00.000Z',
        failBySeverity: { critical: 3, high: 5, medium: 9, low: 0, info: 0 },
        error: 2,
      },
    ],
  });

  it('references no URL in src or href, and its script has no way to fetch', () => {
    // Prepare
    const scripts = scriptElements(html);
    const code = scripts.filter((s) => !s.open.includes('application/json')).map((s) => s.body);

    // Assess
    expect(html).not.toMatch(/\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed|audio|video|source)\b/i);
    expect(code).toHaveLength(1);
    for (const body of code) {
      expect(body).not.toContain('fetch(');
      expect(body).not.toContain('XMLHttpRequest');
      expect(body).not.toContain('import(');
      expect(body).not.toMatch(
        /\b(?:WebSocket|EventSource|sendBeacon|innerHTML|outerHTML|insertAdjacentHTML|eval)\b/,
      );
      expect(body).not.toMatch(/https?:/);
    }
  });

  it('carries a Content-Security-Policy that allows only its own inline script and style', () => {
    // Prepare
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    const csp = (meta?.[1] ?? '').replace(/&#39;/g, "'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = scriptElements(html).find((s) => s.open === '<script>')?.body ?? '';
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');

    // Assess
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(script).toBe(CLIENT_SCRIPT);
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('draws the trend chart only when there is an earlier run', () => {
    // Act
    const without = renderHtml(report, {});
    const onlyThisRun = renderHtml(report, {
      trend: [
        {
          runId: report.runId,
          finishedAt: report.finishedAt,
          failBySeverity: report.summary.failBySeverity,
          error: report.summary.findings.ERROR,
        },
      ],
    });

    // Assess
    expect(html).toContain('class="chart trend"');
    expect(html).toContain('Trend over the last 2 runs');
    expect(without).not.toContain('class="chart trend"');
    expect(onlyThisRun).not.toContain('class="chart trend"');
    expect(without).toContain('By severity');
  });
});

describe('renderHtml and hostile finding fields', () => {
  const base = syntheticReport(3);
  const hostile: Finding = {
    ...base.findings[0]!,
    status: 'FAIL',
    accountId: '111122223333',
    resourceId: HOSTILE_ID,
    message: `Group ${HOSTILE_ID} admits <!-- the internet \u2028 and \u2029 & more -->`,
    title: '<b>title</b>',
    evidence: { name: '</SCRIPT ><script>alert(2)</script>' },
    tags: { Name: '"><svg onload=alert(3)>' },
    remediation: { text: '</script>', console: "' onmouseover='x", cli: '<img src=x>' },
    fingerprint: HOSTILE_ID,
  };
  const report = reportOf([hostile, ...base.findings.slice(1)], {
    coverage: {
      accounts: [
        { accountId: '111122223333', name: '<i>prod</i>', status: 'scanned' },
        {
          accountId: '999988887777',
          name: '</script>',
          status: 'error',
          reason: '<img src=x onerror=alert(4)>',
        },
      ],
      targets: [],
      checksNotRun: [{ checkId: '<b>x</b>', reason: '</script><script>alert(5)</script>' }],
    },
    changes: {
      previousRunId: '<run>',
      new: 1,
      persisting: 0,
      regressed: 0,
      resolved: [
        {
          fingerprint: 'f'.repeat(64),
          checkId: 'ec2.sg.admin-ports-public',
          severity: 'high',
          accountId: '111122223333',
          region: 'eu-west-1',
          resourceId: HOSTILE_ID,
          title: '<b>t</b>',
          firstSeen: AS_OF,
          how: 'passes',
        },
      ],
      notAssessed: [],
    },
  });
  const html = renderHtml(report, {});

  it('cannot end a script element or add markup', () => {
    // Prepare
    const scripts = scriptElements(html);

    // Assess
    expect(scripts.map((s) => s.open)).toEqual([
      '<script type="application/json" id="custos-data">',
      '<script>',
    ]);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html).not.toMatch(/<img|<svg onload|<i>|<b>|<run>|<!--/i);
    expect(html).not.toMatch(/[\u2028\u2029]/);
    expect(html).toContain(escapeHtml(HOSTILE_ID));
  });

  it('gives the page script the hostile values back exactly, as data', () => {
    // Act
    const data = embeddedData(html);
    const decoded = decodeRow(data, 0);

    // Assess
    expect(decoded.resourceId).toBe(HOSTILE_ID);
    expect(decoded.message).toBe(hostile.message);
    expect(decoded.extra.p).toBe(HOSTILE_ID);
    expect(JSON.parse(decoded.extra.e ?? '{}')).toEqual(hostile.evidence);
    expect(JSON.parse(decoded.extra.g ?? '{}')).toEqual(hostile.tags);
    expect(data.m[0]?.r).toEqual({ x: '</script>', o: "' onmouseover='x", l: '<img src=x>' });
    expect(data.a['111122223333']).toBe('<i>prod</i>');
  });

  it('escapes for script JSON and for HTML', () => {
    // Assess
    expect(jsonForScript({ a: '</script><!--\u2028\u2029&' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u2029\\u0026"}',
    );
    expect(JSON.parse(jsonForScript({ a: '</script><!--\u2028\u2029&' }))).toEqual({
      a: '</script><!--\u2028\u2029&',
    });
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('the page script', () => {
  it('computes SHA-256 as node does, so standard fingerprints can be left out', () => {
    // Prepare
    const sha256hex = new Function(`${CLIENT_SHA256}; return sha256hex;`)() as (text: string) => string;
    const inputs = [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'x'.repeat(1000),
      'ec2.sg.admin-ports-public\u001f111122223333\u001feu-west-1\u001farn:aws:ec2:eu-west-1:111122223333:security-group/sg-1',
      'ünïcødé ✓ 🛡️ 中文',
    ];

    // Assess
    for (const input of inputs) {
      expect(sha256hex(input)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
    }
  });

  it('leaves out fingerprints the page can recompute and keeps the others', () => {
    // Prepare
    const report = syntheticReport(5);
    const odd = { ...report.findings[1]!, fingerprint: 'legacy-fingerprint' };

    // Act
    const { json } = encodeFindings({ ...report, findings: [report.findings[0]!, odd] }, 1_000_000);
    const data = JSON.parse(json) as CompactData;

    // Assess
    expect(decodeRow(data, 0).extra.p).toBeUndefined();
    expect(decodeRow(data, 1).extra.p).toBe('legacy-fingerprint');
  });
});

describe('controlMatrix', () => {
  const finding = (
    checkId: string,
    status: FindingStatus,
    frameworks: Partial<Record<FrameworkId, string[]>>,
    suppressed = false,
  ) => ({
    checkId,
    status,
    frameworks,
    ...(suppressed && { suppressed: { reason: 'accepted', expires: '2027-01-01T00:00:00.000Z' } }),
  });
  const index = {
    'cis-aws-3.0': { '1.4': ['iam.root.access-keys'], '1.5': ['iam.root.mfa'] },
    'cis-aws-5.0': {},
    fsbp: {
      'EC2.2': ['ec2.sg.default-restricts-all'],
      'IAM.4': ['iam.root.access-keys'],
      'IAM.9': ['iam.root.mfa'],
      'S3.1': ['s3.account.public-access-block'],
      'S3.5': ['s3.bucket.secure-transport'],
      'S3.8': ['s3.bucket.public-access-block'],
    },
    hipaa: {},
    gdpr: {},
    ferpa: {},
  } satisfies ControlIndex;
  const findings = [
    // S3.5: a suppressed FAIL and a PASS → PASS
    finding('s3.bucket.secure-transport', 'FAIL', { fsbp: ['S3.5'] }, true),
    finding('s3.bucket.secure-transport', 'PASS', { fsbp: ['S3.5'] }),
    // IAM.4: FAIL wins over ERROR and PASS
    finding('iam.root.access-keys', 'FAIL', { fsbp: ['IAM.4'], 'cis-aws-3.0': ['1.4'] }),
    finding('iam.root.access-keys', 'ERROR', { fsbp: ['IAM.4'], 'cis-aws-3.0': ['1.4'] }),
    finding('iam.root.access-keys', 'PASS', { fsbp: ['IAM.4'], 'cis-aws-3.0': ['1.4'] }),
    // IAM.9: ERROR wins over PASS
    finding('iam.root.mfa', 'ERROR', { fsbp: ['IAM.9'] }),
    finding('iam.root.mfa', 'PASS', { fsbp: ['IAM.9'] }),
    // S3.8: a suppressed ERROR is still ERROR
    finding('s3.bucket.public-access-block', 'ERROR', { fsbp: ['S3.8'] }, true),
    // EC2.2: only PASS
    finding('ec2.sg.default-restricts-all', 'PASS', { fsbp: ['EC2.2'] }),
    // S3.1: no finding → not assessed; EC2.999: unknown to the catalogue
    finding('custom.check', 'FAIL', { fsbp: ['EC2.999'] }),
  ];

  it('computes each control status from its findings', () => {
    // Act
    const matrices = controlMatrix(findings, index);
    const fsbp = matrices.find((m) => m.frameworkId === 'fsbp')!;
    const cis = matrices.find((m) => m.frameworkId === 'cis-aws-3.0')!;
    const row = (id: string): ControlRow => fsbp.controls.find((c) => c.controlId === id)!;

    // Assess
    expect(row('S3.5')).toMatchObject({
      status: 'PASS',
      counts: { fail: 0, error: 0, pass: 1, suppressed: 1 },
    });
    expect(row('IAM.4')).toMatchObject({
      status: 'FAIL',
      counts: { fail: 1, error: 1, pass: 1, suppressed: 0 },
    });
    expect(row('IAM.9')).toMatchObject({
      status: 'ERROR',
      counts: { fail: 0, error: 1, pass: 1, suppressed: 0 },
    });
    expect(row('S3.8').status).toBe('ERROR');
    expect(row('EC2.2').status).toBe('PASS');
    expect(row('S3.1')).toMatchObject({
      status: 'NOT_ASSESSED',
      counts: { fail: 0, error: 0, pass: 0, suppressed: 0 },
      checkIds: ['s3.account.public-access-block'],
      assessedCheckIds: [],
    });
    expect(row('EC2.999')).toMatchObject({ status: 'FAIL', title: '', checkIds: ['custom.check'] });
    expect(row('IAM.4').title).toBe('IAM root user access key should not exist');
    expect(fsbp.controls.map((c) => c.controlId)).toEqual([
      'EC2.2',
      'IAM.4',
      'IAM.9',
      'S3.1',
      'S3.5',
      'S3.8',
      'EC2.999',
    ]);
    expect(fsbp.totals).toEqual({ FAIL: 2, ERROR: 2, PASS: 2, NOT_ASSESSED: 1 });
    expect(cis.controls.map((c) => [c.controlId, c.status])).toEqual([
      ['1.4', 'FAIL'],
      ['1.5', 'NOT_ASSESSED'],
    ]);
    expect(matrices.find((m) => m.frameworkId === 'hipaa')?.controls).toEqual([]);
  });

  it('orders the statuses FAIL, ERROR, PASS, not assessed', () => {
    // Assess
    expect(controlStatus({ fail: 1, error: 1, pass: 1, suppressed: 1 })).toBe('FAIL');
    expect(controlStatus({ fail: 0, error: 1, pass: 1, suppressed: 1 })).toBe('ERROR');
    expect(controlStatus({ fail: 0, error: 0, pass: 0, suppressed: 1 })).toBe('PASS');
    expect(controlStatus({ fail: 0, error: 0, pass: 0, suppressed: 0 })).toBe('NOT_ASSESSED');
  });

  it('lists every control the registered checks map to by default', () => {
    // Act
    const matrices = controlMatrix([]);

    // Assess
    for (const matrix of matrices) {
      for (const control of matrix.controls) {
        expect(control.status).toBe('NOT_ASSESSED');
        expect(control.title).not.toBe('');
      }
    }
    expect(matrices.find((m) => m.frameworkId === 'fsbp')?.controls.length).toBeGreaterThan(10);
  });
});

describe('coverageGaps', () => {
  it('gathers accounts, regions, collectors and checks that were not assessed', () => {
    // Prepare
    const report = reportOf([], {
      coverage: {
        accounts: [
          { accountId: '111122223333', status: 'scanned' },
          {
            accountId: '222233334444',
            name: 'legacy',
            status: 'error',
            error: { kind: 'access-denied', code: 'AccessDenied', message: 'no', operation: 'AssumeRole' },
          },
          { accountId: '333344445555', state: 'SUSPENDED', status: 'not-scanned' },
        ],
        targets: [
          {
            accountId: '111122223333',
            region: 'eu-west-1',
            status: 'scanned',
            collectors: {
              'ec2.volumes': {
                ok: false,
                error: { kind: 'access-denied', code: 'UnauthorizedOperation', message: 'denied' },
              },
              'ec2.securityGroups': { ok: true },
            },
          },
          {
            accountId: '111122223333',
            region: 'ap-east-1',
            status: 'not-scanned',
            reason: 'opt-in required',
            collectors: {},
          },
          {
            accountId: '222233334444',
            region: 'eu-west-1',
            status: 'error',
            reason: 'account access',
            collectors: {},
          },
        ],
        checksNotRun: [{ checkId: 'ec2.sg.ingress-outside-allowlist', reason: 'no allowlist' }],
      },
    });

    // Act
    const gaps = coverageGaps(report);

    // Assess
    expect(gaps.accounts).toEqual([
      {
        accountId: '222233334444',
        name: 'legacy',
        status: 'error',
        reason: 'access-denied (AccessDenied in AssumeRole): no',
      },
      { accountId: '333344445555', status: 'not-scanned', reason: 'state SUSPENDED' },
    ]);
    expect(gaps.regions).toEqual([
      { region: 'ap-east-1', status: 'not-scanned', reason: 'opt-in required', accountIds: ['111122223333'] },
    ]);
    expect(gaps.collectors).toEqual([
      {
        collector: 'ec2.volumes',
        reason: 'access-denied (UnauthorizedOperation)',
        message: 'denied',
        targets: [{ accountId: '111122223333', region: 'eu-west-1' }],
      },
    ]);
    expect(gaps.total).toBe(5);
  });

  it('says so when coverage is complete', () => {
    // Act
    const html = renderHtml(reportOf([]), {});

    // Assess
    expect(coverageGaps(reportOf([])).total).toBe(0);
    expect(html).toContain('Complete coverage');
  });
});

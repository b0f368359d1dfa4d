/**
 * report.html in a real browser: Debian's Chromium driven by playwright-core. The page must run
 * without errors, fetch nothing, and its findings table must filter, sort and page. A full-page
 * screenshot goes to test-output/report.png for a person to look at.
 *
 * Chromium is required: CI installs it (.ci/run), and a missing browser fails the test.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../../checks/registry.js';
import { fingerprint } from '../../../core/fingerprint.js';
import type {
  AnyCheck,
  Finding,
  FindingStatus,
  Report,
  Severity,
  TargetCoverage,
} from '../../../core/types.js';
import { SEVERITIES } from '../../../core/types.js';
import { type HtmlTrendPoint, renderHtml } from '../../../reports/formats/html.js';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE_ID = '</script><img src=x onerror=alert(1)>';
const AS_OF = '2026-11-20T02:00:00.000Z';
const PREVIOUS_RUN = '2026-11-19T02-00-00Z-9c1e';
const RUN_ID = '2026-11-20T02-00-00Z-4f7a';

const ACCOUNTS = [
  { id: '111122223333', name: 'prod-payments' },
  { id: '222233334444', name: 'staging' },
  { id: '333344445555', name: 'data-lake' },
] as const;
const REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** A small deterministic generator, so the fixture is the same on every run. */
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

const rand = random(42);
const hex = (length: number) =>
  Array.from({ length }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

interface Subject {
  readonly resourceId: string;
  readonly region: string;
  readonly fail: string;
  readonly pass: string;
  readonly evidence: Record<string, unknown>;
}

/** Resources of the kind a check evaluates, with messages in the checks' own style. */
function subjects(check: AnyCheck, accountId: string): Subject[] {
  const [service, kind] = check.id.split('.');
  const out: Subject[] = [];
  if (service === 'iam' && kind === 'root') {
    out.push({
      resourceId: `arn:aws:iam::${accountId}:root`,
      region: 'global',
      fail: `The root user of ${accountId} fails: ${check.title.toLowerCase()}.`,
      pass: `The root user of ${accountId} passes.`,
      evidence: { passwordPresent: true, mfaActive: false, accessKey1Active: rand() < 0.5 },
    });
    return out;
  }
  if (service === 'iam') {
    for (const user of ['alice', 'bob', 'ci-deploy', 'svc-backup', 'mallory']) {
      out.push({
        resourceId: `arn:aws:iam::${accountId}:user/${user}`,
        region: 'global',
        fail: `IAM user ${user} has a console password and no MFA device.`,
        pass: `IAM user ${user} passes.`,
        evidence: { user, passwordEnabled: true, mfaActive: false, passwordLastUsed: '2026-08-01T10:00:00Z' },
      });
    }
    return out;
  }
  if (service === 's3') {
    if (kind === 'account') {
      out.push({
        resourceId: `arn:aws:s3::${accountId}:account`,
        region: 'global',
        fail: 'Account Block Public Access leaves BlockPublicPolicy and RestrictPublicBuckets off.',
        pass: 'Account Block Public Access has all four settings on.',
        evidence: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false },
      });
      return out;
    }
    for (const bucket of ['invoices-archive', 'web-assets', 'ml-training-data', 'cloudtrail-logs']) {
      const name = `${bucket}-${accountId.slice(0, 4)}`;
      out.push({
        resourceId: `arn:aws:s3:::${name}`,
        region: 'global',
        fail: `Bucket ${name} is public through its policy: statement "PublicRead" allows s3:GetObject to *.`,
        pass: `Bucket ${name} is not public.`,
        evidence: {
          statement: { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject' },
        },
      });
    }
    return out;
  }
  for (const region of REGIONS) {
    if (check.id === 'ec2.ebs.default-encryption') {
      out.push({
        resourceId: `arn:aws:ec2:${region}:${accountId}:ebs-default-encryption`,
        region,
        fail: `EBS encryption by default is off in ${region}.`,
        pass: `EBS encryption by default is on in ${region}.`,
        evidence: { EbsEncryptionByDefault: false },
      });
      continue;
    }
    const [type, prefix, noun] =
      kind === 'ebs'
        ? check.id.includes('snapshot')
          ? ['snapshot', 'snap', 'Snapshot']
          : ['volume', 'vol', 'Volume']
        : kind === 'nacl'
          ? ['network-acl', 'acl', 'Network ACL']
          : kind === 'eni'
            ? ['network-interface', 'eni', 'Network interface']
            : ['security-group', 'sg', 'Security group'];
    for (let i = 0; i < 3; i++) {
      const id = `${prefix}-${hex(17)}`;
      const port = pick([22, 3389, 5432, 9200, 6379]);
      out.push({
        resourceId: `arn:aws:ec2:${region}:${accountId}:${type}/${id}`,
        region,
        fail:
          noun === 'Volume' || noun === 'Snapshot'
            ? `${noun} ${id} is not encrypted.`
            : `${noun} ${id} admits 0.0.0.0/0 on TCP ${port}.`,
        pass: `${noun} ${id} passes.`,
        evidence: { id, port, cidr: '0.0.0.0/0', rule: { IpProtocol: 'tcp', FromPort: port, ToPort: port } },
      });
    }
  }
  return out;
}

function finding(check: AnyCheck, accountId: string, subject: Subject, status: FindingStatus): Finding {
  const base = {
    checkId: check.id,
    status,
    severity: check.severity,
    accountId,
    region: subject.region,
    resourceType: check.resourceType,
    resourceId: subject.resourceId,
    title: check.title,
    message: status === 'FAIL' ? subject.fail : subject.pass,
    evidence: subject.evidence,
    remediation: check.remediation,
    frameworks: check.frameworks,
    fingerprint: fingerprint({
      checkId: check.id,
      accountId,
      region: subject.region,
      resourceId: subject.resourceId,
    }),
  };
  if (status !== 'FAIL') return base;
  const roll = rand();
  const state = roll < 0.25 ? 'new' : roll < 0.35 ? 'regressed' : 'persisting';
  return { ...base, history: { state, firstSeen: state === 'new' ? AS_OF : '2026-10-02T02:00:00.000Z' } };
}

/** The summary's finding counts, as finalize computes them. */
function findingCounts(
  findings: readonly Finding[],
): Pick<Report['summary'], 'findings' | 'failBySeverity' | 'suppressed'> {
  const count = (status: FindingStatus) => findings.filter((f) => f.status === status).length;
  const failBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    if (f.status === 'FAIL' && f.suppressed === undefined) failBySeverity[f.severity] += 1;
  }
  return {
    findings: { PASS: count('PASS'), FAIL: count('FAIL'), ERROR: count('ERROR') },
    failBySeverity,
    suppressed: findings.filter((f) => f.suppressed !== undefined).length,
  };
}

function buildReport(): Report {
  const findings: Finding[] = [];
  const failRate: Record<string, number> = {
    '111122223333': 0.35,
    '222233334444': 0.55,
    '333344445555': 0.2,
  };
  for (const account of ACCOUNTS) {
    for (const check of ALL_CHECKS) {
      if (check.id === 'ec2.sg.ingress-outside-allowlist') continue;
      for (const subject of subjects(check, account.id)) {
        const unreadable =
          account.id === '222233334444' &&
          subject.region === 'us-east-1' &&
          check.id === 'ec2.ebs.volume-unencrypted';
        if (unreadable) continue;
        findings.push(
          finding(check, account.id, subject, rand() < (failRate[account.id] ?? 0.3) ? 'FAIL' : 'PASS'),
        );
      }
    }
  }
  const volumeCheck = ALL_CHECKS.find((c) => c.id === 'ec2.ebs.volume-unencrypted')!;
  const scopeId = 'arn:aws:ec2:us-east-1:222233334444:*';
  findings.push({
    ...finding(
      volumeCheck,
      '222233334444',
      { ...subjects(volumeCheck, '222233334444')[0]!, resourceId: scopeId, region: 'us-east-1' },
      'ERROR',
    ),
    resourceType: 'AwsScope',
    message: 'Not assessed: ec2.volumes failed (access denied: UnauthorizedOperation).',
    evidence: { source: 'ec2.volumes', kind: 'access-denied', code: 'UnauthorizedOperation' },
  });
  const sgCheck = ALL_CHECKS.find((c) => c.id === 'ec2.sg.admin-ports-public')!;
  findings.push({
    ...finding(
      sgCheck,
      '111122223333',
      {
        resourceId: HOSTILE_ID,
        region: 'eu-west-1',
        fail: `Security group ${HOSTILE_ID} admits 0.0.0.0/0 on TCP 22.`,
        pass: '',
        evidence: { name: HOSTILE_ID },
      },
      'FAIL',
    ),
    tags: { Name: '<b>bold</b>', owner: '"quoted" & \'single\'' },
  });
  const suppressible = findings.find(
    (f) => f.status === 'FAIL' && f.checkId === 's3.bucket.secure-transport',
  );
  if (suppressible !== undefined) {
    findings[findings.indexOf(suppressible)] = {
      ...suppressible,
      suppressed: {
        reason: 'Legacy uploader without TLS, retired in Q1 (CHG-2291)',
        expires: '2027-03-31T00:00:00.000Z',
      },
    };
  }
  const targets: TargetCoverage[] = ACCOUNTS.flatMap((a) =>
    [...REGIONS, 'global'].map((region) => ({
      accountId: a.id,
      region,
      status: 'scanned' as const,
      collectors:
        a.id === '222233334444' && region === 'us-east-1'
          ? {
              'ec2.volumes': {
                ok: false as const,
                error: {
                  kind: 'access-denied' as const,
                  code: 'UnauthorizedOperation',
                  message: 'You are not authorized to perform this operation (ec2:DescribeVolumes).',
                  operation: 'DescribeVolumes',
                },
              },
            }
          : {},
    })),
  );
  targets.push({
    accountId: '333344445555',
    region: 'ap-east-1',
    status: 'not-scanned',
    reason: 'region not enabled for this account (opt-in required)',
    collectors: {},
  });
  const failing = findings.filter((f) => f.status === 'FAIL' && f.suppressed === undefined);
  return {
    schemaVersion: 1,
    runId: RUN_ID,
    startedAt: '2026-11-20T02:00:00.000Z',
    finishedAt: '2026-11-20T02:03:41.000Z',
    asOf: AS_OF,
    toolVersion: '0.1.0',
    configDigest: 'sha256:5e0c3f4b1d2a99887766554433221100ffeeddccbbaa99887766554433221100',
    scope: {
      accounts: [],
      regions: ['eu-west-1', 'us-east-1', 'ap-east-1'],
      checks: ALL_CHECKS.map((c) => c.id),
    },
    summary: {
      ...findingCounts(findings),
      targets: { total: targets.length, scanned: targets.length - 1, errored: 0 },
      accounts: { total: 5, scanned: 3, notScanned: 1, errored: 1 },
      topFailingChecks: [],
      incomplete: true,
    },
    coverage: {
      accounts: [
        ...ACCOUNTS.map((a) => ({
          accountId: a.id,
          name: a.name,
          state: 'ACTIVE',
          status: 'scanned' as const,
        })),
        {
          accountId: '444455556666',
          name: 'legacy-billing',
          state: 'ACTIVE',
          status: 'error' as const,
          error: {
            kind: 'access-denied' as const,
            code: 'AccessDenied',
            message:
              'User is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/CustosAudit',
            operation: 'AssumeRole',
          },
        },
        {
          accountId: '555566667777',
          name: 'closed-2024',
          state: 'SUSPENDED',
          status: 'not-scanned' as const,
        },
      ],
      targets,
      checksNotRun: [
        { checkId: 'ec2.sg.ingress-outside-allowlist', reason: 'no network.allowlist configured' },
      ],
    },
    findings,
    changes: {
      previousRunId: PREVIOUS_RUN,
      new: failing.filter((f) => f.history?.state === 'new').length,
      persisting: failing.filter((f) => f.history?.state === 'persisting').length,
      regressed: failing.filter((f) => f.history?.state === 'regressed').length,
      resolved: [
        {
          fingerprint: 'f'.repeat(64),
          checkId: 'iam.root.access-keys',
          severity: 'critical',
          accountId: '111122223333',
          region: 'global',
          resourceId: 'arn:aws:iam::111122223333:root',
          title: 'The root user has no active access keys',
          firstSeen: '2026-09-14T02:00:00.000Z',
          how: 'passes',
        },
        {
          fingerprint: 'e'.repeat(64),
          checkId: 'ec2.ebs.volume-unencrypted',
          severity: 'high',
          accountId: '333344445555',
          region: 'eu-west-1',
          resourceId: 'arn:aws:ec2:eu-west-1:333344445555:volume/vol-0f00dcafe0000beef',
          title: 'EBS volumes are encrypted',
          firstSeen: '2026-10-01T02:00:00.000Z',
          how: 'gone',
        },
      ],
      notAssessed: [
        {
          fingerprint: 'd'.repeat(64),
          checkId: 'ec2.ebs.volume-unencrypted',
          severity: 'high',
          accountId: '222233334444',
          region: 'us-east-1',
          resourceId: 'arn:aws:ec2:us-east-1:222233334444:volume/vol-0123456789abcdef0',
          title: 'EBS volumes are encrypted',
          previousState: 'persisting',
          firstSeen: '2026-08-30T02:00:00.000Z',
          notAssessedSince: PREVIOUS_RUN,
        },
      ],
    },
  };
}

/** The fixture's findings repeated on renamed resources until there are `count`. */
function scaled(report: Report, count: number): Report {
  const findings: Finding[] = [];
  for (let copy = 0; findings.length < count; copy++) {
    for (const f of report.findings) {
      if (findings.length >= count) break;
      const resourceId = `${f.resourceId}-${copy}`;
      findings.push({
        ...f,
        resourceId,
        message: f.message.split(f.resourceId).join(resourceId),
        fingerprint: fingerprint({
          checkId: f.checkId,
          accountId: f.accountId,
          region: f.region,
          resourceId,
        }),
      });
    }
  }
  return { ...report, findings, summary: { ...report.summary, ...findingCounts(findings) } };
}

function buildTrend(report: Report): HtmlTrendPoint[] {
  const trend: HtmlTrendPoint[] = [];
  for (let day = 9; day >= 1; day--) {
    const scale = 1 + day * 0.06;
    const failBySeverity = Object.fromEntries(
      SEVERITIES.map((s) => [s, Math.round(report.summary.failBySeverity[s] * scale)]),
    ) as Record<Severity, number>;
    const date = new Date(Date.parse(AS_OF) - day * 86_400_000).toISOString();
    trend.push({ runId: `run-${day}`, finishedAt: date, failBySeverity, error: day % 4 === 0 ? 3 : 0 });
  }
  return trend;
}

/** The severity column of the visible rows. */
async function visibleSeverities(page: Page): Promise<string[]> {
  return page.$$eval('#rows tr.row', (rows) => rows.map((row) => row.getAttribute('data-sev') ?? ''));
}

async function countText(page: Page): Promise<string> {
  return (await page.textContent('#count')) ?? '';
}

describe('report.html in Chromium', () => {
  const report = buildReport();
  const folder = mkdtempSync(join(tmpdir(), 'custos-html-'));
  const file = join(folder, 'report.html');
  const fileUrl = pathToFileURL(file).href;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's chromium package (CI does in .ci/run).`,
      );
    }
    writeFileSync(file, renderHtml(report, { trend: buildTrend(report) }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(fileUrl, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="true"]', { timeout: 5_000 });
  }, 20_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('loads without console or page errors, and requests nothing but its own file', async () => {
    // Assess
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it('shows the coverage-gap panel near the top', async () => {
    // Act
    const panel = page.locator('#coverage .panel.gaps');

    // Assess
    await expect(panel.isVisible()).resolves.toBe(true);
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('444455556666');
    expect(text).toContain('AccessDenied');
    expect(text).toContain('ap-east-1');
    expect(text).toContain('ec2.volumes');
    expect(text).toContain('ec2.sg.ingress-outside-allowlist');
    const panelTop = (await panel.boundingBox())?.y ?? Number.POSITIVE_INFINITY;
    const findingsTop = (await page.locator('#findings').boundingBox())?.y ?? 0;
    expect(panelTop).toBeLessThan(findingsTop);
  });

  it('renders a hostile resource id as text', async () => {
    // Act
    await page.fill('#f-q', 'onerror');
    await expect.poll(() => page.locator('#rows tr.row').count()).toBe(1);

    // Assess
    const title = await page.getAttribute('#rows tr.row .res', 'title');
    const message = await page.textContent('#rows tr.row td.msg');
    expect(title).toBe(HOSTILE_ID);
    expect(message).toBe(`Security group ${HOSTILE_ID} admits 0.0.0.0/0 on TCP 22.`);
    expect(await page.$$('img')).toHaveLength(0);
    expect(dialogs).toEqual([]);
  });

  it('narrows the table to the rows that match the filter text', async () => {
    // Prepare
    await page.fill('#f-q', '');
    const open = report.findings.filter(
      (f) => f.status === 'ERROR' || (f.status === 'FAIL' && f.suppressed === undefined),
    ).length;
    await expect.poll(() => countText(page)).toContain(`of ${open} matching`);
    const before = await countText(page);
    const expected = report.findings.filter(
      (f) =>
        (f.status === 'ERROR' || (f.status === 'FAIL' && f.suppressed === undefined)) &&
        f.resourceId.includes('ml-training-data'),
    );

    // Act
    await page.fill('#f-q', 'ml-training-data');
    await expect.poll(() => page.locator('#rows tr.row').count()).toBe(expected.length);

    // Assess
    expect(expected.length).toBeGreaterThan(0);
    const resources = await page.$$eval('#rows tr.row .res', (cells) =>
      cells.map((c) => c.getAttribute('title') ?? ''),
    );
    expect(resources).toHaveLength(expected.length);
    for (const resource of resources) expect(resource).toContain('ml-training-data');
    expect(await countText(page)).not.toBe(before);
  });

  it('sorts by severity in both directions', async () => {
    // Prepare
    await page.fill('#f-q', '');
    await page.selectOption('#f-status', 'all');
    await page.selectOption('#page-size', '250');
    // The search box applies its text after a short pause: wait until the cleared search shows.
    await expect.poll(() => page.locator('#rows tr.row').count()).toBe(250);
    const rank = (s: string) => SEVERITIES.indexOf(s as Severity);

    // Act
    await page.click('th[data-key="sev"] button');
    const first = await visibleSeverities(page);
    const firstSort = await page.getAttribute('th[data-key="sev"]', 'aria-sort');
    await page.click('th[data-key="sev"] button');
    const second = await visibleSeverities(page);
    const secondSort = await page.getAttribute('th[data-key="sev"]', 'aria-sort');

    // Assess
    const ascending = (list: string[]) => list.every((s, i) => i === 0 || rank(list[i - 1]!) <= rank(s));
    const descending = (list: string[]) => list.every((s, i) => i === 0 || rank(list[i - 1]!) >= rank(s));
    expect(new Set([firstSort, secondSort])).toEqual(new Set(['ascending', 'descending']));
    const [worstFirst, bestFirst] = firstSort === 'ascending' ? [first, second] : [second, first];
    expect(worstFirst).toHaveLength(250);
    expect(ascending(worstFirst)).toBe(true);
    expect(worstFirst[0]).toBe('critical');
    expect(descending(bestFirst)).toBe(true);
    expect(rank(bestFirst[0]!)).toBeGreaterThan(rank('critical'));
  });

  it('pages through the table', async () => {
    // Prepare
    await page.selectOption('#page-size', '25');
    await page.click('th[data-key="resource"] button');
    const total = report.findings.length;
    const pages = Math.ceil(total / 25);

    // Act
    const firstPage = await page.$$eval('#rows tr.row', (rows) => rows.map((r) => r.getAttribute('data-i')));
    await page.click('#next');
    const secondPage = await page.$$eval('#rows tr.row', (rows) => rows.map((r) => r.getAttribute('data-i')));
    const secondInfo = await page.textContent('#page-info');
    await page.click('#last');
    const lastPage = await page.$$eval('#rows tr.row', (rows) => rows.length);

    // Assess
    expect(firstPage).toHaveLength(25);
    expect(secondPage).toHaveLength(25);
    expect(secondPage.filter((i) => firstPage.includes(i))).toEqual([]);
    expect(secondInfo).toBe(`Page 2 of ${pages}`);
    expect(lastPage).toBe(total - (pages - 1) * 25);
    expect(await page.isDisabled('#next')).toBe(true);
  });

  it('shows a finding in detail on click, with the fingerprint recomputed in the page', async () => {
    // Prepare
    await page.click('#reset');
    const row = page.locator('#rows tr.row').first();
    const index = Number(await row.getAttribute('data-i'));

    // Act
    await row.click();

    // Assess
    const detail = page.locator('#rows tr.detail');
    await expect(detail.isVisible()).resolves.toBe(true);
    const text = (await detail.textContent()) ?? '';
    const expected = report.findings[index]!;
    expect(text).toContain(expected.remediation.text);
    expect(text).toContain(expected.message);
    expect(await detail.locator('.fingerprint').textContent()).toBe(expected.fingerprint);
  });

  it('stays usable at 50,000 findings', async () => {
    // Prepare
    const big = scaled(report, 50_000);
    const html = renderHtml(big, {});
    const bigFile = join(folder, 'report-50k.html');
    writeFileSync(bigFile, html);
    const bigPage = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const bigRequests: string[] = [];
    const bigErrors: string[] = [];
    bigPage.on('request', (request) => bigRequests.push(request.url()));
    bigPage.on('pageerror', (error) => bigErrors.push(String(error)));
    bigPage.on('console', (message) => {
      if (message.type() === 'error') bigErrors.push(message.text());
    });
    const needle = 'ml-training-data-3333-17';
    const matching = big.findings.filter((f) => f.resourceId.includes(needle));

    // Act
    await bigPage.goto(pathToFileURL(bigFile).href, { waitUntil: 'load' });
    // A generous bound on readiness only: load time is measured by the benchmarks, not asserted here.
    await bigPage.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await bigPage.selectOption('#f-status', 'all');
    const allText = await countText(bigPage);
    await bigPage.fill('#f-q', needle);
    await expect.poll(() => bigPage.locator('#rows tr.row').count()).toBe(matching.length);
    await bigPage.click('#reset');
    await bigPage.click('th[data-key="account"] button');
    const accounts = await bigPage.$$eval('#rows tr.row td:nth-child(4)', (cells) =>
      cells.map((c) => c.firstChild?.textContent ?? ''),
    );
    await bigPage.close();

    // Assess
    expect(Buffer.byteLength(html)).toBeLessThan(5_000_000);
    expect(allText).toContain('of 50,000 matching');
    expect(matching.length).toBeGreaterThan(0);
    expect(accounts).toEqual([...accounts].sort());
    expect(bigErrors).toEqual([]);
    expect(bigRequests).toEqual([pathToFileURL(bigFile).href]);
  }, 60_000);

  it('follows a chart bar to its findings and takes a full-page screenshot', async () => {
    // Act
    await page.click('#reset');
    await page.click('[data-filter="status:FAIL|account:222233334444"]');
    const accounts = await page.$$eval('#rows tr.row td:nth-child(4)', (cells) =>
      cells.map((c) => c.firstChild?.textContent ?? ''),
    );
    await page.click('#reset');
    await page.locator('#rows tr.row').nth(1).click();
    await page.evaluate('window.scrollTo(0, 0)');
    const output = resolve('test-output');
    mkdirSync(output, { recursive: true });
    const path = join(output, 'report.png');
    await page.screenshot({ path, fullPage: true });
    console.log(`report screenshot: ${path}`);
    writeFileSync(join(output, 'report.html'), renderHtml(report, { trend: buildTrend(report) }));
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(output, 'report-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Assess
    expect(accounts.length).toBeGreaterThan(0);
    expect(new Set(accounts)).toEqual(new Set(['222233334444']));
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });
});

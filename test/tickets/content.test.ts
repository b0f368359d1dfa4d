import { describe, expect, it } from 'vitest';
import { problemDescription, type TicketItem, toAdf, toMarkdown } from '../../tickets/content.js';
import {
  bodyMarker,
  COVERAGE_FINGERPRINT,
  checkAccountFingerprint,
  fingerprintFromBody,
  fingerprintLabel,
  MAX_TITLE_LENGTH,
  OVERFLOW_FINGERPRINT,
  problemTitle,
  ticketFingerprintOf,
  ticketLabels,
} from '../../tickets/identity.js';
import { adfProblem } from './fakes/jira.js';
import { ACCOUNT, PLANTED_IP, SG_CHECK, sgFail } from './fixtures.js';

describe('ticket identity', () => {
  it('fingerprints a check in an account, or one finding', () => {
    const f = sgFail('sg-1');
    expect(ticketFingerprintOf(f, 'check-account')).toBe(checkAccountFingerprint(SG_CHECK.id, ACCOUNT));
    expect(ticketFingerprintOf(f, 'finding')).toBe(f.fingerprint);
    expect(checkAccountFingerprint(SG_CHECK.id, ACCOUNT)).not.toBe(
      checkAccountFingerprint(SG_CHECK.id, '444455556666'),
    );
    expect(new Set([COVERAGE_FINGERPRINT, OVERFLOW_FINGERPRINT]).size).toBe(2);
  });

  it('labels every ticket custos and custos-fp-<20 hex>, within GitHub’s 50 characters and without spaces', () => {
    const fp = checkAccountFingerprint(SG_CHECK.id, ACCOUNT);
    expect(ticketLabels(fp, 'finding')).toEqual(['custos', `custos-fp-${fp.slice(0, 20)}`]);
    expect(ticketLabels(COVERAGE_FINGERPRINT, 'coverage')).toContain('custos-coverage');
    expect(ticketLabels(OVERFLOW_FINGERPRINT, 'overflow')).toContain('custos-overflow');
    expect(fingerprintLabel(fp)).toMatch(/^custos-fp-[0-9a-f]{20}$/);
  });

  it('titles a problem and keeps the title within 255 characters', () => {
    expect(problemTitle('critical', 'S3 buckets are not public', ACCOUNT, 1)).toBe(
      `[custos] CRITICAL S3 buckets are not public — account ${ACCOUNT} (1 resource)`,
    );
    const long = problemTitle('high', 'x'.repeat(400), ACCOUNT, 12);
    expect(long.length).toBe(MAX_TITLE_LENGTH);
    expect(long.endsWith(`— account ${ACCOUNT} (12 resources)`)).toBe(true);
  });

  it('finds the fingerprint in a GitHub body marker', () => {
    const fp = 'ab'.repeat(32);
    expect(fingerprintFromBody(`text\n\n${bodyMarker(fp)}`)).toBe(fp);
    expect(fingerprintFromBody('edited away')).toBeUndefined();
  });
});

describe('ticket text', () => {
  const f = sgFail('sg-1');
  const items: TicketItem[] = [
    {
      key: f.fingerprint,
      text: '',
      checkId: f.checkId,
      accountId: f.accountId,
      region: f.region,
      resourceId: f.resourceId,
    },
  ];
  const doc = problemDescription(
    {
      checkId: f.checkId,
      accountId: f.accountId,
      severity: f.severity,
      checkTitle: f.title,
      remediation: f.remediation,
      frameworks: f.frameworks,
    },
    items,
    { runId: 'run-1', reportPath: 's3://reports/runs/run-1/report.json' },
  );

  it('renders valid ADF for Jira', () => {
    const adf = toAdf(doc);
    expect(adfProblem(adf)).toBeUndefined();
    expect(JSON.stringify(adf)).toContain('"marks":[{"type":"code"}]');
  });

  it('renders Markdown for GitHub, resource ids as code', () => {
    const markdown = toMarkdown(doc);
    expect(markdown).toContain('### What is wrong');
    expect(markdown).toContain(`- \`${f.resourceId}\` (eu-west-1)`);
    expect(markdown).toContain('```sh\naws ec2 revoke-security-group-ingress');
    expect(markdown).toContain('`s3://reports/runs/run-1/report.json`');
    expect(markdown).toContain('AWS Foundational Security Best Practices 1.0.0: EC2.13');
  });

  it('carries no evidence, no finding message and no address from the estate', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain(PLANTED_IP);
    expect(text).not.toContain(f.message);
    expect(text).not.toContain('Statement');
  });

  it('escapes Markdown in plain text', () => {
    expect(toMarkdown([{ type: 'paragraph', content: ['<script> *bold* @team'] }])).toBe(
      '\\<script\\> \\*bold\\* @\u200bteam',
    );
    expect(toMarkdown([{ type: 'paragraph', content: [{ code: 'a`b' }] }])).toBe('``a`b``');
  });
});

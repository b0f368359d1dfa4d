import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../core/types.js';
import {
  escapeXmlAttribute,
  escapeXmlText,
  removeInvalidXmlChars,
  renderJunit,
} from '../../../reports/formats/junit.js';
import {
  ACCOUNT,
  criticalFinding,
  errorFinding,
  FINDINGS,
  HOSTILE_NAME,
  hostileFinding,
  makeReport,
  passFinding,
  SECRET_EVIDENCE,
  suppressedFinding,
} from './fixture.js';

type Attributes = { readonly [name: string]: string | undefined };
type Outcome = Attributes & { readonly '#text'?: string };
type TestCase = Attributes & {
  readonly failure?: Outcome;
  readonly error?: Outcome;
  readonly skipped?: Outcome;
};
type TestSuite = Attributes & {
  readonly properties?: { readonly property: Attributes[] };
  readonly testcase: TestCase[];
};
type Parsed = { readonly testsuites: Attributes & { readonly testsuite: TestSuite[] } };

/**
 * The elements and attributes of the common JUnit XML schema that CI systems read: Jenkins
 * (junit-10.xsd of the JUnit plugin), GitLab (testsuite/testcase, failure/error/skipped) and
 * GitHub test-report actions. Anything else might be rejected by a strict consumer.
 */
const SCHEMA: Readonly<Record<string, { attributes: readonly string[]; children: readonly string[] }>> = {
  testsuites: {
    attributes: ['name', 'time', 'tests', 'failures', 'disabled', 'errors'],
    children: ['testsuite'],
  },
  testsuite: {
    attributes: [
      'name',
      'tests',
      'failures',
      'errors',
      'time',
      'disabled',
      'skipped',
      'timestamp',
      'hostname',
      'id',
      'package',
      'file',
    ],
    children: ['properties', 'testcase', 'system-out', 'system-err'],
  },
  properties: { attributes: [], children: ['property'] },
  property: { attributes: ['name', 'value'], children: [] },
  testcase: {
    attributes: ['name', 'assertions', 'time', 'classname', 'status', 'file', 'line'],
    children: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
  },
  skipped: { attributes: ['message'], children: [] },
  error: { attributes: ['message', 'type'], children: [] },
  failure: { attributes: ['message', 'type'], children: [] },
};

function parseJunit(xml: string): Parsed {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true,
    ignoreDeclaration: true,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  }).parse(xml) as Parsed;
}

/** Walks the parsed document (in order; each node's attributes under `:@`) against SCHEMA. */
function schemaProblems(xml: string): string[] {
  const tree = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    ignoreDeclaration: true,
  }).parse(xml) as Array<Record<string, unknown>>;
  const problems: string[] = [];
  const visit = (nodes: Array<Record<string, unknown>>, parent: string | undefined) => {
    for (const node of nodes) {
      const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
      if (name === undefined) continue;
      const allowed = SCHEMA[name];
      if (allowed === undefined) {
        problems.push(`unknown element <${name}>`);
        continue;
      }
      if (parent !== undefined && !SCHEMA[parent]?.children.includes(name)) {
        problems.push(`<${name}> inside <${parent}>`);
      }
      for (const attribute of Object.keys((node[':@'] as Record<string, unknown> | undefined) ?? {})) {
        if (!allowed.attributes.includes(attribute)) problems.push(`<${name} ${attribute}>`);
      }
      visit(node[name] as Array<Record<string, unknown>>, name);
    }
  };
  visit(tree, undefined);
  if (Object.keys(tree.find((node) => 'testsuites' in node) ?? {}).length === 0)
    problems.push('no <testsuites>');
  return problems;
}

function counts(findings: readonly Finding[]) {
  const unsuppressed = findings.filter((finding) => finding.suppressed === undefined);
  return {
    tests: String(findings.length),
    failures: String(unsuppressed.filter((finding) => finding.status === 'FAIL').length),
    errors: String(unsuppressed.filter((finding) => finding.status === 'ERROR').length),
    skipped: String(findings.length - unsuppressed.length),
  };
}

describe('junit.xml', () => {
  it('is well-formed XML that uses only the common JUnit elements and attributes', () => {
    // Act
    const xml = renderJunit(makeReport());

    // Assess
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(schemaProblems(xml)).toEqual([]);
  });

  it('has a schema walk that sees misplaced elements and unknown attributes', () => {
    // Prepare
    const xml =
      '<testsuites skipped="1"><testsuite name="a" tests="1" bogus="x">' +
      '<testcase name="t"><failure message="m"/><testcase name="nested"/></testcase></testsuite></testsuites>';

    // Assess
    expect(schemaProblems(xml)).toEqual([
      '<testsuites skipped>',
      '<testsuite bogus>',
      '<testcase> inside <testcase>',
    ]);
  });

  it('has one testsuite per check, sorted, whose counts match the report', () => {
    // Act
    const { testsuites } = parseJunit(renderJunit(makeReport()));

    // Assess
    const { skipped: _skipped, ...totals } = counts(FINDINGS);
    expect(testsuites).toMatchObject({ name: 'custos', time: '0', ...totals });
    const checkIds = [...new Set(FINDINGS.map((finding) => finding.checkId))].sort();
    expect(testsuites.testsuite.map((suite) => suite.name)).toEqual(checkIds);
    for (const suite of testsuites.testsuite) {
      const findings = FINDINGS.filter((finding) => finding.checkId === suite.name);
      expect(suite).toMatchObject({ time: '0', timestamp: '2025-06-01T02:00:00', ...counts(findings) });
      expect(suite.testcase).toHaveLength(findings.length);
    }
  });

  it('writes a testcase per finding: FAIL → failure, ERROR → error, suppressed → skipped, PASS → empty', () => {
    // Act
    const { testsuites } = parseJunit(renderJunit(makeReport()));
    const byCheck = (checkId: string) => testsuites.testsuite.find((suite) => suite.name === checkId);

    // Assess
    const [pass] = byCheck(passFinding.checkId)?.testcase ?? [];
    expect(pass).toEqual({
      classname: 's3.bucket.public',
      name: `${ACCOUNT}/eu-west-1/arn:aws:s3:::site-assets`,
      time: '0',
    });

    const [critical] = byCheck(criticalFinding.checkId)?.testcase ?? [];
    expect(critical?.name).toBe(`${ACCOUNT}/global/arn:aws:iam::${ACCOUNT}:root`);
    expect(critical?.failure).toMatchObject({ message: criticalFinding.message, type: 'critical' });
    expect(critical?.failure?.['#text']).toContain(criticalFinding.message);
    expect(critical?.failure?.['#text']).toContain('Remediation:\nDelete the root user access keys.');
    expect(critical?.failure?.['#text']).toContain('CLI: aws iam delete-access-key');

    const [error] = byCheck(errorFinding.checkId)?.testcase ?? [];
    expect(error?.error).toMatchObject({ message: errorFinding.message, '#text': errorFinding.message });
    expect(error?.failure).toBeUndefined();

    const [suppressed] = byCheck(suppressedFinding.checkId)?.testcase ?? [];
    expect(suppressed?.skipped).toEqual({
      message: 'suppressed: Bastion host, replaced in Q3 (CHG-1234) (until 2025-09-30T00:00:00.000Z)',
    });
    expect(suppressed?.failure).toBeUndefined();
  });

  it('names the check severity and title in the suite properties', () => {
    // Act
    const { testsuites } = parseJunit(renderJunit(makeReport([criticalFinding])));

    // Assess
    expect(testsuites.testsuite[0]?.properties?.property).toEqual([
      { name: 'title', value: criticalFinding.title },
      { name: 'severity', value: 'critical' },
    ]);
  });

  it('escapes markup and quotes, and removes characters XML 1.0 does not allow', () => {
    // Act
    const xml = renderJunit(makeReport([hostileFinding]));
    const [testcase] = parseJunit(xml).testsuites.testsuite[0]?.testcase ?? [];

    // Assess
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('\uFFFE');
    expect(testcase?.name).toBe(`${ACCOUNT}/global/arn:aws:iam::${ACCOUNT}:user/${HOSTILE_NAME}`);
    // The attribute keeps the message whole, CR, LF and tab included, minus the invalid characters.
    expect(testcase?.failure?.message).toBe(
      `${HOSTILE_NAME} has a console password and no MFA. Line two,\r\nwith "quotes"\tand a tab.`,
    );
    expect(testcase?.failure?.['#text']).toContain(`${HOSTILE_NAME} has a console password`);
  });

  it('escapes each special character as XML requires', () => {
    // Assess
    expect(escapeXmlText(`a<b>&c"'\r\n\t`)).toBe(`a&lt;b&gt;&amp;c"'&#13;\n\t`);
    expect(escapeXmlAttribute(`a<b>&c"'\r\n\t`)).toBe('a&lt;b&gt;&amp;c&quot;&apos;&#13;&#10;&#9;');
    expect(removeInvalidXmlChars('a\u0000b\u0008c\u000Bd\u001Fe\uD800f\uFFFEg\uFFFFh😀')).toBe('abcdefgh😀');
    expect(removeInvalidXmlChars('\u0085\u00A0\uE000\uFFFD')).toBe('\u0085\u00A0\uE000\uFFFD');
  });

  it('writes an empty testsuites element for a report without findings', () => {
    // Act
    const xml = renderJunit(makeReport([]));

    // Assess
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<testsuites name="custos" tests="0" failures="0" errors="0" time="0">');
  });

  it('leaves evidence out', () => {
    // Assess
    expect(renderJunit(makeReport())).not.toContain(SECRET_EVIDENCE);
  });
});

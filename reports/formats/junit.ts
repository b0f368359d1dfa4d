/**
 * `junit.xml`: the findings as JUnit test results, which CI systems (Jenkins, GitLab, GitHub
 * test reporters) display without a plugin. One `<testsuite>` per check, one `<testcase>` per
 * finding: FAIL → `<failure>`, ERROR → `<error>`, suppressed → `<skipped>`, PASS → passed.
 * Only the attributes of the common JUnit schema are written (Jenkins' junit-10.xsd: no
 * `skipped` or `timestamp` on `<testsuites>`), with every time `0`: a finding has no duration.
 */
import type { Finding, Report } from '../../core/types.js';
import { epochMillis, remediationText, suppressionText } from './common.js';
import { TextSpool } from './spool.js';

export type JunitOutcome =
  | { readonly kind: 'passed' }
  | { readonly kind: 'failure'; readonly message: string; readonly type: string; readonly text: string }
  | { readonly kind: 'error'; readonly message: string; readonly text: string }
  | { readonly kind: 'skipped'; readonly message: string };

export interface JunitTestCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: JunitOutcome;
}

export interface JunitCounts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

export interface JunitTestSuite extends JunitCounts {
  readonly name: string;
  readonly properties: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly testcases: readonly JunitTestCase[];
}

export interface JunitReport extends JunitCounts {
  readonly name: string;
  /** `asOf` as the JUnit schema writes timestamps: UTC, seconds, no zone designator. */
  readonly timestamp: string;
  readonly suites: readonly JunitTestSuite[];
}

function outcome(finding: Finding): JunitOutcome {
  if (finding.suppressed !== undefined) {
    return { kind: 'skipped', message: suppressionText(finding.suppressed) };
  }
  switch (finding.status) {
    case 'PASS':
      return { kind: 'passed' };
    case 'FAIL':
      return {
        kind: 'failure',
        message: finding.message,
        type: finding.severity,
        text: `${finding.message}\n\nRemediation:\n${remediationText(finding.remediation)}`,
      };
    case 'ERROR':
      return { kind: 'error', message: finding.message, text: finding.message };
  }
}

function count(testcases: readonly JunitTestCase[]): JunitCounts {
  const kinds = testcases.map((testcase) => testcase.outcome.kind);
  return {
    tests: testcases.length,
    failures: kinds.filter((kind) => kind === 'failure').length,
    errors: kinds.filter((kind) => kind === 'error').length,
    skipped: kinds.filter((kind) => kind === 'skipped').length,
  };
}

function junitTimestamp(iso: string): string {
  return new Date(epochMillis(iso, 'report.asOf')).toISOString().slice(0, 19);
}

/** The findings grouped by check (suites sorted by check id; test cases in report order). */
export function junitReport(report: Report): JunitReport {
  const byCheck = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const findings = byCheck.get(finding.checkId) ?? [];
    findings.push(finding);
    byCheck.set(finding.checkId, findings);
  }
  const suites: JunitTestSuite[] = [...byCheck.keys()].sort().map((checkId) => {
    const findings = byCheck.get(checkId) ?? [];
    const testcases = findings.map((finding) => ({
      classname: finding.checkId,
      name: `${finding.accountId}/${finding.region}/${finding.resourceId}`,
      outcome: outcome(finding),
    }));
    const first = findings[0];
    const properties =
      first === undefined
        ? []
        : [
            { name: 'title', value: first.title },
            { name: 'severity', value: first.severity },
          ];
    return { name: checkId, ...count(testcases), properties, testcases };
  });
  const all = suites.flatMap((suite) => suite.testcases);
  return { name: 'custos', timestamp: junitTimestamp(report.asOf), ...count(all), suites };
}

// ---------------------------------------------------------------- XML

/**
 * Characters XML 1.0 does not allow anywhere, even escaped: C0 controls other than tab, LF and
 * CR, lone surrogates, U+FFFE and U+FFFF (https://www.w3.org/TR/xml/#charsets).
 */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function removeInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

/** Text content: markup characters escaped; CR kept as a reference (parsers fold a raw CR into LF). */
export function escapeXmlText(text: string): string {
  return removeInvalidXmlChars(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** An attribute value in double quotes; tab, LF and CR as references so they survive normalisation. */
export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;');
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function renderTestCase(testcase: JunitTestCase): string {
  const open = `    <testcase${attributes({ classname: testcase.classname, name: testcase.name, time: 0 })}`;
  const result = testcase.outcome;
  switch (result.kind) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped${attributes({ message: result.message })}/>\n    </testcase>`;
    case 'failure':
      return `${open}>\n      <failure${attributes({ message: result.message, type: result.type })}>${escapeXmlText(result.text)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attributes({ message: result.message })}>${escapeXmlText(result.text)}</error>\n    </testcase>`;
  }
}

function renderSuite(suite: JunitTestSuite, timestamp: string): string {
  const lines = [
    `  <testsuite${attributes({
      name: suite.name,
      tests: suite.tests,
      failures: suite.failures,
      errors: suite.errors,
      skipped: suite.skipped,
      time: 0,
      timestamp,
    })}>`,
  ];
  if (suite.properties.length > 0) {
    lines.push('    <properties>');
    for (const property of suite.properties) lines.push(`      <property${attributes(property)}/>`);
    lines.push('    </properties>');
  }
  for (const testcase of suite.testcases) lines.push(renderTestCase(testcase));
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** The file: a `<testsuites>` document, UTF-8. */
export function renderJunit(report: Report): string {
  const junit = junitReport(report);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: junit.name,
      tests: junit.tests,
      failures: junit.failures,
      errors: junit.errors,
      time: 0,
    })}>`,
    ...junit.suites.map((suite) => renderSuite(suite, junit.timestamp)),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `renderJunit` as the findings come, batch by batch: the same bytes. The suites are by check
 * and the findings come by account, so each suite's test cases wait in a compressed spool until
 * every finding has been seen (the counts lead each suite).
 */
export async function* junitChunks(
  report: Pick<Report, 'asOf'>,
  findings: AsyncIterable<readonly Finding[]>,
): AsyncGenerator<string | Uint8Array> {
  const timestamp = junitTimestamp(report.asOf);
  const suites = new Map<
    string,
    { title: string; severity: string; counts: MutableCounts; cases: TextSpool }
  >();
  const total = zeroCounts();
  for await (const batch of findings) {
    for (const finding of batch) {
      let suite = suites.get(finding.checkId);
      if (suite === undefined) {
        suite = {
          title: finding.title,
          severity: finding.severity,
          counts: zeroCounts(),
          cases: new TextSpool(),
        };
        suites.set(finding.checkId, suite);
      }
      const testcase: JunitTestCase = {
        classname: finding.checkId,
        name: `${finding.accountId}/${finding.region}/${finding.resourceId}`,
        outcome: outcome(finding),
      };
      tally(suite.counts, testcase.outcome.kind);
      tally(total, testcase.outcome.kind);
      suite.cases.append(`\n${renderTestCase(testcase)}`);
    }
  }
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attributes({
    name: 'custos',
    tests: total.tests,
    failures: total.failures,
    errors: total.errors,
    time: 0,
  })}>`;
  for (const checkId of [...suites.keys()].sort()) {
    const suite = suites.get(checkId)!;
    const properties = [
      { name: 'title', value: suite.title },
      { name: 'severity', value: suite.severity },
    ];
    yield `\n  <testsuite${attributes({
      name: checkId,
      tests: suite.counts.tests,
      failures: suite.counts.failures,
      errors: suite.counts.errors,
      skipped: suite.counts.skipped,
      time: 0,
      timestamp,
    })}>\n    <properties>${properties.map((p) => `\n      <property${attributes(p)}/>`).join('')}\n    </properties>`;
    yield* suite.cases.drain();
    yield '\n  </testsuite>';
    suites.delete(checkId);
  }
  yield '\n</testsuites>\n';
}

type MutableCounts = { -readonly [K in keyof JunitCounts]: JunitCounts[K] };

function zeroCounts(): MutableCounts {
  return { tests: 0, failures: 0, errors: 0, skipped: 0 };
}

function tally(counts: MutableCounts, kind: JunitOutcome['kind']): void {
  counts.tests += 1;
  if (kind === 'failure') counts.failures += 1;
  else if (kind === 'error') counts.errors += 1;
  else if (kind === 'skipped') counts.skipped += 1;
}

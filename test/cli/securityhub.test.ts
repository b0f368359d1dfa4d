import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { securityHubImport } from '../../cli/securityhub.js';
import { MANAGEMENT, organizationEstate } from '../integration/fixtures.js';

const securityHub = mockClient(SecurityHubClient);

afterEach(() => {
  securityHub.reset();
  vi.restoreAllMocks();
});

describe('custos securityhub import', () => {
  it("sends a stored run's ASFF findings in batches and reports what was refused", async () => {
    // Prepare: a run of the management account alone, written with every format.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), 'custos-sh-'));
    const estate = join(dir, 'estate.json');
    writeFileSync(estate, JSON.stringify(organizationEstate()));
    const out = join(dir, 'reports');
    expect(await main(['scan', '--estate', estate, '--accounts', MANAGEMENT, '--out', out, '--quiet'])).toBe(
      0,
    );
    const { runId } = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    const { Findings } = JSON.parse(readFileSync(join(out, 'runs', runId, 'findings.asff.json'), 'utf8'));
    securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({
      SuccessCount: input.Findings.length,
      FailedCount: 0,
      FailedFindings: [],
    }));
    const lines: string[] = [];

    // Act
    const code = await securityHubImport(
      { run: runId, out },
      (t) => lines.push(t),
      new SecurityHubClient({}),
    );

    // Assess
    expect(code).toBe(0);
    const sent = securityHub
      .commandCalls(BatchImportFindingsCommand)
      .flatMap((c) => c.args[0].input.Findings ?? []);
    expect(sent).toHaveLength(Findings.length);
    expect(lines[0]).toBe(
      `Security Hub: ${Findings.length} of ${Findings.length} finding(s) imported, 0 refused`,
    );
  });

  it('exits 2 when the run has no ASFF file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'custos-sh-'));
    await expect(
      securityHubImport({ run: 'missing-run', out }, () => {}, new SecurityHubClient({})),
    ).rejects.toThrow(/does not exist/);
  });
});

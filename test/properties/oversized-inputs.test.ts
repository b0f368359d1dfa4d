/**
 * Inputs too large to be honest: a config over 1 MiB, an estate over 256 MiB, a bucket policy
 * over S3's own 20 KB limit. Each is refused with a message before it is parsed; the files are
 * sparse, so the test itself needs no disk or memory of that size.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, MAX_CONFIG_BYTES } from '../../cli/config-file.js';
import { main } from '../../cli/main.js';
import { resolveConfig } from '../../core/config/load.js';
import { collectAll } from '../../core/engine/collect.js';
import { ConfigError, EstateError } from '../../core/errors.js';
import { AwsClients } from '../../inventory/clients.js';
import { MAX_BUCKET_POLICY_BYTES } from '../../inventory/s3.js';
import { loadEstateFile, MAX_ESTATE_BYTES } from '../../sim/estate.js';
import { richEstateDocument } from '../sim/fixtures.js';

const MiB = 1024 * 1024;

let dir: string;
let stderr: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'custos-oversized-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** A file of `size` bytes that holds no data on disk. */
function sparseFile(name: string, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  truncateSync(path, size);
  return path;
}

function rssGrowthDuring(run: () => void): number {
  const before = process.memoryUsage().rss;
  run();
  return process.memoryUsage().rss - before;
}

describe('the config file size limit', () => {
  it('is 1 MiB', () => {
    expect(MAX_CONFIG_BYTES).toBe(MiB);
  });

  it('refuses a larger file before reading it, saying how large it is', () => {
    const path = sparseFile('big.config.json', MAX_CONFIG_BYTES + 1);

    expect(() => loadConfig(path, {})).toThrow(ConfigError);
    expect(() => loadConfig(path, {})).toThrow(
      `is larger than 1 MiB (${MAX_CONFIG_BYTES} bytes), the most a config file may hold (it is ${MAX_CONFIG_BYTES + 1} bytes); it was not parsed`,
    );
  });

  it('reads a file of exactly 1 MiB', () => {
    const text = JSON.stringify({ regions: ['eu-west-1'] });
    const path = join(dir, 'padded.config.json');
    writeFileSync(path, text + ' '.repeat(MAX_CONFIG_BYTES - text.length));

    expect(loadConfig(path, {}).regions).toEqual(['eu-west-1']);
  });

  it.skipIf(!existsSync('/dev/zero'))('stops reading an endless device at the limit', () => {
    let error: unknown;
    const growth = rssGrowthDuring(() => {
      try {
        loadConfig('/dev/zero', {});
      } catch (caught) {
        error = caught;
      }
    });

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('is larger than 1 MiB');
    expect(growth).toBeLessThan(64 * MiB);
  });

  it('custos scan: exit 2 with the message, and nothing written', async () => {
    const config = sparseFile('scan.config.json', 10 * MAX_CONFIG_BYTES);
    const out = join(dir, 'reports-config');

    const code = await main(['scan', '--config', config, '--out', out, '--quiet']);

    expect(code).toBe(2);
    expect(stderr.join('')).toContain(`scan.config.json is not valid:\n  is larger than 1 MiB`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the estate file size limit', () => {
  it('is 256 MiB', () => {
    expect(MAX_ESTATE_BYTES).toBe(256 * MiB);
  });

  it('refuses a larger file before reading it, within bounded memory', () => {
    const path = sparseFile('big.estate.json', MAX_ESTATE_BYTES + 1);
    let error: unknown;

    const growth = rssGrowthDuring(() => {
      try {
        loadEstateFile(path);
      } catch (caught) {
        error = caught;
      }
    });

    expect(error).toBeInstanceOf(EstateError);
    expect((error as EstateError).message).toContain(
      `is larger than 256 MiB (${MAX_ESTATE_BYTES} bytes), the most an estate file may hold (it is ${MAX_ESTATE_BYTES + 1} bytes); it was not parsed`,
    );
    expect(growth).toBeLessThan(64 * MiB);
  });

  it('still reads an ordinary estate', () => {
    const path = join(dir, 'ordinary.estate.json');
    writeFileSync(path, JSON.stringify(richEstateDocument()));

    expect(Object.keys(loadEstateFile(path).accounts).length).toBeGreaterThan(1);
  });

  it('custos scan: exit 2 with the message, and nothing written', async () => {
    const estate = sparseFile('scan.estate.json', 2 * MAX_ESTATE_BYTES);
    const config = join(dir, 'scan-estate.config.json');
    writeFileSync(config, JSON.stringify({ checks: { include: ['ec2.*'] } }));
    const out = join(dir, 'reports-estate');

    const code = await main(['scan', '--estate', estate, '--config', config, '--out', out, '--quiet']);

    expect(code).toBe(2);
    expect(stderr.join('')).toContain('scan.estate.json is not valid:\n  is larger than 256 MiB');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).not.toContain('reports-estate');
  });
});

describe('a bucket policy larger than S3 allows', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  const clients = () =>
    new AwsClients({
      credentials: { accessKeyId: 'test-access-key-id', secretAccessKey: 'test-secret' },
      homeRegion: 'us-east-1',
      maxAttempts: 1,
    });
  const target = { accountId: '111122223333', region: 'global' };
  const settings = resolveConfig({}, 'defaults').settings;
  const statement = '{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}';

  /** A policy document of about `bytes` bytes: many short statements. */
  function policyOf(bytes: number): string {
    const count = Math.max(1, Math.floor(bytes / (statement.length + 1)));
    return `{"Version":"2012-10-17","Statement":[${Array.from({ length: count }, () => statement).join(',')}]}`;
  }

  it(`over ${MAX_BUCKET_POLICY_BYTES} bytes is refused as invalid data, not analysed (50 MB here)`, async () => {
    // Prepare
    const huge = policyOf(50 * 1000 * 1000);
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'huge', BucketRegion: 'eu-west-1' },
        { Name: 'normal', BucketRegion: 'eu-west-1' },
      ],
    });
    s3.on(GetBucketPolicyCommand, { Bucket: 'huge' }).resolves({ Policy: huge });
    s3.on(GetBucketPolicyCommand, { Bucket: 'normal' }).resolves({
      Policy: policyOf(MAX_BUCKET_POLICY_BYTES - 200),
    });

    // Act
    const results = await collectAll(clients(), target, ['s3.bucketPolicies'], {}, settings);

    // Assess
    const facets = results['s3.bucketPolicies'];
    expect(facets?.ok).toBe(true);
    const data = facets?.ok === true ? facets.data : {};
    expect(data.huge).toEqual({
      ok: false,
      error: {
        kind: 'invalid-data',
        code: 'InvalidData',
        message: `the policy of bucket huge is ${huge.length} bytes, more than S3 allows (20 KB); custos analyses at most ${MAX_BUCKET_POLICY_BYTES} bytes`,
      },
    });
    expect(data.normal?.ok).toBe(true);
  });

  it('measures bytes, not characters: multi-byte text counts at its UTF-8 size', async () => {
    // Prepare: under the limit in characters, over it in bytes.
    const sid = 'é'.repeat(Math.ceil(MAX_BUCKET_POLICY_BYTES / 2));
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'wide', BucketRegion: 'eu-west-1' }] });
    s3.on(GetBucketPolicyCommand).resolves({
      Policy: JSON.stringify({ Statement: [{ Sid: sid, Effect: 'Deny', Principal: '*', Action: 's3:*' }] }),
    });

    // Act
    const results = await collectAll(clients(), target, ['s3.bucketPolicies'], {}, settings);

    // Assess
    const facets = results['s3.bucketPolicies'];
    const wide = facets?.ok === true ? facets.data.wide : undefined;
    expect(wide?.ok === false && wide.error.kind).toBe('invalid-data');
  });
});

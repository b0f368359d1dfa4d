import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url, S3ReportStore, type S3ReportStoreOptions } from '../../reports/s3-store.js';
import { type LatestPointer, type RunManifest, sha256Hex } from '../../reports/store.js';
import { writeRun } from '../../reports/write-run.js';
import {
  conditionalWrites,
  type RecordedRequest,
  recordRequests,
  type S3Server,
  s3ErrorResponse,
  startS3rver,
} from './s3rver.js';

const BUCKET = 'reports';
const KMS_KEY = 'arn:aws:kms:us-east-1:111111111111:key/0d4c1f3e-1111-2222-3333-444455556666';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const MiB = 1024 * 1024;

let server: S3Server;

beforeAll(async () => {
  server = await startS3rver([BUCKET]);
});

afterAll(async () => {
  await server?.close();
});

/** A store on a fresh client whose requests are recorded (and checked for conditional writes). */
function store(options: Partial<Omit<S3ReportStoreOptions, 'client'>> = {}): {
  store: S3ReportStore;
  requests: RecordedRequest[];
} {
  const client = server.client();
  const requests = recordRequests(client, conditionalWrites(server));
  return {
    store: new S3ReportStore({ client, bucket: BUCKET, now: () => NOW, ...options }),
    requests,
  };
}

function only(requests: readonly RecordedRequest[], method: string, path: string): RecordedRequest {
  const matching = requests.filter((request) => request.method === method && request.path === path);
  expect(
    matching,
    `${method} ${path} in ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
  ).toHaveLength(1);
  return matching[0]!;
}

const LOCK_HEADERS = ['x-amz-object-lock-mode', 'x-amz-object-lock-retain-until-date'];

describe('parseS3Url', () => {
  it('splits a bucket and a prefix, without leading or trailing slashes', () => {
    expect(parseS3Url('s3://reports')).toEqual({ bucket: 'reports', prefix: '' });
    expect(parseS3Url('s3://reports/')).toEqual({ bucket: 'reports', prefix: '' });
    expect(parseS3Url('s3://my.reports-1/custos')).toEqual({ bucket: 'my.reports-1', prefix: 'custos' });
    expect(parseS3Url('s3://reports/team/custos/')).toEqual({ bucket: 'reports', prefix: 'team/custos' });
  });

  it.each([
    'https://reports/custos',
    'reports/custos',
    's3:/reports',
    's3://',
    's3:///custos',
    's3://Reports/custos',
    's3://re/custos',
    's3://reports_1/custos',
    's3://-reports/custos',
  ])('rejects %s with a message that shows the expected form', (url) => {
    expect(() => parseS3Url(url)).toThrow(/Not an S3 URL: .*(s3:\/\/bucket|bucket name)/);
  });

  it('rejects an empty folder name in the prefix', () => {
    expect(() => parseS3Url('s3://reports/team//custos')).toThrow(/empty folder name/);
  });
});

describe('S3ReportStore.list with a mocked client', () => {
  it('lists past one page of results', async () => {
    // s3rver cannot page ListObjectsV2 on OpenSSL 3 (its continuation tokens use DES), so the
    // pages come from a mocked client here.
    const client = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock
      .on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'paging/tickets/', ContinuationToken: undefined })
      .resolves({
        Contents: [{ Key: 'paging/tickets/d.json' }, { Key: 'paging/tickets/b.json' }],
        NextContinuationToken: 't1',
        IsTruncated: true,
      })
      .on(ListObjectsV2Command, { ContinuationToken: 't1' })
      .resolves({
        Contents: [{ Key: 'paging/tickets/c.json' }, { Key: 'paging/tickets/a.json' }],
        IsTruncated: false,
      });
    const s3 = new S3ReportStore({ client, bucket: BUCKET, prefix: 'paging' });
    expect(await s3.list('tickets/')).toEqual([
      'tickets/a.json',
      'tickets/b.json',
      'tickets/c.json',
      'tickets/d.json',
    ]);
    // The paginator reuses one input object, so every recorded call shows the last token.
    const calls = mock.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    for (const input of calls) expect(input).toMatchObject({ Bucket: BUCKET, Prefix: 'paging/tickets/' });
    client.destroy();
  });
});

describe('S3ReportStore against s3rver', () => {
  it('round-trips put, putOnce, get, list and locate under a prefix joined with one slash', async () => {
    const { store: s3, requests } = store({ prefix: '/round-trip/' });
    expect(s3.prefix).toBe('round-trip');
    await s3.putOnce('runs/r2/report.json', '{"run":2}\n');
    await s3.putOnce('runs/r1/report.json', '{"run":1}\n');
    await s3.putOnce('runs/r1/findings.csv', 'checkId,status\n');
    await s3.put('latest.json', '{"runId":"r1"}\n');
    await s3.put('latest.json', '{"runId":"r2"}\n');

    expect((await s3.get('runs/r1/report.json'))?.toString('utf8')).toBe('{"run":1}\n');
    expect((await s3.get('latest.json'))?.toString('utf8')).toBe('{"runId":"r2"}\n');
    expect(await s3.list('runs/')).toEqual([
      'runs/r1/findings.csv',
      'runs/r1/report.json',
      'runs/r2/report.json',
    ]);
    expect(await s3.list('runs/r1/')).toEqual(['runs/r1/findings.csv', 'runs/r1/report.json']);
    expect(await s3.list('')).toEqual([
      'latest.json',
      'runs/r1/findings.csv',
      'runs/r1/report.json',
      'runs/r2/report.json',
    ]);
    expect(await s3.list('tickets/')).toEqual([]);
    expect(s3.locate('runs/r1/report.json')).toBe('s3://reports/round-trip/runs/r1/report.json');
    only(requests, 'PUT', '/reports/round-trip/runs/r1/report.json');
    expect(requests.some((request) => request.path.includes('//'))).toBe(false);

    // Another prefix in the same bucket sees nothing of this one; the bucket root sees it all.
    expect(await store({ prefix: 'round-trip-other' }).store.list('')).toEqual([]);
    const root = store().store;
    expect(await root.list('round-trip/runs/r2')).toEqual(['round-trip/runs/r2/report.json']);
    expect(root.locate('latest.json')).toBe('s3://reports/latest.json');
  });

  it('returns undefined for a missing key and throws other errors', async () => {
    expect(await store({ prefix: 'missing' }).store.get('runs/none/report.json')).toBeUndefined();
    const absent = new S3ReportStore({ client: server.client(), bucket: 'no-such-bucket' });
    await expect(absent.get('latest.json')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('sends SSE-KMS, Object Lock retention, a SHA-256 checksum and If-None-Match on putOnce', async () => {
    const { store: s3, requests } = store({
      prefix: 'headers',
      kmsKeyId: KMS_KEY,
      objectLock: { mode: 'COMPLIANCE', retentionDays: 30 },
    });
    const body = '{"runId":"r1"}\n';
    await s3.putOnce('runs/r1/report.json', body);

    const { headers } = only(requests, 'PUT', '/reports/headers/runs/r1/report.json');
    expect(headers).toMatchObject({
      'if-none-match': '*',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'x-amz-object-lock-mode': 'COMPLIANCE',
      'content-type': 'application/json',
      'x-amz-sdk-checksum-algorithm': 'SHA256',
      'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64'),
    });
    const retainUntil = headers['x-amz-object-lock-retain-until-date'];
    expect(retainUntil).toBeDefined();
    expect(new Date(retainUntil!).getTime()).toBe(NOW.getTime() + 30 * DAY_MS);
    expect(new Date(retainUntil!).toISOString()).toBe('2025-03-31T12:00:00.000Z');
    expect((await s3.get('runs/r1/report.json'))?.toString('utf8')).toBe(body);
  });

  it('sends SSE-KMS but neither a lock nor If-None-Match on put, which rewrites', async () => {
    const { store: s3, requests } = store({
      prefix: 'rewrite',
      kmsKeyId: KMS_KEY,
      objectLock: { mode: 'GOVERNANCE', retentionDays: 1 },
    });
    await s3.put('latest.json', '{"runId":"r1"}\n');
    await s3.put('latest.json', '{"runId":"r2"}\n');

    const puts = requests.filter((request) => request.method === 'PUT');
    expect(puts).toHaveLength(2);
    for (const { headers } of puts) {
      expect(headers).toMatchObject({
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
        'x-amz-server-side-encryption-bucket-key-enabled': 'true',
        'x-amz-sdk-checksum-algorithm': 'SHA256',
      });
      for (const name of [...LOCK_HEADERS, 'if-none-match']) expect(headers).not.toHaveProperty(name);
    }
    expect((await s3.get('latest.json'))?.toString('utf8')).toBe('{"runId":"r2"}\n');
  });

  it("uses the bucket's default KMS key and no lock when none is configured", async () => {
    const { store: s3, requests } = store({ prefix: 'defaults' });
    await s3.putOnce('runs/r1/report.json', '{}');
    const { headers } = only(requests, 'PUT', '/reports/defaults/runs/r1/report.json');
    expect(headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(headers['if-none-match']).toBe('*');
    expect(headers).not.toHaveProperty('x-amz-server-side-encryption-aws-kms-key-id');
    for (const name of LOCK_HEADERS) expect(headers).not.toHaveProperty(name);
  });

  it('sets the content type from the extension', async () => {
    const { store: s3, requests } = store({ prefix: 'types' });
    const expected: Record<string, string> = {
      'runs/r1/report.json': 'application/json',
      'runs/r1/findings.ocsf.json': 'application/json',
      'runs/r1/findings.csv': 'text/csv; charset=utf-8',
      'runs/r1/report.html': 'text/html; charset=utf-8',
      'runs/r1/junit.xml': 'application/xml',
      'runs/r1/evidence.bin': 'application/octet-stream',
      'runs/r1/README': 'application/octet-stream',
    };
    for (const key of Object.keys(expected)) await s3.putOnce(key, 'x');
    for (const [key, type] of Object.entries(expected)) {
      expect(only(requests, 'PUT', `/reports/types/${key}`).headers['content-type'], key).toBe(type);
    }
  });

  it('sends a large body as a multipart upload with the same headers, read back byte-identical', async () => {
    const { store: s3, requests } = store({
      prefix: 'large',
      kmsKeyId: KMS_KEY,
      objectLock: { mode: 'GOVERNANCE', retentionDays: 7 },
    });
    const body = randomBytes(20 * MiB);
    await s3.putOnce('runs/r1/report.json', body);

    const path = '/reports/large/runs/r1/report.json';
    const create = requests.filter((r) => r.method === 'POST' && r.path === path && 'uploads' in r.query);
    const parts = requests.filter((r) => r.method === 'PUT' && r.path === path && 'partNumber' in r.query);
    const complete = requests.filter((r) => r.method === 'POST' && r.path === path && 'uploadId' in r.query);
    expect(requests.filter((r) => r.method === 'PUT' && !('partNumber' in r.query))).toEqual([]);
    expect(create).toHaveLength(1);
    expect(parts.map((r) => r.query.partNumber).sort()).toEqual(['1', '2', '3']);
    expect(complete).toHaveLength(1);

    expect(create[0]!.headers).toMatchObject({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'x-amz-object-lock-mode': 'GOVERNANCE',
      'x-amz-checksum-algorithm': 'SHA256',
      'content-type': 'application/json',
    });
    expect(new Date(create[0]!.headers['x-amz-object-lock-retain-until-date']!).getTime()).toBe(
      NOW.getTime() + 7 * DAY_MS,
    );
    for (const part of parts) expect(part.headers['x-amz-checksum-sha256']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(complete[0]!.headers['if-none-match']).toBe('*');

    const read = await s3.get('runs/r1/report.json');
    expect(read?.length).toBe(body.length);
    expect(read?.equals(body)).toBe(true);
  });

  it('refuses to rewrite a run: a putOnce that S3 answers 412 says the key already exists', async () => {
    const { store: s3, requests } = store({ prefix: 'write-once' });
    await s3.putOnce('runs/r1/report.json', 'first');
    const second = s3.putOnce('runs/r1/report.json', 'second');
    await expect(second).rejects.toThrow(
      's3://reports/write-once/runs/r1/report.json already exists: runs are never rewritten',
    );
    await expect(second).rejects.toMatchObject({ cause: { name: 'PreconditionFailed' } });
    expect(requests.filter((r) => r.method === 'PUT').map((r) => r.headers['if-none-match'])).toEqual([
      '*',
      '*',
    ]);
    expect((await s3.get('runs/r1/report.json'))?.toString('utf8')).toBe('first');
  });

  it('refuses to rewrite a run sent as a multipart upload, and aborts the upload', async () => {
    const { store: s3, requests } = store({ prefix: 'write-once-large' });
    await s3.putOnce('runs/r1/report.json', 'first');
    await expect(s3.putOnce('runs/r1/report.json', randomBytes(9 * MiB))).rejects.toThrow(
      /write-once-large\/runs\/r1\/report.json already exists: runs are never rewritten/,
    );
    expect(requests.some((r) => r.method === 'DELETE' && 'uploadId' in r.query)).toBe(true);
    expect((await s3.get('runs/r1/report.json'))?.toString('utf8')).toBe('first');
  });

  it('reports a concurrent conditional write and passes other errors through unchanged', async () => {
    let answer = () =>
      s3ErrorResponse(409, 'ConditionalRequestConflict', 'A conflicting operation is in progress');
    const client = server.client();
    recordRequests(client, async () => answer());
    const s3 = new S3ReportStore({ client, bucket: BUCKET, prefix: 'errors' });
    await expect(s3.putOnce('runs/r1/report.json', '{}')).rejects.toThrow(
      's3://reports/errors/runs/r1/report.json is being written by another writer: runs are never rewritten',
    );
    answer = () => s3ErrorResponse(403, 'AccessDenied', 'Access Denied');
    await expect(s3.putOnce('runs/r1/report.json', '{}')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(s3.get('latest.json')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('rejects keys that start with a slash, and bad options', () => {
    const s3 = store({ prefix: 'keys' }).store;
    expect(() => s3.locate('/runs/r1/report.json')).toThrow(/never start with '\/'/);
    expect(() => s3.locate('')).toThrow(/never empty/);
    const client = server.client();
    expect(() => new S3ReportStore({ client, bucket: 'Bad_Bucket' })).toThrow(/bucket name/);
    expect(
      () =>
        new S3ReportStore({ client, bucket: BUCKET, objectLock: { mode: 'COMPLIANCE', retentionDays: 0 } }),
    ).toThrow(/retentionDays/);
  });

  it('stores runs written by writeRun: chained manifests, latest.json last, no rerun', async () => {
    const { store: s3, requests } = store({
      prefix: 'write-run',
      objectLock: { mode: 'GOVERNANCE', retentionDays: 1 },
    });
    const report = (runId: string) => [
      { path: 'report.json', body: JSON.stringify({ runId, findings: [] }) },
    ];
    await writeRun(s3, 'r1', report('r1'));
    const second = await writeRun(s3, 'r2', report('r2'));

    expect(await s3.list('')).toEqual([
      'latest.json',
      'runs/r1/manifest.json',
      'runs/r1/report.json',
      'runs/r2/manifest.json',
      'runs/r2/report.json',
    ]);
    const latest = JSON.parse((await s3.get('latest.json'))!.toString('utf8')) as LatestPointer;
    expect(latest).toEqual({ runId: 'r2', reportKey: second.reportKey });
    const manifest = JSON.parse((await s3.get(second.manifestKey))!.toString('utf8')) as RunManifest;
    expect(manifest.previousManifestSha256).toBe(sha256Hex((await s3.get('runs/r1/manifest.json'))!));

    const writes = requests.filter((r) => r.method === 'PUT');
    expect(writes.at(-1)?.path).toBe('/reports/write-run/latest.json');
    for (const write of writes) {
      const runArtifact = write.path.includes('/runs/');
      expect(write.headers['if-none-match'], write.path).toBe(runArtifact ? '*' : undefined);
      expect(write.headers['x-amz-object-lock-mode'], write.path).toBe(
        runArtifact ? 'GOVERNANCE' : undefined,
      );
    }
    // A committed run is never rewritten: writing it again changes nothing.
    const before = (await s3.get('runs/r1/report.json'))!.toString('utf8');
    await writeRun(s3, 'r1', [{ path: 'report.json', body: 'something else' }]);
    expect((await s3.get('runs/r1/report.json'))!.toString('utf8')).toBe(before);
  });
});

/**
 * Writing a run as it is rendered: each artifact is hashed on the way and the manifest says what
 * the store holds; runs stay write-once; a crash before the manifest converges on retry; one
 * failing artifact fails the run instead of leaving the others waiting.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunArtifact, StreamedArtifact } from '../../reports/artifacts.js';
import { fanOut, PassAbandonedError } from '../../reports/fan-out.js';
import { LocalReportStore } from '../../reports/local-store.js';
import { S3ReportStore } from '../../reports/s3-store.js';
import { type BodyChunks, KeyExistsError, type ReportStore, type RunManifest } from '../../reports/store.js';
import { writeRun } from '../../reports/write-run.js';
import { conditionalWrites, recordRequests, type S3Server, startS3rver } from './s3rver.js';

const MiB = 1024 * 1024;
const BUCKET = 'streams';

function localStore(): LocalReportStore {
  return new LocalReportStore(mkdtempSync(join(tmpdir(), 'custos-streamed-')));
}

async function* chunksOf(...parts: Array<string | Uint8Array>): BodyChunks {
  for (const part of parts) yield part;
}

function streamedOf(path: string, parts: () => Array<string | Uint8Array>): StreamedArtifact {
  return { path, chunks: () => chunksOf(...parts()) };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function manifestMatchesStore(store: ReportStore, runId: string): Promise<RunManifest> {
  const manifest = JSON.parse(
    (await store.get(`runs/${runId}/manifest.json`))!.toString('utf8'),
  ) as RunManifest;
  for (const artifact of manifest.artifacts) {
    const stored = (await store.get(`runs/${runId}/${artifact.path}`))!;
    expect({ path: artifact.path, sha256: sha256(stored), size: stored.length }).toEqual(artifact);
  }
  return manifest;
}

describe('fanOut', () => {
  it('gives every reader every item in order, and stops the others when one reader stops', async () => {
    async function* numbers() {
      for (let i = 0; i < 50; i++) yield i;
    }
    const read = async (items: AsyncIterable<number>, stopAt?: number) => {
      const seen: number[] = [];
      for await (const item of items) {
        if (item === stopAt) break;
        seen.push(item);
      }
      return seen;
    };
    const [a, b] = fanOut(numbers, 2);
    expect(await Promise.all([read(a!), read(b!)])).toEqual([[...Array(50).keys()], [...Array(50).keys()]]);

    const [c, d] = fanOut(numbers, 2);
    const outcomes = await Promise.allSettled([read(c!, 10), read(d!)]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: [...Array(10).keys()] });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: expect.any(PassAbandonedError) });

    const [e, f] = fanOut(numbers, 2);
    e!.abandon();
    await expect(read(f!)).rejects.toBeInstanceOf(PassAbandonedError);
  });
});

describe('writeRun with streamed artifacts, in a local folder', () => {
  it('hashes each artifact on the way: the manifest matches the stored bytes', async () => {
    const store = localStore();
    const multibyte = 'ü€😀'.repeat(200_000);
    const artifacts: RunArtifact[] = [
      streamedOf('report.json', () => ['{"a":', Buffer.from('"bytes"'), ',"b":"', multibyte, '"}\n']),
      { path: 'summary.json', body: '{}\n' },
      streamedOf('empty.csv', () => []),
    ];

    await writeRun(store, 'r1', artifacts);

    const manifest = await manifestMatchesStore(store, 'r1');
    expect(manifest.artifacts.map((a) => a.path)).toEqual(['report.json', 'summary.json', 'empty.csv']);
    expect((await store.get('runs/r1/report.json'))!.toString('utf8')).toBe(
      `{"a":"bytes","b":"${multibyte}"}\n`,
    );
  });

  it('rewrites what a crashed attempt left before its manifest, rendering it again, and commits', async () => {
    const store = localStore();
    await store.putOnce('runs/r2/report.json', '{"half":');
    let renders = 0;
    const artifact: StreamedArtifact = {
      path: 'report.json',
      chunks: () => {
        renders += 1;
        return chunksOf('{"whole":true}\n');
      },
    };

    await writeRun(store, 'r2', [artifact]);

    expect(renders).toBe(2);
    expect((await store.get('runs/r2/report.json'))!.toString('utf8')).toBe('{"whole":true}\n');
    await manifestMatchesStore(store, 'r2');
    expect((await store.list('runs/r2/')).filter((k) => k.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a second write of a key, leaving the first', async () => {
    const store = localStore();
    await store.putOnceStream('runs/r3/a.json', chunksOf('first'));
    await expect(store.putOnceStream('runs/r3/a.json', chunksOf('second'))).rejects.toBeInstanceOf(
      KeyExistsError,
    );
    expect((await store.get('runs/r3/a.json'))!.toString('utf8')).toBe('first');
    expect(await store.list('runs/r3/')).toEqual(['runs/r3/a.json']);
  });

  it('fails the run when one artifact fails, without waiting on the others of its pass', async () => {
    const store = localStore();
    const [first, second] = fanOut(async function* () {
      for (let i = 0; i < 10_000; i++) yield [`${i},`];
    }, 2);
    const fromBranch = (branch: AsyncIterable<string[]>): BodyChunks =>
      (async function* () {
        for await (const batch of branch) yield* batch;
      })();
    const failing: StreamedArtifact = {
      path: 'broken.json',
      chunks: () =>
        (async function* () {
          let n = 0;
          for await (const batch of first!) {
            yield* batch;
            n += 1;
            if (n === 20) throw new Error('rendering broke');
          }
        })(),
      abandon: () => first!.abandon(),
    };
    const other: StreamedArtifact = {
      path: 'other.csv',
      chunks: () => fromBranch(second!),
      abandon: () => second!.abandon(),
    };

    await expect(writeRun(store, 'r4', [other, failing])).rejects.toThrow('rendering broke');
    expect(await store.get('runs/r4/manifest.json')).toBeUndefined();
    expect(await store.get('latest.json')).toBeUndefined();
  });

  it('reads the start of a file without reading the rest', async () => {
    const store = localStore();
    await store.put('big.txt', `head${'x'.repeat(4 * MiB)}`);
    const stream = (await store.getStream('big.txt'))!;
    for await (const chunk of stream) {
      expect(Buffer.from(chunk).subarray(0, 4).toString()).toBe('head');
      break;
    }
    expect(await store.getStream('missing.txt')).toBeUndefined();
  });
});

describe('writeRun with streamed artifacts, in S3', () => {
  let server: S3Server;

  beforeAll(async () => {
    server = await startS3rver([BUCKET]);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('uploads small and large bodies write-once, with the same headers, and a manifest that matches', async () => {
    // Prepare
    const client = server.client();
    const requests = recordRequests(client, conditionalWrites(server));
    const store = new S3ReportStore({
      client,
      bucket: BUCKET,
      prefix: 'runs-stream',
      objectLock: { mode: 'GOVERNANCE', retentionDays: 1 },
    });
    const large = randomBytes(18 * MiB);

    // Act
    await writeRun(store, 'r1', [
      streamedOf('report.json', () => [large.subarray(0, 5 * MiB), large.subarray(5 * MiB)]),
      streamedOf('findings.csv', () => ['a,b\r\n', '1,2\r\n']),
    ]);

    // Assess
    await manifestMatchesStore(store, 'r1');
    expect((await store.get('runs/r1/report.json'))!.equals(large)).toBe(true);
    const path = '/streams/runs-stream/runs/r1/';
    const complete = requests.filter(
      (r) => r.method === 'POST' && r.path === `${path}report.json` && 'uploadId' in r.query,
    );
    expect(complete.map((r) => r.headers['if-none-match'])).toEqual(['*']);
    const create = requests.find(
      (r) => r.method === 'POST' && r.path === `${path}report.json` && 'uploads' in r.query,
    );
    expect(create?.headers).toMatchObject({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-object-lock-mode': 'GOVERNANCE',
      'x-amz-checksum-algorithm': 'SHA256',
    });
    const small = requests.filter((r) => r.method === 'PUT' && r.path === `${path}findings.csv`);
    expect(small.map((r) => r.headers['if-none-match'])).toEqual(['*']);
    expect(small[0]?.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('refuses to rewrite a streamed key, and converges when a crashed attempt left one', async () => {
    const client = server.client();
    recordRequests(client, conditionalWrites(server));
    const store = new S3ReportStore({ client, bucket: BUCKET, prefix: 'retry' });
    await store.putOnceStream('runs/r2/report.json', chunksOf('{"half":'));
    await expect(store.putOnceStream('runs/r2/report.json', chunksOf('{}'))).rejects.toBeInstanceOf(
      KeyExistsError,
    );

    await writeRun(store, 'r2', [streamedOf('report.json', () => ['{"whole":', 'true}\n'])]);

    expect((await store.get('runs/r2/report.json'))!.toString('utf8')).toBe('{"whole":true}\n');
    await manifestMatchesStore(store, 'r2');
    const stream = (await store.getStream('runs/r2/report.json'))!;
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(Buffer.from(chunk));
    expect(Buffer.concat(parts).toString('utf8')).toBe('{"whole":true}\n');
    expect(await store.getStream('runs/none.json')).toBeUndefined();
  });
});

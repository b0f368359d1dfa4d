import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { s3Checks } from '../../../checks/s3/index.js';

const CHECK_DIR = fileURLToPath(new URL('../../../checks/s3/', import.meta.url));

describe('s3 checks', () => {
  it('registers every check file in the folder once', () => {
    // Prepare
    const files = readdirSync(CHECK_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

    // Act
    const ids = s3Checks.map((c) => c.id);

    // Assess
    expect(s3Checks).toHaveLength(files.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ships the catalogue ids', () => {
    expect(s3Checks.map((c) => c.id).sort()).toEqual([
      's3.account.public-access-block',
      's3.bucket.public',
      's3.bucket.public-access-block',
      's3.bucket.secure-transport',
    ]);
  });
});

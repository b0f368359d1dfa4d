/** Reading a user-named file without letting its size decide how much memory custos uses. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type BoundedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly size?: number };

/**
 * The file's bytes, unless it holds more than `limit`. A regular file is judged by its size
 * before anything is read; anything else (a pipe, a device) is read until it ends or passes the
 * limit, so memory stays bounded whatever the path names.
 */
export function readAtMost(path: string, limit: number): BoundedRead {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) return { ok: false, size: stat.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // total <= limit here, so every read asks for at least one byte.
      const chunk = Buffer.allocUnsafe(
        Math.min(stat.isFile() ? stat.size + 1 : 64 * 1024, limit + 1 - total),
      );
      const count = readSync(fd, chunk, 0, chunk.length, null);
      if (count === 0) break;
      total += count;
      if (total > limit) return { ok: false };
      chunks.push(chunk.subarray(0, count));
    }
    const [only] = chunks;
    return {
      ok: true,
      bytes: chunks.length === 1 && only !== undefined ? only : Buffer.concat(chunks, total),
    };
  } finally {
    closeSync(fd);
  }
}

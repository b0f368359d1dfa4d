/**
 * Finds and reads the config file: `--config FILE`, else `custos.config.json` / `.yaml` /
 * `.yml` in the working folder, else the defaults.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  type ConfigOverrides,
  parseConfigText,
  type ResolvedConfig,
  resolveConfig,
} from '../core/config/load.js';
import { ConfigError } from '../core/errors.js';

const DEFAULT_NAMES = ['custos.config.json', 'custos.config.yaml', 'custos.config.yml'];

/**
 * The largest config file custos reads: 1 MiB. A config is a few kilobytes; what grows is the
 * suppression list, and 1 MiB holds thousands of entries. Anything larger is the wrong file
 * (an estate, a log) or hostile, and is refused before it is read into memory or parsed.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadConfig(
  path: string | undefined,
  overrides: ConfigOverrides,
  asOf?: string,
  cwd = process.cwd(),
): ResolvedConfig {
  const file =
    path !== undefined
      ? resolve(cwd, path)
      : DEFAULT_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
  if (file === undefined) return resolveConfig({}, 'default config', overrides, asOf);
  const source = path ?? file;
  let read: BoundedRead;
  try {
    read = readAtMost(file, MAX_CONFIG_BYTES);
  } catch (error) {
    throw new ConfigError(source, [{ path: '', message: `cannot be read: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  if (!read.ok) {
    const size = read.size === undefined ? '' : ` (it is ${read.size} bytes)`;
    throw new ConfigError(source, [
      {
        path: '',
        message: `is larger than 1 MiB (${MAX_CONFIG_BYTES} bytes), the most a config file may hold${size}; it was not parsed`,
      },
    ]);
  }
  const text = read.bytes.toString('utf8');
  const format = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? 'yaml' : 'json';
  return parseConfigText(text, source, format, overrides, asOf);
}

type BoundedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly size?: number };

/**
 * The file's bytes, unless it holds more than `limit`. A regular file is judged by its size
 * before anything is read; anything else (a pipe, a device) is read until it ends or passes the
 * limit, so memory stays bounded whatever the path names.
 */
function readAtMost(path: string, limit: number): BoundedRead {
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

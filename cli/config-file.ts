/**
 * Finds and reads the config file: `--config FILE`, else `custos.config.json` / `.yaml` /
 * `.yml` in the working folder, else the defaults.
 */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  type ConfigOverrides,
  parseConfigText,
  type ResolvedConfig,
  resolveConfig,
} from '../core/config/load.js';
import { ConfigError } from '../core/errors.js';
import { type BoundedRead, readAtMost } from './read-at-most.js';

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

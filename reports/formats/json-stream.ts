/**
 * `JSON.stringify(value, null, 2)` of a document whose one large array cannot be held in memory
 * (nor in one string: V8 strings end near 512 MiB): the text around the array, and the array's
 * items as they come, byte for byte what stringifying the whole document would give.
 */
import { randomUUID } from 'node:crypto';

/**
 * The pretty-printed text of `shape`, where the string `marker` (placed where the array goes)
 * becomes the array of `items`. The marker must occur nowhere else in `shape`.
 */
export async function* prettyJsonWithArray<T>(
  shape: unknown,
  marker: string,
  items: AsyncIterable<readonly T[]>,
  toJson: (item: T) => unknown = (item) => item,
): AsyncGenerator<string> {
  const text = JSON.stringify(shape, null, 2);
  const token = JSON.stringify(marker);
  const at = text.indexOf(token);
  if (at < 0 || text.indexOf(token, at + 1) >= 0) throw new Error('the array marker must occur exactly once');
  const before = text.slice(0, at);
  const after = text.slice(at + token.length);
  // The array's line is indented by two spaces per enclosing level; its items sit one deeper.
  const indent = /^ */.exec(before.slice(before.lastIndexOf('\n') + 1))?.[0] ?? '';
  const depth = indent.length / 2;
  // Stringified inside as many arrays as enclose it, a batch comes out indented where it goes:
  // what lies between the wrapping brackets is the batch's text in the document.
  const wrap = (items: unknown[]): unknown => {
    let value: unknown = items;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const probe = JSON.stringify(wrap([0]), null, 2);
  const open = probe.indexOf('\n', probe.lastIndexOf('[', probe.indexOf('0')));
  const close = probe.length - (probe.indexOf('0') + 1);
  yield `${before}[`;
  let first = true;
  for await (const batch of items) {
    if (batch.length === 0) continue;
    const text = JSON.stringify(wrap(batch.map(toJson)), null, 2);
    yield `${first ? '' : ','}${text.slice(open, text.length - close)}`;
    first = false;
  }
  yield `${first ? '' : `\n${indent}`}]${after}`;
}

/** A string that no report holds: where a document's streamed array goes. */
export function arrayMarker(): string {
  return `\u0000custos-array-${randomUUID()}\u0000`;
}

/** Batches of `items`, for rendering an in-memory list through a streaming renderer. */
export async function* batchesOf<T>(items: readonly T[], size = 1000): AsyncGenerator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** All the text of a rendering, joined (for files small enough to hold). */
export async function collectText(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks)
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

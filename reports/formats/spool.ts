/**
 * Text kept aside in memory, compressed, to be written later in another order than it was
 * produced (JUnit groups the findings by check; the run lists them by account). Report text is
 * repetitive, so it compresses about tenfold even at the fastest level.
 */
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/** Text gathered before it is compressed as one block. */
const BLOCK_CHARS = 256 * 1024;

export class TextSpool {
  private blocks: Buffer[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  append(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= BLOCK_CHARS) this.compress();
  }

  /** The text in order, as UTF-8 bytes and strings; the spool is empty afterwards. */
  *drain(): Generator<string | Uint8Array> {
    const blocks = this.blocks;
    const tail = this.pending.join('');
    this.blocks = [];
    this.pending = [];
    this.pendingChars = 0;
    while (blocks.length > 0) yield inflateRawSync(blocks.shift()!);
    if (tail.length > 0) yield tail;
  }

  private compress(): void {
    const text = Buffer.from(this.pending.join(''), 'utf8');
    this.blocks.push(deflateRawSync(text, { level: constants.Z_BEST_SPEED }));
    this.pending = [];
    this.pendingChars = 0;
  }
}

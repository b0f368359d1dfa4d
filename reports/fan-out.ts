/**
 * One pass over a source feeding several readers at once, for artifacts rendered from the same
 * findings: each reader gets every item in order, and the pass goes at the pace of the slowest
 * reader (each holds at most a few items ahead), so memory holds a few items, never the source.
 *
 * The readers must read concurrently. A reader that stops before the end (its write failed)
 * stops the pass: the others fail with `PassAbandonedError` rather than wait for it forever.
 */

/** What the other readers of a pass see when one of them stopped. */
export class PassAbandonedError extends Error {
  constructor(cause?: unknown) {
    super('another artifact of the same pass failed', cause === undefined ? undefined : { cause });
    this.name = 'PassAbandonedError';
  }
}

/** One reader's view of a shared pass. */
export interface PassBranch<T> extends AsyncIterable<T> {
  /**
   * This reader will not read (its write failed before it began): the pass stops rather than
   * wait for it. Harmless once the reader has read to the end.
   */
  abandon(): void;
}

/** `readers` views of one pass over `source`, which starts when the first of them is read. */
export function fanOut<T>(source: () => AsyncIterable<T>, readers: number, ahead = 2): PassBranch<T>[] {
  const channels = Array.from({ length: readers }, () => new Channel<T>(ahead));
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    void pump(source, channels);
  };
  return channels.map((channel) => ({
    [Symbol.asyncIterator]: () => {
      start();
      return channel.reader();
    },
    abandon: () => {
      channel.abandon();
      start();
    },
  }));
}

async function pump<T>(source: () => AsyncIterable<T>, channels: readonly Channel<T>[]): Promise<void> {
  try {
    for await (const item of source()) {
      await Promise.all(channels.map((c) => c.push(item)));
      if (channels.some((c) => c.detached)) throw new PassAbandonedError();
    }
    for (const channel of channels) channel.end();
  } catch (error) {
    // The source's own error reaches every reader; so does the news that one reader stopped.
    for (const channel of channels) channel.fail(error);
  }
}

/** A bounded queue with one writer (the pump) and one reader. */
class Channel<T> {
  private readonly items: T[] = [];
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  /** The reader stopped before the end. */
  detached = false;
  private wakeReader: (() => void) | undefined;
  private wakeWriter: (() => void) | undefined;

  constructor(private readonly bound: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.bound && !this.detached) {
      await new Promise<void>((resolve) => {
        this.wakeWriter = resolve;
      });
    }
    if (this.detached) return;
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.wake();
  }

  reader(): AsyncIterator<T> {
    return {
      next: async (): Promise<IteratorResult<T>> => {
        for (;;) {
          if (this.items.length > 0) {
            const value = this.items.shift() as T;
            const writer = this.wakeWriter;
            this.wakeWriter = undefined;
            writer?.();
            return { done: false, value };
          }
          if (this.failure !== undefined) throw this.failure.error;
          if (this.ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => {
            this.wakeReader = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<T>> => {
        this.abandon();
        return { done: true, value: undefined };
      },
    };
  }

  /** The reader stops: the writer no longer waits for it. */
  abandon(): void {
    if (!this.ended && this.failure === undefined) this.detached = true;
    this.items.length = 0;
    const writer = this.wakeWriter;
    this.wakeWriter = undefined;
    writer?.();
  }

  private wake(): void {
    const reader = this.wakeReader;
    this.wakeReader = undefined;
    reader?.();
  }
}

/** Items written together while the previous batch is being written, at most this many at once. */
const MAX_BATCH = 500;

/**
 * Writes items in batches: an item submitted while a batch is being written joins the next one. Items with the
 * same key never share a batch (one statement may not change a row twice), so a repeat waits for the next. A
 * batch that fails is written again item by item, so that one bad item fails alone.
 */
export class Batches<I, R> {
  private waiting: Array<{ item: I; resolve(result: R): void; reject(reason: unknown): void }> = [];
  private writing = false;

  constructor(
    private readonly write: (items: I[]) => Promise<R[]>,
    private readonly keyOf: (item: I) => string,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // The rest of this turn of the event loop joins the batch too.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length) await this.writeBatch(this.nextBatch());
    } finally {
      this.writing = false;
    }
  }

  private nextBatch(): typeof this.waiting {
    const keys = new Set<string>();
    const batch: typeof this.waiting = [];
    const later: typeof this.waiting = [];
    for (const pending of this.waiting) {
      const key = this.keyOf(pending.item);
      if (batch.length < MAX_BATCH && !keys.has(key)) {
        keys.add(key);
        batch.push(pending);
      } else later.push(pending);
    }
    this.waiting = later;
    return batch;
  }

  private async writeBatch(batch: typeof this.waiting): Promise<void> {
    try {
      const results = await this.write(batch.map((pending) => pending.item));
      batch.forEach((pending, i) => pending.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((pending) => this.writeBatch([pending])));
    }
  }
}

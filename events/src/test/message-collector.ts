/** Collects values from handlers and lets a test wait until enough have arrived. */
export interface Collector<T> {
  readonly items: readonly T[];
  add(item: T): void;
  /**
   * Resolves with the items once `predicate` holds. Rejects after `timeoutMs`, naming what was
   * awaited: a guard against a hung test, not an assertion about speed.
   */
  waitUntil(predicate: (items: readonly T[]) => boolean, description: string): Promise<T[]>;
  /** Resolves once at least `count` items have arrived. */
  waitForCount(count: number, description: string): Promise<T[]>;
}

interface Waiter<T> {
  predicate: (items: readonly T[]) => boolean;
  resolve: (items: T[]) => void;
}

/** Creates a collector whose waits give up after `timeoutMs`. */
export function createCollector<T>(timeoutMs: number): Collector<T> {
  const items: T[] = [];
  const waiters = new Set<Waiter<T>>();

  function settleWaiters(): void {
    for (const waiter of waiters) {
      if (waiter.predicate(items)) {
        waiters.delete(waiter);
        waiter.resolve([...items]);
      }
    }
  }

  function waitUntil(predicate: Waiter<T>['predicate'], description: string): Promise<T[]> {
    if (predicate(items)) {
      return Promise.resolve([...items]);
    }

    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `Gave up after ${timeoutMs} ms waiting for ${description}; got ${items.length} items.`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  return {
    items,
    add(item) {
      items.push(item);
      settleWaiters();
    },
    waitUntil,
    waitForCount: (count, description) =>
      waitUntil((current) => current.length >= count, `${count} ${description}`),
  };
}

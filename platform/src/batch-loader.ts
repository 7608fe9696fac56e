import DataLoader from 'dataloader';

/**
 * Creates a per-request DataLoader whose batch window lasts until the event loop's check phase
 * (setImmediate) instead of the default next tick. Field resolvers behind async permission rules
 * (graphql-shield) start a few microtasks apart; a next-tick window splits them into several
 * batches, and one `_entities` call would cost several queries instead of one.
 */
export function createBatchLoader<K, V>(batch: DataLoader.BatchLoadFn<K, V>): DataLoader<K, V> {
  return new DataLoader(batch, { batchScheduleFn: (callback) => setImmediate(callback) });
}

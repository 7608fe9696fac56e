import type { EventBus } from './event-bus.js';

/**
 * Wraps a bus so that every topic and consumer group is prefixed with `namespace`: several
 * deployments (staging beside production, or parallel test runs) can share one Kafka cluster
 * without reading each other's events. Handlers see the topic names without the prefix.
 */
export function createNamespacedBus(bus: EventBus, namespace: string): EventBus {
  if (!namespace) return bus;
  return {
    publish: (topic, messages) => bus.publish(`${namespace}${topic}`, messages),
    subscribe: (options) =>
      bus.subscribe({
        ...options,
        groupId: `${namespace}${options.groupId}`,
        topics: options.topics.map((topic) => `${namespace}${topic}`),
        handler: (message) =>
          options.handler({ ...message, topic: message.topic.slice(namespace.length) }),
      }),
    close: () => bus.close(),
  };
}

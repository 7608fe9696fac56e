/**
 * The topics events travel on, one per owning aggregate so that a key (a registration id, a
 * module code) always lands on the same partition of the same topic.
 */
export const TOPICS = {
  registration: 'registration.events',
  module: 'module.events',
  moduleCommands: 'module.commands',
  payment: 'payment.events',
  paymentCommands: 'payment.commands',
} as const;

/** A topic name from {@link TOPICS}. */
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** The suffix that turns a topic name into the name of its dead-letter topic. */
export const DEAD_LETTER_SUFFIX = '.dlq';

/** Returns the dead-letter topic of `topic`: `registration.events` → `registration.events.dlq`. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { demoStudents } from '@registrar/platform';
import { Kafka, logLevel } from 'kafkajs';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const brokers = process.env['KAFKA_BROKERS']?.split(',');
const namespace = `test-privacy-${randomUUID().slice(0, 8)}.`;
let t: TestSystem | undefined;

before(async () => {
  if (!brokers) return;
  t = await startTestSystem({ EVENT_NAMESPACE: namespace });
});
after(() => t?.stop());

test('raw bytes on every topic of a registration flow hold no email, name or date of birth', async (context) => {
  if (!brokers || !t) {
    if (process.env['CI'] === 'true')
      throw new Error('Kafka is required in CI: set KAFKA_BROKERS.');
    context.skip('KAFKA_BROKERS not set');
    return;
  }
  const students = demoStudents().slice(100, 110);
  for (const student of students) {
    const token = await t.signIn({
      subject: student.studentNumber,
      roles: ['student'],
      studentId: student.id,
    });
    await t.graphql('mutation { registerForModule(moduleCode: "MUSC1001") { id } }', {}, token);
  }

  const kafka = new Kafka({ brokers, clientId: 'privacy-check', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((name) => name.startsWith(namespace));
  await admin.disconnect();
  assert.ok(topics.length >= 3, `expected the flow's topics, found ${topics.join(', ')}`);

  const chunks: Buffer[] = [];
  const consumer = kafka.consumer({ groupId: `privacy-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.value) chunks.push(message.value);
      if (message.key) chunks.push(message.key);
      for (const value of Object.values(message.headers ?? {}))
        if (Buffer.isBuffer(value)) chunks.push(value);
    },
  });
  // Ten registrations make at least ten RegistrationRequested and ten ReserveSeat messages. A
  // new consumer group may wait for the broker's group coordinator on a busy machine: allow 60 s.
  for (let i = 0; i < 600 && chunks.length < 40; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await consumer.disconnect();
  assert.ok(chunks.length >= 40, `read only ${chunks.length} message parts`);

  // Signed envelopes are base64url: decode every dotted part too before looking.
  const text = chunks
    .map((chunk) => chunk.toString('utf8'))
    .flatMap((value) => [
      value,
      ...value.split('.').map((part) => Buffer.from(part, 'base64url').toString('utf8')),
    ])
    .join('\n');
  for (const student of students) {
    for (const secret of [
      student.email,
      student.dateOfBirth,
      `${student.givenName} ${student.familyName}`,
    ]) {
      assert.ok(!text.includes(secret), `found personal data on a topic: ${secret.slice(0, 3)}…`);
    }
  }
});

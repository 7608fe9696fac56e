import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_TERM, demoStudents } from '@registrar/platform';
import pg from 'pg';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const REGISTER = `mutation ($code: String!) { registerForModule(moduleCode: $code) { id status } }`;
const DROP = `mutation ($id: ID!) { dropModule(registrationId: $id) { id status } }`;
const ROSTER = `query ($code: String!) {
  module(code: $code) { capacity seatsAvailable waitlistLength registrations { id status waitlistPosition student { id } } }
}`;

/** Polls until `done` holds for the value `read` returns, for at most `seconds`. */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  seconds = 60,
): Promise<T> {
  const until = Date.now() + seconds * 1000;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

const created: string[] = [];

/** Adds a free module with its own code to both services that must know it. */
async function createModule(t: TestSystem, capacity: number): Promise<string> {
  const code = `SAG${randomInt(1000, 9999)}`;
  created.push(code);
  const opens = new Date(Date.now() - 3_600_000).toISOString();
  const closes = new Date(Date.now() + 86_400_000).toISOString();
  await t.system.subgraphs.module.dataSource.query(
    `INSERT INTO modules (code, title, description, department, credits, term, capacity, fee_amount,
       registration_opens_at, registration_closes_at)
     VALUES ($1, 'Registration Rush Seminar', 'A test module.', 'Testing', 15, $2, $3, 0, $4, $5)`,
    [code, DEMO_TERM, capacity, opens, closes],
  );
  await t.system.subgraphs.registration.dataSource.query(
    `INSERT INTO module_offerings (code, term, credits, fee_amount, registration_opens_at, registration_closes_at)
     VALUES ($1, $2, 15, 0, $3, $4)`,
    [code, DEMO_TERM, opens, closes],
  );
  return code;
}

describe('the registration saga', () => {
  let t: TestSystem;
  let staff: string;
  before(async () => {
    t = await startTestSystem({
      REGISTRATIONS_PER_IP_PER_MINUTE: '1000',
      RATE_LIMIT_KEY_PREFIX: `ratelimit-saga-${randomInt(1e9)}`,
    });
    staff = await t.signIn({ subject: 'staff1', roles: ['staff'] });
  });
  after(async () => {
    await t.stop();
    await removeModules(created);
  });

  const roster = async (code: string) => (await t.graphql(ROSTER, { code }, staff)).data!['module'];

  test('a registration for a free module with seats ends CONFIRMED, and the seat is taken', async () => {
    const code = await createModule(t, 5);
    const student = demoStudents()[150]!;
    const token = await t.signIn({
      subject: student.studentNumber,
      roles: ['student'],
      studentId: student.id,
    });
    const asked = await t.graphql(REGISTER, { code }, token);
    assert.equal(asked.data!['registerForModule'].status, 'PENDING');

    const module = await eventually(
      () => roster(code),
      (m) => m.registrations.every((r: any) => r.status !== 'PENDING'),
    );
    assert.deepEqual(
      module.registrations.map((r: any) => r.status),
      ['CONFIRMED'],
    );
    assert.equal(module.seatsAvailable, 4);
  });

  test('200 students rushing a 30-seat module: 30 confirmed, 170 waitlisted in order, counters equal rows; 5 drops promote the first 5', async () => {
    const code = await createModule(t, 30);
    const students = demoStudents();
    const tokens = await Promise.all(
      students.map((s) =>
        t.signIn({ subject: s.studentNumber, roles: ['student'], studentId: s.id }),
      ),
    );
    const answers = await Promise.all(tokens.map((token) => t.graphql(REGISTER, { code }, token)));
    assert.ok(
      answers.every((a) => a.data?.['registerForModule']?.status === 'PENDING'),
      JSON.stringify(answers.find((a) => a.errors)?.errors),
    );

    const settled = await eventually(
      () => roster(code),
      (m) =>
        m.registrations.length === 200 && m.registrations.every((r: any) => r.status !== 'PENDING'),
      120,
    );
    const confirmed = settled.registrations.filter((r: any) => r.status === 'CONFIRMED');
    const waitlisted = settled.registrations.filter((r: any) => r.status === 'WAITLISTED');
    assert.equal(confirmed.length, 30);
    assert.equal(waitlisted.length, 170);
    assert.equal(settled.seatsAvailable, 0);
    assert.equal(settled.capacity - settled.seatsAvailable, confirmed.length);
    assert.equal(settled.waitlistLength, 170);
    assert.deepEqual(
      waitlisted.map((r: any) => r.waitlistPosition).sort((a: number, b: number) => a - b),
      Array.from({ length: 170 }, (_, i) => i + 1),
    );

    const firstFive = [...waitlisted]
      .sort((a: any, b: any) => a.waitlistPosition - b.waitlistPosition)
      .slice(0, 5);
    const tokenOf = new Map(students.map((s, i) => [s.id, tokens[i]!]));
    for (const registration of confirmed.slice(0, 5)) {
      const dropped = await t.graphql(
        DROP,
        { id: registration.id },
        tokenOf.get(registration.student.id),
      );
      assert.equal(dropped.data!['dropModule'].status, 'DROPPED');
    }

    const after = await eventually(
      () => roster(code),
      (m) => m.registrations.filter((r: any) => r.status === 'CONFIRMED').length === 30,
    );
    const nowConfirmed = new Set(
      after.registrations.filter((r: any) => r.status === 'CONFIRMED').map((r: any) => r.id),
    );
    assert.ok(
      firstFive.every((r: any) => nowConfirmed.has(r.id)),
      'the first five on the waitlist were promoted',
    );
    assert.equal(after.registrations.filter((r: any) => r.status === 'WAITLISTED').length, 165);
    assert.equal(after.registrations.filter((r: any) => r.status === 'DROPPED').length, 5);
    assert.equal(after.seatsAvailable, 0);
  });
});

// On a shared database (CI, a developer's machine) the test's modules and registrations would
// linger in every later catalogue; they are removed once the system has stopped.
async function removeModules(codes: string[]): Promise<void> {
  const registrationUrl = process.env['DATABASE_URL_REGISTRATION'];
  const moduleUrl = process.env['DATABASE_URL_MODULE'];
  if (!registrationUrl || !moduleUrl || codes.length === 0) return;
  await withClient(registrationUrl, async (client) => {
    await client.query('DELETE FROM registrations WHERE module_code = ANY($1)', [codes]);
    await client.query('DELETE FROM module_offerings WHERE code = ANY($1)', [codes]);
  });
  await withClient(moduleUrl, async (client) => {
    await client.query('DELETE FROM waitlist WHERE module_code = ANY($1)', [codes]);
    await client.query('DELETE FROM seat_holds WHERE module_code = ANY($1)', [codes]);
    await client.query('DELETE FROM modules WHERE code = ANY($1)', [codes]);
  });
}

async function withClient(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

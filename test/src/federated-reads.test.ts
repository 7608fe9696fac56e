import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoModules, demoRegistrations, demoStudents } from '@registrar/platform';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

describe('federated reads through the gateway', () => {
  let t: TestSystem;
  before(async () => {
    t = await startTestSystem();
  });
  after(() => t.stop());

  test('the public catalogue lists the seeded modules page by page with fields from two subgraphs, anonymously', async () => {
    const query = `query Page($after: String) {
      modules(first: 20, after: $after) {
        totalCount
        edges { node { code title credits seatsAvailable waitlistLength fee { amount currency } timetable { day start end } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const codes: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.graphql(query, { after: cursor });
      assert.equal(page.errors, undefined);
      codes.push(...page.data.modules.edges.map((edge: any) => edge.node.code));
      // waitlistLength comes from the Registration subgraph; nobody waits in the fresh demo.
      assert.ok(page.data.modules.edges.every((edge: any) => edge.node.waitlistLength === 0));
      cursor = page.data.modules.pageInfo.hasNextPage ? page.data.modules.pageInfo.endCursor : null;
    } while (cursor);

    const expected = demoModules()
      .map((m) => m.code)
      .sort();
    assert.deepEqual(codes, expected);
  });

  test('catalogue filters narrow by term, credits, seats and search words', async () => {
    const response = await t.graphql(`{
      thirty: modules(filter: { credits: 30, term: "AUTUMN-2026" }, first: 100) { totalCount edges { node { credits } } }
      search: modules(filter: { search: "field" }) { edges { node { code title } } }
      open: modules(filter: { hasSeats: true }, first: 1) { totalCount }
    }`);
    assert.equal(response.errors, undefined);
    const data = response.data!;
    assert.equal(data['thirty'].totalCount, demoModules().filter((m) => m.credits === 30).length);
    assert.ok(data['thirty'].edges.every((edge: any) => edge.node.credits === 30));
    assert.deepEqual(
      data['search'].edges.map((edge: any) => edge.node.title).sort(),
      demoModules()
        .filter((m) => /field/i.test(`${m.code} ${m.title} ${m.description}`))
        .map((m) => m.title)
        .sort(),
    );
    assert.equal(data['open'].totalCount, demoModules().length);
  });

  test('a student sees their registrations joined with modules and payments from three subgraphs', async () => {
    const student = demoStudents().find((s) =>
      demoRegistrations().some((r) => r.studentId === s.id && r.feeAmount > 0),
    )!;
    const token = await t.signIn({
      subject: student.studentNumber,
      roles: ['student'],
      studentId: student.id,
    });
    const response = await t.graphql(
      `{ me {
          id studentNumber name email
          registrations { status module { code title credits fee { amount } } payment { status amount { amount currency } } }
        } }`,
      {},
      token,
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const me = response.data!['me'];
    assert.equal(me.studentNumber, student.studentNumber);
    assert.equal(me.name, `${student.givenName} ${student.familyName}`);
    assert.equal(me.email, student.email);

    const expected = demoRegistrations().filter((r) => r.studentId === student.id);
    const catalogue = new Map(demoModules().map((m) => [m.code, m]));
    assert.deepEqual(
      me.registrations.map((r: any) => [r.module.code, r.module.title, r.status]).sort(),
      expected.map((r) => [r.moduleCode, catalogue.get(r.moduleCode)!.title, 'CONFIRMED']).sort(),
    );
    for (const registration of me.registrations) {
      if (registration.module.fee.amount > 0) {
        assert.deepEqual(registration.payment, {
          status: 'SUCCEEDED',
          amount: { amount: registration.module.fee.amount, currency: 'GBP' },
        });
      } else {
        assert.equal(registration.payment, null);
      }
    }
  });

  test('staff look a student up by number and see the same joined registrations', async () => {
    const student = demoStudents()[2]!;
    const token = await t.signIn({ subject: 'staff1', roles: ['staff'] });
    const response = await t.graphql(
      `query ($number: String!) { studentByNumber(studentNumber: $number) {
          studentNumber registrations { module { code seatsAvailable capacity } history { from to actor } }
        } }`,
      { number: student.studentNumber },
      token,
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const found = response.data!['studentByNumber'];
    assert.equal(found.studentNumber, student.studentNumber);
    const codes = demoRegistrations()
      .filter((r) => r.studentId === student.id)
      .map((r) => r.moduleCode);
    assert.deepEqual(found.registrations.map((r: any) => r.module.code).sort(), codes.sort());
    for (const registration of found.registrations) {
      assert.ok(registration.module.seatsAvailable < registration.module.capacity);
      assert.deepEqual(
        registration.history.map((h: any) => [h.from, h.to, h.actor]),
        [
          [null, 'PENDING', 'system'],
          ['PENDING', 'CONFIRMED', 'system'],
        ],
      );
    }
  });

  test('seats available equal capacity minus the confirmed registrations', async () => {
    const code = demoRegistrations()[0]!.moduleCode;
    const token = await t.signIn({ subject: 'staff1', roles: ['staff'] });
    const response = await t.graphql(
      `query ($code: String!) { module(code: $code) { capacity seatsAvailable registrations(status: [CONFIRMED]) { id } } }`,
      { code },
      token,
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const module = response.data!['module'];
    assert.equal(module.capacity - module.seatsAvailable, module.registrations.length);
    assert.equal(
      module.registrations.length,
      demoRegistrations().filter((r) => r.moduleCode === code).length,
    );
  });

  test('one SQL query serves a whole batch of entity representations', async () => {
    const token = await t.signIn({ subject: 'staff1', roles: ['staff'] });
    const statements = t.queryCounters.module.statements;
    const before = statements.length;
    const response = await t.graphql(
      `{ registrations(first: 50) { edges { node { id module { title credits } } } } }`,
      {},
      token,
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const modules = new Set(
      response.data!['registrations'].edges.map((edge: any) => edge.node.module.title),
    );
    assert.equal(response.data!['registrations'].edges.length, 50);
    assert.ok(modules.size > 1, 'the page should span several modules');
    // The Module service's outbox relay polls meanwhile; count only reads of the catalogue.
    const reads = statements.slice(before).filter((sql) => sql.includes('FROM "modules"'));
    assert.equal(reads.length, 1);
  });

  test('a catalogue page takes one SQL query in the subgraph that adds waitlist lengths', async () => {
    const statements = t.queryCounters.registration.statements;
    const before = statements.length;
    const response = await t.graphql(
      '{ modules(first: 40) { edges { node { code waitlistLength } } } }',
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(response.data!['modules'].edges.length, 40);
    // The saga's relay and deadline rounds query the same database meanwhile; count only reads
    // of registrations, which is what resolving the page needs.
    const reads = statements.slice(before).filter((sql) => sql.includes('FROM "registrations"'));
    assert.equal(reads.length, 1);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoRegistrations, demoStudents } from '@registrar/platform';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

describe('a subgraph that is down', () => {
  let t: TestSystem;
  let token: string;
  before(async () => {
    t = await startTestSystem();
    const student = demoStudents().find((s) =>
      demoRegistrations().some((r) => r.studentId === s.id),
    )!;
    token = await t.signIn({
      subject: student.studentNumber,
      roles: ['student'],
      studentId: student.id,
    });
    await t.system.subgraphs.payment.stop();
  });
  after(() => t.stop());

  test('fails only the fields it owns, with SERVICE_UNAVAILABLE naming the service', async () => {
    const response = await t.graphql(
      '{ me { studentNumber registrations { status module { title } payment { status } } } }',
      {},
      token,
    );
    assert.equal(response.status, 200);
    const me = response.data!['me'];
    assert.ok(me.studentNumber);
    assert.ok(me.registrations.length > 0);
    assert.ok(
      me.registrations.every(
        (r: any) => r.module.title && r.status === 'CONFIRMED' && r.payment === null,
      ),
    );
    const codes = new Set(response.errors?.map((error) => error.extensions?.['code']));
    assert.deepEqual([...codes], ['SERVICE_UNAVAILABLE']);
    assert.match(response.errors![0]!.message, /payment service is not answering/);
  });

  test('queries that do not touch it still succeed', async () => {
    const response = await t.graphql('{ modules(first: 2) { edges { node { code } } } }');
    assert.equal(response.errors, undefined);
    assert.equal(response.data!['modules'].edges.length, 2);
  });

  test('readiness reports the failing subgraph with 503 while liveness stays 200', async () => {
    const base = t.system.gateway.url.replace(/\/graphql$/, '');
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { checks: Record<string, string> };
    assert.equal(body.checks['subgraph:payment'], 'failing');
    assert.equal(body.checks['subgraph:module'], 'ok');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

/** Classic SQL injection payloads, quoting and comment tricks, and oversized or odd input. */
const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE modules; --",
  "COMP1001'; UPDATE modules SET capacity = 0; --",
  '" OR ""="',
  '1; DELETE FROM registrations',
  "') OR ('1'='1",
  '%_%',
  '\\',
  "admin'--",
  "' UNION SELECT email FROM students --",
  '$1',
  '\u0000',
  'é'.repeat(50),
];

/** Every string argument a client can reach, with how to send a payload through it. */
const QUERIES: Array<[string, string]> = [
  ['module(code)', 'query ($p: String!) { module(code: $p) { code } }'],
  [
    'modules(filter.search)',
    'query ($p: String) { modules(filter: { search: $p }) { totalCount } }',
  ],
  ['modules(filter.term)', 'query ($p: String) { modules(filter: { term: $p }) { totalCount } }'],
  [
    'modules(filter.department)',
    'query ($p: String) { modules(filter: { department: $p }) { totalCount } }',
  ],
  ['modules(after)', 'query ($p: String) { modules(after: $p) { totalCount } }'],
  ['registration(id)', 'query ($p: ID!) { registration(id: $p) { id } }'],
  ['student(id)', 'query ($p: ID!) { student(id: $p) { id } }'],
  ['studentByNumber', 'query ($p: String!) { studentByNumber(studentNumber: $p) { id } }'],
  ['students(search)', 'query ($p: String) { students(search: $p) { totalCount } }'],
  [
    'registerForModule(moduleCode)',
    'mutation ($p: String!) { registerForModule(moduleCode: $p) { id } }',
  ],
  ['dropModule(registrationId)', 'mutation ($p: ID!) { dropModule(registrationId: $p) { id } }'],
];

describe('SQL injection through every string argument', () => {
  let t: TestSystem;
  let staff: string;
  let student: string;
  const counts = async () =>
    Promise.all([
      t.system.subgraphs.module.dataSource.query(
        'SELECT count(*)::int AS n, sum(capacity)::int AS c FROM modules',
      ),
      t.system.subgraphs.student.dataSource.query('SELECT count(*)::int AS n FROM students'),
      t.system.subgraphs.registration.dataSource.query(
        `SELECT count(*)::int AS n FROM registrations WHERE status <> 'CANCELLED'`,
      ),
      t.system.subgraphs.payment.dataSource.query('SELECT count(*)::int AS n FROM payments'),
    ]);

  before(async () => {
    t = await startTestSystem({ REGISTRATIONS_PER_IP_PER_MINUTE: '1000' });
    staff = await t.signIn({ subject: 'staff1', roles: ['staff'] });
    student = (await t.login('s0160')).accessToken;
  });
  after(() => t.stop());

  test('a corpus of payloads through every string argument changes nothing and gets typed answers', async () => {
    const before = await counts();
    for (const [name, query] of QUERIES) {
      for (const payload of PAYLOADS) {
        const token =
          name.startsWith('registerForModule') || name.startsWith('dropModule') ? student : staff;
        const response = await t.graphql(query, { p: payload }, token);
        assert.ok(
          response.status < 500,
          `${name} with ${JSON.stringify(payload)} answered ${response.status}`,
        );
        for (const error of response.errors ?? []) {
          assert.ok(
            ['BAD_USER_INPUT', 'NOT_FOUND'].includes(String(error.extensions?.['code'])),
            `${name} with ${JSON.stringify(payload)}: ${JSON.stringify(error)}`,
          );
          assert.doesNotMatch(error.message, /syntax error|relation|column|SELECT|pg_/i);
        }
      }
    }
    assert.deepEqual(await counts(), before);
  });

  test('payloads in the login fields are refused like any wrong password', async () => {
    for (const payload of PAYLOADS.slice(0, 6)) {
      const response = await fetch(`${t.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: payload, password: payload, client: 'mobile' }),
      });
      assert.ok([400, 401].includes(response.status), `login answered ${response.status}`);
    }
  });
});

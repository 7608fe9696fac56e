import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postGraphQL, startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

describe('partner API keys', () => {
  let t: TestSystem;
  let admin: string;
  const issue = async (partner: string, token: string) =>
    fetch(`${t.baseUrl}/auth/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ partner }),
    });
  const asPartner = (apiKey: string, query: string) =>
    postGraphQL<any>(t.system.gateway.url, query, {}, undefined, { 'x-api-key': apiKey });

  before(async () => {
    t = await startTestSystem();
    admin = (await t.login('admin1')).accessToken;
  });
  after(() => t.stop());

  test('an administrator issues a key that is shown once; a partner reads the catalogue with it', async () => {
    const response = await issue('timetabling-co', admin);
    assert.equal(response.status, 201);
    const { apiKey } = (await response.json()) as { apiKey: string };
    assert.match(apiKey, /^rk_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    const catalogue = await asPartner(apiKey, '{ modules(first: 2) { edges { node { code } } } }');
    assert.equal(catalogue.errors, undefined);
    assert.equal(catalogue.data.modules.edges.length, 2);
  });

  test("a partner is refused students' records and registrations before any subgraph is asked", async () => {
    const { apiKey } = (await (await issue('finance-erp', admin)).json()) as { apiKey: string };
    for (const query of [
      '{ students { totalCount } }',
      '{ registrations { edges { node { id } } } }',
      '{ me { email } }',
    ]) {
      const response = await asPartner(apiKey, query);
      assert.equal(response.status, 403);
      assert.equal(response.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    }
  });

  test('a revoked or forged key is refused with 401', async () => {
    const { apiKey, keyId } = (await (await issue('legacy-erp', admin)).json()) as {
      apiKey: string;
      keyId: string;
    };
    const revoke = await fetch(`${t.baseUrl}/auth/api-keys/${keyId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(revoke.status, 204);
    const forged = `${apiKey.slice(0, -4)}AAAA`;
    for (const key of [apiKey, forged, 'rk_not-a-key']) {
      const response = await asPartner(key, '{ modules(first: 1) { totalCount } }');
      assert.equal(response.status, 401);
      assert.equal(response.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
    }
  });

  test('only administrators issue keys', async () => {
    const staff = (await t.login('staff1')).accessToken;
    assert.equal((await issue('sneaky', staff)).status, 403);
  });
});

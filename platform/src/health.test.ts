import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import express from 'express';
import { mountHealthRoutes } from './health.js';
import type { ReadinessCheck } from './health.js';

interface HealthResponse {
  status: number;
  body: any;
}

const passing = (name: string): ReadinessCheck => ({ name, check: async () => undefined });

async function withHealthServer<T>(
  checks: readonly ReadinessCheck[],
  use: (get: (path: string) => Promise<HealthResponse>) => Promise<T>,
): Promise<T> {
  const app = express();
  mountHealthRoutes(app, checks);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: await response.json() };
  };
  try {
    return await use(get);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('mountHealthRoutes', () => {
  test('/healthz answers 200 whatever the dependencies say', async () => {
    const failing = { name: 'postgres', check: () => Promise.reject(new Error('down')) };

    await withHealthServer([failing], async (get) => {
      const { status, body } = await get('/healthz');

      assert.equal(status, 200);
      assert.deepEqual(body, { status: 'ok' });
    });
  });

  test('/readyz answers 200 listing every check as ok when all of them pass', async () => {
    await withHealthServer([passing('postgres'), passing('store')], async (get) => {
      const { status, body } = await get('/readyz');

      assert.equal(status, 200);
      assert.deepEqual(body, { status: 'ready', checks: { postgres: 'ok', store: 'ok' } });
    });
  });

  test('/readyz answers 200 when the process has no dependencies to check', async () => {
    await withHealthServer([], async (get) => {
      assert.equal((await get('/readyz')).status, 200);
    });
  });

  test('/readyz answers 503 naming the check that rejects', async () => {
    const failing = { name: 'kafka', check: () => Promise.reject(new Error('broker down')) };

    await withHealthServer([passing('postgres'), failing], async (get) => {
      const { status, body } = await get('/readyz');

      assert.equal(status, 503);
      assert.deepEqual(body, { status: 'not ready', checks: { postgres: 'ok', kafka: 'failing' } });
    });
  });

  test('/readyz answers 503 naming a check that throws before returning a promise', async () => {
    const throwing: ReadinessCheck = {
      name: 'store',
      check: () => {
        throw new Error('not configured');
      },
    };

    await withHealthServer([throwing], async (get) => {
      const { status, body } = await get('/readyz');

      assert.equal(status, 503);
      assert.equal(body.checks.store, 'failing');
    });
  });

  test('/readyz answers 503 naming a check that never settles, once it times out', async () => {
    const hanging = { name: 'redis', check: () => new Promise<void>(() => undefined) };

    await withHealthServer([passing('postgres'), hanging], async (get) => {
      const { status, body } = await get('/readyz');

      assert.equal(status, 503);
      assert.deepEqual(body, { status: 'not ready', checks: { postgres: 'ok', redis: 'failing' } });
    });
  });
});

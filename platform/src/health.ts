import type { Express, Request, Response } from 'express';

/** One dependency that must answer for a process to be ready. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects otherwise. */
  check(): Promise<void>;
}

/** How long one readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Mounts `GET /healthz` (the process is alive) and `GET /readyz` (every dependency answers:
 * 200 with each check's state, or 503 naming the failing ones).
 */
export function mountHealthRoutes(app: Express, checks: readonly ReadinessCheck[]): void {
  app.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req: Request, res: Response) => {
    const results = await Promise.all(checks.map(runCheck));
    const ready = results.every((result) => result.ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : 'failing'])),
    });
  });
}

async function runCheck(check: ReadinessCheck): Promise<{ name: string; ok: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch {
    return { name: check.name, ok: false };
  } finally {
    clearTimeout(timer);
  }
}

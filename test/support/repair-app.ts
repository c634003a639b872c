import { workerFactories } from '../../workers/index.js';
import pino from 'pino';
import { startTestAquaflow, type TestAquaflow } from './aquaflow.js';

const silent = { knex: undefined as never, logger: pino({ level: 'silent' }) };

/** Aquaflow with the repair workers running in-process (the test app runs none by default) and no demo accounts. */
export function startRepairApp(opts: { buildWeb?: boolean } = {}): Promise<TestAquaflow> {
  return startTestAquaflow({
    demoAccounts: 0,
    workers: workerFactories.filter((f) => f(silent).jobType.startsWith('repair-')),
    ...opts,
  });
}

/** A multipart upload of files to an /api route as a signed-in user (cookie from `signIn`). */
export async function upload(
  url: string,
  cookie: string,
  files: Array<{ name: string; bytes: Uint8Array; type?: string }>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const f of files) form.append('photos', new Blob([f.bytes], { type: f.type ?? 'image/jpeg' }), f.name);
  const r = await fetch(url, { method: 'POST', headers: { Cookie: cookie, 'X-Aquaflow-Request': '1' }, body: form });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

import fs from 'node:fs';
import path from 'node:path';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { Logger } from 'pino';

/** Every .bpmn, .dmn and .form under `dir`, recursively, sorted by path (a folder's decisions deploy with its diagrams). */
export function processFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.bpmn') || f.endsWith('.dmn') || f.endsWith('.form'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** The files as deployment resources (forms as JSON, diagrams and decisions as XML). */
export function deploymentResources(files: string[]): File[] {
  return files.map(
    (f) =>
      new File([fs.readFileSync(f)], path.basename(f), {
        type: f.endsWith('.form') ? 'application/json' : 'application/xml',
      }),
  );
}

/**
 * Deploys the models of processes/ at start-up, one deployment per folder (a module's forms travel with its
 * diagrams). Unchanged files create no new version. A folder the engine rejects is logged with the engine's
 * problem and the others still deploy.
 */
export async function deployProcesses(client: CamundaClient, dir: string, logger: Logger): Promise<number> {
  const byFolder = new Map<string, string[]>();
  for (const file of processFiles(dir)) {
    const folder = path.dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  let deployed = 0;
  for (const [folder, files] of byFolder) {
    try {
      await client.createDeployment({ resources: deploymentResources(files) });
      deployed += files.length;
    } catch (err) {
      const e = err as { detail?: string; message?: string };
      logger.error(
        { folder: path.relative(dir, folder), problem: e.detail ?? e.message },
        'process deployment rejected',
      );
    }
  }
  return deployed;
}

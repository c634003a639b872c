import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { teardown } = await tsImport('./pg-lifecycle.ts', import.meta.url);
  await teardown();
}

// Jest loads global setup through CommonJS require, which cannot follow our ESM TypeScript imports;
// tsx loads the TypeScript side instead.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { setup } = await tsImport('./pg-lifecycle.ts', import.meta.url);
  await setup();
}

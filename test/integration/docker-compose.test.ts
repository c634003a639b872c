import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../../platform/config.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

// Docker does not run on the development machine: the recipe is checked for shape and consistency instead.
describe('docker-compose.yml (production recipe)', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
  const services = compose.services as Record<string, Record<string, unknown>>;
  const env = (name: string) => services[name].environment as Record<string, string>;

  test('has PostgreSQL, a Camunda 8.8 orchestration cluster with its secondary storage, Aquaflow and workers', () => {
    expect(Object.keys(services).sort()).toEqual(['aquaflow', 'camunda', 'elasticsearch', 'postgres', 'workers']);
    expect(services.camunda.image).toMatch(/^camunda\/camunda:8\.8\.\d+$/);
    expect(services.postgres.image).toMatch(/^postgres:15/);
    expect(env('camunda').CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL).toBe('http://elasticsearch:9200');
  });

  test('Aquaflow uses the cluster (embedded engine off) and the PostgreSQL service', () => {
    const aquaflow = env('aquaflow');
    expect(aquaflow.CAMUNDA_REST_ADDRESS).toBe('http://camunda:8080');
    expect(aquaflow.DATABASE_URL).toMatch(/^postgres:\/\/aquaflow:.*@postgres:5432\/aquaflow$/);
    expect(aquaflow.NODE_ENV).toBe('production');
    expect(aquaflow.CAMUNDA_AUTH_STRATEGY).toBe('BASIC');
    expect(aquaflow.CAMUNDA_BASIC_AUTH_USERNAME).toBe(env('camunda').CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME);
    expect(services.aquaflow.build).toBe('.');
    expect(services.aquaflow.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      camunda: { condition: 'service_healthy' },
    });
  });

  test('every variable given to Aquaflow is one it knows', () => {
    const known = Object.keys(configSchema.shape);
    for (const name of ['aquaflow', 'workers']) {
      for (const variable of Object.keys(env(name))) expect(known).toContain(variable);
    }
  });

  test('the workers share the server configuration and run the workers entry point', () => {
    expect(env('workers')).toEqual(env('aquaflow'));
    expect(services.workers.command).toEqual(['node', '--import', 'tsx', 'workers/main.ts']);
    expect(services.workers.image).toBe(services.aquaflow.image);
    expect(fs.existsSync(path.join(ROOT, 'workers', 'main.ts'))).toBe(true);
  });

  test('the Dockerfile builds the web app and starts the server with node directly', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm run build:web');
    expect(dockerfile).toMatch(/^CMD \["node", "--import", "tsx", "server\/main\.ts"\]$/m);
  });
});

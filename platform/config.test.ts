import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, configVariables, loadConfig } from './config.js';

describe('configuration', () => {
  test('defaults apply when nothing is set, and empty values count as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '  ' });
    expect(config.PORT).toBe(8080);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ENGINE_AUTH).toBe('basic');
    expect(config.NODE_ENV).toBe('development');
  });

  test('values are parsed to their types', () => {
    const config = loadConfig({ PORT: '9000', PG_PORT: '5444', CAMUNDA_REST_ADDRESS: 'http://camunda:8080' });
    expect(config.PORT).toBe(9000);
    expect(config.PG_PORT).toBe(5444);
    expect(config.CAMUNDA_REST_ADDRESS).toBe('http://camunda:8080');
  });

  test('boolean variables read true/false (and 1/0, yes/no), default false', () => {
    expect(loadConfig({}).ENGINE_CLOCK_CONTROLLED).toBe(false);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ENGINE_CLOCK_CONTROLLED: 'true' }).ENGINE_CLOCK_CONTROLLED).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'no' }).TRUST_PROXY).toBe(false);
  });

  test('ENGINE_MAX_STEPS_WITHOUT_WAIT is a positive integer, default 100000', () => {
    expect(loadConfig({}).ENGINE_MAX_STEPS_WITHOUT_WAIT).toBe(100000);
    expect(loadConfig({ ENGINE_MAX_STEPS_WITHOUT_WAIT: '500' }).ENGINE_MAX_STEPS_WITHOUT_WAIT).toBe(500);
  });

  test.each([
    ['ENGINE_CLOCK_CONTROLLED', 'maybe'],
    ['TRUST_PROXY', 'sometimes'],
    ['ENGINE_MAX_STEPS_WITHOUT_WAIT', '0'],
    ['ENGINE_MAX_STEPS_WITHOUT_WAIT', '1.5'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PG_PORT', '0'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'not a url'],
    ['ENGINE_AUTH', 'oauth'],
  ])('an invalid %s=%s is reported in one line naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(new RegExp(`^invalid configuration: ${name}: `));
      expect(message).not.toContain('\n');
    }
  });

  test('secrets are not echoed in the error', () => {
    expect(() => loadConfig({ INITIAL_ADMIN_PASSWORD: 'short' })).toThrow(
      /^invalid configuration: INITIAL_ADMIN_PASSWORD: [^"]*$/,
    );
  });

  test('external Camunda with BASIC auth needs its credentials', () => {
    expect(() => loadConfig({ CAMUNDA_REST_ADDRESS: 'http://c:8080', CAMUNDA_AUTH_STRATEGY: 'BASIC' })).toThrow(
      'invalid configuration: CAMUNDA_BASIC_AUTH_USERNAME is required when CAMUNDA_AUTH_STRATEGY=BASIC',
    );
  });

  test('every variable has a description', () => {
    for (const v of configVariables()) expect(v.description.length).toBeGreaterThan(10);
  });

  test("README's configuration table lists exactly the schema's variables with their defaults", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const rows = new Map<string, string>();
    const descriptions = new Map<string, string>();
    for (const match of readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\| ([^|]*)\| (.*?) *\|$/gm)) {
      rows.set(match[1], match[2].trim());
      descriptions.set(match[1], match[3]);
    }
    const variables = configVariables();
    expect([...rows.keys()].sort()).toEqual(variables.map((v) => v.name).sort());
    for (const v of variables) {
      expect(rows.get(v.name)).toBe(v.default === undefined ? '—' : `\`${v.default}\``);
      expect(descriptions.get(v.name)).toBe(v.description);
    }
  });
});

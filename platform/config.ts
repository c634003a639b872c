import { z } from 'zod';

/**
 * Every environment variable Aquaflow reads, with its default and a one-line description.
 * README's configuration table lists exactly these (checked by server/config.test.ts).
 */
const port = z.coerce.number().int().min(1).max(65535);
const url = z.url();
/** `true`/`false` (also 1/0, yes/no, on/off), as environment variables spell booleans. */
const flag = z.stringbool();

export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('`production` skips the demo users; `development` and `test` seed them on a new database.'),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe('HTTP port for the web app, /api and /v2 (0 picks a free port).'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface the HTTP server binds to.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level; logs are JSON lines on stdout (a line per HTTP request only at `debug`).'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe(
      'Data folder: the embedded PostgreSQL (`DATA_DIR/pg`, unused with `DATABASE_URL`), the local e-invoices (`DATA_DIR/einvoices`) and documents.',
    ),
  DATABASE_URL: url
    .optional()
    .describe('PostgreSQL to use instead of the embedded one, e.g. `postgres://user:pass@host:5432/aquaflow`.'),
  PG_PORT: port.optional().describe('Port of the embedded PostgreSQL; a free port is chosen when unset.'),
  CAMUNDA_REST_ADDRESS: url
    .optional()
    .describe('Camunda 8.8 REST address (e.g. `http://camunda:8080`); when set the embedded engine is not started.'),
  CAMUNDA_AUTH_STRATEGY: z
    .enum(['NONE', 'BASIC', 'OAUTH'])
    .default('NONE')
    .describe('How workers authenticate to the external Camunda cluster.'),
  CAMUNDA_BASIC_AUTH_USERNAME: z.string().optional().describe('User name for `CAMUNDA_AUTH_STRATEGY=BASIC`.'),
  CAMUNDA_BASIC_AUTH_PASSWORD: z.string().optional().describe('Password for `CAMUNDA_AUTH_STRATEGY=BASIC`.'),
  CAMUNDA_CLIENT_ID: z.string().optional().describe('OAuth client id for `CAMUNDA_AUTH_STRATEGY=OAUTH`.'),
  CAMUNDA_CLIENT_SECRET: z.string().optional().describe('OAuth client secret for `CAMUNDA_AUTH_STRATEGY=OAUTH`.'),
  CAMUNDA_OAUTH_URL: url.optional().describe('OAuth token endpoint for `CAMUNDA_AUTH_STRATEGY=OAUTH`.'),
  ENGINE_AUTH: z
    .enum(['basic', 'none'])
    .default('basic')
    .describe("Authentication of the embedded engine's /v2 API: HTTP Basic against Aquaflow's users, or none."),
  ENGINE_CLOCK_CONTROLLED: flag
    .default(false)
    .describe(
      "Lets PUT /v2/clock and POST /v2/clock/reset move the embedded engine's clock (Camunda's ZEEBE_CLOCK_CONTROLLED); for tests only.",
    ),
  ENGINE_MAX_STEPS_WITHOUT_WAIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(100000)
    .describe(
      'Steps an instance may take without reaching a wait state before the engine stops it with an incident (runaway loop guard).',
    ),
  DOCUMENT_STORE_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Folder of the /v2/documents store (Camunda's local storage document store); `DATA_DIR/documents` when unset.",
    ),
  DOCUMENT_STORE_S3_BUCKET: z
    .string()
    .min(1)
    .optional()
    .describe(
      "S3 bucket for /v2/documents (Camunda's AWS store, id `aws`) instead of the folder; credentials: AWS SDK chain (`AWS_ACCESS_KEY_ID`, ...).",
    ),
  DOCUMENT_STORE_S3_PREFIX: z
    .string()
    .optional()
    .describe("Key prefix of the documents in the S3 bucket (Camunda's bucket path), e.g. `documents/`."),
  DOCUMENT_STORE_S3_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe('Endpoint of an S3-compatible server (e.g. MinIO), addressed path-style; AWS S3 when unset.'),
  DOCUMENT_STORE_S3_REGION: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Region of the S3 bucket; the AWS SDK's default (`AWS_REGION`) when unset, `us-east-1` with a custom endpoint.",
    ),
  DOCUMENT_MAX_SIZE_MB: z.coerce
    .number()
    .positive()
    .max(1024)
    .default(10)
    .describe(
      "Largest document upload, in MiB: through /v2/documents (refused with 413) and a case's files (422 naming `file`).",
    ),
  DOCUMENT_SCAN_COMMAND: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      "Virus scanner for a case's uploaded files, reading the file on stdin (ClamAV's exit codes: 0 clean, 1 found), e.g. `clamdscan --no-summary -`; unset: not scanned.",
    ),
  TRUST_PROXY: flag
    .default(false)
    .describe(
      'Trust `X-Forwarded-Proto`/`-For`/`-Host` from a reverse proxy (TLS-terminating), so sign-in cookies get `Secure` behind HTTPS.',
    ),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12).describe('How long a browser sign-in stays valid.'),
  INITIAL_ADMIN_PASSWORD: z
    .string()
    .min(8)
    .optional()
    .describe(
      'If set and the database has no users yet, creates user `admin` with this password (production bootstrap).',
    ),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError whose message is one line naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    // An empty value (`PORT=` in a shell or compose file) means "unset", so the default applies.
    if (value !== undefined && value.trim() !== '') known[key] = value.trim();
  }
  const parsed = configSchema.safeParse(known);
  if (parsed.success) {
    checkCombinations(parsed.data);
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  const name = String(issue.path[0]);
  const shown = name.includes('PASSWORD') || name.includes('SECRET') ? '' : ` (got ${JSON.stringify(known[name])})`;
  throw new ConfigError(`invalid configuration: ${name}: ${issue.message}${shown}`);
}

function checkCombinations(config: Config): void {
  const need = (name: keyof Config, when: string) => {
    if (!config[name]) throw new ConfigError(`invalid configuration: ${name} is required when ${when}`);
  };
  if (config.CAMUNDA_REST_ADDRESS && config.CAMUNDA_AUTH_STRATEGY === 'BASIC') {
    need('CAMUNDA_BASIC_AUTH_USERNAME', 'CAMUNDA_AUTH_STRATEGY=BASIC');
    need('CAMUNDA_BASIC_AUTH_PASSWORD', 'CAMUNDA_AUTH_STRATEGY=BASIC');
  }
  if (config.CAMUNDA_REST_ADDRESS && config.CAMUNDA_AUTH_STRATEGY === 'OAUTH') {
    need('CAMUNDA_CLIENT_ID', 'CAMUNDA_AUTH_STRATEGY=OAUTH');
    need('CAMUNDA_CLIENT_SECRET', 'CAMUNDA_AUTH_STRATEGY=OAUTH');
    need('CAMUNDA_OAUTH_URL', 'CAMUNDA_AUTH_STRATEGY=OAUTH');
  }
}

export interface ConfigVariable {
  name: string;
  default: string | undefined;
  description: string;
}

/** The schema as documentation rows (README table, `--help`). */
export function configVariables(): ConfigVariable[] {
  return Object.entries(configSchema.shape).map(([name, schema]) => {
    const fallback = (schema as z.ZodType).safeParse(undefined);
    return {
      name,
      default: fallback.success && fallback.data !== undefined ? String(fallback.data) : undefined,
      description: schema.description ?? '',
    };
  });
}

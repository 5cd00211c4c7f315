import envSchema from 'env-schema';
import { Type, type Static } from '@sinclair/typebox';
import { parseIsoDuration } from '../workflows/iso-duration';

/**
 * One configuration schema for every process (API, worker, launcher, CLI), validated at boot.
 * Unset TEMPORAL_ADDRESS / DATABASE_URL mean "start the embedded servers" (see launcher/).
 */
const ConfigSchema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  DATA_DIR: Type.String({ default: '.data', minLength: 1 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  TEMPORAL_ADDRESS: Type.Optional(Type.String({ minLength: 1 })),
  TEMPORAL_NAMESPACE: Type.String({ default: 'default', minLength: 1 }),
  TEMPORAL_TASK_QUEUE: Type.String({ default: 'capacity-requests', minLength: 1 }),
  TEMPORAL_PORT: Type.Integer({ default: 7233, minimum: 1, maximum: 65535 }),
  TEMPORAL_UI_PORT: Type.Integer({ default: 8233, minimum: 1, maximum: 65535 }),
  TEMPORAL_CLI: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  EMBEDDED_POSTGRES_PORT: Type.Integer({ default: 54329, minimum: 1, maximum: 65535 }),
  REVIEW_PERIOD: Type.String({ default: 'P14D', pattern: '^P' }),
  WORKFLOW_BUNDLE_PATH: Type.Optional(Type.String({ minLength: 1 })),
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  // Fail at boot, not when the first request reaches review.
  try {
    parseIsoDuration(config.REVIEW_PERIOD);
  } catch (error) {
    throw new Error(`REVIEW_PERIOD: ${(error as Error).message}`);
  }
  return config;
}

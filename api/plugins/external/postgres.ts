import fp from 'fastify-plugin';
import { connectDatabase, migrateDatabase, type Database } from '../../../db/client';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

export interface PostgresPluginOptions {
  databaseUrl: string;
  /** Apply the committed migrations before serving (on by default: the API may be the first process up). */
  migrate?: boolean;
}

export default fp<PostgresPluginOptions>(
  async (fastify, options) => {
    const handle = connectDatabase(options.databaseUrl);
    if (options.migrate !== false) await migrateDatabase(handle.pool);
    fastify.decorate('db', handle.db);
    fastify.addHook('onClose', async () => handle.close());
  },
  { name: 'postgres' },
);

import fp from 'fastify-plugin';
import { connectDatabase, migrateDatabase, type Database } from '../../../db/client';
import { reportUnreadableRowsTo } from '../../../db/readable-rows';

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
    reportUnreadableRowsTo((row) => fastify.log.warn(row, 'a stored row cannot be shown and was left out of the answer'));
    fastify.decorate('db', handle.db);
    fastify.addHook('onClose', async () => handle.close());
  },
  { name: 'postgres' },
);

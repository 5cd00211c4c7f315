import fp from 'fastify-plugin';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';

declare module 'fastify' {
  interface FastifyInstance {
    temporal: Client;
    temporalConnection: Connection;
  }
}

export interface TemporalPluginOptions {
  address: string;
  namespace: string;
  dataConverter: DataConverter;
}

export default fp<TemporalPluginOptions>(
  async (fastify, options) => {
    // Lazy: the API starts, and /health says so, even while Temporal is still coming up or restarting.
    const connection = Connection.lazy({ address: options.address });
    fastify.decorate('temporalConnection', connection);
    fastify.decorate('temporal', new Client({ connection, namespace: options.namespace, dataConverter: options.dataConverter }));
    fastify.addHook('onClose', async () => connection.close());
  },
  { name: 'temporal' },
);

import fp from 'fastify-plugin';
import type { RequestPolicy } from '../../../workflows/request-contract';
import { RequestWorkflows } from '../../request-workflows';

declare module 'fastify' {
  interface FastifyInstance {
    requestWorkflows: RequestWorkflows;
  }
}

export interface RequestWorkflowsPluginOptions {
  taskQueue: string;
  policy: RequestPolicy;
}

export default fp<RequestWorkflowsPluginOptions>(
  async (fastify, options) => {
    fastify.decorate('requestWorkflows', new RequestWorkflows(fastify.temporal, options.taskQueue, options.policy));
  },
  { name: 'request-workflows', dependencies: ['temporal'] },
);

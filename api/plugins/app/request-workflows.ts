import fp from 'fastify-plugin';
import type { ActivityRetry, RequestPolicy } from '../../../workflows/request-contract';
import { RequestWorkflows } from '../../request-workflows';

declare module 'fastify' {
  interface FastifyInstance {
    requestWorkflows: RequestWorkflows;
  }
}

export interface RequestWorkflowsPluginOptions {
  taskQueue: string;
  policy: RequestPolicy;
  activityRetry?: ActivityRetry;
}

export default fp<RequestWorkflowsPluginOptions>(
  async (fastify, options) => {
    fastify.decorate('requestWorkflows', new RequestWorkflows(fastify.temporal, options.taskQueue, options.policy, options.activityRetry));
  },
  { name: 'request-workflows', dependencies: ['temporal'] },
);

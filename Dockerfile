# One image for both application processes: the HTTP API (default command) and the Temporal worker
# (`npm run worker`). See docker-compose.yml for how they are run.
FROM node:20-bookworm-slim

# Also makes libraries (Fastify, pino, ...) take their production paths.
ENV NODE_ENV=production
WORKDIR /app

# Dependencies in their own layer, so that a source change does not reinstall them.
# devDependencies are left out: the app runs TypeScript through tsx, which is a runtime dependency.
# Node 20 ships npm 10, which ignores package.json's `allowScripts` (an npm 11 setting) and runs every
# install script; the native packages (esbuild, @swc/core, protobufjs) need theirs anyway.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
# Bundle the workflow code once at build time; the worker loads dist/workflow-bundle.js when
# WORKFLOW_BUNDLE_PATH is set instead of running webpack at every start.
RUN npm run build:workflow-bundle

# Files above belong to root, so the app cannot modify its own code or dependencies.
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]

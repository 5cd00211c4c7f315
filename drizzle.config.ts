import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` turns changes in db/schema.ts into a committed SQL migration under db/migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});

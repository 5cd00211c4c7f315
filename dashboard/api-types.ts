import type { Static } from '@sinclair/typebox';
import type { RequestEvent as RequestEventSchema, RequestListItem as RequestListItemSchema, RequestView as RequestViewSchema } from '../api/schemas/request-schemas';

/**
 * The API's answers as the page reads them, straight from the schemas the API validates and serializes with: a
 * field renamed there is a type error in the page's modules (`npm run typecheck`), not a blank on someone's screen.
 * Types only; the page never loads this file.
 */
export type RequestView = Static<typeof RequestViewSchema>;
export type RequestEvent = Static<typeof RequestEventSchema>;
export type RequestListItem = Static<typeof RequestListItemSchema>;
export type Page<Item> = { items: Item[]; nextCursor?: string | null };

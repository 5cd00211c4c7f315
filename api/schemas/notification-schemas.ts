import { Type } from '@sinclair/typebox';
import { UserInputError } from '../../db/users-repository';
import { validateEmail } from '../../db/notifications-repository';
import { ApiError } from '../api-error';
import { Nullable, Timestamp, Uuid } from './common';
import { RoleSchema } from './request-schemas';

/** The shapes of the e-mail routes: a person's own (routes/notifications.ts) and the administrators' (routes/admin-notifications.ts). */

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'retrying', 'dead', 'cancelled'] as const;
export const NotificationStatus = Type.Union(NOTIFICATION_STATUSES.map((status) => Type.Literal(status)), {
  description: 'pending: queued; retrying: an attempt failed, another follows; sent; dead: refused or out of attempts; cancelled: the address was removed',
});
export const Notification = Type.Object({
  notificationId: Uuid,
  requestId: Nullable(Uuid, { description: 'The request it is about; null for an address confirmation' }),
  seq: Nullable(Type.Integer(), { description: 'The event of the request that caused it; null for an address confirmation' }),
  recipient: Type.String(),
  reason: Type.Union(
    [Type.Literal('your_turn'), Type.Literal('reminder'), Type.Literal('news'), Type.Literal('email_confirmation'), Type.Literal('invitation'), Type.Literal('sign_in')],
    {
      description:
        'email_confirmation: the code that confirms an address a person gave themselves; invitation: an administrator’s invitation with its link; sign_in: a sign-in link and code. The text of these three is withheld here: it holds a secret only its mailbox may know',
    },
  ),
  subject: Type.String(),
  status: NotificationStatus,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  sentTo: Nullable(Type.String({ description: 'The address it went to' })),
  sentAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export const NotificationWithBody = Type.Composite([Notification, Type.Object({ body: Type.String() })]);
export const Page = Type.Object({
  items: Type.Array(Notification),
  nextBefore: Nullable(Type.String({ description: 'Pass as `before` for the next page; null on the last one' })),
});
export const EmailBody = Type.Object(
  { email: Nullable(Type.String({ maxLength: 254, description: 'One address; null removes it (no more e-mails)' })) },
  { additionalProperties: false },
);
export const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('fr')], {
  description: 'The one language of your e-mails: en (English) or fr (French); null: English, then French',
});
export const LanguageBody = Type.Object({ language: Nullable(LanguageSchema) }, { additionalProperties: false });
export const PendingEmail = Type.Object(
  {
    address: Type.String(),
    expiresAt: Timestamp,
  },
  { description: 'An address you gave that waits for its code (sent to it); notifications go to `email` until then' },
);
export const Me = Type.Object({
  userId: Uuid,
  name: Type.String(),
  role: RoleSchema,
  country: Nullable(Type.String()),
  email: Nullable(Type.String(), { description: 'Where notifications go now; null: nowhere' }),
  pendingEmail: Nullable(PendingEmail),
  language: Nullable(LanguageSchema),
  emailEnabled: Type.Boolean({ description: 'Whether this server sends e-mail at all (an administrator sets SMTP_URL)' }),
});
export const ConfirmationBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$', description: 'The six digits of the e-mail sent to the new address' }) },
  { additionalProperties: false },
);
export const DEFAULT_PAGE = 50;
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: DEFAULT_PAGE })),
  before: Type.Optional(Type.String({ format: 'uuid', description: 'The notificationId of the last row of the previous page' })),
};

export const page = <T extends { notificationId: string }>(items: T[], limit: number) => ({
  items,
  nextBefore: items.length === limit ? items.at(-1)!.notificationId : null,
});

/** An address as given, checked; a bad one is the caller's 400. */
export const addressOrError = (email: string | null): string | null => {
  try {
    return validateEmail(email);
  } catch (error) {
    if (error instanceof UserInputError) throw new ApiError(400, 'invalid_body', { key: 'error.fieldProblem', values: { field: 'body.email', problem: error.localized } }, { field: 'body.email' });
    throw error;
  }
};

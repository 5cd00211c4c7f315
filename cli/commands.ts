import type { Database } from '../db/client';
import { handOverChair, listChairTerms } from '../db/chair-terms-repository';
import { setUserEmail, validateEmail } from '../db/notifications-repository';
import { issueToken, listTokens, listUsers, revokeToken, UserInputError, validateNewUser } from '../db/users-repository';
import { newKeyFile } from '../codec/keyring';
import type { MailContext } from '../activities/notifications/mail-context';
import { invitationMessage } from '../activities/notifications/sign-in-messages';
import { EmailInUse, invitePerson } from '../db/sign-in-repository';
import { isLanguage, LANGUAGES } from '../i18n/languages';
import { parseIsoDuration } from '../workflows/iso-duration';

/** The commands of `npm run cli`, each given the database (unless it needs none) and where to write. */

export const USAGE = `Usage:
  npm run cli -- user list
      One user a line: name, role, country (or -), e-mail address (or -).
  npm run cli -- user email --name <name> --email <address | none>
      Sets where the user's notifications go; none removes the address (no more e-mails).
  npm run cli -- user invite --name <name> --email <address> --role <role> [--country <ISO2>] [--language en|fr]
      Creates the person and e-mails them an invitation whose single-use link (72 hours) signs them in to the
      dashboard; afterwards they sign in with their address. Needs e-mail (SMTP_URL); sent by the worker.
  npm run cli -- token create --name <name> --role <role> [--country <ISO2>] [--expires <date | ISO duration>] [--label <text>]
      Creates the user if new (partner and sc_member need --country: a member's code, as GET /countries lists them),
      issues a token and prints only the token.
      --expires takes a date (2027-06-30) or a duration from now (P90D).
  npm run cli -- token list [--name <name>]
      One token a line: id, user, status, expiry, last use. Secrets are never shown again.
  npm run cli -- token revoke <token id>
  npm run cli -- chair handover --name <chair user> --until <date> [--from <date>]
      Hands the Chair's office over; the running term ends when the new one starts (default: now).
  npm run cli -- chair list
  npm run cli -- key generate
      Prints a new payload encryption key as <id>:<base64>, for PAYLOAD_KEYS (put it first; keep the old ones).
Roles: partner, secretariat, sc_member, chair, monitor, admin.`;

const ACTOR = 'cli';

function parseMoment(text: string, option: string): Date {
  if (text.startsWith('P')) {
    try {
      return new Date(Date.now() + parseIsoDuration(text));
    } catch (error) {
      throw new UserInputError(`${option}: ${(error as Error).message}`);
    }
  }
  const moment = new Date(text);
  if (Number.isNaN(moment.getTime())) throw new UserInputError(`${option} must be a date such as 2027-06-30 or a duration such as P90D (got '${text}')`);
  return moment;
}

function required(value: string | undefined, option: string): string {
  if (!value) throw new UserInputError(`${option} is required`);
  return value;
}

/** Where a command writes: `out` what scripts may capture (a token, a list), `err` what is said to the person. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** `mail`: the dialogue and PUBLIC_URL, for the e-mails a command queues (an invitation's link); null without SMTP_URL. */
type Command = (db: Database, args: { values: Record<string, string | undefined>; rest: string[]; mail: MailContext | null }, io: CliOutput) => Promise<void>;

/** Commands that need no database. */
export const OFFLINE_COMMANDS: Record<string, (io: CliOutput) => void> = {
  'key generate': (io) => {
    const { currentKeyId, keys } = newKeyFile();
    io.out(`${currentKeyId}:${keys[currentKeyId]}`);
  },
};

export const COMMANDS: Record<string, Command> = {
  'user list': async (db, _args, io) => {
    for (const user of await listUsers(db)) io.out(`${user.name}\t${user.role}\t${user.country ?? '-'}\t${user.email ?? '-'}`);
  },
  'user email': async (db, { values }, io) => {
    const name = required(values.name, '--name');
    const given = required(values.email, '--email');
    const email = validateEmail(given === 'none' ? null : given);
    const user = (await listUsers(db)).find((u) => u.name === name);
    if (!user) throw new UserInputError(`no user named '${name}' (see npm run cli -- user list)`);
    await setUserEmail(db, user.userId, email, ACTOR);
    io.out(email ? `Notifications for '${name}' go to ${email}.` : `'${name}' gets no more e-mails.`);
  },
  'user invite': async (db, { values, mail }, io) => {
    if (mail === null) throw new UserInputError('inviting sends an e-mail: set SMTP_URL (the embedded default of npm start writes them to DATA_DIR/mail)');
    const person = validateNewUser({ name: values.name ?? '', role: values.role ?? '', country: values.country ?? null });
    const email = validateEmail(required(values.email, '--email'))!;
    const language = values.language ?? null;
    if (language !== null && !isLanguage(language)) throw new UserInputError(`--language must be one of ${LANGUAGES.join(', ')} (got '${language}')`);
    try {
      const invited = await invitePerson(db, { ...person, email, language }, ACTOR, (secret) => invitationMessage({ ...secret, invitedBy: null, context: mail }));
      if (!invited) throw new UserInputError(`a user named '${person.name}' exists already (see npm run cli -- user list)`);
      io.out(`Invited ${person.role} '${person.name}' (${email}); the invitation's link works until ${invited.expiresAt}.`);
    } catch (error) {
      if (error instanceof EmailInUse) throw new UserInputError(`${email} is already the address of '${error.holder}'`);
      throw error;
    }
  },
  'token create': async (db, { values }, io) => {
    // Another token for someone who exists needs only their name: their role and country are already on record.
    const existing = values.name ? (await listUsers(db)).find((u) => u.name === values.name) : undefined;
    const user = validateNewUser({
      name: values.name ?? '',
      role: values.role ?? existing?.role ?? '',
      country: values.country ?? (values.role === undefined || values.role === existing?.role ? existing?.country : null) ?? null,
    });
    const expiresAt = values.expires ? parseMoment(values.expires, '--expires') : null;
    if (expiresAt && expiresAt <= new Date()) throw new UserInputError('--expires must be in the future');
    const issued = await issueToken(db, user, { expiresAt: expiresAt?.toISOString() ?? null, label: values.label ?? null, issuedBy: ACTOR });
    // Only the token on stdout, so that scripts can capture it: TOKEN=$(npm run -s cli -- token create …)
    io.err(issued.created ? `Created ${user.role} '${user.name}'.` : `Issued another token for '${user.name}'.`);
    io.out(issued.token);
  },
  'token list': async (db, { values }, io) => {
    const now = new Date().toISOString();
    for (const token of await listTokens(db, { userName: values.name })) {
      const status = token.revokedAt ? 'revoked' : token.expiresAt && token.expiresAt <= now ? 'expired' : 'active';
      io.out([token.tokenId, token.user, status, token.expiresAt ?? 'no-expiry', token.lastUsedAt ?? 'never-used'].join('\t'));
    }
  },
  'token revoke': async (db, { rest }, io) => {
    const tokenId = required(rest[0], 'the token id');
    if (!/^[0-9a-f-]{36}$/i.test(tokenId)) throw new UserInputError(`'${tokenId}' is not a token id (see npm run cli -- token list)`);
    const revoked = await revokeToken(db, tokenId, ACTOR);
    if (!revoked) throw new UserInputError(`no token with id ${tokenId}`);
    io.out(`Token ${tokenId} revoked at ${revoked.revokedAt}.`);
  },
  'chair handover': async (db, { values }, io) => {
    const term = await handOverChair(db, {
      holder: required(values.name, '--name'),
      startsAt: values.from ? parseMoment(values.from, '--from') : new Date(),
      endsAt: parseMoment(required(values.until, '--until'), '--until'),
      by: ACTOR,
    });
    const ended = term.endedTerms.length > 0 ? ` (ends the term of ${term.endedTerms.join(', ')})` : '';
    io.out(`${term.holder} holds the Chair's office from ${term.startsAt} until ${term.endsAt}${ended}.`);
  },
  'chair list': async (db, _args, io) => {
    for (const term of await listChairTerms(db)) io.out(`${term.holder}\t${term.startsAt}\t${term.endsAt}\t${term.assignedBy}`);
  },
};


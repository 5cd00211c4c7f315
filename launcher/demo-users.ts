import { writeFile } from 'node:fs/promises';
import type { Database } from '../db/client';
import { handOverChair } from '../db/chair-terms-repository';
import { hasAnyUser, issueToken, type NewUser } from '../db/users-repository';
import { setUserEmail } from '../db/notifications-repository';

/** One user per role, so that a new user can walk a request through its whole life at once. */
export const DEMO_USERS: NewUser[] = [
  { name: 'demo-partner-sn', role: 'partner', country: 'SN' },
  { name: 'demo-secretariat', role: 'secretariat', country: null },
  { name: 'demo-sc-member-es', role: 'sc_member', country: 'ES' },
  { name: 'demo-chair', role: 'chair', country: null },
  { name: 'demo-monitor', role: 'monitor', country: null },
  { name: 'demo-admin', role: 'admin', country: null },
];

/**
 * The address a demo person signs in to the dashboard with (README, "Signing in"). `.test` is reserved (RFC 2606):
 * no such mailbox exists anywhere; the embedded default writes its e-mails to files instead.
 */
export const demoAddress = (name: string) => `${name}@demo.rabat.test`;

/**
 * Creates the demo users on a database that has no users yet, and gives the demo chair the Chair's office for
 * a year; returns their tokens (shown once, stored hashed).
 */
export async function seedDemoUsers(db: Database): Promise<Array<NewUser & { token: string }> | null> {
  if (await hasAnyUser(db)) return null;
  const seeded = [];
  for (const user of DEMO_USERS) {
    const { token, userId } = await issueToken(db, user, { issuedBy: 'demo-setup' });
    await setUserEmail(db, userId, demoAddress(user.name), 'demo-setup');
    seeded.push({ ...user, token });
  }
  const now = new Date();
  await handOverChair(db, { holder: 'demo-chair', startsAt: now, endsAt: new Date(now.getTime() + 365 * 86_400_000), by: 'demo-setup' });
  return seeded;
}

/**
 * The demo people's sign-in details, written once under DATA_DIR (readable by this user only), so that they do not
 * depend on the console they were first printed to.
 */
export async function writeDemoSignIns(file: string, users: Array<NewUser & { token: string }>, apiUrl: string, mailDirectory: string | null): Promise<void> {
  const lines = [
    'Demo people of this npm start (their tokens are stored hashed: this file is the only copy).',
    `Sign in to ${apiUrl}/dashboard with a person's address below: the sign-in e-mail${mailDirectory ? ` is written to ${mailDirectory} (open the newest .eml file)` : ' goes through SMTP_URL'}.`,
    'Scripts call the API with "Authorization: Bearer <token>".',
    '',
    ...users.map((user) => `${user.role.padEnd(12)} ${user.name.padEnd(20)} ${(user.country ?? '-').padEnd(3)} ${demoAddress(user.name).padEnd(36)} ${user.token}`),
    '',
  ];
  await writeFile(file, lines.join('\n'), { mode: 0o600 });
}

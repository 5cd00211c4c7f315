import type { Keyring } from '../codec/keyring';
import { dialogueFrom, emailLinkBase, hardeningFrom, policyFrom, strongSignInRolesFrom, webhookRetryFrom, type Config } from '../config/env';
import type { AppOptions } from './app';
import { parseSingleSignOnProviders } from '../config/single-sign-on';

/** The API's options from the configuration and the servers it talks to (embedded or external). */
export function appOptionsFromConfig(
  config: Config,
  servers: { databaseUrl: string; temporalAddress: string; keyring: Keyring },
): AppOptions {
  return {
    ...servers,
    temporalNamespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    policy: policyFrom(config),
    meetingReminderLead: config.MEETING_REMINDER_LEAD,
    webhookRetry: webhookRetryFrom(config),
    hardening: hardeningFrom(config),
    documentMaxBytes: config.DOCUMENT_MAX_BYTES,
    sendsEmail: config.SMTP_URL !== undefined,
    publicUrl: config.PUBLIC_URL ?? null,
    emailLinkBase: emailLinkBase(config),
    dialogue: dialogueFrom(config),
    dateHorizon: config.DATE_HORIZON,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    singleSignOn: parseSingleSignOnProviders(config.OIDC_PROVIDERS),
    strongSignInRoles: strongSignInRolesFrom(config),
    logger: { level: config.LOG_LEVEL },
  };
}

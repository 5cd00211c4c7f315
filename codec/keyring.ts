import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';

/**
 * Payload encryption keys: a current key that encrypts, and older ones kept so that old histories still
 * decrypt. Configured as PAYLOAD_KEYS="2026a:<base64 32 bytes>,2025b:<…>" (the first is current unless
 * PAYLOAD_KEY_ID names another), or as a JSON key file (PAYLOAD_KEY_FILE) {"currentKeyId", "keys": {id: base64}}.
 * Rotation: add a new key in front, keep the old ones for as long as histories that use them exist.
 */
export interface Keyring {
  currentKeyId: string;
  keys: Map<string, Buffer>;
}

export class KeyringError extends Error {}

function toKey(id: string, base64: string): [string, Buffer] {
  if (!/^[\w.-]{1,64}$/.test(id)) throw new KeyringError(`payload key ID '${id}' must be 1–64 letters, digits, '.', '_' or '-'`);
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new KeyringError(`payload key '${id}' must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return [id, key];
}

export function keyringFromList(list: string, currentKeyId?: string): Keyring {
  const entries = list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const separator = item.indexOf(':');
      if (separator < 1) throw new KeyringError(`PAYLOAD_KEYS entries are <id>:<base64 key>, separated by commas (got '${item.slice(0, 12)}…')`);
      return toKey(item.slice(0, separator), item.slice(separator + 1));
    });
  if (entries.length === 0) throw new KeyringError('PAYLOAD_KEYS holds no key');
  const keys = new Map(entries);
  const current = currentKeyId ?? entries[0]![0];
  if (!keys.has(current)) throw new KeyringError(`PAYLOAD_KEY_ID '${current}' is not among the PAYLOAD_KEYS`);
  return { currentKeyId: current, keys };
}

export async function keyringFromFile(path: string): Promise<Keyring> {
  let parsed: { currentKeyId?: unknown; keys?: unknown };
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new KeyringError(`cannot read the payload key file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed.currentKeyId !== 'string' || !parsed.keys || typeof parsed.keys !== 'object') {
    throw new KeyringError(`${path} must hold {"currentKeyId": "...", "keys": {"<id>": "<base64 32 bytes>"}}`);
  }
  const list = Object.entries(parsed.keys as Record<string, string>).map(([id, key]) => `${id}:${key}`).join(',');
  return keyringFromList(list, parsed.currentKeyId);
}

export function newKeyFile(keyId = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`) {
  return { currentKeyId: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } };
}

/** For the embedded default: a key file under DATA_DIR, made on first start and readable only by its owner. */
export async function ensureKeyFile(path: string): Promise<Keyring> {
  if (!existsSync(path)) {
    await writeFile(path, JSON.stringify(newKeyFile(), null, 2), { mode: 0o600 });
    await chmod(path, 0o600);
  }
  return keyringFromFile(path);
}

export async function keyringFromConfig(config: { PAYLOAD_KEYS?: string; PAYLOAD_KEY_ID?: string; PAYLOAD_KEY_FILE?: string }): Promise<Keyring | null> {
  if (config.PAYLOAD_KEYS) return keyringFromList(config.PAYLOAD_KEYS, config.PAYLOAD_KEY_ID);
  if (config.PAYLOAD_KEY_FILE) return keyringFromFile(config.PAYLOAD_KEY_FILE);
  return null;
}

/** For `npm run api` / `npm run worker`: the configured keyring, or a one-line explanation and exit code 2. */
export async function loadKeyringOrExit(config: Parameters<typeof keyringFromConfig>[0]): Promise<Keyring> {
  try {
    const keyring = await keyringFromConfig(config);
    if (keyring) return keyring;
    throw new KeyringError(
      'Temporal payloads are encrypted: set PAYLOAD_KEYS (make a key with `npm run cli -- key generate`) or PAYLOAD_KEY_FILE. ' +
        'The API and the worker must use the same keys.',
    );
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    console.error(`Invalid configuration: ${error.message}`);
    process.exit(2);
  }
}

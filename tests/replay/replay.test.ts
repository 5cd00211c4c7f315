import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encryptingDataConverter } from '../../codec/data-converter';
import { keyringFromFile } from '../../codec/keyring';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { TEST_KEY_FILE } from '../support/test-system';

/**
 * Requests live for years: every history committed under tests/replay/histories must replay on the current
 * workflow code without a nondeterminism error. A change that breaks this needs workflow patching.
 */

const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

describe('replay of committed histories', () => {
  it('replays every committed history on the current workflow code', async () => {
    const files = (await readdir(HISTORIES_DIR)).filter((name) => name.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(22);
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file.replace(/\.json$/, ''),
        // Passed as JSON: the SDK converts it with its own protobuf classes.
        history: JSON.parse(await readFile(`${HISTORIES_DIR}${file}`, 'utf8')) as { events: unknown[] },
      })),
    );
    for (const { history } of histories) expect(history.events.length).toBeGreaterThan(10);

    const results = [];
    // Histories captured since payload encryption carry payloads encrypted with the test key; older ones are plaintext.
    const dataConverter = encryptingDataConverter(await keyringFromFile(TEST_KEY_FILE));
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, dataConverter }, histories)) results.push(result);
    expect(results.map((r) => ({ workflowId: r.workflowId, error: r.error?.message ?? null }))).toEqual(
      histories.map((h) => ({ workflowId: h.workflowId, error: null })),
    );
  });
});

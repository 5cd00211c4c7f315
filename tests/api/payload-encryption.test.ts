import { Client, Connection } from '@temporalio/client';
import { describe, expect, inject, it } from 'vitest';
import { useTestSystem } from '../support/use-test-system';
import { call, sampleSubmission } from '../support/cast';

/** What Temporal stores about a request must be unreadable without the keys. */

/** Every byte array as text, so that any plaintext inside a payload would show in the dump. */
function bytesAsText(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (Array.isArray(value)) return value.map(bytesAsText);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bytesAsText(v)]));
  return value;
}
const ctx = useTestSystem();
const EMAIL = 'awa.diop@interieur.gouv.sn';
const TITLE = 'Confidential training on asylum procedures';

describe('payload encryption', () => {
  it('a history read straight from Temporal shows no request content or personal field; the codec endpoint reads it for the Secretariat', async () => {
    const { system, cast } = ctx;
    const submitted = await call(system, 'POST', '/requests', cast.partner, sampleSubmission({ title: TITLE, contact: { name: 'Awa Diop', email: EMAIL } }));
    const id = submitted.body.id as string;
    await call(system, 'POST', `/requests/${id}/screening`, cast.secretariat, { outcome: 'accept', note: 'Eligible.' });

    // A client without the codec sees what Temporal's database holds.
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const raw = new Client({ connection, namespace: 'default' });
      const history = await raw.workflow.getHandle(`capacity-request-${id}`).fetchHistory();
      const dump = JSON.stringify(bytesAsText(history));
      expect(dump.length).toBeGreaterThan(1000);
      for (const secret of [EMAIL, TITLE, 'Awa Diop', 'Eligible.']) expect(dump).not.toContain(secret);
      expect(dump).toContain('binary/encrypted');

      // The search attributes carry no personal data: phase, country and action area only.
      const description = await raw.workflow.getHandle(`capacity-request-${id}`).describe();
      expect(Object.keys(description.raw.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {}).sort()).toEqual(
        expect.arrayContaining(['RequestCountry', 'RequestDomain', 'RequestPhase']),
      );

      // The codec endpoint, as the Web UI calls it, turns the workflow input back into the request.
      const started = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!;
      const payloads = started.workflowExecutionStartedEventAttributes!.input!.payloads!.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(p.data ?? []).toString('base64'),
      }));
      const decoded = await call(system, 'POST', '/codec/decode', cast.secretariat, { payloads });
      expect(decoded.status).toBe(200);
      const input = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8'));
      expect(input.submission).toMatchObject({ title: TITLE, contact: { email: EMAIL } });
      expect((await call(system, 'POST', '/codec/decode', cast.monitor, { payloads })).status).toBe(403);

      // And the codec's encode is the inverse of its decode.
      const reencoded = await call(system, 'POST', '/codec/encode', cast.secretariat, { payloads: decoded.body.payloads });
      const roundTrip = await call(system, 'POST', '/codec/decode', cast.secretariat, { payloads: reencoded.body.payloads });
      expect(roundTrip.body.payloads[0].data).toBe(decoded.body.payloads[0].data);
    } finally {
      await connection.close();
    }
  });
});

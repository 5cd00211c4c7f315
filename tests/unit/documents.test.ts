import { describe, expect, it } from 'vitest';
import { searchDocumentOf } from '../../activities/search-document';
import { PHASES, TERMINAL_PHASES, type Actor, type Phase } from '../../workflows/request-model';
import { allowedActions, MAX_DOCUMENTS } from '../../workflows/request-rules';
import { checkAction, checkStep } from './refusals-in-english';
import { applyStep } from '../../workflows/request-transitions';
import { act, at, attach, build, chair, CONCEPT_NOTE, PATHS, partner, scEs, secretariat } from './request-fixtures';

const otherPartner: Actor = { userId: 'u-nfp-ml', name: 'Moussa Keita', role: 'partner', country: 'ML' };
const monitor: Actor = { userId: 'u-mon', name: 'Mona Lind', role: 'monitor', country: null };
const inPhase = (phase: Phase) => build(...PATHS[phase]).state;
const attachStep = { action: 'attach_document' as const, document: CONCEPT_NOTE };

describe('attach_document: who, and when', () => {
  const inProgress = PHASES.filter((phase) => !TERMINAL_PHASES.includes(phase));

  it.each(inProgress.map((phase) => [phase]))('in %s the requesting partner and the Secretariat may attach', (phase) => {
    expect(checkStep(inPhase(phase), partner, attachStep)).toBeNull();
    expect(checkStep(inPhase(phase), secretariat, attachStep)).toBeNull();
  });

  it.each(TERMINAL_PHASES.map((phase) => [phase]))('once the request has ended (%s) nobody may', (phase) => {
    expect(checkStep(inPhase(phase), secretariat, attachStep)).toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(new RegExp(`^The request is in phase '${phase}', where you cannot attach a document`)),
    });
  });

  it('another country’s partner, the committee, the Chair and monitors may not', () => {
    const state = inPhase('implementation');
    expect(checkStep(state, otherPartner, attachStep)).toEqual({ kind: 'forbidden', message: "Only SN's focal point may attach a document." });
    for (const actor of [scEs, chair, monitor]) expect(checkStep(state, actor, attachStep)?.kind).toBe('forbidden');
  });

  it(`keeps at most ${MAX_DOCUMENTS} documents per request`, () => {
    const moves = Array.from({ length: MAX_DOCUMENTS }, (_, i) => attach(`doc-${i}`, { sha256: i.toString(16).padStart(64, '0') }));
    const full = build(...moves).state;
    expect(full.documents).toHaveLength(MAX_DOCUMENTS);
    expect(checkStep(full, partner, attachStep)).toEqual({
      kind: 'conflict',
      message: `This request already has ${MAX_DOCUMENTS} documents, the most one request keeps. Combine documents into one file.`,
    });
    expect(allowedActions(full, partner)).toEqual(['withdraw', 'remove_document']);
  });

  it('is offered, but not as advice on what to do instead of a step out of phase', () => {
    const state = inPhase('screening');
    expect(allowedActions(state, partner)).toEqual(['withdraw', 'attach_document']);
    expect(checkAction(state, partner, 'revise')?.message).toMatch(/You may now: withdraw\.$/);
  });
});

describe('attach_document: what it records', () => {
  it('adds the document with its ID and who attached it, and records an event; the request stays where it was', () => {
    const { state, events } = build(...PATHS.review, attach('doc-1'), attach('doc-2', { name: 'agenda.docx', description: null, sha256: 'b'.repeat(64) }, secretariat));
    expect(state.phase).toBe('review');
    expect(state.documents).toEqual([
      { documentId: 'doc-1', ...CONCEPT_NOTE, attached: { by: { userId: partner.userId, name: partner.name, role: 'partner' }, at: expect.any(String) } },
      {
        documentId: 'doc-2',
        ...CONCEPT_NOTE,
        name: 'agenda.docx',
        description: null,
        sha256: 'b'.repeat(64),
        attached: { by: { userId: secretariat.userId, name: secretariat.name, role: 'secretariat' }, at: expect.any(String) },
      },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'document_attached',
      phaseBefore: 'review',
      phaseAfter: 'review',
      payload: { document: state.documents![1] },
    });
  });

  it('refuses the same file twice, unless the first was removed', () => {
    const twice = build(...PATHS.review, attach('doc-1'));
    expect(checkStep(twice.state, secretariat, { ...attachStep, document: { ...CONCEPT_NOTE, name: 'copy.pdf' } })).toEqual({
      kind: 'conflict',
      message: `This file is already attached to the request, as 'concept-note.pdf' (on ${twice.state.documents![0]!.attached.at}, by ${partner.name}).`,
    });
    const removed = build(...PATHS.review, attach('doc-1'), act(secretariat, { action: 'remove_document', documentId: 'doc-1', reason: 'Wrong version.' }));
    expect(checkStep(removed.state, partner, attachStep)).toBeNull();
  });

  it('is refused without the SHA-256 its stored bytes are kept under', () => {
    for (const sha256 of ['', 'A'.repeat(64), 'a'.repeat(63)]) {
      expect(checkStep(inPhase('screening'), partner, { ...attachStep, document: { ...CONCEPT_NOTE, sha256 } })).toMatchObject({ kind: 'invalid', field: 'sha256' });
    }
  });

  it('needs the ID the workflow generates', () => {
    expect(() => applyStep(inPhase('screening'), partner, attachStep, { now: at(1) })).toThrow('Attaching a document needs its ID');
  });

  it('makes the names and descriptions of documents searchable, not their contents', () => {
    const { state } = build(attach('doc-1'));
    expect(searchDocumentOf(state).split('\n')).toEqual(expect.arrayContaining(['concept-note.pdf', 'Concept note agreed with the ministry']));
  });
});

describe('remove_document', () => {
  const remove = (documentId: string) => ({ action: 'remove_document' as const, documentId, reason: 'Contains the participants’ passport numbers.' });
  const withDocuments = () => build(...PATHS.implementation, attach('by-partner'), attach('by-secretariat', { sha256: 'b'.repeat(64) }, secretariat)).state;

  it('keeps the document on record, marked removed with who, when and why; its bytes’ key goes with the event', () => {
    const { state, events } = build(...PATHS.implementation, attach('doc-1'), act(secretariat, remove('doc-1')));
    expect(state.documents).toEqual([
      expect.objectContaining({ documentId: 'doc-1', name: 'concept-note.pdf', removed: { by: expect.objectContaining({ role: 'secretariat' }), at: expect.any(String), reason: 'Contains the participants’ passport numbers.' } }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'document_removed', payload: { documentId: 'doc-1', name: 'concept-note.pdf', sha256: CONCEPT_NOTE.sha256, reason: 'Contains the participants’ passport numbers.' } });
    expect(searchDocumentOf(state)).not.toContain('concept-note.pdf');
  });

  it('the Secretariat removes any document; a partner only those they attached', () => {
    const state = withDocuments();
    expect(checkStep(state, secretariat, remove('by-partner'))).toBeNull();
    expect(checkStep(state, partner, remove('by-partner'))).toBeNull();
    expect(checkStep(state, partner, remove('by-secretariat'))).toEqual({
      kind: 'forbidden',
      message: "You may remove only documents you attached; ask the Secretariat to remove 'concept-note.pdf'.",
    });
    expect(checkStep(state, otherPartner, remove('by-partner'))?.kind).toBe('forbidden');
    expect(checkStep(state, monitor, remove('by-partner'))?.kind).toBe('forbidden');
  });

  it('an unknown or already removed document is refused, and with nothing to remove the action is not offered', () => {
    const { state } = build(...PATHS.review, attach('doc-1'), act(secretariat, remove('doc-1')));
    expect(checkStep(state, secretariat, remove('nope'))).toMatchObject({ kind: 'conflict', message: 'This request has no documents to remove.' });
    expect(allowedActions(state, secretariat)).toEqual(['attach_document']);
    const two = build(...PATHS.review, attach('doc-1'), attach('doc-2', { sha256: 'b'.repeat(64) }), act(secretariat, remove('doc-1'))).state;
    expect(checkStep(two, secretariat, remove('nope'))).toEqual({ kind: 'not_found', field: 'documentId', message: 'This request has no document nope.' });
    expect(checkStep(two, secretariat, remove('doc-1'))).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/^'concept-note.pdf' was already removed on .+ by /) });
  });
});

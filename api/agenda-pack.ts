import type { RequestState } from '../workflows/request-model';
import { effectiveVotes } from '../workflows/review-procedures';

/**
 * The pack members read before a Steering Committee meeting: each agenda request's summary, its screening
 * note, and the votes and objections so far. No personal data: the pack is circulated to the whole committee.
 */

const AREAS: Record<number, string> = {
  1: 'Development benefits of migration / root causes',
  2: 'Regular migration and mobility',
  3: 'Protection and asylum',
  4: 'Irregular migration, smuggling and trafficking',
  5: 'Return, readmission and reintegration',
};
const VOTE_WORDS = { no_objection: 'no objection', objection: 'objection', abstain: 'abstains' } as const;
const euros = (amount: number) => `€${amount.toLocaleString('en-GB')}`;

interface PackItem {
  heading: string;
  facts: string[];
  sections: Array<{ label: string; text: string }>;
  votes: string[];
  objections: string[];
}

function itemOf(state: RequestState, index: number): PackItem {
  const s = state.submission;
  const review = state.review;
  const reviewers = new Map((review?.reviewers ?? []).map((r) => [r.userId, r]));
  const votes = review ? effectiveVotes(review) : [];
  return {
    heading: `${index + 1}. ${s.title} (${s.country})`,
    facts: [
      `Phase: ${state.phase}`,
      `Action area ${s.domain}: ${AREAS[s.domain] ?? 'unknown'}`,
      `Kind of support: ${s.activityType.replaceAll('_', ' ')}`,
      `Requested budget: ${euros(s.estimatedBudgetEur)}`,
      ...(s.preferredPeriod ? [`Preferred period: ${s.preferredPeriod}`] : []),
      ...(review ? [`Review: ${review.procedure ?? 'chair_decides'} procedure, deadline ${review.deadline}`] : []),
    ],
    sections: [
      { label: 'Summary', text: s.description },
      { label: 'Objectives', text: s.objectives },
      { label: 'Expected outcomes', text: s.expectedOutcomes },
      { label: 'Screening note', text: state.screeningNote ?? '—' },
    ],
    votes: votes.map((v) => {
      const country = reviewers.get(v.by.userId)?.country;
      return `${v.by.name}${country ? ` (${country})` : ''}: ${VOTE_WORDS[v.vote]}${v.comment ? ` — ${v.comment}` : ''}`;
    }),
    objections: votes.filter((v) => v.vote === 'objection').map((v) => `${v.by.name}: ${v.comment ?? '(no comment)'}`),
  };
}

export function agendaPackMarkdown(meeting: { title: string; scheduledFor: string }, states: RequestState[]): string {
  const lines = [`# ${meeting.title}`, '', `Steering Committee meeting, ${meeting.scheduledFor}. Agenda: ${states.length} request(s).`, ''];
  states.map(itemOf).forEach((item) => {
    lines.push(`## ${item.heading}`, '', ...item.facts.map((f) => `- ${f}`), '');
    for (const section of item.sections) lines.push(`**${section.label}.** ${section.text}`, '');
    lines.push('**Votes so far.**', '', ...(item.votes.length ? item.votes.map((v) => `- ${v}`) : ['- none yet']), '');
    if (item.objections.length) lines.push('**Objections.**', '', ...item.objections.map((o) => `- ${o}`), '');
  });
  return lines.join('\n');
}

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export function agendaPackHtml(meeting: { title: string; scheduledFor: string }, states: RequestState[]): string {
  const items = states.map(itemOf).map(
    (item) => `<section>
<h2>${escape(item.heading)}</h2>
<ul>${item.facts.map((f) => `<li>${escape(f)}</li>`).join('')}</ul>
${item.sections.map((s) => `<p><strong>${escape(s.label)}.</strong> ${escape(s.text)}</p>`).join('\n')}
<h3>Votes so far</h3>
<ul>${(item.votes.length ? item.votes : ['none yet']).map((v) => `<li>${escape(v)}</li>`).join('')}</ul>
${item.objections.length ? `<h3>Objections</h3><ul>${item.objections.map((o) => `<li>${escape(o)}</li>`).join('')}</ul>` : ''}
</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(meeting.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}section{border-top:1px solid #ccc;margin-top:2rem}</style>
</head><body>
<h1>${escape(meeting.title)}</h1>
<p>Steering Committee meeting, ${escape(meeting.scheduledFor)}. Agenda: ${states.length} request(s).</p>
${items.join('\n')}
</body></html>`;
}

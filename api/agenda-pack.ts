import type { ActionPlan } from '../db/action-plans-repository';
import type { RequestState } from '../workflows/request-model';
import { effectiveVotes } from '../workflows/review-procedures';
import { byteSize } from './byte-size';

/**
 * The pack members read before a Steering Committee meeting: each agenda request's summary, its screening
 * note, the documents attached to it (to download from the dashboard), and the votes and objections so far. No personal data: the pack is circulated to the whole committee.
 */

const VOTE_WORDS = { no_objection: 'no objection', objection: 'objection', abstain: 'abstains' } as const;
const euros = (amount: number) => `€${amount.toLocaleString('en-GB')}`;

interface PackItem {
  heading: string;
  facts: string[];
  sections: Array<{ label: string; text: string }>;
  votes: string[];
  objections: string[];
}

/**
 * Where the request sits in its action plan, in words from the plan's reference data. Requests from before plans
 * were reference data name none: the areas are the same in every plan, so the latest plan's titles serve.
 */
function placeInPlan(state: RequestState, plans: ActionPlan[]): string[] {
  const s = state.submission;
  const plan = plans.find((p) => p.planId === s.actionPlan) ?? plans.at(-1);
  const area = `Action area ${s.domain}: ${plan?.areas.find((a) => a.area === s.domain)?.title ?? 'unknown'}`;
  if (!s.objective) return [area];
  const objective = plan?.objectives.find((o) => o.code === s.objective);
  return [area, `Objective ${s.objective}${objective ? `: ${objective.title}` : ''} (${plan?.title ?? s.actionPlan})`];
}

function documentsOf(state: RequestState): string {
  const documents = (state.documents ?? []).filter((d) => !d.removed);
  if (documents.length === 0) return '—';
  return documents.map((d) => `${d.name} (${byteSize(d.sizeBytes)})${d.description ? `: ${d.description}` : ''}`).join('; ');
}

function itemOf(state: RequestState, index: number, plans: ActionPlan[]): PackItem {
  const s = state.submission;
  const review = state.review;
  const reviewers = new Map((review?.reviewers ?? []).map((r) => [r.userId, r]));
  const votes = review ? effectiveVotes(review) : [];
  return {
    heading: `${index + 1}. ${s.title} (${s.country})`,
    facts: [
      `Phase: ${state.phase}`,
      ...placeInPlan(state, plans),
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
      { label: 'Documents', text: documentsOf(state) },
    ],
    votes: votes.map((v) => {
      const country = reviewers.get(v.by.userId)?.country;
      return `${v.by.name}${country ? ` (${country})` : ''}: ${VOTE_WORDS[v.vote]}${v.comment ? ` — ${v.comment}` : ''}`;
    }),
    objections: votes.filter((v) => v.vote === 'objection').map((v) => `${v.by.name}: ${v.comment ?? '(no comment)'}`),
  };
}

export function agendaPackMarkdown(meeting: { title: string; scheduledFor: string }, states: RequestState[], plans: ActionPlan[]): string {
  const lines = [`# ${meeting.title}`, '', `Steering Committee meeting, ${meeting.scheduledFor}. Agenda: ${states.length} request(s).`, ''];
  states.map((state, index) => itemOf(state, index, plans)).forEach((item) => {
    lines.push(`## ${item.heading}`, '', ...item.facts.map((f) => `- ${f}`), '');
    for (const section of item.sections) lines.push(`**${section.label}.** ${section.text}`, '');
    lines.push('**Votes so far.**', '', ...(item.votes.length ? item.votes.map((v) => `- ${v}`) : ['- none yet']), '');
    if (item.objections.length) lines.push('**Objections.**', '', ...item.objections.map((o) => `- ${o}`), '');
  });
  return lines.join('\n');
}

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export function agendaPackHtml(meeting: { title: string; scheduledFor: string }, states: RequestState[], plans: ActionPlan[]): string {
  const items = states.map((state, index) => itemOf(state, index, plans)).map(
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

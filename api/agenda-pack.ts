import { titleIn, type ActionPlan } from '../db/action-plans-repository';
import type { RequestState } from '../workflows/request-model';
import { effectiveVotes } from '../workflows/review-procedures';
import { LOCALES, type Language } from '../i18n/languages';
import { translatorFor } from '../i18n/messages';
import { byteSize } from './byte-size';

/**
 * The pack members read before a Steering Committee meeting: each agenda request's summary, its screening
 * note, the documents attached to it (to download from the dashboard), and the votes and objections so far. No personal data: the pack is circulated to the whole committee.
 * In the reader's language (catalog `pack.*`): what people wrote stays as they wrote it.
 */

type Say = ReturnType<typeof translatorFor>;
const euros = (amount: number, language: Language) =>
  new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'EUR', maximumFractionDigits: 2, minimumFractionDigits: 0 }).format(amount);

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
function placeInPlan(state: RequestState, plans: ActionPlan[], language: Language, say: Say): string[] {
  const s = state.submission;
  const plan = plans.find((p) => p.planId === s.actionPlan) ?? plans.at(-1);
  const inPlan = plan?.areas.find((a) => a.area === s.domain);
  const area = say('pack.area', { area: s.domain, title: inPlan ? titleIn(language, inPlan) : say('pack.areaUnknown') });
  if (!s.objective) return [area];
  const objective = plan?.objectives.find((o) => o.code === s.objective);
  const where = plan ? titleIn(language, plan) : (s.actionPlan ?? '');
  return [
    area,
    objective
      ? say('pack.objectiveNamed', { code: s.objective, title: titleIn(language, objective), plan: where })
      : say('pack.objective', { code: s.objective, plan: where }),
  ];
}

function documentsOf(state: RequestState): string {
  const documents = (state.documents ?? []).filter((d) => !d.removed);
  if (documents.length === 0) return '—';
  return documents.map((d) => `${d.name} (${byteSize(d.sizeBytes)})${d.description ? `: ${d.description}` : ''}`).join('; ');
}

function itemOf(state: RequestState, index: number, plans: ActionPlan[], language: Language): PackItem {
  const say = translatorFor(language);
  const s = state.submission;
  const review = state.review;
  const reviewers = new Map((review?.reviewers ?? []).map((r) => [r.userId, r]));
  const votes = review ? effectiveVotes(review) : [];
  return {
    heading: `${index + 1}. ${s.title} (${s.country})`,
    facts: [
      say('pack.phase', { phase: say(`phase.${state.phase}`) }),
      ...placeInPlan(state, plans, language, say),
      say('pack.support', { support: say(`support.${s.activityType}`) }),
      say('pack.budget', { amount: euros(s.estimatedBudgetEur, language) }),
      ...(s.preferredPeriod ? [say('pack.period', { period: s.preferredPeriod })] : []),
      ...(review ? [say('pack.review', { procedure: say(`page.request.procedure.${review.procedure ?? 'chair_decides'}`), deadline: review.deadline })] : []),
    ],
    sections: [
      { label: say('pack.summary'), text: s.description },
      { label: say('pack.objectives'), text: s.objectives },
      { label: say('pack.expectedOutcomes'), text: s.expectedOutcomes },
      { label: say('pack.screeningNote'), text: state.screeningNote ?? '—' },
      { label: say('pack.documents'), text: documentsOf(state) },
    ],
    votes: votes.map((v) => {
      const country = reviewers.get(v.by.userId)?.country;
      return `${v.by.name}${country ? ` (${country})` : ''}${say('pack.colon')}${say(`pack.vote.${v.vote}`)}${v.comment ? ` — ${v.comment}` : ''}`;
    }),
    objections: votes.filter((v) => v.vote === 'objection').map((v) => `${v.by.name}${say('pack.colon')}${v.comment ?? say('pack.noComment')}`),
  };
}

export function agendaPackMarkdown(meeting: { title: string; scheduledFor: string }, states: RequestState[], plans: ActionPlan[], language: Language = 'en'): string {
  const say = translatorFor(language);
  const lines = [`# ${meeting.title}`, '', say('pack.intro', { when: meeting.scheduledFor, count: states.length }), ''];
  states.map((state, index) => itemOf(state, index, plans, language)).forEach((item) => {
    lines.push(`## ${item.heading}`, '', ...item.facts.map((f) => `- ${f}`), '');
    for (const section of item.sections) lines.push(`**${section.label}.** ${section.text}`, '');
    lines.push(`**${say('pack.votes')}.**`, '', ...(item.votes.length ? item.votes.map((v) => `- ${v}`) : [`- ${say('pack.noVotes')}`]), '');
    if (item.objections.length) lines.push(`**${say('pack.objections')}.**`, '', ...item.objections.map((o) => `- ${o}`), '');
  });
  return lines.join('\n');
}

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export function agendaPackHtml(meeting: { title: string; scheduledFor: string }, states: RequestState[], plans: ActionPlan[], language: Language = 'en'): string {
  const say = translatorFor(language);
  const items = states.map((state, index) => itemOf(state, index, plans, language)).map(
    (item) => `<section>
<h2>${escape(item.heading)}</h2>
<ul>${item.facts.map((f) => `<li>${escape(f)}</li>`).join('')}</ul>
${item.sections.map((s) => `<p><strong>${escape(s.label)}.</strong> ${escape(s.text)}</p>`).join('\n')}
<h3>${escape(say('pack.votes'))}</h3>
<ul>${(item.votes.length ? item.votes : [say('pack.noVotes')]).map((v) => `<li>${escape(v)}</li>`).join('')}</ul>
${item.objections.length ? `<h3>${escape(say('pack.objections'))}</h3><ul>${item.objections.map((o) => `<li>${escape(o)}</li>`).join('')}</ul>` : ''}
</section>`,
  );
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${escape(meeting.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}section{border-top:1px solid #ccc;margin-top:2rem}</style>
</head><body>
<h1>${escape(meeting.title)}</h1>
<p>${escape(say('pack.intro', { when: meeting.scheduledFor, count: states.length }))}</p>
${items.join('\n')}
</body></html>`;
}

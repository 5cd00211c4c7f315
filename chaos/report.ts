import type { ChaosOutcome } from './scenario';

/** The final report of a run: what was done to the system, what the users saw, and what the checker found. */
export function formatReport(outcome: ChaosOutcome): string {
  const { options, progress, check, faults } = outcome;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines: string[] = [];
  lines.push('', '──────── chaos report ────────');
  lines.push(`load         ${options.requests} requests × ${progress.stepsTotal / options.requests} steps by ${options.users} concurrent users, in ${seconds(outcome.loadMs)} (run ${seconds(outcome.durationMs)})`);
  const byKind = (kind: string) => faults.filter((fault) => fault.kind === kind);
  const outage = (kind: string) => {
    const list = byKind(kind);
    return list.length === 0 ? '' : ` (down ${list.map((fault) => seconds(fault.outageMs)).join(', ')})`;
  };
  lines.push(
    `faults       worker kill -9 ×${byKind('worker').length}${outage('worker')}, worker dead right after a commit ×${byKind('commit').length}${outage('commit')}, API kill -9 ×${byKind('api').length}${outage('api')}, ` +
      `Postgres restart ×${byKind('postgres').length}${outage('postgres')}, Temporal restart ×${byKind('temporal').length}${outage('temporal')}`,
  );
  const { retries } = progress;
  lines.push(
    `users saw    retries: ${retries.refused} refused, ${retries.cut} cut or timed out, ${retries.serverError} 5xx, ${retries.rateLimited} 429; ` +
      `${progress.reconciled} retried step(s) refused (409) and found already applied; ${progress.appliedTwice} applied twice; ${progress.requestsFailed} request(s) failed`,
  );
  if (progress.slowest) {
    lines.push(`slowest step ${seconds(progress.slowest.ms)} ('${progress.slowest.step}' on ${progress.slowest.requestId})`);
  }
  lines.push(
    `crashes      ${outcome.unexpectedExits.length}` +
      (outcome.unexpectedExits.length === 0
        ? ' (no process exited by itself)'
        : `: ${outcome.unexpectedExits.map((exit) => `${exit.name} exited by itself (code ${exit.code}, signal ${exit.signal}) and was started again`).join('; ')}`),
  );
  if (check) {
    lines.push(`requests     ${check.requests.driven} driven, ${check.requests.inPostgres} in Postgres, ${check.requests.inTemporal} in Temporal; ${check.completed} completed`);
    lines.push(`events       ${check.events.recorded} in the audit trail (${check.events.expected} expected)`);
    lines.push(`lost         ${check.lost}`);
    lines.push(`duplicated   ${check.duplicated}`);
    lines.push(`mismatched   ${check.mismatched} (read model or audit trail ≠ workflow state)`);
    lines.push(`documents    ${check.documents.recorded} recorded, ${check.documents.withoutBytes} without their bytes`);
    lines.push(
      `e-mails      ${check.emails.queued} queued, ${check.emails.delivered} received by the mail server (${check.emails.twice} twice, same Message-ID), ${check.emails.undelivered} never`,
    );
    lines.push(`not completed ${check.notCompleted}${check.unaccounted > 0 ? `; unaccounted requests ${check.unaccounted}` : ''}`);
    for (const finding of check.findings.slice(0, 20)) {
      lines.push(`  ${finding.requestId}:`);
      for (const problem of finding.problems) lines.push(`    - ${problem}`);
    }
    if (check.findings.length > 20) lines.push(`  … and ${check.findings.length - 20} more request(s) with findings`);
  } else {
    lines.push('checker      not run (interrupted)');
  }
  if (outcome.minutes) {
    const m = outcome.minutes;
    lines.push(
      `minutes      ${m.items} decisions in one call, API killed at ${m.killedAt.api ?? '-'} and worker at ${m.killedAt.worker ?? '-'} decisions on record: ` +
        `applied once ${m.appliedOnce}, twice ${m.appliedTwice}, never ${m.notApplied}; answer ${m.answeredInFull ? 'complete' : 'INCOMPLETE'}, ` +
        `minutes ${m.minutesComplete ? 'complete' : 'INCOMPLETE'}, the call sent again ${m.retryAnswered ? 'answered with the results' : 'NOT answered with the results'} (${seconds(m.durationMs)})`,
    );
  }
  for (const request of outcome.driven.filter((r) => r.failure)) {
    lines.push(`  driver: request #${request.index + 1} ${request.requestId ?? ''} stopped after '${request.lastStep ?? 'nothing'}': ${request.failure}`);
  }
  // The verdict is the checker's (the data); a crash is reported beside it, since a supervisor restarts crashed processes.
  const crashNote = outcome.unexpectedExits.length > 0 ? ` (but ${outcome.unexpectedExits.length} process crash(es): see 'crashes')` : '';
  lines.push(outcome.interrupted ? 'INTERRUPTED' : outcome.passed ? `PASS${crashNote}` : `FAIL${crashNote}`);
  return lines.join('\n');
}

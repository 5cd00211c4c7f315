-- Who must act on a request in monitoring changed wording when final reports came to be reviewed: "the Secretariat
-- reviews / the partner revises the final report" where it used to say "the Secretariat closes" as soon as a report
-- was in. waiting_for is a derived fact (request-rules.ts, waitingFor), so the rows written by the old rule are
-- emptied rather than rewritten here: lists compute it from the row's state, by the current rule, until the
-- request's next event writes it again (see requests-repository.ts, listRequestsWithWaitingFor).
UPDATE requests SET waiting_for = NULL WHERE phase = 'monitoring' AND waiting_for IS NOT NULL;

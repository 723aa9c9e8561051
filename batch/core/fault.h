/* fault: named crash points for tests: CERTNOTICE_FAULT=NAME[:N] kills the process (SIGKILL)
 * the N-th time (default first) the point NAME is passed; CERTNOTICE_FAULT_SIGNAL=STOP,
 * TERM or INT sends that signal instead. Must not do anything else. */
#ifndef CN_FAULT_H
#define CN_FAULT_H

/* Points used: after_ingest, issue (per new ID, inside the issue stage's chunked
 * transactions), after_issue, render (per letter), after_render,
 * after_publishing_mark, after_finish, after_rename, after_published_mark, ingest_hashed
 * (a file hashed, not yet loaded), reconcile_row (per kept result), reconcile_commit. */
void fault_point(const char *name);

#endif

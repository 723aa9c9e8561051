/* lock: one nightly job at a time per database file, whatever path names it, with the
 * holder named in the refusal. Must not remove or steal a lock: the kernel releases it. */
#ifndef CN_LOCK_H
#define CN_LOCK_H

#include "err.h"

struct run_lock;

/* Locks the database file (created with mode, 0 = 0600, if absent) without waiting;
 * CN_ELOCK naming the holder's pid and start time if held. Release it only after the
 * store is closed. */
int lock_acquire(const char *db_path, unsigned mode, struct run_lock **out, struct cn_err *err);
void lock_release(struct run_lock *lock);

#endif

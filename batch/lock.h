/* lock: one nightly job at a time per database, with the holder named in the refusal.
 * Must not remove or steal a lock: the kernel releases it when the holder dies. */
#ifndef CN_LOCK_H
#define CN_LOCK_H

#include "err.h"

struct run_lock;

/* Takes DB.lock without waiting; CN_ELOCK naming the holder's pid and start time if held. */
int lock_acquire(const char *db_path, struct run_lock **out, struct cn_err *err);
void lock_release(struct run_lock *lock);

#endif

#include "fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* SIGKILL rather than abort(): nothing may run on the way out, exactly as when the
 * machine loses power or the OOM killer strikes, so the tests see the real crash. */
void fault_point(const char *name)
{
    static long passes;
    const char *spec = getenv("CERTNOTICE_FAULT");
    if (!spec)
        return;
    size_t len = strlen(name);
    if (strncmp(spec, name, len) != 0 || (spec[len] != '\0' && spec[len] != ':'))
        return;
    long want = spec[len] == ':' ? atol(spec + len + 1) : 1;
    /* Render threads pass "render" concurrently: count atomically so :N means the N-th. */
    if (__atomic_add_fetch(&passes, 1, __ATOMIC_SEQ_CST) >= want)
        kill(getpid(), SIGKILL);
}

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
    long pass = __atomic_add_fetch(&passes, 1, __ATOMIC_SEQ_CST);
    /* CERTNOTICE_FAULT_SIGNAL=STOP lets a test change the world at this very point (and
     * SIGCONT the run); TERM or INT asks the run to stop there. Those happen once. */
    const char *sig = getenv("CERTNOTICE_FAULT_SIGNAL");
    if (sig && (strcmp(sig, "STOP") == 0 || strcmp(sig, "TERM") == 0 || strcmp(sig, "INT") == 0)) {
        if (pass == want)
            kill(getpid(), sig[0] == 'S' ? SIGSTOP : sig[0] == 'T' ? SIGTERM : SIGINT);
        return;
    }
    if (pass >= want)
        kill(getpid(), SIGKILL);
}

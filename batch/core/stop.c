#include "stop.h"

#include <signal.h>
#include <string.h>

#include "log.h"

/* The signal number, 0 until one arrives. sig_atomic_t and lock-free: written by the
 * handler (on any thread), read by every stage. */
static volatile sig_atomic_t stop_signo;

static void on_signal(int signo)
{
    stop_signo = signo;
}

void stop_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

bool stop_requested(void)
{
    return stop_signo != 0;
}

int stop_fail(struct cn_err *err, const char *stage)
{
    log_warn("stop", "%s received: stopping at %s", stop_signo == SIGINT ? "SIGINT" : "SIGTERM",
             stage);
    return cn_fail(err, CN_ESTOPPED,
                   "interrupted by %s at %s: nothing of that stage is kept and nothing more is "
                   "published; the next run completes the night",
                   stop_signo == SIGINT ? "SIGINT" : "SIGTERM", stage);
}

/* LD_PRELOAD shim for tests/e2e/identical.sh: getrandom(2) returns a fixed stream, so the
 * night draws the same reservation IDs on every run and its output can be compared byte for
 * byte. Test-only: it is never linked into certnotice, and a real night must never run with
 * it (its IDs would be guessable). CERTNOTICE_FIXED_RANDOM seeds the stream. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t state;
static int seeded;

/* splitmix64: a well-mixed stream from a counter, enough for distinct IDs. */
static uint64_t next(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
    (void)flags;
    pthread_mutex_lock(&lock);
    if (!seeded) {
        const char *s = getenv("CERTNOTICE_FIXED_RANDOM");
        state = s ? strtoull(s, NULL, 10) : 1;
        seeded = 1;
    }
    unsigned char *p = buf;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = next();
        memcpy(p + i, &v, n - i < 8 ? n - i : 8);
    }
    pthread_mutex_unlock(&lock);
    return (ssize_t)n;
}

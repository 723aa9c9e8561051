/* fuzz_xml_input: arbitrary bytes as a residents XML file through ingest into a real store.
 * Beyond "no crash": ingest returns one of its documented statuses, and what it counts adds
 * up (every record read is loaded or rejected). Each input is rolled back, so the database
 * stays empty and one input cannot change how the next behaves. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ingest.h"
#include "store.h"

#ifndef CN_REPO_ROOT
#define CN_REPO_ROOT "."
#endif

static struct store *store;
static struct config cfg;
static struct district districts[2];
static char dir[64];
static char xml_path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_reject(const struct ingest_reject *rej, void *ctx)
{
    (void)ctx;
    /* The strings must be readable for the duration of the call. */
    if (!rej->file || !rej->field || !rej->reason || strlen(rej->reason) == 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/fuzz-xml.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        abort();
    char db[128];
    snprintf(db, sizeof db, "%s/state.db", dir);
    snprintf(xml_path, sizeof xml_path, "%s/residents.xml", dir);
    struct cn_err err = {0};
    if (store_open(db, 0600, &store, &err) != CN_OK) {
        fprintf(stderr, "fuzz_xml_input: %s\n", err.msg);
        abort();
    }
    /* The smallest config ingest needs: two districts, UTF-8 input. */
    strcpy(districts[0].code, "01");
    strcpy(districts[0].name, "中部");
    strcpy(districts[1].code, "02");
    strcpy(districts[1].name, "東部");
    cfg.districts = districts;
    cfg.n_districts = 2;
    cfg.input_encoding = ENC_UTF8;
    cfg.batch_size = 1000;
    cfg.lead_days = 14;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(xml_path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);

    struct cn_err err = {0};
    struct ingest_stats stats = {0};
    const struct ingest_opts opts = {
        .cfg = &cfg,
        .xsd_path = CN_REPO_ROOT "/templates/residents.xsd",
        .on_reject = ignore_reject,
    };
    if (store_begin(store, &err) != CN_OK)
        abort();
    int rc = ingest(store, &opts, xml_path, &stats, &err);
    store_rollback(store);

    if (rc != CN_OK && rc != CN_REJECTS && rc != CN_EINPUT)
        abort(); /* a database failure on a healthy temp database is a bug */
    if (stats.files != 1 || stats.loaded < 0 || stats.rejected < 0)
        abort();
    if (stats.refused == 0 && stats.loaded + stats.rejected != stats.records)
        abort();
    if (rc == CN_OK && (stats.rejected || stats.refused))
        abort();
    return 0;
}

/* fuzz_template: arbitrary bytes as a page template through tmpl_load with the letter's
 * vocabulary (vocab.h), then every node's text expanded and every test evaluated, as
 * rendering would.
 * Beyond "no crash": a template that loads has a page size and nodes with their lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpl.h"
#include "vocab.h"

#ifndef CN_REPO_ROOT
#define CN_REPO_ROOT "."
#endif

static char dir[64];
static char path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/fuzz-tmpl.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        abort();
    /* tmpl_load reads template.xsd from the template's folder. */
    char xsd[128];
    snprintf(xsd, sizeof xsd, "%s/template.xsd", dir);
    if (symlink(CN_REPO_ROOT "/templates/template.xsd", xsd) != 0)
        abort();
    snprintf(path, sizeof path, "%s/page.xml", dir);
    return 0;
}

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "rid") == 0 ? "ABCD-EFGH-JKLM" : name;
}

static bool flag(void *ctx, const char *name, const char *value)
{
    (void)ctx;
    return (strlen(name) + strlen(value)) % 2 == 0;
}

static void walk(const struct tmpl_node *n, int depth)
{
    if (n->line < 0 || n->dep < n->test_dep || depth > 1000)
        abort();
    if (n->text) {
        char out[256];
        tmpl_expand(n->text, lookup, NULL, out, sizeof out);
        if (strlen(out) >= sizeof out)
            abort();
        char tiny[4];
        tmpl_expand(n->text, lookup, NULL, tiny, sizeof tiny);
    }
    if (n->kind == TK_IF)
        (void)tmpl_test(n, flag, NULL);
    if (n->n_cols < 0 || n->n_cols > 12)
        abort();
    for (size_t i = 0; i < n->n_kids; i++) {
        if (n->kids[i].dep > n->dep)
            abort(); /* a node depends on at least what its children depend on */
        walk(&n->kids[i], depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);

    const struct tmpl_names names = vocab_names();
    struct tmpl t;
    struct cn_err err = {0};
    if (tmpl_load(path, &names, &t, &err) == CN_OK) {
        if (!(t.width > 0) || !(t.height > 0))
            abort();
        walk(&t.root, 0);
        tmpl_free(&t);
    } else if (err.msg[0] == '\0') {
        abort(); /* a refusal always says why */
    }
    return 0;
}

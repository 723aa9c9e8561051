#include "publish.h"

#include "grow.h"
#include "sha256.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "control_sheet.h"

struct publish {
    int out_fd; /* OUT, held open so the rename and its fsync act on the same folder */
    char name[NAME_MAX + 1];
    char partial_name[NAME_MAX + 1];
    char partial[PATH_MAX];
    char final_dir[PATH_MAX];
    char path_buf[PATH_MAX];
    unsigned mode;
    bool created; /* the partial folder is ours to remove */
    bool committed;
    struct print_file_info *files;
    size_t n_files, cap_files;
    long postal[POSTAL_DISTRICTS];
    long bad_postal; /* letters counted with a postcode that has no district */
    char mark_note[CTLSHEET_MARK_LINES][160]; /* the sheet marks, for the control sheet */
};

static bool safe_file_name(const char *name)
{
    if (!name[0] || name[0] == '.')
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-'))
            return false;
    return true;
}

/* Deletes name (a folder) under parent_fd with everything in it. Symbolic links are removed,
 * never followed, so nothing outside the folder can be touched. */
static int remove_tree(int parent_fd, const char *name)
{
    int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            rc = -1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (remove_tree(fd, e->d_name) != 0)
                rc = -1;
        } else if (unlinkat(fd, e->d_name, 0) != 0) {
            rc = -1;
        }
    }
    int saved = errno;
    closedir(dir);
    if (unlinkat(parent_fd, name, AT_REMOVEDIR) != 0)
        return -1;
    errno = saved;
    return rc;
}

/* fsync (and the batch's file mode) for every file and folder below dir_fd, then dir_fd. */
static int sync_tree(int dir_fd, const char *where, unsigned mode, struct cn_err *err)
{
    int status = CN_OK;
    int fd = dup(dir_fd);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        if (fd >= 0)
            close(fd);
        return cn_fail(err, CN_EOUTPUT, "%s: %s", where, strerror(errno));
    }
    struct dirent *e;
    while (status == CN_OK && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", where, e->d_name);
        int child = openat(dir_fd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        if (child < 0 || fstat(child, &st) != 0) {
            status = cn_fail(err, CN_EOUTPUT, "%s: %s", path, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            status = sync_tree(child, path, mode, err);
        } else if (!S_ISREG(st.st_mode)) {
            status = cn_fail(err, CN_EOUTPUT, "%s: not a regular file", path);
        } else if (fchmod(child, mode) != 0 || fsync(child) != 0) {
            status = cn_fail(err, CN_EOUTPUT, "%s: %s", path, strerror(errno));
        }
        if (child >= 0)
            close(child);
    }
    closedir(dir);
    if (status == CN_OK && fsync(dir_fd) != 0)
        status = cn_fail(err, CN_EOUTPUT, "%s: %s", where, strerror(errno));
    return status;
}

/* Writes a whole file inside the partial folder with the batch's mode and flushes it. */
static int write_file(struct publish *p, const char *relative, const void *data, size_t len,
                      struct cn_err *err)
{
    const char *path = publish_path(p, relative);
    if (!path)
        return cn_fail(err, CN_EOUTPUT, "%s/%s: path too long", p->partial, relative);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, p->mode);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: %s", path, strerror(errno));
    int status = CN_OK;
    const char *at = data;
    if (fchmod(fd, p->mode) != 0)
        status = cn_fail(err, CN_EOUTPUT, "%s: %s", path, strerror(errno));
    while (status == CN_OK && len > 0) {
        ssize_t n = write(fd, at, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            status = cn_fail(err, CN_EOUTPUT, "%s: %s", path,
                             n < 0 ? strerror(errno) : "nothing written");
            break;
        }
        at += n;
        len -= (size_t)n;
    }
    if (status == CN_OK && fsync(fd) != 0)
        status = cn_fail(err, CN_EOUTPUT, "%s: %s", path, strerror(errno));
    if (close(fd) != 0 && status == CN_OK)
        status = cn_fail(err, CN_EOUTPUT, "%s: %s", path, strerror(errno));
    return status;
}

FILE *publish_open(struct publish *p, const char *relative, struct cn_err *err)
{
    const char *path = publish_path(p, relative);
    if (!path) {
        cn_fail(err, CN_EOUTPUT, "%s/%s: path too long", p->partial, relative);
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, p->mode);
    FILE *f = fd < 0 || fchmod(fd, p->mode) != 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

int publish_close(FILE **f, const char *relative, struct cn_err *err)
{
    if (!*f)
        return CN_OK;
    /* In this order: ferror on a closed FILE is undefined (and `|` fixes no order). */
    bool bad = ferror(*f) != 0;
    int saved = errno;
    if (fclose(*f) != 0)
        bad = true;
    else if (bad)
        errno = saved ? saved : EIO;
    *f = NULL;
    return bad ? cn_fail(err, CN_EOUTPUT, "%s: write failed: %s", relative, strerror(errno))
               : CN_OK;
}

/* The batch's checksums: a file that cannot be read back is an output failure. */
static int file_sha256(const char *path, char out[65], struct cn_err *err)
{
    int status = sha256_file(path, out, err);
    if (status != CN_OK && err)
        err->status = status = CN_EOUTPUT;
    return status;
}

int publish_begin(const char *out_root, const char *name, unsigned mode, struct publish **out,
                  struct cn_err *err)
{
    int status = CN_OK;
    *out = NULL;
    if (!safe_file_name(name))
        return cn_fail(err, CN_EUSAGE, "batch name '%s': only letters, digits, '.', '_', '-'",
                       name);
    struct publish *p = calloc(1, sizeof *p);
    if (!p)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    p->mode = mode & 07777;
    p->out_fd = -1;
    snprintf(p->name, sizeof p->name, "%s", name);
    if ((size_t)snprintf(p->partial_name, sizeof p->partial_name, ".%s.partial", name) >=
            sizeof p->partial_name ||
        (size_t)snprintf(p->partial, sizeof p->partial, "%s/%s", out_root, p->partial_name) >=
            sizeof p->partial ||
        (size_t)snprintf(p->final_dir, sizeof p->final_dir, "%s/%s", out_root, name) >=
            sizeof p->final_dir) {
        status = cn_fail(err, CN_EOUTPUT, "%s/%s: path too long", out_root, name);
        goto done;
    }
    p->out_fd = open(out_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (p->out_fd < 0) {
        status = cn_fail(err, CN_EOUTPUT, "output folder %s: %s", out_root, strerror(errno));
        goto done;
    }
    struct stat st;
    if (fstatat(p->out_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        status = cn_fail(err, CN_EOUTPUT,
                         "%s already exists: this batch was published before (not replaced)",
                         p->final_dir);
        goto done;
    }
    /* A crashed run leaves its partial folder behind; nothing in it was ever visible. */
    if (fstatat(p->out_fd, p->partial_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        int rc = S_ISDIR(st.st_mode) ? remove_tree(p->out_fd, p->partial_name)
                                     : unlinkat(p->out_fd, p->partial_name, 0);
        if (rc != 0) {
            status = cn_fail(err, CN_EOUTPUT, "removing stale %s: %s", p->partial, strerror(errno));
            goto done;
        }
    }
    if (mkdirat(p->out_fd, p->partial_name, 0700) != 0) {
        status = cn_fail(err, CN_EOUTPUT, "%s: %s", p->partial, strerror(errno));
        goto done;
    }
    p->created = true;
    static const char *const subdirs[] = {"print", "booking", "internal"};
    for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
        const char *path = publish_path(p, subdirs[i]);
        if (!path || mkdir(path, 0700) != 0) {
            status = cn_fail(err, CN_EOUTPUT, "%s/%s: %s", p->partial, subdirs[i],
                             path ? strerror(errno) : "path too long");
            goto done;
        }
    }
done:
    if (status != CN_OK) {
        publish_free(p);
        return status;
    }
    *out = p;
    return CN_OK;
}

const char *publish_path(struct publish *p, const char *relative)
{
    if ((size_t)snprintf(p->path_buf, sizeof p->path_buf, "%s/%s", p->partial, relative) >=
        sizeof p->path_buf)
        return NULL;
    return p->path_buf;
}

const char *publish_final_dir(const struct publish *p)
{
    return p->final_dir;
}

static bool postal_digits(const char *postal)
{
    for (int i = 0; i < 7; i++)
        if (postal[i] < '0' || postal[i] > '9')
            return false;
    return postal[7] == '\0';
}

int publish_add_print_file(struct publish *p, struct print_file_info *info, struct cn_err *err)
{
    if (!safe_file_name(info->name))
        return cn_fail(err, CN_EOUTPUT, "print file name '%s' is not a plain file name",
                       info->name);
    if (info->letters < 1 || info->pages < 1 || info->first_seq < 1 ||
        info->last_seq < info->first_seq || !postal_digits(info->first_postal) ||
        !postal_digits(info->last_postal))
        return cn_fail(err, CN_EOUTPUT,
                       "print file %s: letters %ld, pages %ld, sequence %ld-%ld, postcodes "
                       "'%s'-'%s' (want counts of 1 or more and 7-digit postcodes)",
                       info->name, info->letters, info->pages, info->first_seq, info->last_seq,
                       info->first_postal, info->last_postal);
    for (size_t i = 0; i < p->n_files; i++)
        if (strcmp(p->files[i].name, info->name) == 0)
            return cn_fail(err, CN_EOUTPUT, "print file %s added twice", info->name);
    char relative[64];
    snprintf(relative, sizeof relative, "print/%s", info->name);
    const char *path = publish_path(p, relative);
    if (!path)
        return cn_fail(err, CN_EOUTPUT, "%s/%s: path too long", p->partial, relative);
    int status = file_sha256(path, info->sha256, err);
    if (status != CN_OK)
        return status;
    struct print_file_info *files =
        grow_for_one(p->files, &p->cap_files, p->n_files, sizeof *files, 16);
    if (!files)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    p->files = files;
    p->files[p->n_files++] = *info;
    return CN_OK;
}

void publish_count_postal(struct publish *p, const char *postal)
{
    if (postal && postal[0] >= '0' && postal[0] <= '9' && postal[1] >= '0' && postal[1] <= '9' &&
        postal[2] >= '0' && postal[2] <= '9')
        p->postal[(postal[0] - '0') * 100 + (postal[1] - '0') * 10 + (postal[2] - '0')]++;
    else
        p->bad_postal++;
}

struct totals {
    long letters, pages;
};

static struct totals batch_totals(const struct publish *p)
{
    struct totals t = {0, 0};
    for (size_t i = 0; i < p->n_files; i++) {
        t.letters += p->files[i].letters;
        t.pages += p->files[i].pages;
    }
    return t;
}

static int write_manifest_xml(struct publish *p, const struct config *cfg, const char *run_label,
                              struct cn_err *err)
{
    int status = CN_OK;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        status = cn_fail(err, CN_EOUTPUT, "manifest.xml: cannot create the XML writer");
        goto done;
    }
    struct totals t = batch_totals(p);
    /* Every call returns -1 on failure; OR-ing the results checks them all at once. */
    int bad = xmlTextWriterSetIndent(w, 1) < 0;
    bad |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
    bad |= xmlTextWriterStartElement(w, BAD_CAST "manifest") < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1") < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "batch", BAD_CAST p->name) < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "municipality", BAD_CAST cfg->municipality) < 0;
    bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "run", BAD_CAST run_label) < 0;
    bad |= xmlTextWriterStartElement(w, BAD_CAST "totals") < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "letters", "%ld", t.letters) < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "pages", "%ld", t.pages) < 0;
    bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "files", "%zu", p->n_files) < 0;
    bad |= xmlTextWriterEndElement(w) < 0;
    bad |= xmlTextWriterStartElement(w, BAD_CAST "files") < 0;
    for (size_t i = 0; i < p->n_files; i++) {
        const struct print_file_info *f = &p->files[i];
        bad |= xmlTextWriterStartElement(w, BAD_CAST "file") < 0;
        bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST f->name) < 0;
        bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "letters", "%ld", f->letters) < 0;
        bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "pages", "%ld", f->pages) < 0;
        bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "first-seq", "%ld", f->first_seq) < 0;
        bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "last-seq", "%ld", f->last_seq) < 0;
        bad |=
            xmlTextWriterWriteAttribute(w, BAD_CAST "first-postal", BAD_CAST f->first_postal) < 0;
        bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "last-postal", BAD_CAST f->last_postal) < 0;
        bad |= xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST f->sha256) < 0;
        bad |= xmlTextWriterEndElement(w) < 0;
    }
    bad |= xmlTextWriterEndElement(w) < 0;
    bad |= xmlTextWriterStartElement(w, BAD_CAST "postal-districts") < 0;
    for (int d = 0; d < POSTAL_DISTRICTS; d++) {
        if (!p->postal[d])
            continue;
        bad |= xmlTextWriterStartElement(w, BAD_CAST "district") < 0;
        bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "code", "%03d", d) < 0;
        bad |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "letters", "%ld", p->postal[d]) < 0;
        bad |= xmlTextWriterEndElement(w) < 0;
    }
    bad |= xmlTextWriterEndDocument(w) < 0;
    xmlFreeTextWriter(w); /* flushes into buf */
    w = NULL;
    if (bad) {
        status = cn_fail(err, CN_EOUTPUT, "manifest.xml: XML writer failed");
        goto done;
    }
    status = write_file(p, "print/manifest.xml", xmlBufferContent(buf),
                        (size_t)xmlBufferLength(buf), err);
done:
    if (w)
        xmlFreeTextWriter(w);
    if (buf)
        xmlBufferFree(buf);
    return status;
}

static int write_text(struct publish *p, const char *relative, struct strbuf *t, struct cn_err *err)
{
    if (t->failed)
        return cn_fail(err, CN_EOUTPUT, "%s: out of memory", relative);
    return write_file(p, relative, strbuf_str(t), t->len, err);
}

static int write_manifest_csv(struct publish *p, struct cn_err *err)
{
    struct strbuf t = STRBUF_INIT;
    /* RFC 4180: CRLF line ends; no field here can hold a comma or a quote */
    strbuf_addstr(&t, "file,letters,pages,first_seq,last_seq,first_postal,last_postal,sha256\r\n");
    for (size_t i = 0; i < p->n_files; i++) {
        const struct print_file_info *f = &p->files[i];
        strbuf_addf(&t, "%s,%ld,%ld,%ld,%ld,%s,%s,%s\r\n", f->name, f->letters, f->pages,
                    f->first_seq, f->last_seq, f->first_postal, f->last_postal, f->sha256);
    }
    int status = write_text(p, "print/manifest.csv", &t, err);
    strbuf_release(&t);
    return status;
}

void publish_note_sheet_mark(struct publish *p, int line, const char *text)
{
    if (line >= 0 && line < CTLSHEET_MARK_LINES)
        snprintf(p->mark_note[line], sizeof p->mark_note[line], "%s", text);
}

static int write_control_sheet(struct publish *p, const struct config *cfg, const char *run_label,
                               struct cn_err *err)
{
    const char *path = publish_path(p, "print/control-sheet.pdf");
    if (!path)
        return cn_fail(err, CN_EOUTPUT, "%s/print/control-sheet.pdf: path too long", p->partial);
    struct totals t = batch_totals(p);
    const struct control_sheet cs = {.batch = p->name,
                                     .municipality = cfg->municipality,
                                     .run_label = run_label,
                                     .files = p->files,
                                     .n_files = p->n_files,
                                     .letters = t.letters,
                                     .pages = t.pages,
                                     .postal = p->postal,
                                     .font_path = cfg->font_gothic,
                                     .marks = p->mark_note};
    return control_sheet_write(&cs, path, p->mode, err);
}

static int write_checksums(struct publish *p, struct cn_err *err)
{
    static const char *const own[] = {"manifest.xml", "manifest.csv", "control-sheet.pdf"};
    struct strbuf t = STRBUF_INIT;
    int status = CN_OK;
    /* relative names, two spaces: `cd print && sha256sum -c SHA256SUMS` */
    for (size_t i = 0; i < p->n_files; i++)
        strbuf_addf(&t, "%s  %s\n", p->files[i].sha256, p->files[i].name);
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        char relative[64], sum[65];
        snprintf(relative, sizeof relative, "print/%s", own[i]);
        const char *path = publish_path(p, relative);
        if (!path) {
            status = cn_fail(err, CN_EOUTPUT, "%s/%s: path too long", p->partial, relative);
            goto done;
        }
        if ((status = file_sha256(path, sum, err)) != CN_OK)
            goto done;
        strbuf_addf(&t, "%s  %s\n", sum, own[i]);
    }
    status = write_text(p, "print/SHA256SUMS", &t, err);
done:
    strbuf_release(&t);
    return status;
}

int publish_finish(struct publish *p, const struct config *cfg, const char *run_label,
                   struct cn_err *err)
{
    int status;
    long counted = p->bad_postal;
    for (int d = 0; d < POSTAL_DISTRICTS; d++)
        counted += p->postal[d];
    struct totals t = batch_totals(p);
    /* The vendor reconciles the district counts with the letters: they must add up. */
    if (p->bad_postal)
        return cn_fail(err, CN_EOUTPUT, "%ld letters counted with a postcode without a district",
                       p->bad_postal);
    if (counted != t.letters)
        return cn_fail(err, CN_EOUTPUT,
                       "postal district counts (%ld) differ from the letters in the print files "
                       "(%ld): publish_count_postal must be called once per letter",
                       counted, t.letters);
    if ((status = write_manifest_xml(p, cfg, run_label, err)) != CN_OK ||
        (status = write_manifest_csv(p, err)) != CN_OK ||
        (status = write_control_sheet(p, cfg, run_label, err)) != CN_OK ||
        (status = write_checksums(p, err)) != CN_OK)
        return status;
    int fd = openat(p->out_fd, p->partial_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: %s", p->partial, strerror(errno));
    status = sync_tree(fd, p->partial, p->mode, err);
    close(fd);
    return status;
}

int publish_commit(struct publish *p, struct cn_err *err)
{
    if (p->committed)
        return CN_OK;
    /* NOREPLACE: a folder of the same name made since publish_begin is never overwritten
     * (plain rename would silently replace an empty one). */
    if (renameat2(p->out_fd, p->partial_name, p->out_fd, p->name, RENAME_NOREPLACE) != 0) {
        if (errno != EINVAL && errno != ENOSYS)
            return cn_fail(err, CN_EOUTPUT, "renaming %s to %s: %s", p->partial, p->final_dir,
                           strerror(errno));
        /* a file system without RENAME_NOREPLACE: check, then rename */
        struct stat st;
        if (fstatat(p->out_fd, p->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            return cn_fail(err, CN_EOUTPUT, "%s already exists", p->final_dir);
        if (renameat(p->out_fd, p->partial_name, p->out_fd, p->name) != 0)
            return cn_fail(err, CN_EOUTPUT, "renaming %s to %s: %s", p->partial, p->final_dir,
                           strerror(errno));
    }
    p->committed = true;
    if (fsync(p->out_fd) != 0)
        return cn_fail(err, CN_EOUTPUT,
                       "%s: the batch is in place but the folder could not "
                       "be flushed: %s",
                       p->final_dir, strerror(errno));
    return CN_OK;
}

bool publish_committed(const struct publish *p)
{
    return p->committed;
}

void publish_keep_partial(struct publish *p)
{
    p->created = false;
}

void publish_free(struct publish *p)
{
    if (!p)
        return;
    if (p->created && !p->committed)
        remove_tree(p->out_fd, p->partial_name);
    if (p->out_fd >= 0)
        close(p->out_fd);
    free(p->files);
    free(p);
}

/*
 * output.c - replacing a file whole or not at all, writing a device in
 * place, and cleaning up after signals.
 */
#include "output.h"

#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* A stream over a file descriptor that remembers why its first write
 * failed, so the message can say "No space left on device" however many
 * writes came after it. */
typedef struct Sink {
    int fd;
    int err;            /* errno of the first failed write, or 0 */
    size_t written;     /* bytes passed to write(2) so far */
} Sink;

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
    Sink *s = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(s->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (!s->err) s->err = w < 0 ? errno : EIO;
            /* fewer bytes than asked marks the stream's error; a cookie's
             * write must never return a negative count (fopencookie(3)) */
            return (ssize_t)done;
        }
        done += (size_t)w;
        s->written += (size_t)w;
    }
    return (ssize_t)n;
}

static FILE *sink_open(Sink *s)
{
    cookie_io_functions_t io = {NULL, sink_write, NULL, NULL};
    FILE *f = fopencookie(s, "w", io);
    if (f) setvbuf(f, NULL, _IOFBF, 1 << 16);
    return f;
}

struct OutFile {
    FILE *f;
    Sink sink;
    bool is_stdout;
    bool direct;        /* a device, FIFO or socket, written in place */
    char *shown;        /* the path as given, for messages */
    char *target;       /* what is replaced: the path with its links followed */
    char *tmp;          /* the temporary file beside TARGET, or NULL */
};

/* ---- signals ------------------------------------------------------------------- */

/* The temporary file a signal must remove: set while one exists.  Only
 * unlink, which is async-signal-safe, touches it in the handler. */
static char *volatile cleanup_path;

static void on_signal(int sig)
{
    char *p = cleanup_path;
    if (p) unlink(p);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A write past `ulimit -f` fails with EFBIG ("File too large") instead of
 * killing the process midway. */
static void ignore_file_size_signal(void)
{
    signal(SIGXFSZ, SIG_IGN);
}

static void install_handlers(void)
{
    static bool done;
    if (done) return;
    done = true;
    ignore_file_size_signal();
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* a signal the caller ignores (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- paths ---------------------------------------------------------------------- */

static char *dup_string(const char *s)
{
    char *d = strdup(s);
    if (!d) gvl_out_of_memory();
    return d;
}

/* PATH with its symbolic links followed to the file they name, which may
 * not exist yet (a dangling link is written through).  NULL after a loop. */
static char *follow_links(const char *path)
{
    char *cur = dup_string(path);
    for (int depth = 0; depth < 40; depth++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        size_t cap = (size_t)st.st_size + 2;
        char *link = gvl_xmalloc(cap);
        ssize_t n = readlink(cur, link, cap - 1);
        if (n < 0) {
            free(link);
            return cur;
        }
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash) {
            next = link;
        } else {
            size_t dir = (size_t)(slash - cur) + 1;
            next = gvl_xmalloc(dir + (size_t)n + 1);
            memcpy(next, cur, dir);
            memcpy(next + dir, link, (size_t)n + 1);
            free(link);
        }
        free(cur);
        cur = next;
    }
    free(cur);
    errno = ELOOP;
    return NULL;
}

/* The temporary file's name beside TARGET: short, so that a long valid
 * name never becomes too long. */
static char *temp_name(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dir = slash ? (size_t)(slash - target) + 1 : 0;
    char *tmp = gvl_xmalloc(dir + 16);
    memcpy(tmp, target, dir);
    memcpy(tmp + dir, ".gvl-XXXXXX", 12);
    return tmp;
}

static void fail(StrBuf *err, const char *shown, int e)
{
    gvl_sb_printf(err, "cannot write '%s': %s", shown, strerror(e));
}

/* Holds SIGINT, SIGTERM and SIGHUP back while the temporary file changes
 * state, so the handler never sees a name that no longer is ours (after a
 * rename it would remove the user's new file). */
static void hold_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void release_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

static void out_free(OutFile *f)
{
    if (f->tmp) {
        sigset_t old;
        hold_signals(&old);
        unlink(f->tmp);
        cleanup_path = NULL;
        release_signals(&old);
        free(f->tmp);
    }
    free(f->shown);
    free(f->target);
    free(f);
}

/* ---- standard output ------------------------------------------------------------ */

static Sink stdout_sink = {1, 0, 0};
static FILE *stdout_stream;

FILE *gvl_stdout(void)
{
    if (!stdout_stream) {
        ignore_file_size_signal();
        fflush(stdout);
        stdout_stream = sink_open(&stdout_sink);
        if (!stdout_stream) stdout_stream = stdout;
    }
    return stdout_stream;
}

bool gvl_stdout_written(void)
{
    if (!stdout_stream) return false;
    fflush(stdout_stream);
    return stdout_stream != stdout ? stdout_sink.written > 0 || stdout_sink.err : true;
}

int gvl_output_finish_stdout(StrBuf *err)
{
    bool ok = true;
    if (stdout_stream && stdout_stream != stdout) {
        ok = fflush(stdout_stream) == 0 && !ferror(stdout_stream) && !stdout_sink.err;
        fclose(stdout_stream);
        stdout_stream = NULL;
    }
    errno = 0;
    bool plain = fflush(stdout) == 0 && !ferror(stdout);
    int e = stdout_sink.err ? stdout_sink.err : errno;
    if (fclose(stdout) != 0) {
        if (plain && ok && !e) e = errno;
        plain = false;
    }
    if (!ok || !plain) {
        gvl_sb_printf(err, "cannot write to standard output: %s", e ? strerror(e) : "a write failed");
        return -1;
    }
    return 0;
}

/* ---- opening -------------------------------------------------------------------- */

/* A Unix socket cannot be opened, only connected to: a stream socket
 * listening at PATH receives the output. */
static int connect_socket(const char *path)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

OutFile *gvl_out_open(const char *path, const char *input, StrBuf *err)
{
    OutFile *f = gvl_xcalloc(1, sizeof *f);
    f->shown = dup_string(path);
    if (strcmp(path, "-") == 0) {
        f->f = gvl_stdout();
        f->is_stdout = true;
        return f;
    }
    install_handlers();
    f->target = follow_links(path);
    if (!f->target) {
        fail(err, path, errno);
        out_free(f);
        return NULL;
    }
    struct stat st;
    bool exists = stat(f->target, &st) == 0;
    if (exists && input && strcmp(input, "-") != 0) {
        struct stat in;
        if (stat(input, &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino) {
            gvl_sb_printf(err, "'%s' is the input file itself; writing it would destroy the graph (choose another OUT)",
                          path);
            out_free(f);
            return NULL;
        }
    }
    if (exists && S_ISDIR(st.st_mode)) {
        fail(err, path, EISDIR);
        out_free(f);
        return NULL;
    }
    if (exists && S_ISREG(st.st_mode) && access(f->target, W_OK) != 0) {
        /* a read-only file is not ours to replace, though its directory would let us */
        fail(err, path, errno);
        out_free(f);
        return NULL;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* /dev/null, a FIFO, a socket: written as they are, never replaced */
        int fd = S_ISSOCK(st.st_mode) ? connect_socket(f->target) : open(f->target, O_WRONLY | O_NOCTTY);
        f->sink.fd = fd;
        f->f = fd >= 0 ? sink_open(&f->sink) : NULL;
        if (!f->f) {
            fail(err, path, errno);
            if (fd >= 0) close(fd);
            out_free(f);
            return NULL;
        }
        f->direct = true;
        return f;
    }
    f->tmp = temp_name(f->target);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        fail(err, path, errno);
        free(f->tmp);
        f->tmp = NULL;
        out_free(f);
        return NULL;
    }
    cleanup_path = f->tmp;
    if (exists) {
        /* the replacement is the user's file as it was: its mode and owner */
        int owned = fchown(fd, st.st_uid, st.st_gid);   /* EPERM for another user's file: it stays ours */
        (void)owned;
        fchmod(fd, st.st_mode & 07777);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    f->sink.fd = fd;
    f->f = sink_open(&f->sink);
    if (!f->f) {
        fail(err, path, errno);
        close(fd);
        out_free(f);
        return NULL;
    }
    return f;
}

FILE *gvl_out_stream(OutFile *f)
{
    return f->f;
}

/* ---- closing -------------------------------------------------------------------- */

int gvl_out_commit(OutFile *f, StrBuf *err)
{
    if (f->is_stdout) {
        /* standard output is checked once, at the end (gvl_output_finish_stdout) */
        out_free(f);
        return 0;
    }
    bool ok = fflush(f->f) == 0 && !ferror(f->f) && !f->sink.err;
    int e = f->sink.err ? f->sink.err : errno;
    fclose(f->f);   /* the cookie stream: the descriptor stays open */
    f->f = NULL;
    if (ok && !f->direct && fsync(f->sink.fd) != 0) {
        ok = false;
        e = errno;
    }
    if (close(f->sink.fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && f->tmp) {
        sigset_t old;
        hold_signals(&old);
        if (rename(f->tmp, f->target) != 0) {
            ok = false;
            e = errno;
        } else {
            cleanup_path = NULL;
            free(f->tmp);
            f->tmp = NULL;
        }
        release_signals(&old);
    }
    int status = 0;
    if (!ok) {
        fail(err, f->shown, e ? e : EIO);
        status = -1;
    }
    out_free(f);
    return status;
}

void gvl_out_abort(OutFile *f)
{
    if (f->f && !f->is_stdout) {
        fclose(f->f);
        close(f->sink.fd);
    }
    out_free(f);
}

int gvl_output_write(const char *path, const char *input, const void *data, size_t len, StrBuf *err)
{
    OutFile *f = gvl_out_open(path, input, err);
    if (!f) return -1;
    size_t wrote = fwrite(data, 1, len, f->f);   /* a short write sets the stream's error: the commit reports it */
    (void)wrote;
    return gvl_out_commit(f, err);
}

/*
 * output.h - writing a result file: whole or not at all, and never
 * destroying what is not ours.
 *
 * A regular file (or a new path) is written to a temporary file beside it,
 * then renamed over it: rename is atomic within a file system, so OUT is
 * either the old file or the complete new one.  The new file keeps the old
 * one's permission bits (and owner, where allowed); a symbolic link is
 * followed, so the file it points to is replaced and the link stays.  A
 * character device, a FIFO or a socket (/dev/null, a pipe) is written
 * directly, never replaced.  The temporary file is removed on any error
 * and on SIGINT, SIGTERM and SIGHUP; SIGXFSZ is ignored, so a write past
 * `ulimit -f` is an error ("File too large") rather than a silent death.
 */
#ifndef GVL_OUTPUT_H
#define GVL_OUTPUT_H

#include "strbuf.h"

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct OutFile OutFile;

/* Opens PATH ("-" is standard output) for writing.  INPUT, when not NULL,
 * is the file the program reads: writing over it is refused.  NULL with
 * a message appended to ERR. */
OutFile *gvl_out_open(const char *path, const char *input, StrBuf *err);
/* Where to write. */
FILE *gvl_out_stream(OutFile *f);
/* Flushes, syncs, closes and (for a regular file) renames the temporary
 * file into place.  Returns 0, or -1 with a message in ERR, having removed
 * the temporary file.  F is freed either way. */
int gvl_out_commit(OutFile *f, StrBuf *err);
/* Drops what was written: the temporary file is removed, OUT is as it
 * was.  F is freed. */
void gvl_out_abort(OutFile *f);

/* Writes LEN bytes to PATH in one go: open, write, commit. */
int gvl_output_write(const char *path, const char *input, const void *data, size_t len, StrBuf *err);

/* Standard output as a stream that remembers why a write failed: what
 * every command prints to. */
FILE *gvl_stdout(void);
/* Checks that everything written to standard output got there: its error
 * flag, the final flush and the close.  0, or -1 with a message in ERR. */
int gvl_output_finish_stdout(StrBuf *err);
/* True once anything was written to gvl_stdout() (or it could not be). */
bool gvl_stdout_written(void);

#endif

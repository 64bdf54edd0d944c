/*
 * output.h - writing a result file all at once or not at all.
 *
 * The bytes go to a temporary file in OUT's own directory, which is then
 * renamed over OUT: rename is atomic within a file system, so OUT is
 * either the old file or the complete new one, never half of either.
 */
#ifndef GVL_OUTPUT_H
#define GVL_OUTPUT_H

#include "strbuf.h"

#include <stddef.h>

/* Writes LEN bytes to PATH ("-" is standard output).  Returns 0, or -1
 * with a message appended to ERR (no temporary file is left behind). */
int gvl_output_write(const char *path, const void *data, size_t len, StrBuf *err);

#endif

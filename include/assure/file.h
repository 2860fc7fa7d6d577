/*
 * file.h: reading a whole file that the operator named (a rule file, a params file, a return
 * on disk) without being led astray by what the path is.
 *
 * A path may name a FIFO, a device or a folder as well as a file. Opening a FIFO for reading
 * blocks until someone writes to it, which would hang a run on a folder of rule files; a
 * folder reads as an error (or as nothing) only after it was opened. So the path is opened
 * without blocking and must be a regular file before anything is read.
 *
 * Ownership: *data is the caller's (free it), NUL-terminated after its len bytes.
 */
#ifndef ASSURE_FILE_H
#define ASSURE_FILE_H

#include <stddef.h>

/*
 * Read the regular file at path. Errors (ASSURE_ERROR, message set): "cannot read 'PATH':
 * REASON", "'PATH' is a folder, not a file", "'PATH' is not a regular file (a FIFO, socket or
 * device)". *data is NULL and *len 0 on error.
 */
int assure_file_read(const char *path, char **data, size_t *len);

#endif

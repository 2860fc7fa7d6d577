/* file.c: reading a whole regular file, never blocking on what is not one (see file.h). */
#include "assure/file.h"

#include "assure/buf.h"
#include "assure/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int assure_file_read(const char *path, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return assure_error_set("cannot read '%s': %s", path, strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) < 0)
		rc = assure_error_set("cannot read '%s': %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		rc = assure_error_set("'%s' is a folder, not a file", path);
	else if (!S_ISREG(st.st_mode))
		rc = assure_error_set("'%s' is not a regular file (a FIFO, socket or device)", path);
	assure_buf b = ASSURE_BUF_INIT;
	char chunk[65536];
	while (rc == 0) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = assure_error_set("cannot read '%s': %s", path, strerror(errno));
		else if (n == 0)
			break;
		else
			assure_buf_put(&b, chunk, (size_t)n);
	}
	close(fd);
	if (rc < 0) {
		assure_buf_free(&b);
		return rc;
	}
	*len = b.len;
	*data = assure_buf_detach(&b);
	return 0;
}

// sync_file_range is a GNU extension.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sqlite3.h>
#include "CSQLiteSetup.h"

int vr_sqlite_configure_multithread(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int vr_start_writeback(int fd) {
    return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

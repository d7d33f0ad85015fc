#include <sqlite3.h>
#include "CSQLiteSetup.h"

int vr_sqlite_configure_multithread(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Puts SQLite in multi-thread mode without memory statistics; returns SQLite's result code
/// (SQLITE_MISUSE, changing nothing, once SQLite is initialised). Call once, before any connection
/// opens, while the process has one thread. sqlite3_config is variadic: Swift cannot call it.
int vr_sqlite_configure_multithread(void);

/// Starts writing the file's dirty pages to disk without waiting for them (Linux's
/// sync_file_range with SYNC_FILE_RANGE_WRITE, which needs _GNU_SOURCE: Swift's Glibc module
/// does not declare it). Returns 0, or -1 with errno set.
int vr_start_writeback(int fd);

#endif

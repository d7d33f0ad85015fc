#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Puts SQLite in multi-thread mode without memory statistics; returns SQLite's result code
/// (SQLITE_MISUSE, changing nothing, once SQLite is initialised). Call once, before any connection
/// opens, while the process has one thread. sqlite3_config is variadic: Swift cannot call it.
int vr_sqlite_configure_multithread(void);

#endif

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* For the store's own files only (mn-store-sync.c): the SQLite connection
 * belongs to the store's worker thread, so code that needs it hands the
 * worker a function. @path is the store's file, for error messages. */
typedef gpointer (*MnStoreDbFunc) (sqlite3    *db,
                                   const char *path,
                                   gpointer    data,
                                   GError    **error);

/* Runs @func on the worker thread and waits for it. @func returns NULL
 * with @error set on failure, anything else on success. */
gpointer mn_store_run_db           (MnStore      *self,
                                    MnStoreDbFunc func,
                                    gpointer      data,
                                    GError      **error);

/* The store's sentence for the last error of @db (disk full, damaged
 * file, or a plain read/write failure). */
void     mn_store_set_sqlite_error (GError    **error,
                                    sqlite3    *db,
                                    const char *path);

G_END_DECLS

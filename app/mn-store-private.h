/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "mn-store.h"
#include "mn-vault.h"

G_BEGIN_DECLS

/* For modules of the core that keep their own tables in the store (the
 * gazetteer): they run their SQL as jobs on the store's worker thread,
 * which owns the connection, instead of opening a second connection or
 * growing mn-store.c with every table. Not for the UI or sync layers,
 * which use the public API of those modules.
 *
 * A job runs on the worker thread, one at a time with every other store
 * job, and may use the connection freely there (transactions included,
 * which it must end before returning). It returns a non-NULL result, or
 * NULL and sets @error. */
typedef struct _MnStoreWorker MnStoreWorker;

typedef gpointer (*MnStoreJobFunc) (MnStoreWorker *worker,
                                    gpointer       data,
                                    GError       **error);

/* Runs @func on the worker and waits for it (for the command line and
 * tests). */
gpointer      mn_store_run_job         (MnStore            *self,
                                        MnStoreJobFunc      func,
                                        gpointer            data,
                                        GError            **error);

/* Queues @func and returns at once. The GTask's source object is
 * @source_object (the calling module's object, so that its _finish can
 * check the result); its task data is @data (freed with @data_free); the
 * result is freed with @result_free if nobody propagates it. A job
 * cancelled while it waits is not started. */
void          mn_store_run_job_async   (MnStore            *self,
                                        gpointer            source_object,
                                        MnStoreJobFunc      func,
                                        gpointer            data,
                                        GDestroyNotify      data_free,
                                        GDestroyNotify      result_free,
                                        gpointer            source_tag,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);

/* On the worker thread only. */
sqlite3      *mn_store_worker_get_db    (MnStoreWorker     *worker);
const char   *mn_store_worker_get_path  (MnStoreWorker     *worker);
/* The store's privacy vault (app/mn-vault.h). */
MnVault      *mn_store_worker_get_vault (MnStoreWorker     *worker);
/* A statement prepared once per connection, keyed by the address of @sql
 * (a static string). Reset it when done (mn_store_stmt_release). */
sqlite3_stmt *mn_store_worker_stmt      (MnStoreWorker     *worker,
                                         const char        *sql,
                                         GError           **error);
void          mn_store_stmt_release     (sqlite3_stmt      *stmt);
/* Sets @error from the connection's last error, with the store's
 * sentences (disk full, damaged file, ...). */
void          mn_store_worker_set_error (MnStoreWorker     *worker,
                                         GError           **error);
gboolean      mn_store_worker_exec      (MnStoreWorker     *worker,
                                         const char        *sql,
                                         GError           **error);
/* Rolls back the open transaction, if SQLite has not already. */
void          mn_store_worker_rollback  (MnStoreWorker     *worker);

/* Binds @value, or NULL as SQL NULL; copies the text. */
void          mn_store_bind_text        (sqlite3_stmt      *stmt,
                                         int                idx,
                                         const char        *value);
/* A copy of column @col as text, or NULL for SQL NULL. */
char         *mn_store_column_text      (sqlite3_stmt      *stmt,
                                         int                col);

G_END_DECLS

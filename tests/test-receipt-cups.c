/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The receipt printed through a real print system. The test starts a
 * cupsd of its own in a temporary directory (its own cupsd.conf and
 * cups-files.conf, a unix socket, nothing of /etc/cups or /var/spool/cups)
 * with one raw queue whose backend (tests/data/minyin-slip-backend) writes
 * each job into a file; points the terminal at it (CUPS_SERVER, the
 * "printer" setting); files a request through the kiosk's pages and
 * touches "Print receipt" as a person does; waits for the job as GTK's
 * CUPS print backend reports it; and reads what reached the printer:
 * pdftotext finds the case code and the masked number but never the whole
 * one, pdfinfo the 80 mm roll, zbarimg scans the QR code back to the code.
 * Then the queue stopped, the queue refusing jobs, the printer gone, and
 * the printer going offline in the middle of the job: each time the
 * sentence is shown and spoken, quickly, and the code stays on screen.
 * Last, a printer busy with another job: the slip waits its turn while
 * the session is reset, the page goes, or the print is cancelled; the
 * print answers "cancelled" at once, nobody is told anything, and the
 * kiosk stops asking CUPS about the printer.
 * Works as root (cupsd then runs its jobs as "lp") and as anyone else. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mn-case-code.h"
#include "mn-category-page.h"
#include "mn-contact-page.h"
#include "mn-filing-flow.h"
#include "mn-receipt-page.h"
#include "mn-receipt-slip.h"
#include "mn-test-ui.h"
#include "mn-vault.h"

#define PHONE "13800138000"
#define QUEUE "minyin-slip"

/* How long a failure may take to reach the person: a stopped queue or a
 * missing printer must not leave them waiting for the print time limit. */
#define TELL_WITHIN_S 10.0

static char *cups_dir;
static char *cups_socket;
static char *slip_path;
static GPid cupsd_pid;
static MnFilingFlow *flow;

/* ---- the private print system ------------------------------------------ */

static char *
find_tool (const char *name)
{
  char *path = g_find_program_in_path (name);
  g_autofree char *sbin = g_build_filename ("/usr/sbin", name, NULL);

  /* lpadmin, cupsd and cupsenable live in /usr/sbin, which an ordinary
   * user's PATH may not have. */
  if (path == NULL && g_file_test (sbin, G_FILE_TEST_IS_EXECUTABLE))
    path = g_steal_pointer (&sbin);
  return path;
}

/* Runs a CUPS tool against the private server; its output, or fails. */
static char *
cups_tool (const char *tool,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, find_tool (tool));
  g_assert_nonnull (g_ptr_array_index (argv, 0));
  va_start (args, tool);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  /* CUPS_SERVER is in the environment: the tools talk to our cupsd. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", tool, err);
  return g_steal_pointer (&out);
}

static void
write_text (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

/* cupsd must not outlive the test, even one that aborts half way. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
cupsd_answers (void)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (addr.sun_path, cups_socket, sizeof addr.sun_path);
  ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);
  return ok;
}

static void
add_queue (void)
{
  g_autofree char *uri = g_strconcat ("minyin-slip:", slip_path, NULL);

  /* Raw: GTK's document reaches the backend as GTK made it, so what the
   * test reads is what the printer would have been sent. */
  g_free (cups_tool ("lpadmin", "-p", QUEUE, "-E", "-v", uri, "-m", "raw",
                     "-o", "printer-error-policy=stop-printer", NULL));
}

/* Starts the private cupsd before GTK or any thread exists (CUPS_SERVER
 * is set with setenv, which is not thread-safe). FALSE when cupsd is
 * not installed. */
static gboolean
start_cupsd (void)
{
  g_autofree char *cupsd = find_tool ("cupsd");
  g_autofree char *lpadmin = find_tool ("lpadmin");
  g_autofree char *backend_src = NULL;
  g_autofree char *backend_dir = NULL;
  g_autofree char *backend = NULL;
  g_autofree char *script = NULL;
  g_autofree char *files_conf = NULL;
  g_autofree char *cupsd_conf = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *files_path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *user = NULL;
  g_autofree char *group = NULL;
  g_autofree char *system_group = NULL;
  g_autoptr(GError) error = NULL;
  const char *source_root = g_getenv ("MINYIN_SOURCE_ROOT");
  const char *subdirs[] = { "spool/tmp", "cache", "state", "log", "run", "out",
                            "bin/backend", NULL };
  gint64 deadline;
  int log_fd;

  if (cupsd == NULL || lpadmin == NULL)
    return FALSE;

  cups_dir = g_dir_make_tmp ("minyin-cups-XXXXXX", &error);
  g_assert_no_error (error);
  /* As root, cupsd runs its helpers as "lp", which must reach in. */
  g_assert_cmpint (g_chmod (cups_dir, 0755), ==, 0);
  for (guint i = 0; subdirs[i] != NULL; i++)
    {
      g_autofree char *d = g_build_filename (cups_dir, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (d, 0755), ==, 0);
    }
  cups_socket = g_build_filename (cups_dir, "run", "cups.sock", NULL);
  slip_path = g_build_filename (cups_dir, "out", "slip.out", NULL);
  g_test_message ("private cupsd in %s (kept when the test fails)", cups_dir);

  /* Its own ServerBin: the test's backend beside the system's helpers
   * (cups-exec starts every backend). */
  {
    g_autofree char *daemon_link = g_build_filename (cups_dir, "bin", "daemon", NULL);
    g_autofree char *notifier_link = g_build_filename (cups_dir, "bin", "notifier", NULL);

    g_assert_cmpint (symlink ("/usr/lib/cups/daemon", daemon_link), ==, 0);
    g_assert_cmpint (symlink ("/usr/lib/cups/notifier", notifier_link), ==, 0);
  }
  backend_src = g_build_filename (source_root != NULL ? source_root : SOURCE_ROOT, "tests", "data",
                                  "minyin-slip-backend", NULL);
  g_assert_true (g_file_get_contents (backend_src, &script, NULL, &error));
  g_assert_no_error (error);
  backend_dir = g_build_filename (cups_dir, "bin", "backend", NULL);
  write_text (backend_dir, "minyin-slip", script);
  backend = g_build_filename (backend_dir, "minyin-slip", NULL);
  /* 0700: a root cupsd runs such a backend as root, so it may write into
   * the test's directory; any other cupsd runs it as its own user. */
  g_assert_cmpint (g_chmod (backend, 0700), ==, 0);

  /* cupsd refuses to run jobs as root. */
  if (getuid () == 0)
    {
      user = g_strdup ("lp");
      group = g_strdup ("lp");
      system_group = g_strdup ("root");
    }
  else
    {
      struct group *gr = getgrgid (getgid ());

      user = g_strdup (g_get_user_name ());
      group = g_strdup (gr != NULL ? gr->gr_name : "nogroup");
      system_group = g_strdup (group);
    }
  files_conf = g_strdup_printf ("ServerRoot %1$s\n"
                                "StateDir %1$s/state\n"
                                "CacheDir %1$s/cache\n"
                                "RequestRoot %1$s/spool\n"
                                "TempDir %1$s/spool/tmp\n"
                                "ServerBin %1$s/bin\n"
                                "DataDir /usr/share/cups\n"
                                "AccessLog %1$s/log/access_log\n"
                                "ErrorLog %1$s/log/error_log\n"
                                "PageLog %1$s/log/page_log\n"
                                "Printcap\n"
                                "FileDevice Yes\n"
                                "User %2$s\n"
                                "Group %3$s\n"
                                "SystemGroup %4$s\n",
                                cups_dir, user, group, system_group);
  write_text (cups_dir, "cups-files.conf", files_conf);
  /* One unix socket, no network, no browsing, anyone may administer. */
  /* Every request in access_log: the test counts the printer lookups. */
  cupsd_conf = g_strdup_printf ("LogLevel debug\n"
                                "AccessLogLevel all\n"
                                "Listen %s\n"
                                "Browsing No\n"
                                "WebInterface No\n"
                                "DefaultAuthType None\n"
                                "JobRetryLimit 0\n"
                                "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                                "<Policy default>\n  <Limit All>\n    Order deny,allow\n"
                                "  </Limit>\n</Policy>\n",
                                cups_socket);
  write_text (cups_dir, "cupsd.conf", cupsd_conf);

  conf_path = g_build_filename (cups_dir, "cupsd.conf", NULL);
  files_path = g_build_filename (cups_dir, "cups-files.conf", NULL);
  log_path = g_build_filename (cups_dir, "log", "cupsd.out", NULL);
  log_fd = g_open (log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (log_fd, >=, 0);
  {
    const char *argv[] = { cupsd, "-f", "-c", conf_path, "-s", files_path, NULL };

    g_assert_true (g_spawn_async_with_fds (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           die_with_parent, NULL, &cupsd_pid, -1, log_fd, log_fd,
                                           &error));
    g_assert_no_error (error);
  }
  close (log_fd);

  /* GTK's print backend and the tools ask this server, never the
   * machine's (nor ~/.cups/client.conf). */
  g_setenv ("CUPS_SERVER", cups_socket, TRUE);

  /* Up once its socket answers: a bounded readiness probe, cupsd has no
   * other way to say so. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!cupsd_answers ())
    {
      int status;

      if (waitpid (cupsd_pid, &status, WNOHANG) == cupsd_pid)
        {
          g_autofree char *error_log_path = g_build_filename (cups_dir, "log", "error_log", NULL);
          g_autofree char *out = NULL;
          g_autofree char *log = NULL;

          g_file_get_contents (log_path, &out, NULL, NULL);
          g_file_get_contents (error_log_path, &log, NULL, NULL);
          g_error ("cupsd exited at once: %s%s", out != NULL ? out : "", log != NULL ? log : "");
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  add_queue ();
  return TRUE;
}

static void
stop_cupsd (void)
{
  g_autoptr(GFile) dir = NULL;

  if (cupsd_pid <= 0)
    return;
  kill (cupsd_pid, SIGTERM);
  waitpid (cupsd_pid, NULL, 0);
  g_spawn_close_pid (cupsd_pid);
  cupsd_pid = 0;
  /* Everything it wrote is under the test's directory. */
  {
    const char *argv[] = { "rm", "-rf", cups_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
}

/* The jobs the print system has in @which state ("completed",
 * "not-completed"), one line each. */
static guint
count_jobs (const char *which)
{
  g_autofree char *out = cups_tool ("lpstat", "-W", which, "-o", QUEUE, NULL);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      n++;
  return n;
}

/* ---- the person at the kiosk -------------------------------------------- */

static GtkWidget *
find_button (const char *name)
{
  g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), name) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static void
press (const char *name)
{
  GtkWidget *button;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  button = find_button (name);
  if (button == NULL)
    g_error ("no button called %s is on screen (page %s)", name,
             mn_window_get_visible_page (mn_test_window));
  mn_test_click (button);
}

static void
expect_page (const char *page)
{
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, page);
}

static void
wait_for_page (const char *page)
{
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), page) != 0)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
tree_contains (GtkWidget  *w,
               const char *needle)
{
  if (GTK_IS_LABEL (w) && strstr (gtk_label_get_text (GTK_LABEL (w)), needle) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (tree_contains (c, needle))
      return TRUE;
  return FALSE;
}

static void
on_said (MnWindow   *window,
         const char *text,
         GString    *said)
{
  g_string_append_printf (said, "%s\n", text);
}

/* Files a lift repair with a phone number, as the filing test does, and
 * returns the receipt page showing its code. */
static MnReceiptPage *
file_a_request (void)
{
  GtkWidget *keypad = mn_contact_page_get_keypad (
    MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact")));

  expect_page ("start");
  press ("start-file");
  wait_for_page ("file-category");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  press ("category-confirm");
  wait_for_page ("file-details");
  press ("phrase-0");
  press ("details-next");
  press ("location-here");
  press ("location-next");
  gtk_widget_activate_action (keypad, "keypad.clear", NULL);
  for (const char *d = PHONE; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      g_assert_true (gtk_widget_activate_action (keypad, "keypad.digit", "s", digit));
    }
  gtk_widget_activate_action (keypad, "keypad.enter", NULL);
  press ("consent-agree");
  expect_page ("file-review");
  press ("review-submit");
  wait_for_page ("file-receipt");
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  return MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"));
}

static void
on_printed (MnReceiptPage *page,
            gboolean       ok,
            int           *outcome)
{
  *outcome = ok ? 1 : 0;
}

/* Touches "Print receipt" and waits for the page's outcome (the job as
 * GTK's CUPS backend reported it); meanwhile Finish leaves the code on
 * screen. Returns the outcome; *seconds how long it took. */
static gboolean
print_and_wait (MnReceiptPage *receipt,
                GString       *said,
                double        *seconds)
{
  int outcome = -1;
  gulong printed = g_signal_connect (receipt, "printed", G_CALLBACK (on_printed), &outcome);
  gulong announce = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  gint64 start;

  g_assert_true (mn_receipt_page_get_can_print (receipt));
  start = g_get_monotonic_time ();
  press ("receipt-print");
  g_assert_true (mn_receipt_page_get_printing (receipt));
  gtk_widget_activate_action (GTK_WIDGET (receipt), "receipt.finish", NULL);
  expect_page ("file-receipt");
  while (outcome < 0)
    g_main_context_iteration (NULL, TRUE);
  *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_signal_handler_disconnect (receipt, printed);
  g_signal_handler_disconnect (mn_test_window, announce);
  g_assert_false (mn_receipt_page_get_printing (receipt));
  expect_page ("file-receipt");
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  return outcome == 1;
}

static char *
run (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

static char *
without_space (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

/* What reached the printer: a PDF one 80 mm roll page wide, saying the
 * code and the masked number, never the whole number, with a QR code
 * that scans back to the code. */
static void
check_printed (const char *code)
{
  g_autofree char *masked = mn_vault_mask_phone (PHONE);
  g_autofree char *pdf = g_strconcat (slip_path, ".pdf", NULL);
  g_autofree char *png_base = g_build_filename (mn_test_shot_dir, "printed-slip", NULL);
  g_autofree char *png = g_strconcat (png_base, ".png", NULL);
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *info = NULL;
  g_autofree char *scanned = NULL;
  g_autoptr(GError) error = NULL;
  double width_pt = 0, height_pt = 0;
  gsize length = 0;

  g_assert_true (g_file_get_contents (slip_path, &data, &length, &error));
  g_assert_no_error (error);
  g_test_message ("the printer received %" G_GSIZE_FORMAT " bytes", length);
  /* GTK sends a CUPS queue PDF (CUPS >= 1.2 takes it). */
  g_assert_cmpuint (length, >, 5);
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_assert_true (g_file_set_contents (pdf, data, length, &error));
  g_assert_no_error (error);

  text = run ((const char *[]) { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL });
  g_test_message ("the printed slip says:\n%s", text);
  flat = without_space (text);
  g_assert_nonnull (strstr (flat, code));
  g_assert_nonnull (strstr (text, masked));
  g_assert_null (strstr (flat, PHONE));

  /* One page, as wide as the roll. */
  info = run ((const char *[]) { "pdfinfo", pdf, NULL });
  g_test_message ("%s", info);
  g_assert_nonnull (strstr (info, "Pages:           1\n"));
  {
    const char *size = strstr (info, "Page size:");

    g_assert_nonnull (size);
    g_assert_cmpint (sscanf (size, "Page size: %lf x %lf pts", &width_pt, &height_pt), ==, 2);
  }
  g_test_message ("page: %.1f x %.1f mm", width_pt * 25.4 / 72, height_pt * 25.4 / 72);
  g_assert_cmpfloat_with_epsilon (width_pt, 80 * 72 / 25.4, 1.0);
  /* A roll is cut below the slip: longer than wide, shorter than A4. */
  g_assert_cmpfloat (height_pt, >, width_pt);
  g_assert_cmpfloat (height_pt, <, 297 * 72 / 25.4);

  /* At a thermal printer's 203 dpi, as the head would print it. */
  g_free (run ((const char *[]) { "pdftoppm", "-r", "203", "-png", "-singlefile", pdf, png_base,
                                  NULL }));
  g_test_message ("the printed slip as an image: %s", png);
  scanned = run ((const char *[]) { "zbarimg", "--quiet", "--raw", png, NULL });
  g_strstrip (scanned);
  g_assert_cmpstr (scanned, ==, code);
  g_unlink (pdf);
}

static const char *
failed_sentence (void)
{
  return _("The receipt could not be printed. Please write down the case code, or ask staff for "
           "help.");
}

/* A print that did not happen: said and shown, quickly, the code still
 * on screen and the page still the receipt. */
static void
check_failed (MnReceiptPage *receipt,
              const char    *shown,
              GString       *said,
              double         seconds,
              const char    *shot)
{
  g_test_message ("told after %.1f s; said: %s", seconds, said->str);
  g_assert_nonnull (strstr (said->str, failed_sentence ()));
  g_assert_true (tree_contains (GTK_WIDGET (receipt), failed_sentence ()));
  g_assert_cmpstr (mn_receipt_page_get_shown (receipt), ==, shown);
  g_assert_true (tree_contains (GTK_WIDGET (receipt), shown));
  g_assert_cmpfloat (seconds, <, TELL_WITHIN_S);
  mn_test_save_shot (shot);
  mn_test_check_sizes (shot);
}

static void
finish (void)
{
  press ("receipt-finish");
  expect_page ("start");
}

/* ---- the tests ------------------------------------------------------------ */

static void
test_print (void)
{
  GSettings *settings = mn_application_get_settings (mn_test_app);
  g_autoptr(GString) said = g_string_new (NULL);
  const char *done = _("Your receipt is printed. Please take it from the printer.");
  MnReceiptPage *receipt;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  guint completed_before = count_jobs ("completed");
  double seconds = 0;

  g_settings_set_string (settings, "printer", QUEUE);
  g_settings_set_string (settings, "receipt-paper", "roll-80");
  receipt = file_a_request ();
  code = mn_case_code_parse (mn_receipt_page_get_shown (receipt), &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_button ("receipt-print"));

  g_assert_true (print_and_wait (receipt, said, &seconds));
  g_test_message ("printed in %.2f s; said: %s", seconds, said->str);
  g_assert_nonnull (strstr (said->str, done));
  g_assert_true (tree_contains (GTK_WIDGET (receipt), done));
  mn_test_save_shot ("receipt-printed");
  /* The print system agrees: one more job, completed, none waiting. */
  g_assert_cmpuint (count_jobs ("completed"), ==, completed_before + 1);
  g_assert_cmpuint (count_jobs ("not-completed"), ==, 0);
  check_printed (code);
  finish ();
}

/* The queue is stopped (cupsdisable: staff paused it, or CUPS stopped it
 * after an error): nothing would come out until staff restart it. */
static void
test_queue_stopped (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  MnReceiptPage *receipt;
  g_autofree char *shown = NULL;
  double seconds = 0;

  g_settings_set_string (mn_application_get_settings (mn_test_app), "printer", QUEUE);
  receipt = file_a_request ();
  shown = g_strdup (mn_receipt_page_get_shown (receipt));
  g_free (cups_tool ("cupsdisable", "-r", "paper jam", QUEUE, NULL));
  g_assert_false (print_and_wait (receipt, said, &seconds));
  check_failed (receipt, shown, said, seconds, "receipt-queue-stopped");
  g_assert_cmpuint (count_jobs ("not-completed"), ==, 0);

  /* Staff start it again: the same person can have the slip. */
  g_free (cups_tool ("cupsenable", QUEUE, NULL));
  g_string_truncate (said, 0);
  g_assert_true (print_and_wait (receipt, said, &seconds));
  g_test_message ("printed after the restart in %.2f s", seconds);
  finish ();
}

/* The queue refuses jobs (cupsreject). */
static void
test_queue_rejecting (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  MnReceiptPage *receipt;
  g_autofree char *shown = NULL;
  double seconds = 0;

  g_settings_set_string (mn_application_get_settings (mn_test_app), "printer", QUEUE);
  receipt = file_a_request ();
  shown = g_strdup (mn_receipt_page_get_shown (receipt));
  g_free (cups_tool ("cupsreject", "-r", "out of paper", QUEUE, NULL));
  g_assert_false (print_and_wait (receipt, said, &seconds));
  g_free (cups_tool ("cupsaccept", QUEUE, NULL));
  check_failed (receipt, shown, said, seconds, "receipt-queue-rejecting");
  g_assert_cmpuint (count_jobs ("not-completed"), ==, 0);
  finish ();
}

/* The printer was removed after the page offered to print. */
static void
test_printer_gone (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  MnReceiptPage *receipt;
  g_autofree char *shown = NULL;
  double seconds = 0;

  g_settings_set_string (mn_application_get_settings (mn_test_app), "printer", QUEUE);
  receipt = file_a_request ();
  shown = g_strdup (mn_receipt_page_get_shown (receipt));
  g_free (cups_tool ("lpadmin", "-x", QUEUE, NULL));
  g_assert_false (print_and_wait (receipt, said, &seconds));
  add_queue ();
  check_failed (receipt, shown, said, seconds, "receipt-printer-gone");
  finish ();
}

/* The printer goes offline with the job in it: the backend fails, CUPS
 * stops the queue and keeps the job for staff. */
static void
test_printer_offline (void)
{
  g_autofree char *flag = g_strconcat (slip_path, ".offline", NULL);
  g_autoptr(GString) said = g_string_new (NULL);
  MnReceiptPage *receipt;
  g_autofree char *shown = NULL;
  double seconds = 0;

  g_settings_set_string (mn_application_get_settings (mn_test_app), "printer", QUEUE);
  receipt = file_a_request ();
  shown = g_strdup (mn_receipt_page_get_shown (receipt));
  g_assert_true (g_file_set_contents (flag, "", 0, NULL));
  g_assert_false (print_and_wait (receipt, said, &seconds));
  check_failed (receipt, shown, said, seconds, "receipt-printer-offline");
  /* The job waits in the stopped queue for staff. */
  g_assert_cmpuint (count_jobs ("not-completed"), ==, 1);
  g_unlink (flag);
  g_free (cups_tool ("cancel", "-a", QUEUE, NULL));
  g_free (cups_tool ("cupsenable", QUEUE, NULL));
  finish ();
}

/* ---- a busy printer ------------------------------------------------------- */

/* How many requests cupsd's access_log shows whose line has @what (an
 * IPP operation, or "HTTP/" for every request). */
static guint
count_requests (const char *what)
{
  g_autofree char *path = g_build_filename (cups_dir, "log", "access_log", NULL);
  g_autofree char *log = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &log, NULL, NULL))
    return 0;
  for (const char *p = log; (p = strstr (p, what)) != NULL; p++)
    n++;
  return n;
}

/* How many times the kiosk asked CUPS for its printers: each
 * gtk_enumerate_printers() is one CUPS-Get-Printers. */
static guint
count_lookups (void)
{
  return count_requests ("CUPS-Get-Printers");
}

/* Nothing to do: an event wakes the main loop, whose caller looks again. */
static void
on_file_event (GFileMonitor      *monitor,
               GFile             *file,
               GFile             *other,
               GFileMonitorEvent  event,
               gpointer           user_data)
{
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, waking on every change of the
 * file @path (inotify, not a timer); fails after @limit_s seconds. */
static void
wait_for_file (const char *path,
               gboolean  (*done) (gconstpointer data),
               gconstpointer data,
               double      limit_s,
               const char *what)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileMonitor) monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, &error);
  gboolean late = FALSE;
  guint deadline;

  g_assert_no_error (error);
  g_file_monitor_set_rate_limit (monitor, 0);
  g_signal_connect (monitor, "changed", G_CALLBACK (on_file_event), NULL);
  deadline = g_timeout_add ((guint) (limit_s * 1000), on_deadline, &late);
  while (!done (data))
    {
      if (late)
        g_error ("%s did not happen within %.1f s", what, limit_s);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!late)
    g_source_remove (deadline);
}

static gboolean
file_exists (gconstpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
lookups_reached (gconstpointer n)
{
  return count_lookups () >= GPOINTER_TO_UINT (n);
}

/* Waits until the kiosk has asked CUPS for its printers @more times more
 * than @since. */
static void
wait_for_lookups (guint since,
                  guint more)
{
  g_autofree char *path = g_build_filename (cups_dir, "log", "access_log", NULL);

  wait_for_file (path, lookups_reached, GUINT_TO_POINTER (since + more), 10.0,
                 "asking CUPS for the printer's state");
}

/* Runs the main loop for @seconds: the time in which something must NOT
 * happen (no signal says "nothing more will come"). */
static void
run_for (double seconds)
{
  gboolean over = FALSE;

  g_timeout_add ((guint) (seconds * 1000), on_deadline, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* Once a print was answered the kiosk stops asking CUPS anything: a
 * request already sent may still be logged in the first half second,
 * none after that in more than twice the watch interval (the slip's
 * watch looks at the printer every second, and GTK polls a job it
 * still tracks several times a second). */
static void
expect_no_more_lookups (void)
{
  guint lookups, requests;

  run_for (0.5);
  lookups = count_lookups ();
  requests = count_requests ("HTTP/");
  run_for (2.5);
  g_test_message ("after the answer: %u printer lookups, %u requests in all",
                  count_lookups () - lookups, count_requests ("HTTP/") - requests);
  g_assert_cmpuint (count_lookups (), ==, lookups);
  g_assert_cmpuint (count_requests ("HTTP/"), ==, requests);
}

/* The printer is busy with a job of its own (sent with lp) that it does
 * not finish: the slip sent next waits its turn, "pending", which the
 * slip's watch follows by asking CUPS for the printer every second. */
static void
make_printer_busy (void)
{
  g_autofree char *hold = g_strconcat (slip_path, ".hold", NULL);
  g_autofree char *holding = g_strconcat (slip_path, ".holding", NULL);
  g_autofree char *other = g_build_filename (cups_dir, "out", "other-job.txt", NULL);

  g_unlink (holding);
  g_assert_true (g_file_set_contents (hold, "", 0, NULL));
  g_assert_true (g_file_set_contents (other, "someone else's job\n", -1, NULL));
  g_free (cups_tool ("lp", "-d", QUEUE, "-t", "busy", other, NULL));
  wait_for_file (holding, file_exists, holding, 10.0, "the printer starting the other job");
}

/* Staff clear the queue: the other job and the slip that waited. */
static void
clear_busy_printer (void)
{
  g_autofree char *hold = g_strconcat (slip_path, ".hold", NULL);
  g_autofree char *holding = g_strconcat (slip_path, ".holding", NULL);

  g_free (cups_tool ("cancel", "-a", QUEUE, NULL));
  g_unlink (hold);
  g_unlink (holding);
}

/* The session ends (the idle timeout, Home, staff: all reset it) while
 * the slip waits in a busy printer: the next person sees the start
 * screen and hears only what it says, never that "the receipt could not
 * be printed"; the page emits no outcome; the kiosk stops asking CUPS. */
static void
test_busy_reset (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  const char *busy = _("Printing your receipt. Please wait.");
  const char *done = _("Your receipt is printed. Please take it from the printer.");
  MnReceiptPage *receipt;
  int outcome = -1;
  gulong printed, announce;
  guint before;

  g_settings_set_string (mn_application_get_settings (mn_test_app), "printer", QUEUE);
  receipt = file_a_request ();
  make_printer_busy ();
  printed = g_signal_connect (receipt, "printed", G_CALLBACK (on_printed), &outcome);
  before = count_lookups ();
  press ("receipt-print");
  g_assert_true (mn_receipt_page_get_printing (receipt));
  /* The printer is found, the slip spooled behind the other job, and the
   * watch looks at the printer at least twice. */
  wait_for_lookups (before, 3);
  g_assert_true (mn_receipt_page_get_printing (receipt));
  g_assert_cmpint (outcome, <, 0);

  announce = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  mn_window_reset_session (mn_test_window);
  expect_page ("start");
  g_assert_false (mn_receipt_page_get_printing (receipt));
  expect_no_more_lookups ();
  g_signal_handler_disconnect (mn_test_window, announce);
  g_signal_handler_disconnect (receipt, printed);

  g_test_message ("said after the reset: %s", said->str);
  g_assert_cmpint (outcome, <, 0);
  g_assert_null (strstr (said->str, failed_sentence ()));
  g_assert_null (strstr (said->str, done));
  g_assert_null (strstr (said->str, busy));
  g_assert_false (tree_contains (GTK_WIDGET (receipt), failed_sentence ()));
  g_assert_false (tree_contains (GTK_WIDGET (receipt), busy));
  g_assert_null (mn_receipt_page_get_shown (receipt));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), failed_sentence ()));
  clear_busy_printer ();
}

/* A receipt page that goes (the window closes) while its slip waits: the
 * print holds no reference to it, its dispose cancels the print, and
 * the kiosk stops asking CUPS. */
static void
test_busy_page_gone (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = mn_case_code_build ("3302", "01", now, 17, &error);
  MnReceiptPage *page;
  guint before;

  g_assert_no_error (error);
  g_settings_set_string (mn_application_get_settings (mn_test_app), "printer", QUEUE);
  page = MN_RECEIPT_PAGE (g_object_ref_sink (mn_receipt_page_new ()));
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  mn_receipt_page_set_code (page, code);
  g_assert_true (mn_receipt_page_get_can_print (page));
  make_printer_busy ();
  before = count_lookups ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "receipt.print", NULL));
  g_assert_true (mn_receipt_page_get_printing (page));
  wait_for_lookups (before, 3);

  g_object_unref (page);
  /* Nothing else held it: finalized at once, not at the time limit. */
  g_assert_null (page);
  expect_no_more_lookups ();
  clear_busy_printer ();
}

typedef struct
{
  guint   calls;
  gint64  at;
  GError *error;
} Answer;

static void
on_slip_printed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Answer *answer = user_data;

  answer->calls++;
  answer->at = g_get_monotonic_time ();
  g_clear_error (&answer->error);
  g_assert_false (mn_receipt_slip_print_finish (result, &answer->error));
}

static gboolean
answered (gconstpointer answer)
{
  return ((const Answer *) answer)->calls > 0;
}

/* The print itself, cancelled while its slip waits in a busy printer:
 * the answer is G_IO_ERROR_CANCELLED, given once, from the main loop
 * (not inside g_cancellable_cancel()), within a fraction of a second;
 * the watch stops. */
static void
test_busy_cancelled (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(MnReceiptSlip) slip = mn_receipt_slip_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_build_filename (cups_dir, "log", "access_log", NULL);
  Answer answer = { 0 };
  gint64 cancelled_at;
  guint before;

  slip->case_code = mn_case_code_build ("3302", "01", now, 18, &error);
  g_assert_no_error (error);
  slip->filed_at = g_date_time_to_unix (now);
  make_printer_busy ();
  before = count_lookups ();
  mn_receipt_slip_print_async (slip, QUEUE, MN_RECEIPT_PAPER_ROLL_80, NULL, NULL, cancellable,
                               on_slip_printed, &answer);
  wait_for_lookups (before, 3);
  g_assert_cmpuint (answer.calls, ==, 0);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_assert_cmpuint (answer.calls, ==, 0);
  /* Any file will do to wake the loop: the answer comes from an idle. */
  wait_for_file (log, answered, &answer, 5.0, "the cancelled print's answer");
  g_test_message ("answered %.3f s after the cancel: %s",
                  (answer.at - cancelled_at) / (double) G_USEC_PER_SEC, answer.error->message);
  g_assert_error (answer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (answer.at - cancelled_at, <, G_USEC_PER_SEC / 2);
  expect_no_more_lookups ();
  g_assert_cmpuint (answer.calls, ==, 1);
  g_clear_error (&answer.error);
  clear_busy_printer ();
}

/* GTK's CUPS backend asks colord for the printer's colour profile over
 * the system bus, which a test session does not have; it warns and
 * prints without a profile, as a kiosk without colord does. Only that
 * warning is let through; every other one stays fatal. */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (log_level & G_LOG_LEVEL_WARNING)
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
          g_str_has_prefix (fields[i].value, "failed to contact colord"))
        {
          g_test_message ("GTK: %s", (const char *) fields[i].value);
          return G_LOG_WRITER_HANDLED;
        }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_log_set_writer_func (write_log, NULL, NULL);
  if (!start_cupsd ())
    {
      /* Before g_test_init (gtk_test_init calls it): TAP by hand. */
      g_print ("1..0 # SKIP cupsd or lpadmin is not installed (Debian: cups-daemon, cups-client)\n");
      return 0;
    }
  if (!mn_test_ui_init (&argc, &argv, "receipt-cups"))
    {
      stop_cupsd ();
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  flow = mn_application_get_filing_flow (mn_test_app);

  g_test_add_func ("/receipt-cups/print", test_print);
  g_test_add_func ("/receipt-cups/queue-stopped", test_queue_stopped);
  g_test_add_func ("/receipt-cups/queue-rejecting", test_queue_rejecting);
  g_test_add_func ("/receipt-cups/printer-gone", test_printer_gone);
  g_test_add_func ("/receipt-cups/printer-offline", test_printer_offline);
  g_test_add_func ("/receipt-cups/busy-reset", test_busy_reset);
  g_test_add_func ("/receipt-cups/busy-page-gone", test_busy_page_gone);
  g_test_add_func ("/receipt-cups/busy-cancelled", test_busy_cancelled);

  status = g_test_run ();
  mn_test_ui_shutdown ();
  stop_cupsd ();
  return status;
}

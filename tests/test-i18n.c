#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>
#include <glib.h>

/* GNU gettext ignores LANGUAGE only when the locale is exactly "C" or "POSIX"; C.UTF-8 is
 * built into glibc, so LANGUAGE=de selects German without generating a German locale (which
 * would need root). de_DE.UTF-8 is the fallback for a libc without a built-in C.UTF-8. */
static const char * const utf8_locales[] = { "C.UTF-8", "C.utf8", "de_DE.UTF-8", NULL };

static gboolean
switch_to_german (void)
{
  g_setenv ("LANGUAGE", "de", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");

  for (guint i = 0; utf8_locales[i] != NULL; i++)
    if (setlocale (LC_ALL, utf8_locales[i]) != NULL)
      {
        bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
        bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
        return TRUE;
      }

  g_test_skip ("no UTF-8 locale (C.UTF-8 or de_DE.UTF-8) can be selected on this machine");
  return FALSE;
}

static void
test_catalogue_compiled (void)
{
  g_autofree char *linguas_path = g_build_filename (REEL_SOURCE_ROOT, "po", "LINGUAS", NULL);
  g_autofree char *linguas = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint languages = 0;

  /* Every language the project claims is built where bindtextdomain() looks in the build
   * tree, in the layout that gets installed. */
  g_file_get_contents (linguas_path, &linguas, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (linguas, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *mo = NULL;
      const char *lang = g_strstrip (lines[i]);

      if (lang[0] == '\0' || lang[0] == '#')
        continue;
      mo = g_build_filename (BUILD_LOCALEDIR, lang, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      g_test_message ("catalogue %s", mo);
      g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
      languages++;
    }
  g_assert_cmpuint (languages, >=, 1);
}

static void
test_catalogue_loads (void)
{
  /* Strings from four kinds of source: the command line (C), the schema, the desktop file and
   * the metainfo. A German word that comes back proves the catalogue was found and read. */
  const struct { const char *msgid; const char *german; } known[] = {
    { "Usage:", "Aufruf:" },
    { "Width of the main window", "Breite des Hauptfensters" },
    { "Recently opened projects", "Zuletzt geöffnete Projekte" },
    { "Storyboard Studio", "Storyboard-Studio" },
    { "Plan a film shot by shot and preview it", "Einen Film Einstellung für Einstellung planen "
      "und als Vorschau ansehen" },
  };

  if (!switch_to_german ())
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    g_assert_cmpstr (dgettext (GETTEXT_PACKAGE, known[i].msgid), ==, known[i].german);
}

static void
test_catalogue_complete (void)
{
  g_autofree char *po = g_build_filename (REEL_SOURCE_ROOT, "po", "de.po", NULL);
  const char *argv[] = { MSGFMT, "--check", "--statistics", "-o", "/dev/null", po, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  guint64 translated;
  char *end;
  int status;

  /* msgfmt's statistics are parsed, so they must be in English whatever ran before. */
  env = g_environ_setenv (env, "LC_ALL", "C", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_test_message ("msgfmt: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* msgfmt prints "N translated messages." and adds ", N fuzzy translations" and
   * ", N untranslated messages" only when there are any. */
  g_assert_null (strstr (err, "fuzzy"));
  g_assert_null (strstr (err, "untranslated"));
  translated = g_ascii_strtoull (err, &end, 10);
  g_assert_true (g_str_has_prefix (end, " translated message"));
  g_assert_cmpuint (translated, >, 20);
}

static char *
run_reel_help (const char *language,
               const char *locale)
{
  const char *argv[] = { REEL_BINARY, "--help", NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  env = g_environ_unsetenv (env, "LC_MESSAGES");
  env = g_environ_setenv (env, "LC_ALL", locale, TRUE);
  env = language != NULL ? g_environ_setenv (env, "LANGUAGE", language, TRUE)
                         : g_environ_unsetenv (env, "LANGUAGE");
  /* reel reads its catalogues from the build tree when REEL_DATADIR says it runs there. */
  env = g_environ_setenv (env, "REEL_DATADIR", REEL_SOURCE_ROOT "/data", TRUE);

  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
test_cli_help_german (void)
{
  g_autofree char *english = NULL;
  g_autofree char *german = NULL;
  const char *usage_de;

  if (!switch_to_german ())
    return;

  usage_de = dgettext (GETTEXT_PACKAGE, "Usage:");
  g_assert_cmpstr (usage_de, !=, "Usage:");

  english = run_reel_help (NULL, "C");
  german = run_reel_help ("de", setlocale (LC_ALL, NULL));
  g_test_message ("English:\n%s\nGerman:\n%s", english, german);

  g_assert_nonnull (strstr (english, "Usage:"));
  g_assert_nonnull (strstr (german, usage_de));
  g_assert_null (strstr (german, "Usage:"));
  g_assert_cmpstr (german, !=, english);
}

int
main (int   argc,
      char *argv[])
{
  /* msgfmt's statistics and the reference help text are read in English. */
  g_setenv ("LC_ALL", "C", TRUE);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/catalogue/compiled", test_catalogue_compiled);
  g_test_add_func ("/i18n/catalogue/complete", test_catalogue_complete);
  g_test_add_func ("/i18n/catalogue/loads", test_catalogue_loads);
  g_test_add_func ("/i18n/cli/help-german", test_cli_help_german);

  return g_test_run ();
}

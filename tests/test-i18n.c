#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

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

static void
collect_translatable_files (const char *relative_dir,
                            GRegex     *c_calls,
                            GPtrArray  *found)
{
  g_autofree char *dir = g_build_filename (REEL_SOURCE_ROOT, relative_dir, NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *relative = g_build_filename (relative_dir, name, NULL);
      g_autofree char *path = g_build_filename (REEL_SOURCE_ROOT, relative, NULL);
      g_autofree char *contents = NULL;
      gboolean translatable = FALSE;

      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          collect_translatable_files (relative, c_calls, found);
          continue;
        }
      if (g_str_has_suffix (name, ".desktop.in") || g_str_has_suffix (name, ".metainfo.xml.in")
          || g_str_has_suffix (name, ".gschema.xml"))
        translatable = TRUE;
      else if (g_str_has_suffix (name, ".c") && g_file_get_contents (path, &contents, NULL, NULL))
        translatable = g_regex_match (c_calls, contents, 0, NULL);
      else if (g_str_has_suffix (name, ".ui") && g_file_get_contents (path, &contents, NULL, NULL))
        translatable = strstr (contents, "translatable=\"yes\"") != NULL;
      if (translatable)
        g_ptr_array_add (found, g_steal_pointer (&relative));
    }
}

static void
test_potfiles_complete (void)
{
  g_autofree char *potfiles_path = g_build_filename (REEL_SOURCE_ROOT, "po", "POTFILES.in",
                                                     NULL);
  g_autoptr(GRegex) c_calls = g_regex_new ("(?<![\\w.>])(_|N_|C_|NC_|ngettext|g_dngettext|"
                                           "g_dpgettext2)\\s*\\(", 0, 0, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) unlisted = g_string_new (NULL);
  g_autoptr(GString) vanished = g_string_new (NULL);
  g_autofree char *potfiles = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (potfiles_path, &potfiles, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (potfiles, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      const char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;
      /* xgettext stops at the first listed file that is missing, so the template breaks. */
      path = g_build_filename (REEL_SOURCE_ROOT, line, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (vanished, " %s", line);
      g_hash_table_add (listed, g_strdup (line));
    }

  /* A file with translatable strings that POTFILES.in misses never reaches translators. The
   * engine's error messages reach people too, so render/ counts once it marks any. */
  collect_translatable_files ("app", c_calls, found);
  collect_translatable_files ("ui", c_calls, found);
  collect_translatable_files ("data", c_calls, found);
  collect_translatable_files ("render", c_calls, found);
  g_assert_cmpuint (found->len, >=, 3);
  for (guint i = 0; i < found->len; i++)
    if (!g_hash_table_contains (listed, g_ptr_array_index (found, i)))
      g_string_append_printf (unlisted, " %s", (char *) g_ptr_array_index (found, i));

  if (unlisted->len > 0 || vanished->len > 0)
    g_test_message ("po/POTFILES.in must list every file under app/, ui/, data/ and render/ "
                    "with translatable strings, and only files that exist");
  g_assert_cmpstr (unlisted->str, ==, "");
  g_assert_cmpstr (vanished->str, ==, "");
}

static void
test_catalogue_covers_sources (void)
{
  g_autofree char *xgettext = g_find_program_in_path ("xgettext");
  g_autofree char *msgcmp = g_find_program_in_path ("msgcmp");
  g_autofree char *tmpdir = NULL;
  g_autofree char *pot = NULL;
  g_autofree char *po = g_build_filename (REEL_SOURCE_ROOT, "po", "de.po", NULL);
  g_autofree char *potfiles = g_build_filename (REEL_SOURCE_ROOT, "po", "POTFILES.in", NULL);
  g_autofree char *files_from = NULL;
  g_autofree char *output = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status;

  if (xgettext == NULL || msgcmp == NULL)
    {
      g_test_skip ("xgettext or msgcmp not found; install gettext");
      return;
    }

  tmpdir = g_dir_make_tmp ("reel-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  pot = g_build_filename (tmpdir, "reel.pot", NULL);
  files_from = g_strconcat ("--files-from=", potfiles, NULL);
  output = g_strconcat ("--output=", pot, NULL);
  env = g_environ_setenv (env, "LC_ALL", "C", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");

  {
    /* The same keywords as meson's i18n "glib" preset, which builds the real template. */
    const char *argv[] = {
      xgettext, "--package-name=" GETTEXT_PACKAGE, "--from-code=UTF-8", "--add-comments",
      "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
      "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
      "--directory=" REEL_SOURCE_ROOT, files_from, output, NULL
    };

    g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status,
                  &error);
    g_assert_no_error (error);
    g_test_message ("xgettext: %s", err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  {
    /* msgcmp fails for every string of the fresh template that de.po lacks or leaves
     * untranslated, and names each one. */
    const char *argv[] = { msgcmp, po, pot, NULL };

    g_clear_pointer (&err, g_free);
    g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status,
                  &error);
    g_assert_no_error (error);
  }

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *pot_text = NULL;
      g_auto(GStrv) pot_lines = NULL;
      g_autoptr(GRegex) where = g_regex_new ("reel\\.pot:(\\d+): this message is used but not "
                                             "defined", 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;
      g_autoptr(GString) missing = g_string_new (NULL);

      /* msgcmp names template line numbers only; quote the strings themselves. */
      g_file_get_contents (pot, &pot_text, NULL, NULL);
      pot_lines = g_strsplit (pot_text != NULL ? pot_text : "", "\n", -1);
      g_regex_match (where, err, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *number = g_match_info_fetch (match, 1);
          guint64 line = g_ascii_strtoull (number, NULL, 10);

          if (line >= 1 && line <= g_strv_length (pot_lines))
            g_string_append_printf (missing, "\n  %s", pot_lines[line - 1]);
          g_match_info_next (match, NULL);
        }
      g_test_message ("po/de.po lacks translations for strings in the sources; run "
                      "`meson compile -C BUILD reel-pot reel-update-po` and translate them:%s",
                      missing->str);
    }

  g_remove (pot);
  g_rmdir (tmpdir);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
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
  g_test_add_func ("/i18n/catalogue/covers-sources", test_catalogue_covers_sources);
  g_test_add_func ("/i18n/potfiles/complete", test_potfiles_complete);
  g_test_add_func ("/i18n/cli/help-german", test_cli_help_german);

  return g_test_run ();
}

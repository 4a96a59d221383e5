#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "reel-cli.h"
#include "reel-application.h"

static const char *
find_localedir (void)
{
  /* Running from the build tree (meson devenv, tests) uses the freshly compiled catalogues. */
  if (g_getenv ("REEL_DATADIR") != NULL && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return BUILD_LOCALEDIR;
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ReelApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, find_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Subcommands run headless, so a render farm node needs no display. */
  if (argc > 1 && reel_cli_is_command (argv[1]))
    return reel_cli_run (argc - 1, argv + 1);

  app = reel_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reel-cli.h"
#include "reel-commands.h"

/* Only implemented subcommands are listed: a name here is a promise that it works. */
static const ReelCommand commands[] = {
  { "new",  N_("Create an empty project bundle"),              reel_cmd_new },
  { "info", N_("Print a project's shots, cues and takes"),     reel_cmd_info },
  { "devices", N_("List the Vulkan devices and the one used"), reel_cmd_devices },
  { "bench", N_("Measure the engine or the prompt safety policy: reel bench engine|safety "
                 "[--json]"), reel_cmd_bench },
  { "verify", N_("Validate a file's C2PA manifest: reel verify FILE [--trust ROOT.pem]"),
    reel_cmd_verify },
  { "export", N_("Write the cut to a video file: reel export PROJECT -o FILE"), reel_cmd_export },
};

static const ReelCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

gboolean
reel_cli_is_command (const char *name)
{
  return name != NULL && (find_command (name) != NULL
                          || g_str_equal (name, "help")
                          || g_str_equal (name, "--help")
                          || g_str_equal (name, "-h")
                          || g_str_equal (name, "--version"));
}

void
reel_cli_print_help (FILE *stream)
{
  fprintf (stream, "%s\n  reel [PROJECT.reel]\n", _("Usage:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  reel %-8s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("With no command, or with a project path, the studio opens."));
}

int
reel_cli_run (int    argc,
              char **argv)
{
  const ReelCommand *command;

  g_return_val_if_fail (argc >= 1, 2);

  if (g_str_equal (argv[0], "--version"))
    {
      printf ("reel %s\n", PACKAGE_VERSION);
      return 0;
    }

  command = find_command (argv[0]);
  if (command == NULL)
    {
      /* reel_cli_is_command() let only the help spellings through without a command. */
      reel_cli_print_help (stdout);
      return 0;
    }

  return command->run (argc, argv);
}

#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

/* One headless subcommand: `reel NAME ARGS...`. `run` receives argv with argv[0] = NAME and
 * returns the process exit status. */
typedef struct
{
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} ReelCommand;

gboolean           reel_cli_is_command (const char *name);
int                reel_cli_run        (int    argc,
                                        char **argv);
void               reel_cli_print_help (FILE  *stream);

G_END_DECLS

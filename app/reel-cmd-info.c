#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "reel-commands.h"
#include "reel-project-error.h"

int
reel_cmd_info (int    argc,
              char **argv)
{
  fprintf (stderr, "%s\n", _("reel info: not built yet"));
  return 1;
}

#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "reel-commands.h"
#include "reel-project-io.h"
#include "reel-project-private.h"

/* reel new PATH: an empty storyboard in a new NAME.reel bundle, titled after NAME. */
int
reel_cmd_new (int    argc,
              char **argv)
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;

  if (argc != 2 || g_str_has_prefix (argv[1], "-"))
    {
      fprintf (stderr, "%s\n  reel new PATH[.reel]\n%s\n", _("Usage:"),
               _("Creates an empty project bundle; an existing one is never overwritten."));
      return 2;
    }

  path = g_str_has_suffix (argv[1], ".reel") ? g_strdup (argv[1])
                                             : g_strconcat (argv[1], ".reel", NULL);
  bundle = g_file_new_for_commandline_arg (path);
  g_free (path);
  path = g_file_get_path (bundle);

  /* mkdir, not a test-then-create, so that two runs cannot both think they created it. */
  if (g_mkdir (path, 0777) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        fprintf (stderr, _("reel new: “%s” already exists. Choose another name: reel new "
                           "never overwrites a project.\n"), path);
      else
        fprintf (stderr, _("reel new: could not create “%s”: %s. Check that the parent "
                           "folder exists and that you may write to it.\n"),
                 path, g_strerror (saved_errno));
      return 1;
    }

  basename = g_path_get_basename (path);
  title = g_strndup (basename, strlen (basename) - strlen (".reel"));
  project = reel_project_new ();
  if (*title != '\0')
    reel_project_set_title_internal (project, title);

  if (!reel_project_save_as (project, bundle, &error))
    {
      g_autofree char *media = g_build_filename (path, "media", NULL);

      fprintf (stderr, "reel new: %s\n", error->message);
      g_rmdir (media);
      g_rmdir (path);
      return 1;
    }

  printf (_("Created %s\n"), path);
  return 0;
}

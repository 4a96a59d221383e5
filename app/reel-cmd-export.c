#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "reel-commands.h"
#include "reel-export.h"
#include "reel-media-error.h"
#include "reel-project-io.h"

typedef struct
{
  GAsyncResult *result;
  gboolean      show_progress;
  int           last_percent;
} ExportRun;

static void
progress_cb (gint64   position,
             gint64   duration,
             gpointer user_data)
{
  ExportRun *run = user_data;
  int percent = duration > 0 ? (int) (100 * position / duration) : 0;

  if (!run->show_progress || percent == run->last_percent)
    return;
  run->last_percent = percent;
  fprintf (stderr, "\r%s %3d%%", _("Exporting…"), percent);
  fflush (stderr);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ExportRun *run = user_data;

  run->result = g_object_ref (result);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_captions (const char         *value,
                ReelExportCaptions *out_captions)
{
  if (value == NULL || g_str_equal (value, "sidecar"))
    *out_captions = REEL_EXPORT_CAPTIONS_SIDECAR;
  else if (g_str_equal (value, "burn"))
    *out_captions = REEL_EXPORT_CAPTIONS_BURN;
  else if (g_str_equal (value, "none"))
    *out_captions = REEL_EXPORT_CAPTIONS_NONE;
  else
    return FALSE;
  return TRUE;
}

/* reel export PROJECT -o FILE [--format mp4|webm] [--width W] [--shot N [--take T]]
 * [--captions burn|sidecar|none]. Ctrl-C cancels and leaves no partial file. Exit status 0 on
 * success, 1 when the export failed, 2 for a usage error. */
int
reel_cmd_export (int    argc,
                 char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  g_autofree char *take = NULL;
  g_autofree char *captions = NULL;
  int width = 1280, shot = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The video file to write"),
      N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("mp4 (H.264 and AAC) or webm (VP9 and "
      "Opus); by default from the file name"), N_("FORMAT") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Frame width in pixels, up to 1920 (default "
      "1280); the height follows the aspect"), N_("W") },
    { "shot", 0, 0, G_OPTION_ARG_INT, &shot, N_("Export only this shot (1 is the first)"),
      N_("N") },
    { "take", 0, 0, G_OPTION_ARG_STRING, &take, N_("With --shot: this take instead of the "
      "selected one"), N_("ID") },
    { "captions", 0, 0, G_OPTION_ARG_STRING, &captions, N_("Dialogue captions: sidecar "
      "(.vtt and .srt beside the file, the default), burn (drawn into the picture too) or "
      "none"), N_("MODE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ReelExportOptions options = REEL_EXPORT_OPTIONS_INIT;
  ExportRun run = { NULL, isatty (STDERR_FILENO), -1 };
  guint interrupt;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Write the storyboard’s cut (or one shot) to a "
                                           "video file with a visible AI-generated watermark "
                                           "and a signed C2PA manifest."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("reel export: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || output == NULL)
    {
      g_printerr ("reel export: %s\n", _("give one PROJECT and the file to write with -o FILE"));
      return 2;
    }
  if (format != NULL)
    {
      if (g_ascii_strcasecmp (format, "mp4") == 0)
        options.format = REEL_EXPORT_FORMAT_MP4;
      else if (g_ascii_strcasecmp (format, "webm") == 0)
        options.format = REEL_EXPORT_FORMAT_WEBM;
      else
        {
          g_printerr ("reel export: %s\n", _("--format must be mp4 or webm"));
          return 2;
        }
    }
  else if (!reel_export_format_from_path (output, &options.format))
    {
      g_printerr ("reel export: %s\n", _("cannot tell the format from the file name: end it "
                                         "in .mp4 or .webm, or give --format"));
      return 2;
    }
  if (width < 16 || width > 1920)
    {
      g_printerr ("reel export: %s\n", _("--width must be between 16 and 1920"));
      return 2;
    }
  if (!parse_captions (captions, &options.captions))
    {
      g_printerr ("reel export: %s\n", _("--captions must be sidecar, burn or none"));
      return 2;
    }
  if (take != NULL && shot == 0)
    {
      g_printerr ("reel export: %s\n", _("--take needs --shot: takes belong to a shot"));
      return 2;
    }
  options.width = width;
  options.shot = shot - 1;
  options.take_id = take;

  bundle = g_file_new_for_commandline_arg (argv[1]);
  project = reel_project_load (bundle, &error);
  if (project == NULL)
    {
      g_printerr ("reel export: %s\n", error->message);
      return 1;
    }

  interrupt = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  reel_export_async (project, output, &options, cancellable, progress_cb, &run, done_cb, &run);
  while (run.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (interrupt);
  if (run.show_progress && run.last_percent >= 0)
    fputc ('\n', stderr);

  ok = reel_export_finish (project, run.result, &error);
  g_object_unref (run.result);
  if (!ok)
    {
      g_printerr ("reel export: %s\n", error->message);
      return 1;
    }
  printf (_("Wrote %s\n"), output);
  return 0;
}

#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reel-commands.h"
#include "reel-project-io.h"

static void
print_takes (GListModel *takes,
             ReelTake   *selected,
             const char *parent_id,
             guint       depth)
{
  for (guint i = 0; i < g_list_model_get_n_items (takes); i++)
    {
      g_autoptr(ReelTake) take = g_list_model_get_item (takes, i);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *created = NULL;

      if (g_strcmp0 (reel_take_get_parent_id (take), parent_id) != 0)
        continue;

      local = g_date_time_to_local (reel_take_get_created (take));
      created = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
      printf ("    %*s%s %s  %s%s\n", (int) depth * 2, "", depth > 0 ? "└" : "•",
              reel_take_get_id (take), created, take == selected ? _("  (selected)") : "");
      if (reel_take_get_video (take) != NULL)
        printf ("    %*s    %s %s\n", (int) depth * 2, "", _("video"), reel_take_get_video (take));
      if (reel_take_get_audio (take) != NULL)
        printf ("    %*s    %s %s\n", (int) depth * 2, "", _("audio"), reel_take_get_audio (take));
      /* The remix tree: a take's children follow it, indented. */
      print_takes (takes, selected, reel_take_get_id (take), depth + 1);
    }
}

static void
print_shot (ReelShot *shot,
            guint     number)
{
  GListModel *list;
  guint n;

  printf ("\n%s %u: %s\n", _("Shot"), number, reel_shot_get_title (shot));
  printf ("  %-12s %s\n", _("id"), reel_shot_get_id (shot));
  printf ("  %-12s %.1f s   %s %s   %s %" G_GINT64_FORMAT "   %s %s\n", _("duration"),
          reel_shot_get_duration (shot), _("aspect"),
          reel_aspect_to_string (reel_shot_get_aspect (shot)), _("seed"),
          reel_shot_get_seed (shot), _("style"),
          *reel_shot_get_style (shot) ? reel_shot_get_style (shot) : "—");
  printf ("  %-12s %s, %s %.2g, %g mm, %d fps\n", _("camera"),
          reel_camera_move_to_label (reel_shot_get_camera_move (shot)), _("speed"),
          reel_shot_get_camera_speed (shot), reel_shot_get_lens_mm (shot),
          reel_shot_get_fps (shot));
  printf ("  %-12s %s\n", _("prompt"), reel_shot_get_prompt (shot));

  list = reel_shot_get_dialogue (shot);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelDialogueLine) line = g_list_model_get_item (list, i);
      const char *voice = reel_dialogue_line_get_voice (line);

      printf ("  %-12s %4.1f s  %s%s%s%s: “%s”\n", i == 0 ? _("dialogue") : "",
              reel_dialogue_line_get_offset (line), reel_dialogue_line_get_speaker (line),
              *voice ? " (" : "", voice, *voice ? ")" : "", reel_dialogue_line_get_text (line));
    }

  list = reel_shot_get_sfx (shot);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelSfxCue) cue = g_list_model_get_item (list, i);

      printf ("  %-12s %4.1f s  %s\n", i == 0 ? _("sfx") : "", reel_sfx_cue_get_offset (cue),
              reel_sfx_cue_get_description (cue));
    }

  if (*reel_shot_get_music_mood (shot) != '\0')
    printf ("  %-12s %s (%s %.2f)\n", _("music"), reel_shot_get_music_mood (shot),
            _("intensity"), reel_shot_get_music_intensity (shot));

  list = reel_shot_get_text_cues (shot);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ReelTextCue) cue = g_list_model_get_item (list, i);

      printf ("  %-12s %4.1f–%.1f s  %s, %s: “%s”\n", i == 0 ? _("text") : "",
              reel_text_cue_get_start (cue), reel_text_cue_get_end (cue),
              reel_text_position_to_label (reel_text_cue_get_position (cue)),
              reel_text_style_to_label (reel_text_cue_get_style (cue)),
              reel_text_cue_get_text (cue));
    }

  printf ("  %-12s %s\n", _("start image"),
          reel_shot_get_start_image (shot) ? reel_shot_get_start_image (shot) : _("none"));

  list = reel_shot_get_takes (shot);
  if (g_list_model_get_n_items (list) == 0)
    printf ("  %-12s %s\n", _("takes"), _("none"));
  else
    {
      printf ("  %s (%u)\n", _("takes"), g_list_model_get_n_items (list));
      print_takes (list, reel_shot_get_selected_take (shot), NULL, 0);
    }
}

/* reel info PROJECT [--json]: everything a storyboard holds, for people or (with --json, the
 * same document a save writes) for scripts such as a render farm's job generator. */
int
reel_cmd_info (int    argc,
               char **argv)
{
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(GError) error = NULL;
  const char *project_arg = NULL;
  gboolean json = FALSE;
  gboolean usage_error = FALSE;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json"))
        json = TRUE;
      else if (project_arg == NULL && argv[i][0] != '-')
        project_arg = argv[i];
      else
        usage_error = TRUE;
    }
  if (project_arg == NULL || usage_error)
    {
      fprintf (stderr, "%s\n  reel info PROJECT.reel [--json]\n", _("Usage:"));
      return 2;
    }

  bundle = g_file_new_for_commandline_arg (project_arg);
  project = reel_project_load (bundle, &error);
  if (project == NULL)
    {
      fprintf (stderr, "reel info: %s\n", error->message);
      return 1;
    }

  if (json)
    {
      gsize length;
      g_autofree char *data = reel_project_to_data (project, &length);

      fwrite (data, 1, length, stdout);
      return 0;
    }

  printf ("%s\n%s\n", reel_project_get_title (project), reel_project_get_path (project));
  printf (g_dngettext (GETTEXT_PACKAGE, "%u shot, %.1f s", "%u shots, %.1f s",
                       reel_project_get_n_shots (project)),
          reel_project_get_n_shots (project), reel_project_get_total_duration (project));
  printf ("\n");
  for (guint i = 0; i < reel_project_get_n_speakers (project); i++)
    printf ("%s %s: %s\n", i == 0 ? _("Voices:") : "       ",
            reel_project_get_speaker_name (project, i),
            reel_project_get_speaker_voice (project, i));

  for (guint i = 0; i < reel_project_get_n_shots (project); i++)
    print_shot (reel_project_get_shot (project, i), i + 1);
  return 0;
}

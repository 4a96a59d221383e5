#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "reel-project-io.h"
#include "reel-project-private.h"

/* `reel new` and `reel info`, run as a user would run them. */

typedef struct
{
  int status;
  char *out;
  char *err;
} RunResult;

static void
run_result_clear (RunResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

static RunResult
run_reel (const char *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  RunResult r = { 0, NULL, NULL };
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) REEL_BINARY);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  /* Untranslated output, so the test can look for words. */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "", TRUE);
  g_spawn_sync (NULL, (char **) args->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                &r.status, &error);
  g_assert_no_error (error);
  g_test_message ("reel %s -> %d\n%s%s", first, r.status, r.out, r.err);
  return r;
}

static gboolean
exited_with (RunResult *r,
             int        code)
{
  return WIFEXITED (r->status) && WEXITSTATUS (r->status) == code;
}

static void
test_cli_new (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-cli-XXXXXX", NULL);
  g_autofree char *target = g_build_filename (tmp, "My Film", NULL);
  g_autofree char *bundle = g_build_filename (tmp, "My Film.reel", NULL);
  g_autofree char *json_path = g_build_filename (bundle, "project.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  RunResult r;

  /* ".reel" is added when missing. */
  r = run_reel ("new", target, NULL);
  g_assert_true (exited_with (&r, 0));
  run_result_clear (&r);
  file = g_file_new_for_path (bundle);
  project = reel_project_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reel_project_get_title (project), ==, "My Film");
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 0);
  g_assert_true (g_file_get_contents (json_path, &before, NULL, NULL));

  /* It never overwrites: not the new project, and not one that has content. */
  r = run_reel ("new", bundle, NULL);
  g_assert_true (exited_with (&r, 1));
  g_assert_nonnull (strstr (r.err, bundle));
  g_assert_nonnull (strstr (r.err, "already exists"));
  run_result_clear (&r);
  g_assert_true (g_file_get_contents (json_path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  r = run_reel ("new", NULL);
  g_assert_true (exited_with (&r, 2));
  run_result_clear (&r);
}

static char *
make_project_with_takes (const char *tmp)
{
  char *bundle = g_build_filename (tmp, "takes.reel", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (bundle);
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelShot) shot = reel_shot_new_with_id ("shot-1");
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("Vera", "en-us+f4",
                                                             "Are you the man who finds people?",
                                                             2.2);
  g_autoptr(ReelSfxCue) sfx = reel_sfx_cue_new ("door creak", 0.2);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("1947", 0.5, 3.5);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 25, 14, 0, 0);
  g_autoptr(ReelTake) root = reel_take_new_full ("take-root", NULL, when, NULL);
  g_autoptr(ReelTake) remix = reel_take_new_full ("take-remix", "take-root", when, NULL);
  g_autoptr(ReelTake) remix2 = reel_take_new_full ("take-remix-of-remix", "take-remix", when,
                                                   NULL);
  g_autoptr(ReelTake) other = reel_take_new_full ("take-other", NULL, when, NULL);
  g_autoptr(GError) error = NULL;

  reel_project_set_title_internal (project, "Takes");
  reel_shot_set_title (shot, "The door opens");
  reel_shot_set_prompt (shot, "a frosted glass door swings open");
  reel_shot_set_camera_move (shot, REEL_CAMERA_MOVE_PAN_RIGHT);
  reel_shot_set_lens_mm (shot, 35);
  reel_shot_set_music_mood (shot, "slow sax motif");
  reel_shot_append_cue_internal (shot, G_OBJECT (line));
  reel_shot_append_cue_internal (shot, G_OBJECT (sfx));
  reel_shot_append_cue_internal (shot, G_OBJECT (text));
  reel_shot_append_take_internal (shot, root);
  reel_shot_append_take_internal (shot, other);
  reel_shot_append_take_internal (shot, remix);
  reel_shot_append_take_internal (shot, remix2);
  reel_shot_set_selected_take (shot, remix);
  reel_project_append_shot_internal (project, shot);
  g_assert_true (reel_project_save_as (project, file, &error));
  g_assert_no_error (error);
  return bundle;
}

static void
test_cli_info (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-cli-XXXXXX", NULL);
  g_autofree char *bundle = make_project_with_takes (tmp);
  g_autofree char *json_path = g_build_filename (bundle, "project.json", NULL);
  g_autofree char *on_disk = NULL;
  const char *root_line, *remix_line, *remix2_line, *other_line;
  RunResult r;

  r = run_reel ("info", bundle, NULL);
  g_assert_true (exited_with (&r, 0));
  g_assert_nonnull (strstr (r.out, "Takes\n"));
  g_assert_nonnull (strstr (r.out, "Shot 1: The door opens"));
  g_assert_nonnull (strstr (r.out, "Pan right"));
  g_assert_nonnull (strstr (r.out, "35 mm"));
  g_assert_nonnull (strstr (r.out, "a frosted glass door swings open"));
  g_assert_nonnull (strstr (r.out, "Vera (en-us+f4): “Are you the man who finds people?”"));
  g_assert_nonnull (strstr (r.out, "door creak"));
  g_assert_nonnull (strstr (r.out, "slow sax motif"));
  g_assert_nonnull (strstr (r.out, "“1947”"));

  /* The remix tree: each child right after its parent, one level deeper. */
  root_line = strstr (r.out, "• take-root");
  remix_line = strstr (r.out, "  └ take-remix ");
  remix2_line = strstr (r.out, "    └ take-remix-of-remix");
  other_line = strstr (r.out, "• take-other");
  g_assert_nonnull (root_line);
  g_assert_nonnull (remix_line);
  g_assert_nonnull (remix2_line);
  g_assert_nonnull (other_line);
  g_assert_true (root_line < remix_line && remix_line < remix2_line && remix2_line < other_line);
  g_assert_nonnull (strstr (remix_line, "(selected)"));
  g_assert_true (strstr (remix_line, "(selected)") < remix2_line);
  run_result_clear (&r);

  /* --json is the document itself. */
  r = run_reel ("info", "--json", bundle, NULL);
  g_assert_true (exited_with (&r, 0));
  g_assert_true (g_file_get_contents (json_path, &on_disk, NULL, NULL));
  g_assert_cmpstr (r.out, ==, on_disk);
  run_result_clear (&r);
}

static void
test_cli_info_errors (void)
{
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "malformed-projects",
                                                "unknown-camera-move.reel", NULL);
  RunResult r;

  r = run_reel ("info", bad, NULL);
  g_assert_true (exited_with (&r, 1));
  g_assert_nonnull (strstr (r.err, "shots[2].camera.move"));
  g_assert_nonnull (strstr (r.err, "swoop"));
  g_assert_cmpstr (r.out, ==, "");
  run_result_clear (&r);

  r = run_reel ("info", "/nonexistent/x.reel", NULL);
  g_assert_true (exited_with (&r, 1));
  g_assert_nonnull (strstr (r.err, "/nonexistent/x.reel"));
  run_result_clear (&r);

  r = run_reel ("info", NULL);
  g_assert_true (exited_with (&r, 2));
  run_result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/new", test_cli_new);
  g_test_add_func ("/cli/info", test_cli_info);
  g_test_add_func ("/cli/info-errors", test_cli_info_errors);

  return g_test_run ();
}

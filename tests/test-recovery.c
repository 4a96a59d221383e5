#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "reel-autosave.h"
#include "reel-media-store.h"
#include "reel-project-io.h"
#include "reel-project-private.h"
#include "reel-recovery.h"

/* Autosave and crash recovery: an edit is written to a recovery file after an idle pause, the
 * next start finds it, loading it gives back the edits, and saving or discarding removes it. */

#define IDLE_MS 20

static char *
copy_example (const char *tmp)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                "noir-detective.reel", "project.json", NULL);
  char *bundle = g_build_filename (tmp, "noir.reel", NULL);
  g_autofree char *dst = g_build_filename (bundle, "project.json", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (g_mkdir_with_parents (bundle, 0755), ==, 0);
  g_assert_true (g_file_get_contents (src, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (dst, contents, length, NULL));
  return bundle;
}

static ReelProject *
load (const char *bundle)
{
  g_autoptr(GFile) file = g_file_new_for_path (bundle);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_load (file, &error);

  g_assert_no_error (error);
  return project;
}

/* Runs the main loop until the project's recovery file exists; the autosave timer is the only
 * source, so this returns once it has fired. */
static GFile *
wait_for_recovery (ReelProject *project)
{
  GFile *file;

  while ((file = reel_project_get_recovery_file (project)) == NULL
         || !g_file_query_exists (file, NULL))
    g_main_context_iteration (NULL, TRUE);
  return file;
}

static void
test_recovery_autosave_and_restore (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-recovery-XXXXXX", NULL);
  g_autofree char *bundle = copy_example (tmp);
  g_autofree char *title = NULL;
  g_autofree char *bundle_path = NULL;
  g_autoptr(GDateTime) written = NULL;
  g_autoptr(ReelProject) project = load (bundle);
  g_autoptr(ReelProject) restored = NULL;
  g_autoptr(ReelAutosave) autosave = reel_autosave_new (project, IDLE_MS);
  g_autoptr(GFile) pending = NULL;
  g_autoptr(GError) error = NULL;
  GFile *recovery;
  ReelShot *shot;

  g_assert_null (reel_recovery_find_pending ());

  /* Edits: a prompt, a camera move and a removed shot. */
  shot = reel_project_get_shot (project, 1);
  reel_project_edit_set_string (project, shot, "prompt", "the detective lights a match");
  reel_project_edit_set_enum (project, shot, "camera-move", REEL_CAMERA_MOVE_ZOOM_OUT);
  reel_project_edit_remove_shot (project, 4);
  g_assert_true (reel_project_get_dirty (project));

  recovery = wait_for_recovery (project);

  /* The next start finds it and can describe it. */
  pending = reel_recovery_find_pending ();
  g_assert_nonnull (pending);
  g_assert_true (g_file_equal (pending, recovery));
  g_assert_true (reel_recovery_peek (pending, &title, &bundle_path, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (title, ==, "The Midnight Client");
  g_assert_cmpstr (bundle_path, ==, bundle);
  g_assert_nonnull (written);

  /* The project file itself is untouched: autosave is not save. */
  {
    g_autoptr(ReelProject) on_disk = load (bundle);

    g_assert_cmpuint (reel_project_get_n_shots (on_disk), ==, 5);
  }

  restored = reel_project_load_recovery (pending, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_assert_cmpstr (reel_project_get_path (restored), ==, bundle);
  /* Unsaved work: closing it must ask, and there is nothing to undo into the saved file. */
  g_assert_true (reel_project_get_dirty (restored));
  g_assert_false (reel_project_get_can_undo (restored));
  g_assert_cmpstr (reel_project_get_title (restored), ==, "The Midnight Client");
  g_assert_cmpuint (reel_project_get_n_shots (restored), ==, 4);
  shot = reel_project_get_shot (restored, 1);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "the detective lights a match");
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_ZOOM_OUT);
  /* The recovery metadata does not leak into the document. */
  {
    g_autofree char *data = reel_project_to_data (restored, NULL);

    g_assert_null (strstr (data, "reel_recovery"));
  }
  /* The restored project keeps writing the same recovery file. */
  g_assert_true (g_file_equal (reel_project_get_recovery_file (restored), pending));

  /* Saving the restored project puts the edits into the bundle. */
  g_assert_true (reel_project_save (restored, &error));
  g_assert_no_error (error);
  g_assert_false (reel_project_get_dirty (restored));
  {
    g_autoptr(ReelProject) saved = load (bundle);

    g_assert_cmpuint (reel_project_get_n_shots (saved), ==, 4);
    g_assert_cmpstr (reel_shot_get_prompt (reel_project_get_shot (saved, 1)), ==,
                     "the detective lights a match");
  }

  reel_recovery_discard (pending);
  g_assert_false (g_file_query_exists (pending, NULL));
  g_assert_null (reel_recovery_find_pending ());
}

static void
test_recovery_removed_on_save (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-recovery-XXXXXX", NULL);
  g_autofree char *bundle = copy_example (tmp);
  g_autoptr(ReelProject) project = load (bundle);
  g_autoptr(ReelAutosave) autosave = reel_autosave_new (project, IDLE_MS);
  g_autoptr(GError) error = NULL;
  GFile *recovery;

  reel_project_edit_set_string (project, project, "title", "Renamed");
  recovery = wait_for_recovery (project);

  g_assert_true (reel_project_save (project, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (recovery, NULL));
  g_assert_null (reel_recovery_find_pending ());

  /* Undoing back to the save point also leaves nothing to recover. */
  reel_project_edit_set_string (project, project, "title", "Renamed again");
  g_assert_true (reel_autosave_flush (autosave, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (recovery, NULL));
  g_assert_true (reel_project_undo (project));
  g_assert_false (reel_project_get_dirty (project));
  g_assert_false (g_file_query_exists (recovery, NULL));

  /* Closing without saving: the window discards it. */
  reel_project_edit_set_string (project, project, "title", "Thrown away");
  g_assert_true (reel_autosave_flush (autosave, &error));
  g_assert_true (g_file_query_exists (recovery, NULL));
  reel_autosave_discard (autosave);
  g_assert_false (g_file_query_exists (recovery, NULL));
  g_assert_null (reel_recovery_find_pending ());
}

/* A never-saved project's recovery keeps pointing at its scratch media. */
static void
test_recovery_unsaved_project (void)
{
  g_autofree char *scratch = g_dir_make_tmp ("reel-scratch-XXXXXX", NULL);
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelProject) restored = NULL;
  g_autoptr(GFile) pending = NULL;
  g_autoptr(GFile) media_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "pixels", -1);
  g_autofree char *name = g_strconcat (hash, ".png", NULL);
  g_autofree char *media = g_build_filename (scratch, "media", NULL);
  g_autofree char *media_path = g_build_filename (media, name, NULL);
  ReelShot *shot;

  g_assert_cmpint (g_mkdir_with_parents (media, 0755), ==, 0);
  g_assert_true (g_file_set_contents (media_path, "pixels", -1, NULL));
  reel_project_set_scratch_dir (project, scratch);
  shot = reel_project_edit_add_shot (project, 0, NULL);
  reel_project_edit_set_start_image_name (project, shot, name);
  reel_project_edit_set_string (project, shot, "title", "Opening");

  g_assert_true (reel_project_write_recovery (project, &error));
  g_assert_no_error (error);

  pending = reel_recovery_find_pending ();
  g_assert_nonnull (pending);
  restored = reel_project_load_recovery (pending, &error);
  g_assert_no_error (error);
  g_assert_null (reel_project_get_path (restored));
  g_assert_cmpstr (reel_project_get_scratch_dir (restored), ==, scratch);
  g_assert_cmpstr (reel_shot_get_title (reel_project_get_shot (restored, 0)), ==, "Opening");
  g_assert_true (reel_project_get_dirty (restored));
  media_file = reel_project_get_media_file (restored, name);
  g_assert_cmpstr (g_file_peek_path (media_file), ==, media_path);

  /* If the scratch media vanished, restoring says which file is missing. */
  g_clear_object (&restored);
  g_assert_cmpint (g_unlink (media_path), ==, 0);
  restored = reel_project_load_recovery (pending, &error);
  g_assert_null (restored);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MISSING_MEDIA);
  g_assert_nonnull (strstr (error->message, "shots[0].start_image"));

  reel_recovery_discard (pending);
}

/* A damaged recovery file is reported, not half-restored. */
static void
test_recovery_damaged (void)
{
  g_autofree char *dir = reel_recovery_get_dir ();
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "{\"format\": \"reel-project\", \"schema_ver", -1,
                                      NULL));
  project = reel_project_load_recovery (file, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* A plain project.json is not a recovery file. */
  g_assert_true (g_file_set_contents (path, "{\"format\": \"reel-project\", \"schema_version\": 2, "
                                      "\"title\": \"t\", \"shots\": []}", -1, NULL));
  project = reel_project_load_recovery (file, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "reel_recovery"));
  reel_recovery_discard (file);
}

int
main (int   argc,
      char *argv[])
{
  /* Isolated XDG folders: recovery files go to a fresh state folder for every test. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/recovery/autosave-and-restore", test_recovery_autosave_and_restore);
  g_test_add_func ("/recovery/removed-on-save", test_recovery_removed_on_save);
  g_test_add_func ("/recovery/unsaved-project", test_recovery_unsaved_project);
  g_test_add_func ("/recovery/damaged", test_recovery_damaged);

  return g_test_run ();
}

#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "reel-media-store.h"
#include "reel-project-io.h"
#include "reel-project-private.h"

/* tests/projects/schema1-lighthouse.reel is a schema-1 project (see app/PROJECT-FORMAT.md):
 * milliseconds, flat camera and music fields, "captions", a voices map and "media/NAME" image
 * paths. Loading migrates it to schema 2; saving writes schema 2. */

#define IMAGE "a1abfd410973b0111c215baa879b9edcd739e601659ba44168269767cc2e9108.png"

static char *
copy_fixture (const char *tmp)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "projects",
                                                "schema1-lighthouse.reel", NULL);
  g_autofree char *src_json = g_build_filename (src, "project.json", NULL);
  g_autofree char *src_image = g_build_filename (src, "media", IMAGE, NULL);
  char *bundle = g_build_filename (tmp, "lighthouse.reel", NULL);
  g_autofree char *media = g_build_filename (bundle, "media", NULL);
  g_autofree char *dst_json = g_build_filename (bundle, "project.json", NULL);
  g_autofree char *dst_image = g_build_filename (media, IMAGE, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (g_mkdir_with_parents (media, 0755), ==, 0);
  g_assert_true (g_file_get_contents (src_json, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (dst_json, contents, length, NULL));
  g_free (contents);
  g_assert_true (g_file_get_contents (src_image, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (dst_image, contents, length, NULL));
  return bundle;
}

static ReelProject *
load (const char *bundle)
{
  g_autoptr(GFile) file = g_file_new_for_path (bundle);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_load (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
check_migrated (ReelProject *project)
{
  g_autoptr(ReelDialogueLine) line = NULL;
  g_autoptr(ReelSfxCue) thunder = NULL;
  g_autoptr(ReelTextCue) caption = NULL;
  ReelShot *storm, *beam;

  /* name -> title; voices map -> speakers, in file order. */
  g_assert_cmpstr (reel_project_get_title (project), ==, "Lighthouse (draft)");
  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 2);
  g_assert_cmpstr (reel_project_get_speaker_name (project, 0), ==, "Keeper");
  g_assert_cmpstr (reel_project_get_speaker_voice (project, 0), ==, "en-gb+m2");
  g_assert_cmpstr (reel_project_lookup_voice (project, "Gull"), ==, "en+croak");
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 2);

  storm = reel_project_get_shot (project, 0);
  g_assert_cmpstr (reel_shot_get_id (storm), ==, "a1");
  g_assert_cmpstr (reel_shot_get_title (storm), ==, "Storm");
  /* duration_ms 4500 -> duration 4.5 s */
  g_assert_cmpfloat (reel_shot_get_duration (storm), ==, 4.5);
  g_assert_cmpstr (reel_shot_get_style (storm), ==, "night");
  /* "16x9" -> 16:9 */
  g_assert_cmpint (reel_shot_get_aspect (storm), ==, REEL_ASPECT_16X9);
  g_assert_cmpint (reel_shot_get_seed (storm), ==, 77);
  /* camera "dolly-in", camera_speed, lens, fps -> camera.{move, speed, lens_mm, fps} */
  g_assert_cmpint (reel_shot_get_camera_move (storm), ==, REEL_CAMERA_MOVE_DOLLY_IN);
  g_assert_cmpfloat (reel_shot_get_camera_speed (storm), ==, 0.5);
  g_assert_cmpfloat (reel_shot_get_lens_mm (storm), ==, 35.0);
  g_assert_cmpint (reel_shot_get_fps (storm), ==, 24);
  /* dialogue line/at_ms -> text/offset, with the voice from the voices map */
  line = g_list_model_get_item (reel_shot_get_dialogue (storm), 0);
  g_assert_cmpstr (reel_dialogue_line_get_speaker (line), ==, "Keeper");
  g_assert_cmpstr (reel_dialogue_line_get_voice (line), ==, "en-gb+m2");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "Hold fast.");
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, 1.2);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_sfx (storm)), ==, 2);
  thunder = g_list_model_get_item (reel_shot_get_sfx (storm), 1);
  g_assert_cmpstr (reel_sfx_cue_get_description (thunder), ==, "thunder");
  g_assert_cmpfloat (reel_sfx_cue_get_offset (thunder), ==, 3.25);
  /* music string + music_level percent -> music.mood + intensity 0–1 */
  g_assert_cmpstr (reel_shot_get_music_mood (storm), ==, "low strings");
  g_assert_cmpfloat (reel_shot_get_music_intensity (storm), ==, 0.4);
  /* captions from_ms/to_ms -> text start/end in seconds */
  caption = g_list_model_get_item (reel_shot_get_text_cues (storm), 0);
  g_assert_cmpstr (reel_text_cue_get_text (caption), ==, "1899");
  g_assert_cmpfloat (reel_text_cue_get_start (caption), ==, 0.5);
  g_assert_cmpfloat (reel_text_cue_get_end (caption), ==, 2.5);
  g_assert_cmpint (reel_text_cue_get_position (caption), ==, REEL_TEXT_POSITION_BOTTOM);
  g_assert_cmpint (reel_text_cue_get_style (caption), ==, REEL_TEXT_STYLE_LOWER_THIRD);
  /* image "media/NAME" -> start_image NAME */
  g_assert_cmpstr (reel_shot_get_start_image (storm), ==, IMAGE);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (storm)), ==, 0);

  /* Fields schema 1 left out take schema 2's defaults. */
  beam = reel_project_get_shot (project, 1);
  g_assert_cmpfloat (reel_shot_get_duration (beam), ==, 3.0);
  g_assert_cmpint (reel_shot_get_aspect (beam), ==, REEL_ASPECT_9X16);
  g_assert_cmpint (reel_shot_get_camera_move (beam), ==, REEL_CAMERA_MOVE_ORBIT_LEFT);
  g_assert_cmpfloat (reel_shot_get_lens_mm (beam), ==, REEL_LENS_MM_DEFAULT);
  g_assert_cmpstr (reel_shot_get_style (beam), ==, "");
  g_assert_null (reel_shot_get_start_image (beam));
}

static void
test_migration_load (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-migration-XXXXXX", NULL);
  g_autofree char *bundle = copy_fixture (tmp);
  g_autoptr(ReelProject) project = load (bundle);

  check_migrated (project);
  g_assert_cmpstr (reel_project_get_path (project), ==, bundle);
  g_assert_false (reel_project_get_dirty (project));
}

static void
test_migration_save (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("reel-migration-XXXXXX", NULL);
  g_autofree char *bundle = copy_fixture (tmp);
  g_autofree char *json_path = g_build_filename (bundle, "project.json", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(ReelProject) project = load (bundle);
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *shot, *dialogue, *camera;

  g_assert_true (reel_project_save (project, &error));
  g_assert_no_error (error);

  /* On disk it is schema 2 now, without any schema-1 spelling. */
  g_assert_true (g_file_get_contents (json_path, &saved, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, saved, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, 2);
  g_assert_false (json_object_has_member (root, "version"));
  g_assert_false (json_object_has_member (root, "name"));
  g_assert_false (json_object_has_member (root, "voices"));
  shot = json_array_get_object_element (json_object_get_array_member (root, "shots"), 0);
  g_assert_false (json_object_has_member (shot, "duration_ms"));
  g_assert_false (json_object_has_member (shot, "captions"));
  g_assert_false (json_object_has_member (shot, "image"));
  g_assert_false (json_object_has_member (shot, "music_level"));
  camera = json_object_get_object_member (shot, "camera");
  g_assert_cmpstr (json_object_get_string_member (camera, "move"), ==, "dolly-in");
  g_assert_cmpstr (json_object_get_string_member (shot, "aspect"), ==, "16:9");

  /* Members schema 1 did not know either are carried over, at their level. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "x_editor"),
                                               "zoom"), ==, 2);
  g_assert_true (json_object_get_boolean_member (shot, "x_shot"));
  dialogue = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (shot, "sound"), "dialogue"), 0);
  g_assert_cmpstr (json_object_get_string_member (dialogue, "x_note"), ==, "whisper");

  reloaded = load (bundle);
  check_migrated (reloaded);
}

/* Errors in a migrated file name the schema-2 field and say that the file is schema 1. */
static void
test_migration_errors (void)
{
  static const char bad_move[] =
    "{\"format\": \"reel-project\", \"version\": 1, \"name\": \"x\", \"shots\": [\n"
    "  {\"id\": \"a\", \"duration_ms\": 2000, \"camera\": \"crane-up\"}]}";
  static const char bad_level[] =
    "{\"format\": \"reel-project\", \"version\": 1, \"name\": \"x\", \"shots\": [\n"
    "  {\"id\": \"a\", \"duration_ms\": 2000, \"music_level\": \"loud\"}]}";
  static const char too_long[] =
    "{\"format\": \"reel-project\", \"version\": 1, \"name\": \"x\", \"shots\": [\n"
    "  {\"id\": \"a\", \"duration_ms\": 60000}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelProject) project = NULL;

  project = reel_project_load_from_data (bad_move, strlen (bad_move), "old.json", NULL, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "old.json: shots[0].camera.move: "));
  g_assert_nonnull (strstr (error->message, "schema version 1"));
  g_clear_error (&error);

  project = reel_project_load_from_data (bad_level, strlen (bad_level), "old.json", NULL, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "shots[0].music_level"));
  g_clear_error (&error);

  /* 60 s is over the 20 s limit once converted. */
  project = reel_project_load_from_data (too_long, strlen (too_long), "old.json", NULL, &error);
  g_assert_null (project);
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "shots[0].duration"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/migration/schema1/load", test_migration_load);
  g_test_add_func ("/migration/schema1/save", test_migration_save);
  g_test_add_func ("/migration/schema1/errors", test_migration_errors);

  return g_test_run ();
}

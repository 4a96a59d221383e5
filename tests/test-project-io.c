#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "reel-media-store.h"
#include "reel-project-io.h"
#include "reel-project-private.h"

/* ---- Helpers ---- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("reel-io-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
example_path (const char *name)
{
  g_autofree char *dir = g_strconcat (name, ".reel", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", dir,
                                                 NULL);

  return g_canonicalize_filename (path, NULL);
}

static ReelProject *
load_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ReelProject *project = reel_project_load (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
save_as_path (ReelProject *project,
              const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (reel_project_save_as (project, file, &error));
  g_assert_no_error (error);
}

static guint
count_media_files (const char *bundle)
{
  g_autofree char *media = g_build_filename (bundle, "media", NULL);
  g_autoptr(GDir) dir = g_dir_open (media, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A small PNG whose pixels depend on @shade, so different shades give different bytes. */
static char *
write_png (const char *dir,
           const char *name,
           guint8      shade)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 9);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_fill (pixbuf, (guint32) shade << 24 | 0x4080ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return path;
}

static char *
sha256_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* A media file with a valid content-addressed name inside @bundle, for takes' media. */
static char *
add_media (const char *bundle,
           const char *contents,
           const char *ext)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, contents, -1);
  g_autofree char *media = g_build_filename (bundle, "media", NULL);
  char *name = g_strconcat (hash, ".", ext, NULL);
  g_autofree char *path = g_build_filename (media, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (media, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return name;
}

static gboolean
import_path (ReelProject  *project,
             const char   *path,
             char        **out_name,
             GError      **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return reel_project_import_media (project, file, out_name, error);
}

static gboolean
set_start_image_path (ReelProject  *project,
                      ReelShot     *shot,
                      const char   *path,
                      GError      **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return reel_project_edit_set_start_image (project, shot, file, error);
}

static char *
project_data (ReelProject *project)
{
  return reel_project_to_data (project, NULL);
}

/* ---- Examples ---- */

static void
test_examples_load (void)
{
  static const char * const names[] = {
    "photosynthesis-explainer", "noir-detective", "product-teaser"
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = example_path (names[i]);
      g_autoptr(ReelProject) project = load_path (path);
      guint n = reel_project_get_n_shots (project);
      guint moving = 0, with_sound = 0;

      g_assert_cmpuint (n, >=, 4);
      g_assert_false (reel_project_get_dirty (project));
      g_assert_cmpstr (reel_project_get_path (project), ==, path);
      for (guint s = 0; s < n; s++)
        {
          ReelShot *shot = reel_project_get_shot (project, s);

          if (reel_shot_get_camera_move (shot) != REEL_CAMERA_MOVE_STATIC)
            moving++;
          if (g_list_model_get_n_items (reel_shot_get_sfx (shot)) > 0
              && *reel_shot_get_music_mood (shot) != '\0')
            with_sound++;
          g_assert_cmpstr (reel_shot_get_prompt (shot), !=, "");
        }
      /* Real camera and sound cues, not defaults. */
      g_assert_cmpuint (moving, >=, n - 1);
      g_assert_cmpuint (with_sound, ==, n);

      if (g_str_equal (names[i], "product-teaser"))
        {
          g_assert_cmpfloat_with_epsilon (reel_project_get_total_duration (project), 10.0, 1e-9);
          for (guint s = 0; s < n; s++)
            g_assert_cmpint (reel_shot_get_aspect (reel_project_get_shot (project, s)), ==,
                             REEL_ASPECT_9X16);
        }
      if (g_str_equal (names[i], "noir-detective"))
        {
          ReelShot *first = reel_project_get_shot (project, 0);

          g_assert_cmpint (reel_shot_get_camera_move (first), ==, REEL_CAMERA_MOVE_DOLLY_IN);
          g_assert_cmpfloat (reel_shot_get_lens_mm (first), ==, 35.0);
          g_assert_nonnull (strstr (reel_shot_get_music_mood (first), "sax"));
        }

      g_assert_finalize_object (g_steal_pointer (&project));
    }
}

/* Examples are stored exactly as Reel writes them, so opening and saving one changes nothing. */
static void
test_examples_canonical (void)
{
  g_autofree char *path = example_path ("noir-detective");
  g_autofree char *json_path = g_build_filename (path, "project.json", NULL);
  g_autofree char *on_disk = NULL;
  g_autofree char *written = NULL;
  g_autoptr(ReelProject) project = load_path (path);

  g_assert_true (g_file_get_contents (json_path, &on_disk, NULL, NULL));
  written = project_data (project);
  g_assert_cmpstr (written, ==, on_disk);
}

/* ---- Round trip ---- */

static ReelProject *
build_full_project (const char *bundle)
{
  ReelProject *project = reel_project_new ();
  g_autoptr(ReelShot) shot = reel_shot_new_with_id ("7d3c2a3e-0000-4000-8000-000000000001");
  g_autoptr(ReelShot) plain = reel_shot_new_with_id ("7d3c2a3e-0000-4000-8000-000000000002");
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("Detective", "en-us+m3",
                                                             "Quote \"this\"\n\ttab ünïcødé",
                                                             1.25);
  g_autoptr(ReelSfxCue) sfx = reel_sfx_cue_new ("rain on glass", 0.1);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("1947", 0.3, 2.7);
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 25, 14, 0, 1.5);
  g_autoptr(GDateTime) created2 = g_date_time_new_utc (2026, 11, 25, 15, 30, 0);
  g_autoptr(ReelTake) root_take = NULL;
  g_autoptr(ReelTake) remix = NULL;
  g_autofree char *video = add_media (bundle, "video bytes", "mp4");
  g_autofree char *audio = add_media (bundle, "audio bytes", "wav");
  g_autofree char *thumb = add_media (bundle, "thumbnail bytes", "png");
  g_autofree char *image = add_media (bundle, "start image bytes", "jpg");
  const char *speakers[] = { "Detective", "Vera", NULL };
  const char *voices[] = { "en-us+m3", "en-us+f4", NULL };

  reel_project_set_title_internal (project, "Round “trip”");
  reel_project_set_speakers (project, speakers, voices);

  reel_shot_set_title (shot, "Everything set");
  reel_shot_set_duration (shot, 7.3);
  reel_shot_set_prompt (shot, "a red circle moves left over a blue background, neon");
  reel_shot_set_style (shot, "neon");
  reel_shot_set_aspect (shot, REEL_ASPECT_1X1);
  reel_shot_set_seed (shot, 4294967295);
  reel_shot_set_camera_move (shot, REEL_CAMERA_MOVE_ORBIT_RIGHT);
  reel_shot_set_camera_speed (shot, 0.1);
  reel_shot_set_lens_mm (shot, 85.5);
  reel_shot_set_fps (shot, 60);
  reel_shot_set_music_mood (shot, "slow sax");
  reel_shot_set_music_intensity (shot, 0.7);
  reel_shot_set_start_image (shot, image);
  reel_text_cue_set_position (text, REEL_TEXT_POSITION_TOP);
  reel_text_cue_set_style (text, REEL_TEXT_STYLE_KINETIC);
  reel_shot_append_cue_internal (shot, G_OBJECT (line));
  reel_shot_append_cue_internal (shot, G_OBJECT (sfx));
  reel_shot_append_cue_internal (shot, G_OBJECT (text));

  json_object_set_string_member (request, "model", "reel-tiny");
  json_object_set_int_member (request, "steps", 20);
  root_take = reel_take_new_full ("take-root", NULL, created, request);
  reel_take_set_video (root_take, video);
  reel_take_set_audio (root_take, audio);
  reel_take_set_thumbnail (root_take, thumb);
  remix = reel_take_new_full ("take-remix", "take-root", created2, NULL);
  reel_shot_append_take_internal (shot, root_take);
  reel_shot_append_take_internal (shot, remix);
  reel_shot_set_selected_take (shot, remix);

  reel_project_append_shot_internal (project, shot);
  reel_project_append_shot_internal (project, plain);
  return project;
}

static void
test_round_trip (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *bundle = g_build_filename (tmp, "round.reel", NULL);
  g_autoptr(ReelProject) project = build_full_project (bundle);
  g_autoptr(ReelProject) loaded = NULL;
  g_autofree char *before = project_data (project);
  g_autofree char *after = NULL;
  g_autoptr(ReelDialogueLine) line = NULL;
  g_autoptr(ReelSfxCue) sfx = NULL;
  g_autoptr(ReelTextCue) text = NULL;
  g_autoptr(ReelTake) take = NULL;
  g_autoptr(GDateTime) expected_created = g_date_time_new_utc (2026, 11, 25, 14, 0, 1.5);
  ReelShot *shot;
  JsonObject *request;

  save_as_path (project, bundle);
  g_assert_cmpstr (reel_project_get_path (project), ==, bundle);
  g_assert_false (reel_project_get_dirty (project));

  loaded = load_path (bundle);
  after = project_data (loaded);
  /* The strongest check first: the whole document, byte for byte. */
  g_assert_cmpstr (after, ==, before);

  /* And field by field, so a symmetric bug in writing and reading cannot hide. */
  g_assert_cmpstr (reel_project_get_title (loaded), ==, "Round “trip”");
  g_assert_cmpuint (reel_project_get_n_speakers (loaded), ==, 2);
  g_assert_cmpstr (reel_project_lookup_voice (loaded, "Vera"), ==, "en-us+f4");
  g_assert_cmpuint (reel_project_get_n_shots (loaded), ==, 2);
  shot = reel_project_get_shot (loaded, 0);
  g_assert_cmpstr (reel_shot_get_id (shot), ==, "7d3c2a3e-0000-4000-8000-000000000001");
  g_assert_cmpstr (reel_shot_get_title (shot), ==, "Everything set");
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 7.3);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==,
                   "a red circle moves left over a blue background, neon");
  g_assert_cmpstr (reel_shot_get_style (shot), ==, "neon");
  g_assert_cmpint (reel_shot_get_aspect (shot), ==, REEL_ASPECT_1X1);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 4294967295);
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_ORBIT_RIGHT);
  g_assert_cmpfloat (reel_shot_get_camera_speed (shot), ==, 0.1);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 85.5);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 60);
  g_assert_cmpstr (reel_shot_get_music_mood (shot), ==, "slow sax");
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 0.7);
  g_assert_true (reel_media_name_is_valid (reel_shot_get_start_image (shot)));
  g_assert_true (g_str_has_suffix (reel_shot_get_start_image (shot), ".jpg"));

  line = g_list_model_get_item (reel_shot_get_dialogue (shot), 0);
  g_assert_cmpstr (reel_dialogue_line_get_speaker (line), ==, "Detective");
  g_assert_cmpstr (reel_dialogue_line_get_voice (line), ==, "en-us+m3");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "Quote \"this\"\n\ttab ünïcødé");
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, 1.25);
  sfx = g_list_model_get_item (reel_shot_get_sfx (shot), 0);
  g_assert_cmpstr (reel_sfx_cue_get_description (sfx), ==, "rain on glass");
  g_assert_cmpfloat (reel_sfx_cue_get_offset (sfx), ==, 0.1);
  text = g_list_model_get_item (reel_shot_get_text_cues (shot), 0);
  g_assert_cmpstr (reel_text_cue_get_text (text), ==, "1947");
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 0.3);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 2.7);
  g_assert_cmpint (reel_text_cue_get_position (text), ==, REEL_TEXT_POSITION_TOP);
  g_assert_cmpint (reel_text_cue_get_style (text), ==, REEL_TEXT_STYLE_KINETIC);

  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (shot)), ==, 2);
  take = g_list_model_get_item (reel_shot_get_takes (shot), 0);
  g_assert_cmpstr (reel_take_get_id (take), ==, "take-root");
  g_assert_null (reel_take_get_parent_id (take));
  g_assert_true (g_date_time_equal (reel_take_get_created (take), expected_created));
  g_assert_true (g_str_has_suffix (reel_take_get_video (take), ".mp4"));
  g_assert_true (g_str_has_suffix (reel_take_get_audio (take), ".wav"));
  g_assert_true (g_str_has_suffix (reel_take_get_thumbnail (take), ".png"));
  request = reel_take_get_request (take);
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, "reel-tiny");
  g_assert_cmpint (json_object_get_int_member (request, "steps"), ==, 20);
  g_assert_cmpstr (reel_take_get_id (reel_shot_get_selected_take (shot)), ==, "take-remix");
  g_assert_cmpstr (reel_take_get_parent_id (reel_shot_get_selected_take (shot)), ==,
                   "take-root");

  g_clear_object (&take);
  g_clear_object (&line);
  g_clear_object (&sfx);
  g_clear_object (&text);
  g_assert_finalize_object (g_steal_pointer (&loaded));
}

/* ---- Unknown fields ---- */

static const char unknown_json[] =
  "{\n"
  "  \"format\": \"reel-project\",\n"
  "  \"schema_version\": 2,\n"
  "  \"title\": \"Future\",\n"
  "  \"x_project\": {\"nested\": [1, 2.5, \"three\", null, true]},\n"
  "  \"speakers\": [{\"speaker\": \"Ann\", \"voice\": \"en\", \"x_speaker\": 7}],\n"
  "  \"shots\": [{\n"
  "    \"id\": \"s\", \"duration\": 2.0, \"x_shot\": \"kept\",\n"
  "    \"camera\": {\"move\": \"tilt-up\", \"x_camera\": {\"keyframes\": [0, 1]}},\n"
  "    \"sound\": {\n"
  "      \"x_sound\": 1,\n"
  "      \"dialogue\": [{\"speaker\": \"Ann\", \"text\": \"Hi\", \"x_dialogue\": \"d\"}],\n"
  "      \"sfx\": [{\"description\": \"thud\", \"x_sfx\": false}],\n"
  "      \"music\": {\"mood\": \"calm\", \"x_music\": [\"m\"]}\n"
  "    },\n"
  "    \"text\": [{\"text\": \"T\", \"start\": 0, \"end\": 1, \"x_text\": 0.25}],\n"
  "    \"takes\": [{\"id\": \"t\", \"created\": \"2026-01-02T03:04:05Z\", \"x_take\": {},\n"
  "                 \"media\": {\"video\": null, \"x_media\": \"mm\"}}]\n"
  "  }]\n"
  "}\n";

static JsonNode *
find (JsonNode   *root,
      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = json_path_query (path, root, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (result);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_node_copy (json_array_get_element (array, 0));
}

static void
test_unknown_fields (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *bundle = g_build_filename (tmp, "future.reel", NULL);
  g_autofree char *copy = g_build_filename (tmp, "copy.reel", NULL);
  g_autofree char *json_path = g_build_filename (bundle, "project.json", NULL);
  g_autofree char *copy_json = g_build_filename (copy, "project.json", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(ReelProject) reloaded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  struct { const char *path; const char *expected_json; } checks[] = {
    { "$.x_project", "{\"nested\":[1,2.5,\"three\",null,true]}" },
    { "$.speakers[0].x_speaker", "7" },
    { "$.shots[0].x_shot", "\"kept\"" },
    { "$.shots[0].camera.x_camera", "{\"keyframes\":[0,1]}" },
    { "$.shots[0].sound.x_sound", "1" },
    { "$.shots[0].sound.dialogue[0].x_dialogue", "\"d\"" },
    { "$.shots[0].sound.sfx[0].x_sfx", "false" },
    { "$.shots[0].sound.music.x_music", "[\"m\"]" },
    { "$.shots[0].text[0].x_text", "0.25" },
    { "$.shots[0].takes[0].x_take", "{}" },
    { "$.shots[0].takes[0].media.x_media", "\"mm\"" },
  };

  g_assert_cmpint (g_mkdir_with_parents (bundle, 0755), ==, 0);
  g_assert_true (g_file_set_contents (json_path, unknown_json, -1, NULL));

  project = load_path (bundle);
  /* Known fields next to unknown ones still load. */
  g_assert_cmpint (reel_shot_get_camera_move (reel_project_get_shot (project, 0)), ==,
                   REEL_CAMERA_MOVE_TILT_UP);
  save_as_path (project, copy);

  g_assert_true (g_file_get_contents (copy_json, &saved, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, saved, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(JsonNode) node = find (root, checks[i].path);
      g_autofree char *found = json_to_string (node, FALSE);

      g_test_message ("%s = %s", checks[i].path, found);
      g_assert_cmpstr (found, ==, checks[i].expected_json);
    }

  /* A second round changes nothing: unknown members do not pile up or move. */
  reloaded = load_path (copy);
  saved_again = project_data (reloaded);
  g_assert_cmpstr (saved_again, ==, saved);
}

/* ---- Save ---- */

static void
test_save_and_save_as (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *first = g_build_filename (tmp, "first.reel", NULL);
  g_autofree char *second = g_build_filename (tmp, "second.reel", NULL);
  g_autofree char *first_json = g_build_filename (first, "project.json", NULL);
  g_autofree char *first_before = NULL;
  g_autofree char *first_after = NULL;
  g_autofree char *source = example_path ("photosynthesis-explainer");
  g_autofree char *png = NULL;
  g_autofree char *media_name = NULL;
  g_autofree char *copied_media = NULL;
  g_autoptr(ReelProject) project = load_path (source);
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(GError) error = NULL;
  ReelShot *shot;

  save_as_path (project, first);
  g_assert_cmpstr (reel_project_get_path (project), ==, first);
  g_assert_true (g_file_get_contents (first_json, &first_before, NULL, NULL));

  /* An edit makes the project dirty; saving writes it and makes it clean again. */
  shot = reel_project_get_shot (project, 1);
  reel_project_edit_set_string (project, shot, "prompt", "the sun, drawn as a yellow square");
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_save (project, &error));
  g_assert_no_error (error);
  g_assert_false (reel_project_get_dirty (project));
  reopened = load_path (first);
  g_assert_cmpstr (reel_shot_get_prompt (reel_project_get_shot (reopened, 1)), ==,
                   "the sun, drawn as a yellow square");
  g_clear_object (&reopened);

  /* Save As carries the media along and leaves the first bundle as it was. */
  png = write_png (tmp, "leaf.png", 10);
  set_start_image_path (project, shot, png, &error);
  g_assert_no_error (error);
  media_name = g_strdup (reel_shot_get_start_image (shot));
  g_assert_nonnull (media_name);
  g_assert_true (g_file_get_contents (first_json, &first_after, NULL, NULL));
  save_as_path (project, second);
  g_assert_cmpstr (reel_project_get_path (project), ==, second);
  copied_media = g_build_filename (second, "media", media_name, NULL);
  g_assert_true (g_file_test (copied_media, G_FILE_TEST_IS_REGULAR));

  reopened = load_path (second);
  g_assert_cmpstr (reel_shot_get_start_image (reel_project_get_shot (reopened, 1)), ==,
                   media_name);
  {
    g_autofree char *first_now = NULL;

    g_assert_true (g_file_get_contents (first_json, &first_now, NULL, NULL));
    g_assert_cmpstr (first_now, ==, first_after);
  }
  /* No temporary file is left beside project.json. */
  {
    g_autofree char *tmp_json = g_build_filename (second, "project.json.tmp", NULL);

    g_assert_false (g_file_test (tmp_json, G_FILE_TEST_EXISTS));
  }
}

/* ---- Media store ---- */

static void
test_media_import (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *bundle = g_build_filename (tmp, "media.reel", NULL);
  g_autofree char *png = write_png (tmp, "Photo One.PNG", 1);
  g_autofree char *png_copy = NULL;
  g_autofree char *other = write_png (tmp, "other.png", 2);
  g_autofree char *fake = g_build_filename (tmp, "notes.png", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *name = NULL;
  g_autofree char *name_again = NULL;
  g_autofree char *name_copy = NULL;
  g_autofree char *name_other = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *stored_hash = NULL;
  g_autofree char *png_hash = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) media_file = NULL;
  gsize length;

  save_as_path (project, bundle);

  g_assert_true (import_path (project, png, &name, &error));
  g_assert_no_error (error);
  /* Named by content: the sha256 of the bytes, with the source's extension lower-cased. */
  png_hash = sha256_of_file (png);
  expected = g_strconcat (png_hash, ".png", NULL);
  g_assert_cmpstr (name, ==, expected);
  g_assert_true (reel_media_name_is_valid (name));
  stored = g_build_filename (bundle, "media", name, NULL);
  stored_hash = sha256_of_file (stored);
  g_assert_cmpstr (stored_hash, ==, png_hash);
  media_file = reel_project_get_media_file (project, name);
  g_assert_cmpstr (g_file_peek_path (media_file), ==, stored);

  /* The same bytes again, under the same or another name, are stored once. */
  g_assert_true (import_path (project, png, &name_again, &error));
  g_assert_cmpstr (name_again, ==, name);
  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  png_copy = g_build_filename (tmp, "copy.png", NULL);
  g_assert_true (g_file_set_contents (png_copy, contents, length, NULL));
  g_assert_true (import_path (project, png_copy, &name_copy, &error));
  g_assert_cmpstr (name_copy, ==, name);
  g_assert_cmpuint (count_media_files (bundle), ==, 1);

  g_assert_true (import_path (project, other, &name_other, &error));
  g_assert_cmpstr (name_other, !=, name);
  g_assert_cmpuint (count_media_files (bundle), ==, 2);

  /* Not an image: refused with the file's name, and nothing is left in media/. */
  g_assert_true (g_file_set_contents (fake, "shopping list: milk, eggs", -1, NULL));
  g_assert_false (import_path (project, fake, NULL, &error));
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, fake));
  g_clear_error (&error);
  g_assert_cmpuint (count_media_files (bundle), ==, 2);

  /* A missing source. */
  g_assert_false (import_path (project, "/nonexistent/x.png", NULL, &error));
  g_assert_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.png"));
  g_clear_error (&error);
  g_assert_cmpuint (count_media_files (bundle), ==, 2);
}

/* An existing media file is never replaced, even if (through damage or tampering) its bytes no
 * longer match its name. */
static void
test_media_never_overwritten (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *bundle = g_build_filename (tmp, "keep.reel", NULL);
  g_autofree char *png = write_png (tmp, "a.png", 3);
  g_autofree char *hash = sha256_of_file (png);
  g_autofree char *name = g_strconcat (hash, ".png", NULL);
  g_autofree char *existing = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GError) error = NULL;

  save_as_path (project, bundle);
  existing = g_build_filename (bundle, "media", name, NULL);
  g_assert_true (g_file_set_contents (existing, "earlier bytes", -1, NULL));

  g_assert_true (import_path (project, png, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (imported, ==, name);
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "earlier bytes");
  g_assert_cmpuint (count_media_files (bundle), ==, 1);
}

/* A never-saved project keeps imports in a scratch folder; the first Save As moves them into
 * the bundle and removes the scratch folder. */
static void
test_media_unsaved_project (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *bundle = g_build_filename (tmp, "later.reel", NULL);
  g_autofree char *png = write_png (tmp, "a.png", 4);
  g_autofree char *name = NULL;
  g_autofree char *scratch = NULL;
  g_autofree char *in_bundle = NULL;
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) media_file = NULL;
  ReelShot *shot;

  shot = reel_project_edit_add_shot (project, 0, NULL);
  g_assert_true (set_start_image_path (project, shot, png, &error));
  g_assert_no_error (error);
  name = g_strdup (reel_shot_get_start_image (shot));
  scratch = g_strdup (reel_project_get_scratch_dir (project));
  g_assert_nonnull (scratch);
  media_file = reel_project_get_media_file (project, name);
  g_assert_true (g_file_query_exists (media_file, NULL));
  g_assert_true (g_str_has_prefix (g_file_peek_path (media_file), scratch));

  save_as_path (project, bundle);
  in_bundle = g_build_filename (bundle, "media", name, NULL);
  g_assert_true (g_file_test (in_bundle, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (scratch, G_FILE_TEST_EXISTS));
  g_assert_null (reel_project_get_scratch_dir (project));

  reopened = load_path (bundle);
  g_assert_cmpstr (reel_shot_get_start_image (reel_project_get_shot (reopened, 0)), ==, name);
}

/* A link inside media/ that stays inside the bundle is fine; the refusal is only for links
 * that lead out of it (tests/test-malformed.c). */
static void
test_media_symlink_inside (void)
{
  g_autofree char *tmp = make_tmp_dir ();
  g_autofree char *bundle = g_build_filename (tmp, "links.reel", NULL);
  g_autofree char *png = write_png (tmp, "a.png", 5);
  g_autofree char *name = NULL;
  g_autofree char *link_name = g_strconcat ("cccccccccccccccccccccccccccccccccccccccccccccccccccc"
                                            "cccccccccccc", ".png", NULL);
  g_autofree char *link_path = NULL;
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelProject) reopened = NULL;
  g_autoptr(GError) error = NULL;
  ReelShot *shot;

  save_as_path (project, bundle);
  g_assert_true (import_path (project, png, &name, &error));
  link_path = g_build_filename (bundle, "media", link_name, NULL);
  g_assert_cmpint (symlink (name, link_path), ==, 0);
  shot = reel_project_edit_add_shot (project, 0, NULL);
  reel_project_edit_set_start_image_name (project, shot, link_name);
  g_assert_true (reel_project_save (project, &error));
  g_assert_no_error (error);

  reopened = load_path (bundle);
  g_assert_cmpstr (reel_shot_get_start_image (reel_project_get_shot (reopened, 0)), ==,
                   link_name);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state = g_dir_make_tmp ("reel-io-state-XXXXXX", NULL);

  /* Scratch media of unsaved projects go to the state folder; keep them out of the real one.
   * (G_TEST_OPTION_ISOLATE_DIRS would also hide the shared MIME database that gdk-pixbuf needs
   * to recognise images.) */
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project-io/examples/load", test_examples_load);
  g_test_add_func ("/project-io/examples/canonical", test_examples_canonical);
  g_test_add_func ("/project-io/round-trip", test_round_trip);
  g_test_add_func ("/project-io/unknown-fields", test_unknown_fields);
  g_test_add_func ("/project-io/save-and-save-as", test_save_and_save_as);
  g_test_add_func ("/project-io/media/import", test_media_import);
  g_test_add_func ("/project-io/media/never-overwritten", test_media_never_overwritten);
  g_test_add_func ("/project-io/media/unsaved-project", test_media_unsaved_project);
  g_test_add_func ("/project-io/media/symlink-inside", test_media_symlink_inside);

  return g_test_run ();
}

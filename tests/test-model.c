#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <math.h>

#include "reel-project.h"
#include "reel-project-private.h"

/* ---- Helpers ---- */

typedef struct
{
  GPtrArray *names;   /* property names notified, in order */
} NotifyLog;

static void
notify_log_cb (GObject    *object,
               GParamSpec *pspec,
               NotifyLog  *log)
{
  g_ptr_array_add (log->names, g_strdup (pspec->name));
}

static NotifyLog *
notify_log_new (gpointer object)
{
  NotifyLog *log = g_new0 (NotifyLog, 1);

  log->names = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (object, "notify", G_CALLBACK (notify_log_cb), log);
  return log;
}

static guint
notify_log_count (NotifyLog  *log,
                  const char *name)
{
  guint count = 0;

  for (guint i = 0; i < log->names->len; i++)
    if (g_str_equal (g_ptr_array_index (log->names, i), name))
      count++;
  return count;
}

static void
notify_log_free (gpointer object,
                 NotifyLog *log)
{
  g_signal_handlers_disconnect_by_data (object, log);
  g_ptr_array_unref (log->names);
  g_free (log);
}

typedef struct
{
  guint n_calls;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *record)
{
  record->n_calls++;
  record->position = position;
  record->removed = removed;
  record->added = added;
}

/* Every writable, non-construct-only property of the model follows the house rules. */
static void
assert_pspecs_follow_style (GType type)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >, 0);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];

      if (pspec->owner_type != type)
        continue;

      /* NULL nick and blurb: GLib then reports the name as nick and NULL as blurb. */
      g_assert_cmpstr (g_param_spec_get_nick (pspec), ==, pspec->name);
      g_assert_null (g_param_spec_get_blurb (pspec));
      g_assert_true ((pspec->flags & G_PARAM_STATIC_STRINGS) == G_PARAM_STATIC_STRINGS);
      if ((pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0)
        g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
    }
}

static gboolean
is_uuid (const char *id)
{
  return id != NULL && g_uuid_string_is_valid (id);
}

/* ---- Enums ---- */

static void
test_enums_nicks (void)
{
  int value = -1;

  g_assert_cmpstr (reel_enum_to_nick (REEL_TYPE_CAMERA_MOVE, REEL_CAMERA_MOVE_DOLLY_IN), ==,
                   "dolly-in");
  g_assert_cmpstr (reel_enum_to_nick (REEL_TYPE_CAMERA_MOVE, REEL_CAMERA_MOVE_ORBIT_RIGHT), ==,
                   "orbit-right");
  g_assert_cmpstr (reel_enum_to_nick (REEL_TYPE_CAMERA_MOVE, REEL_CAMERA_MOVE_HANDHELD), ==,
                   "handheld");
  g_assert_cmpstr (reel_enum_to_nick (REEL_TYPE_TEXT_STYLE, REEL_TEXT_STYLE_LOWER_THIRD), ==,
                   "lower-third");
  g_assert_cmpstr (reel_enum_to_nick (REEL_TYPE_TEXT_POSITION, REEL_TEXT_POSITION_CENTER), ==,
                   "center");
  g_assert_cmpstr (reel_enum_to_nick (REEL_TYPE_ASPECT, REEL_ASPECT_9X16), ==, "9x16");
  g_assert_null (reel_enum_to_nick (REEL_TYPE_CAMERA_MOVE, 999));

  g_assert_true (reel_enum_from_nick (REEL_TYPE_CAMERA_MOVE, "tilt-down", &value));
  g_assert_cmpint (value, ==, REEL_CAMERA_MOVE_TILT_DOWN);
  g_assert_true (reel_enum_from_nick (REEL_TYPE_TEXT_STYLE, "kinetic", &value));
  g_assert_cmpint (value, ==, REEL_TEXT_STYLE_KINETIC);

  value = 42;
  g_assert_false (reel_enum_from_nick (REEL_TYPE_CAMERA_MOVE, "dolly_in", &value));
  g_assert_false (reel_enum_from_nick (REEL_TYPE_CAMERA_MOVE, "Dolly-In", &value));
  g_assert_false (reel_enum_from_nick (REEL_TYPE_CAMERA_MOVE, NULL, &value));
  g_assert_cmpint (value, ==, 42);
}

static void
test_enums_aspect (void)
{
  ReelAspect aspect = REEL_ASPECT_1X1;

  g_assert_cmpstr (reel_aspect_to_string (REEL_ASPECT_16X9), ==, "16:9");
  g_assert_cmpstr (reel_aspect_to_string (REEL_ASPECT_9X16), ==, "9:16");
  g_assert_cmpstr (reel_aspect_to_string (REEL_ASPECT_1X1), ==, "1:1");

  g_assert_true (reel_aspect_from_string ("9:16", &aspect));
  g_assert_cmpint (aspect, ==, REEL_ASPECT_9X16);
  g_assert_true (reel_aspect_from_string ("16:9", &aspect));
  g_assert_cmpint (aspect, ==, REEL_ASPECT_16X9);
  g_assert_false (reel_aspect_from_string ("16x9", &aspect));
  g_assert_false (reel_aspect_from_string ("4:3", &aspect));
  g_assert_false (reel_aspect_from_string (NULL, &aspect));
  g_assert_cmpint (aspect, ==, REEL_ASPECT_16X9);

  g_assert_cmpfloat_with_epsilon (reel_aspect_get_ratio (REEL_ASPECT_16X9), 16.0 / 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (reel_aspect_get_ratio (REEL_ASPECT_9X16), 9.0 / 16.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (reel_aspect_get_ratio (REEL_ASPECT_1X1), 1.0, 1e-12);
}

static void
test_enums_labels (void)
{
  g_autoptr(GEnumClass) moves = g_type_class_ref (REEL_TYPE_CAMERA_MOVE);
  g_autoptr(GEnumClass) positions = g_type_class_ref (REEL_TYPE_TEXT_POSITION);
  g_autoptr(GEnumClass) styles = g_type_class_ref (REEL_TYPE_TEXT_STYLE);
  g_autoptr(GEnumClass) aspects = g_type_class_ref (REEL_TYPE_ASPECT);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* Twelve moves, all with a distinct label: a drop-down lists every one. */
  g_assert_cmpuint (moves->n_values, ==, 12);
  for (guint i = 0; i < moves->n_values; i++)
    {
      const char *label = reel_camera_move_to_label (moves->values[i].value);

      g_assert_nonnull (label);
      g_assert_false (g_hash_table_contains (seen, label));
      g_hash_table_add (seen, (gpointer) label);
    }
  g_assert_cmpstr (reel_camera_move_to_label (REEL_CAMERA_MOVE_DOLLY_IN), ==, "Dolly in");

  g_assert_cmpuint (positions->n_values, ==, 3);
  for (guint i = 0; i < positions->n_values; i++)
    g_assert_nonnull (reel_text_position_to_label (positions->values[i].value));
  g_assert_cmpuint (styles->n_values, ==, 4);
  for (guint i = 0; i < styles->n_values; i++)
    g_assert_nonnull (reel_text_style_to_label (styles->values[i].value));
  g_assert_cmpstr (reel_text_style_to_label (REEL_TEXT_STYLE_LOWER_THIRD), ==, "Lower third");
  g_assert_cmpuint (aspects->n_values, ==, 3);
  for (guint i = 0; i < aspects->n_values; i++)
    g_assert_nonnull (reel_aspect_to_label (aspects->values[i].value));
}

/* ---- Shot ---- */

static void
test_shot_defaults (void)
{
  g_autoptr(ReelShot) a = reel_shot_new ();
  g_autoptr(ReelShot) b = reel_shot_new ();
  g_autoptr(ReelShot) loaded = reel_shot_new_with_id ("shot-from-file");

  g_assert_true (is_uuid (reel_shot_get_id (a)));
  g_assert_true (is_uuid (reel_shot_get_id (b)));
  g_assert_cmpstr (reel_shot_get_id (a), !=, reel_shot_get_id (b));
  g_assert_cmpstr (reel_shot_get_id (loaded), ==, "shot-from-file");

  g_assert_cmpstr (reel_shot_get_title (a), ==, "");
  g_assert_cmpstr (reel_shot_get_prompt (a), ==, "");
  g_assert_cmpstr (reel_shot_get_style (a), ==, "");
  g_assert_cmpstr (reel_shot_get_music_mood (a), ==, "");
  g_assert_cmpfloat (reel_shot_get_duration (a), ==, REEL_SHOT_DURATION_DEFAULT);
  g_assert_cmpint (reel_shot_get_aspect (a), ==, REEL_ASPECT_16X9);
  g_assert_cmpint (reel_shot_get_camera_move (a), ==, REEL_CAMERA_MOVE_STATIC);
  g_assert_cmpfloat (reel_shot_get_camera_speed (a), ==, 1.0);
  g_assert_cmpfloat (reel_shot_get_lens_mm (a), ==, 35.0);
  g_assert_cmpint (reel_shot_get_fps (a), ==, 24);
  g_assert_cmpfloat (reel_shot_get_music_intensity (a), ==, 0.5);
  g_assert_null (reel_shot_get_start_image (a));
  g_assert_null (reel_shot_get_selected_take (a));
  g_assert_cmpint (reel_shot_get_seed (a), >=, 0);
  g_assert_cmpint (reel_shot_get_seed (a), <=, (gint64) G_MAXUINT32);
  g_assert_cmpint (reel_shot_get_seed (loaded), ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_dialogue (a)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_sfx (a)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_text_cues (a)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (a)), ==, 0);
  g_assert_true (g_list_model_get_item_type (reel_shot_get_dialogue (a))
                 == REEL_TYPE_DIALOGUE_LINE);
  g_assert_true (g_list_model_get_item_type (reel_shot_get_sfx (a)) == REEL_TYPE_SFX_CUE);
  g_assert_true (g_list_model_get_item_type (reel_shot_get_text_cues (a)) == REEL_TYPE_TEXT_CUE);
  g_assert_true (g_list_model_get_item_type (reel_shot_get_takes (a)) == REEL_TYPE_TAKE);

  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
  g_assert_finalize_object (g_steal_pointer (&loaded));
}

static void
test_shot_pspecs (void)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (REEL_TYPE_SHOT);
  GParamSpec *pspec;

  assert_pspecs_follow_style (REEL_TYPE_SHOT);
  assert_pspecs_follow_style (REEL_TYPE_PROJECT);
  assert_pspecs_follow_style (REEL_TYPE_DIALOGUE_LINE);
  assert_pspecs_follow_style (REEL_TYPE_SFX_CUE);
  assert_pspecs_follow_style (REEL_TYPE_TEXT_CUE);
  assert_pspecs_follow_style (REEL_TYPE_TAKE);

  /* The ranges a spin button reads from the property spec are the documented ones. */
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "duration");
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, 0.5);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, 20.0);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "lens-mm");
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, 8.0);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, 300.0);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "fps");
  g_assert_cmpint (G_PARAM_SPEC_INT (pspec)->minimum, ==, 8);
  g_assert_cmpint (G_PARAM_SPEC_INT (pspec)->maximum, ==, 60);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "camera-speed");
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, 0.0);
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, 2.0);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "music-intensity");
  g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, 1.0);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "id");
  g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "camera-move");
  g_assert_true (pspec->value_type == REEL_TYPE_CAMERA_MOVE);
}

static void
test_shot_clamping (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();

  reel_shot_set_duration (shot, 0.1);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 0.5);
  reel_shot_set_duration (shot, 100.0);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 20.0);
  reel_shot_set_duration (shot, 7.25);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 7.25);
  reel_shot_set_duration (shot, NAN);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 0.5);
  reel_shot_set_duration (shot, INFINITY);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 20.0);

  reel_shot_set_camera_speed (shot, -1.0);
  g_assert_cmpfloat (reel_shot_get_camera_speed (shot), ==, 0.0);
  reel_shot_set_camera_speed (shot, 9.0);
  g_assert_cmpfloat (reel_shot_get_camera_speed (shot), ==, 2.0);

  reel_shot_set_lens_mm (shot, 1.0);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 8.0);
  reel_shot_set_lens_mm (shot, 5000.0);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 300.0);
  reel_shot_set_lens_mm (shot, 85.0);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 85.0);

  reel_shot_set_fps (shot, 1);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 8);
  reel_shot_set_fps (shot, 240);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 60);
  reel_shot_set_fps (shot, -3);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 8);

  reel_shot_set_music_intensity (shot, -0.5);
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 0.0);
  reel_shot_set_music_intensity (shot, 1.5);
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 1.0);

  reel_shot_set_seed (shot, -5);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 0);
  reel_shot_set_seed (shot, G_MAXINT64);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, (gint64) G_MAXUINT32);
  reel_shot_set_seed (shot, 1234);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 1234);

  /* NULL strings read back as "", so a GtkEntry bound to them never sees NULL. */
  reel_shot_set_prompt (shot, "rain");
  reel_shot_set_prompt (shot, NULL);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "");
  /* The start image is optional: "" and NULL both mean none. */
  reel_shot_set_start_image (shot, "");
  g_assert_null (reel_shot_get_start_image (shot));

  g_assert_finalize_object (g_steal_pointer (&shot));
}

static void
test_shot_notify (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new_with_id ("s");
  NotifyLog *log = notify_log_new (shot);

  /* Same values as the defaults: nothing changes, nothing notifies. */
  reel_shot_set_duration (shot, REEL_SHOT_DURATION_DEFAULT);
  reel_shot_set_title (shot, "");
  reel_shot_set_title (shot, NULL);
  reel_shot_set_fps (shot, 24);
  reel_shot_set_aspect (shot, REEL_ASPECT_16X9);
  reel_shot_set_camera_move (shot, REEL_CAMERA_MOVE_STATIC);
  reel_shot_set_start_image (shot, NULL);
  reel_shot_set_selected_take (shot, NULL);
  reel_shot_set_seed (shot, 0);
  /* Clamped to the value it already has. */
  reel_shot_set_music_intensity (shot, 0.5);
  g_assert_cmpuint (log->names->len, ==, 0);

  reel_shot_set_title (shot, "Rain on the window");
  reel_shot_set_title (shot, "Rain on the window");
  g_assert_cmpuint (notify_log_count (log, "title"), ==, 1);

  reel_shot_set_duration (shot, 30.0);
  reel_shot_set_duration (shot, 25.0);   /* clamps to 20 again: no change */
  g_assert_cmpuint (notify_log_count (log, "duration"), ==, 1);

  reel_shot_set_camera_move (shot, REEL_CAMERA_MOVE_DOLLY_IN);
  reel_shot_set_lens_mm (shot, 35.0);
  reel_shot_set_lens_mm (shot, 50.0);
  reel_shot_set_fps (shot, 30);
  reel_shot_set_prompt (shot, "neon");
  reel_shot_set_style (shot, "noir");
  reel_shot_set_aspect (shot, REEL_ASPECT_1X1);
  reel_shot_set_seed (shot, 7);
  reel_shot_set_camera_speed (shot, 0.5);
  reel_shot_set_music_mood (shot, "sax");
  reel_shot_set_music_intensity (shot, 0.4);
  reel_shot_set_start_image (shot, "a.png");
  g_assert_cmpuint (notify_log_count (log, "camera-move"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "lens-mm"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "fps"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "prompt"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "style"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "aspect"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "seed"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "camera-speed"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "music-mood"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "music-intensity"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "start-image"), ==, 1);
  g_assert_cmpuint (log->names->len, ==, 13);

  /* Through GObject's generic API the same rules hold. */
  g_object_set (shot, "prompt", "neon", "fps", 30, NULL);
  g_assert_cmpuint (log->names->len, ==, 13);
  g_object_set (shot, "prompt", "neon signs", NULL);
  g_assert_cmpuint (notify_log_count (log, "prompt"), ==, 2);

  notify_log_free (shot, log);
  g_assert_finalize_object (g_steal_pointer (&shot));
}

static void
test_shot_lists (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("Detective", "en-us+m3", "Hm.", 1.0);
  g_autoptr(ReelSfxCue) sfx = reel_sfx_cue_new ("rain on glass", 0.0);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("Chapter 1", 0.0, 2.0);
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);
  ItemsChanged dialogue_changes = { 0 }, sfx_changes = { 0 }, text_changes = { 0 };
  ItemsChanged take_changes = { 0 };

  g_signal_connect (reel_shot_get_dialogue (shot), "items-changed",
                    G_CALLBACK (items_changed_cb), &dialogue_changes);
  g_signal_connect (reel_shot_get_sfx (shot), "items-changed",
                    G_CALLBACK (items_changed_cb), &sfx_changes);
  g_signal_connect (reel_shot_get_text_cues (shot), "items-changed",
                    G_CALLBACK (items_changed_cb), &text_changes);
  g_signal_connect (reel_shot_get_takes (shot), "items-changed",
                    G_CALLBACK (items_changed_cb), &take_changes);

  reel_shot_append_cue_internal (shot, G_OBJECT (line));
  reel_shot_append_cue_internal (shot, G_OBJECT (sfx));
  reel_shot_append_cue_internal (shot, G_OBJECT (text));
  reel_shot_append_take_internal (shot, take);

  /* Each cue went to its own list, and only that list changed. */
  g_assert_cmpuint (dialogue_changes.n_calls, ==, 1);
  g_assert_cmpuint (dialogue_changes.added, ==, 1);
  g_assert_cmpuint (sfx_changes.n_calls, ==, 1);
  g_assert_cmpuint (text_changes.n_calls, ==, 1);
  g_assert_cmpuint (take_changes.n_calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_dialogue (shot)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_sfx (shot)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_text_cues (shot)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (shot)), ==, 1);

  g_assert_true (reel_shot_get_store_for_item (shot, line)
                 == (GListStore *) reel_shot_get_dialogue (shot));
  g_assert_true (reel_shot_get_store_for_item (shot, take)
                 == (GListStore *) reel_shot_get_takes (shot));

  g_assert_true (reel_shot_find_take (shot, reel_take_get_id (take)) == take);
  g_assert_null (reel_shot_find_take (shot, "no-such-take"));
  g_assert_null (reel_shot_find_take (shot, NULL));

  g_signal_handlers_disconnect_by_data (reel_shot_get_dialogue (shot), &dialogue_changes);
  g_signal_handlers_disconnect_by_data (reel_shot_get_sfx (shot), &sfx_changes);
  g_signal_handlers_disconnect_by_data (reel_shot_get_text_cues (shot), &text_changes);
  g_signal_handlers_disconnect_by_data (reel_shot_get_takes (shot), &take_changes);

  /* The shot owns its cues: dropping it releases them. */
  g_assert_finalize_object (g_steal_pointer (&shot));
  g_assert_finalize_object (g_steal_pointer (&line));
  g_assert_finalize_object (g_steal_pointer (&sfx));
  g_assert_finalize_object (g_steal_pointer (&text));
  g_assert_finalize_object (g_steal_pointer (&take));
}

static void
test_shot_selected_take (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);
  g_autoptr(ReelTake) stranger = reel_take_new (NULL, NULL);
  NotifyLog *log;

  reel_shot_append_take_internal (shot, take);
  log = notify_log_new (shot);

  reel_shot_set_selected_take (shot, take);
  reel_shot_set_selected_take (shot, take);
  g_assert_true (reel_shot_get_selected_take (shot) == take);
  g_assert_cmpuint (notify_log_count (log, "selected-take"), ==, 1);

  /* A take of another shot cannot be selected. */
  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*g_list_store_find*");
  reel_shot_set_selected_take (shot, stranger);
  g_test_assert_expected_messages ();
  g_assert_true (reel_shot_get_selected_take (shot) == take);

  reel_shot_set_selected_take (shot, NULL);
  g_assert_null (reel_shot_get_selected_take (shot));
  g_assert_cmpuint (notify_log_count (log, "selected-take"), ==, 2);

  notify_log_free (shot, log);
  g_assert_finalize_object (g_steal_pointer (&shot));
  g_assert_finalize_object (g_steal_pointer (&take));
  g_assert_finalize_object (g_steal_pointer (&stranger));
}

static void
test_shot_duplicate (void)
{
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelShot) copy = NULL;
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("Detective", "en-us+m3", "Hm.", 1.5);
  g_autoptr(ReelSfxCue) sfx = reel_sfx_cue_new ("rain on glass", 0.25);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("Chapter 1", 0.5, 2.5);
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) nested = json_object_new ();
  g_autoptr(ReelDialogueLine) line_copy = NULL;
  g_autoptr(ReelSfxCue) sfx_copy = NULL;
  g_autoptr(ReelTextCue) text_copy = NULL;

  reel_shot_set_title (shot, "Rain");
  reel_shot_set_duration (shot, 6.0);
  reel_shot_set_prompt (shot, "rain on a window at night");
  reel_shot_set_style (shot, "noir");
  reel_shot_set_aspect (shot, REEL_ASPECT_9X16);
  reel_shot_set_seed (shot, 99);
  reel_shot_set_camera_move (shot, REEL_CAMERA_MOVE_DOLLY_IN);
  reel_shot_set_camera_speed (shot, 0.5);
  reel_shot_set_lens_mm (shot, 35.0);
  reel_shot_set_fps (shot, 12);
  reel_shot_set_music_mood (shot, "slow sax");
  reel_shot_set_music_intensity (shot, 0.4);
  reel_shot_set_start_image (shot, "abc.png");
  reel_text_cue_set_style (text, REEL_TEXT_STYLE_LOWER_THIRD);
  reel_text_cue_set_position (text, REEL_TEXT_POSITION_TOP);
  reel_shot_append_cue_internal (shot, G_OBJECT (line));
  reel_shot_append_cue_internal (shot, G_OBJECT (sfx));
  reel_shot_append_cue_internal (shot, G_OBJECT (text));
  reel_shot_append_take_internal (shot, take);
  reel_shot_set_selected_take (shot, take);
  json_object_set_string_member (nested, "x", "y");
  json_object_set_object_member (extra, "future", json_object_ref (nested));
  reel_shot_set_extra (shot, extra);

  copy = reel_shot_duplicate (shot);

  g_assert_true (is_uuid (reel_shot_get_id (copy)));
  g_assert_cmpstr (reel_shot_get_id (copy), !=, reel_shot_get_id (shot));
  g_assert_cmpstr (reel_shot_get_title (copy), ==, "Rain");
  g_assert_cmpfloat (reel_shot_get_duration (copy), ==, 6.0);
  g_assert_cmpstr (reel_shot_get_prompt (copy), ==, "rain on a window at night");
  g_assert_cmpstr (reel_shot_get_style (copy), ==, "noir");
  g_assert_cmpint (reel_shot_get_aspect (copy), ==, REEL_ASPECT_9X16);
  g_assert_cmpint (reel_shot_get_seed (copy), ==, 99);
  g_assert_cmpint (reel_shot_get_camera_move (copy), ==, REEL_CAMERA_MOVE_DOLLY_IN);
  g_assert_cmpfloat (reel_shot_get_camera_speed (copy), ==, 0.5);
  g_assert_cmpint (reel_shot_get_fps (copy), ==, 12);
  g_assert_cmpstr (reel_shot_get_music_mood (copy), ==, "slow sax");
  g_assert_cmpfloat (reel_shot_get_music_intensity (copy), ==, 0.4);
  g_assert_cmpstr (reel_shot_get_start_image (copy), ==, "abc.png");

  /* Takes are history of the original; the copy starts fresh. */
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (copy)), ==, 0);
  g_assert_null (reel_shot_get_selected_take (copy));

  /* Cues are copied, not shared: editing the copy must not touch the original. */
  line_copy = g_list_model_get_item (reel_shot_get_dialogue (copy), 0);
  sfx_copy = g_list_model_get_item (reel_shot_get_sfx (copy), 0);
  text_copy = g_list_model_get_item (reel_shot_get_text_cues (copy), 0);
  g_assert_true (line_copy != line);
  g_assert_true (sfx_copy != sfx);
  g_assert_true (text_copy != text);
  g_assert_cmpstr (reel_dialogue_line_get_speaker (line_copy), ==, "Detective");
  g_assert_cmpstr (reel_dialogue_line_get_voice (line_copy), ==, "en-us+m3");
  g_assert_cmpstr (reel_dialogue_line_get_text (line_copy), ==, "Hm.");
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line_copy), ==, 1.5);
  g_assert_cmpstr (reel_sfx_cue_get_description (sfx_copy), ==, "rain on glass");
  g_assert_cmpfloat (reel_sfx_cue_get_offset (sfx_copy), ==, 0.25);
  g_assert_cmpstr (reel_text_cue_get_text (text_copy), ==, "Chapter 1");
  g_assert_cmpfloat (reel_text_cue_get_start (text_copy), ==, 0.5);
  g_assert_cmpfloat (reel_text_cue_get_end (text_copy), ==, 2.5);
  g_assert_cmpint (reel_text_cue_get_style (text_copy), ==, REEL_TEXT_STYLE_LOWER_THIRD);
  g_assert_cmpint (reel_text_cue_get_position (text_copy), ==, REEL_TEXT_POSITION_TOP);
  reel_dialogue_line_set_text (line_copy, "Changed");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "Hm.");

  /* Unknown JSON fields travel with the copy, deep-copied. */
  g_assert_nonnull (reel_shot_get_extra (copy));
  g_assert_true (reel_shot_get_extra (copy) != extra);
  g_assert_true (json_object_get_object_member (reel_shot_get_extra (copy), "future") != nested);
  json_object_set_string_member (nested, "x", "changed");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (reel_shot_get_extra (copy), "future"), "x"),
                   ==, "y");

  g_clear_object (&line_copy);
  g_clear_object (&sfx_copy);
  g_clear_object (&text_copy);
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&shot));
  g_assert_finalize_object (g_steal_pointer (&take));
  g_assert_finalize_object (g_steal_pointer (&line));
  g_assert_finalize_object (g_steal_pointer (&sfx));
  g_assert_finalize_object (g_steal_pointer (&text));
}

/* ---- Cues ---- */

static void
test_dialogue_line (void)
{
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new (NULL, NULL, NULL, -3.0);
  g_autoptr(ReelDialogueLine) copy = NULL;
  NotifyLog *log;

  g_assert_cmpstr (reel_dialogue_line_get_speaker (line), ==, "");
  g_assert_cmpstr (reel_dialogue_line_get_voice (line), ==, "");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "");
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, 0.0);

  log = notify_log_new (line);
  reel_dialogue_line_set_offset (line, 50.0);
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, REEL_CUE_TIME_MAX);
  reel_dialogue_line_set_offset (line, 60.0);
  reel_dialogue_line_set_offset (line, NAN);
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, 0.0);
  g_assert_cmpuint (notify_log_count (log, "offset"), ==, 2);

  reel_dialogue_line_set_speaker (line, "Narrator");
  reel_dialogue_line_set_speaker (line, "Narrator");
  reel_dialogue_line_set_voice (line, "en-gb");
  reel_dialogue_line_set_text (line, "Light becomes sugar.");
  g_assert_cmpuint (notify_log_count (log, "speaker"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "voice"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "text"), ==, 1);
  notify_log_free (line, log);

  copy = reel_dialogue_line_copy (line);
  g_assert_cmpstr (reel_dialogue_line_get_speaker (copy), ==, "Narrator");
  g_assert_cmpstr (reel_dialogue_line_get_text (copy), ==, "Light becomes sugar.");

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&line));
}

static void
test_sfx_cue (void)
{
  g_autoptr(ReelSfxCue) cue = reel_sfx_cue_new ("thunder", 25.0);
  NotifyLog *log = notify_log_new (cue);

  g_assert_cmpfloat (reel_sfx_cue_get_offset (cue), ==, REEL_CUE_TIME_MAX);
  reel_sfx_cue_set_offset (cue, -1.0);
  g_assert_cmpfloat (reel_sfx_cue_get_offset (cue), ==, 0.0);
  reel_sfx_cue_set_offset (cue, 0.0);
  reel_sfx_cue_set_description (cue, "thunder");
  reel_sfx_cue_set_description (cue, NULL);
  g_assert_cmpstr (reel_sfx_cue_get_description (cue), ==, "");
  g_assert_cmpuint (notify_log_count (log, "offset"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "description"), ==, 1);

  notify_log_free (cue, log);
  g_assert_finalize_object (g_steal_pointer (&cue));
}

static void
test_text_cue_range (void)
{
  g_autoptr(ReelTextCue) cue = reel_text_cue_new ("Title", 1.0, 3.0);
  g_autoptr(ReelTextCue) backwards = reel_text_cue_new ("x", 5.0, 2.0);
  NotifyLog *log;

  g_assert_cmpfloat (reel_text_cue_get_start (cue), ==, 1.0);
  g_assert_cmpfloat (reel_text_cue_get_end (cue), ==, 3.0);
  g_assert_cmpint (reel_text_cue_get_position (cue), ==, REEL_TEXT_POSITION_BOTTOM);
  g_assert_cmpint (reel_text_cue_get_style (cue), ==, REEL_TEXT_STYLE_PLAIN);

  /* Built backwards, the cue still runs forwards. */
  g_assert_cmpfloat (reel_text_cue_get_start (backwards), ==, 5.0);
  g_assert_cmpfloat (reel_text_cue_get_end (backwards), ==, 5.0);

  log = notify_log_new (cue);

  /* An end before the start is clamped to the start. */
  reel_text_cue_set_end (cue, 0.5);
  g_assert_cmpfloat (reel_text_cue_get_end (cue), ==, 1.0);
  g_assert_cmpuint (notify_log_count (log, "end"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "start"), ==, 0);

  reel_text_cue_set_end (cue, 3.0);
  /* A start moved within the cue leaves the end alone. */
  reel_text_cue_set_start (cue, 2.0);
  g_assert_cmpfloat (reel_text_cue_get_end (cue), ==, 3.0);
  g_assert_cmpuint (notify_log_count (log, "end"), ==, 2);

  /* A start moved past the end drags the end along; both notify once. */
  reel_text_cue_set_start (cue, 4.0);
  g_assert_cmpfloat (reel_text_cue_get_start (cue), ==, 4.0);
  g_assert_cmpfloat (reel_text_cue_get_end (cue), ==, 4.0);
  g_assert_cmpuint (notify_log_count (log, "start"), ==, 2);
  g_assert_cmpuint (notify_log_count (log, "end"), ==, 3);

  reel_text_cue_set_start (cue, -2.0);
  g_assert_cmpfloat (reel_text_cue_get_start (cue), ==, 0.0);
  reel_text_cue_set_end (cue, 100.0);
  g_assert_cmpfloat (reel_text_cue_get_end (cue), ==, REEL_CUE_TIME_MAX);

  reel_text_cue_set_style (cue, REEL_TEXT_STYLE_KINETIC);
  reel_text_cue_set_style (cue, REEL_TEXT_STYLE_KINETIC);
  reel_text_cue_set_position (cue, REEL_TEXT_POSITION_CENTER);
  g_assert_cmpuint (notify_log_count (log, "style"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "position"), ==, 1);

  notify_log_free (cue, log);
  g_assert_finalize_object (g_steal_pointer (&cue));
  g_assert_finalize_object (g_steal_pointer (&backwards));
}

/* ---- Take ---- */

static void
test_take (void)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) inner = json_object_new ();
  g_autoptr(ReelTake) take = NULL;
  g_autoptr(ReelTake) remix = NULL;
  g_autoptr(ReelTake) loaded = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 25, 14, 0, 0);
  NotifyLog *log;

  json_object_set_int_member (request, "seed", 1234);
  json_object_set_object_member (request, "model", json_object_ref (inner));
  json_object_set_string_member (inner, "id", "wan-mini");

  take = reel_take_new ("", request);
  g_assert_true (is_uuid (reel_take_get_id (take)));
  g_assert_null (reel_take_get_parent_id (take));
  g_assert_nonnull (reel_take_get_created (take));
  g_assert_null (reel_take_get_video (take));

  /* The take keeps its own deep copy: changing the caller's request later changes nothing. */
  json_object_set_int_member (request, "seed", 1);
  json_object_set_string_member (inner, "id", "changed");
  g_assert_cmpint (json_object_get_int_member (reel_take_get_request (take), "seed"), ==, 1234);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (reel_take_get_request (take), "model"),
                     "id"), ==, "wan-mini");

  remix = reel_take_new (reel_take_get_id (take), NULL);
  g_assert_cmpstr (reel_take_get_parent_id (remix), ==, reel_take_get_id (take));
  g_assert_cmpstr (reel_take_get_id (remix), !=, reel_take_get_id (take));
  g_assert_nonnull (reel_take_get_request (remix));
  g_assert_cmpuint (json_object_get_size (reel_take_get_request (remix)), ==, 0);

  loaded = reel_take_new_full ("take-1", "take-0", when, NULL);
  g_assert_cmpstr (reel_take_get_id (loaded), ==, "take-1");
  g_assert_cmpstr (reel_take_get_parent_id (loaded), ==, "take-0");
  g_assert_true (g_date_time_equal (reel_take_get_created (loaded), when));

  log = notify_log_new (take);
  reel_take_set_video (take, "0123.mp4");
  reel_take_set_video (take, "0123.mp4");
  reel_take_set_audio (take, "4567.wav");
  reel_take_set_thumbnail (take, "89ab.png");
  reel_take_set_thumbnail (take, "");
  g_assert_cmpstr (reel_take_get_video (take), ==, "0123.mp4");
  g_assert_cmpstr (reel_take_get_audio (take), ==, "4567.wav");
  g_assert_null (reel_take_get_thumbnail (take));
  g_assert_cmpuint (notify_log_count (log, "video"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "audio"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "thumbnail"), ==, 2);
  notify_log_free (take, log);

  g_assert_finalize_object (g_steal_pointer (&take));
  g_assert_finalize_object (g_steal_pointer (&remix));
  g_assert_finalize_object (g_steal_pointer (&loaded));
}

/* ---- Project ---- */

static void
test_project_defaults (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();

  g_assert_cmpstr (reel_project_get_title (project), ==, "Untitled storyboard");
  g_assert_null (reel_project_get_path (project));
  g_assert_false (reel_project_get_dirty (project));
  g_assert_false (reel_project_get_can_undo (project));
  g_assert_false (reel_project_get_can_redo (project));
  g_assert_null (reel_project_get_undo_label (project));
  g_assert_null (reel_project_get_redo_label (project));
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 0);
  g_assert_true (g_list_model_get_item_type (reel_project_get_shots (project)) == REEL_TYPE_SHOT);
  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 0);
  g_assert_cmpfloat (reel_project_get_total_duration (project), ==, 0.0);
  g_assert_null (reel_project_get_shot (project, 0));

  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_project_shots (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(ReelShot) first = reel_shot_new ();
  g_autoptr(ReelShot) second = reel_shot_new ();
  g_autoptr(ReelShot) stranger = reel_shot_new ();
  ItemsChanged changes = { 0 };
  NotifyLog *log = notify_log_new (project);

  g_signal_connect (reel_project_get_shots (project), "items-changed",
                    G_CALLBACK (items_changed_cb), &changes);

  reel_shot_set_duration (first, 3.0);
  reel_shot_set_duration (second, 4.5);
  reel_project_append_shot_internal (project, first);
  reel_project_append_shot_internal (project, second);

  g_assert_cmpuint (changes.n_calls, ==, 2);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 2);
  g_assert_true (reel_project_get_shot (project, 0) == first);
  g_assert_true (reel_project_get_shot (project, 1) == second);
  g_assert_null (reel_project_get_shot (project, 2));
  g_assert_true (reel_project_find_shot (project, reel_shot_get_id (second)) == second);
  g_assert_null (reel_project_find_shot (project, reel_shot_get_id (stranger)));
  g_assert_cmpint (reel_project_get_shot_position (project, second), ==, 1);
  g_assert_cmpint (reel_project_get_shot_position (project, stranger), ==, -1);
  g_assert_cmpfloat (reel_project_get_total_duration (project), ==, 7.5);

  /* Building a model is not editing it. */
  g_assert_false (reel_project_get_dirty (project));
  g_assert_false (reel_project_get_can_undo (project));

  reel_project_set_path_internal (project, "/tmp/x.reel");
  reel_project_set_path_internal (project, "/tmp/x.reel");
  g_assert_cmpstr (reel_project_get_path (project), ==, "/tmp/x.reel");
  reel_project_set_title_internal (project, "Noir");
  reel_project_set_title_internal (project, "Noir");
  g_assert_cmpstr (reel_project_get_title (project), ==, "Noir");
  g_assert_cmpuint (notify_log_count (log, "path"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "title"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "dirty"), ==, 0);

  reel_project_set_scratch_dir (project, "/tmp/scratch");
  g_assert_cmpstr (reel_project_get_scratch_dir (project), ==, "/tmp/scratch");

  notify_log_free (project, log);
  g_signal_handlers_disconnect_by_data (reel_project_get_shots (project), &changes);
  g_assert_finalize_object (g_steal_pointer (&project));
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&stranger));
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
test_project_speakers (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  const char *speakers[] = { "Detective", "Narrator", "Detective", NULL };
  const char *voices[] = { "en-us+m3", "en-gb", "en-us+m7", NULL };
  guint n_changed = 0;

  g_signal_connect (project, "speakers-changed", G_CALLBACK (count_cb), &n_changed);

  reel_project_set_speakers (project, speakers, voices);
  g_assert_cmpuint (n_changed, ==, 1);
  /* A repeated speaker keeps its last voice and its first place. */
  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 2);
  g_assert_cmpstr (reel_project_get_speaker_name (project, 0), ==, "Detective");
  g_assert_cmpstr (reel_project_get_speaker_voice (project, 0), ==, "en-us+m7");
  g_assert_cmpstr (reel_project_get_speaker_name (project, 1), ==, "Narrator");
  g_assert_cmpstr (reel_project_lookup_voice (project, "Narrator"), ==, "en-gb");
  g_assert_null (reel_project_lookup_voice (project, "Nobody"));
  g_assert_null (reel_project_lookup_voice (project, NULL));

  reel_project_set_speaker_internal (project, "Narrator", "en-gb");
  g_assert_cmpuint (n_changed, ==, 1);
  reel_project_set_speaker_internal (project, "Narrator", NULL);
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 1);

  reel_project_set_speakers (project, NULL, NULL);
  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 0);

  g_signal_handlers_disconnect_by_data (project, &n_changed);
  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_project_extra (void)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GList) members = NULL;

  g_assert_null (reel_project_get_extra (project));

  json_object_set_string_member (extra, "zeta", "last");
  json_array_add_int_element (array, 1);
  json_array_add_object_element (array, json_object_new ());
  json_object_set_array_member (extra, "alpha", json_array_ref (array));
  json_object_set_null_member (extra, "nothing");
  reel_project_set_extra (project, extra);
  g_assert_true (reel_project_get_extra (project) == extra);

  copy = reel_json_object_copy (extra);
  /* Members keep their order, so a saved file does not reshuffle what it did not understand. */
  members = json_object_get_members (copy);
  g_assert_cmpstr (g_list_nth_data (members, 0), ==, "zeta");
  g_assert_cmpstr (g_list_nth_data (members, 1), ==, "alpha");
  g_assert_cmpstr (g_list_nth_data (members, 2), ==, "nothing");
  g_assert_true (json_object_get_array_member (copy, "alpha") != array);
  json_array_add_int_element (array, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (copy, "alpha")), ==, 2);
  g_assert_true (json_object_get_null_member (copy, "nothing"));
  g_assert_null (reel_json_object_copy (NULL));

  reel_project_set_extra (project, NULL);
  g_assert_null (reel_project_get_extra (project));

  g_assert_finalize_object (g_steal_pointer (&project));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/enums/nicks", test_enums_nicks);
  g_test_add_func ("/model/enums/aspect", test_enums_aspect);
  g_test_add_func ("/model/enums/labels", test_enums_labels);
  g_test_add_func ("/model/shot/defaults", test_shot_defaults);
  g_test_add_func ("/model/shot/pspecs", test_shot_pspecs);
  g_test_add_func ("/model/shot/clamping", test_shot_clamping);
  g_test_add_func ("/model/shot/notify", test_shot_notify);
  g_test_add_func ("/model/shot/lists", test_shot_lists);
  g_test_add_func ("/model/shot/selected-take", test_shot_selected_take);
  g_test_add_func ("/model/shot/duplicate", test_shot_duplicate);
  g_test_add_func ("/model/dialogue-line", test_dialogue_line);
  g_test_add_func ("/model/sfx-cue", test_sfx_cue);
  g_test_add_func ("/model/text-cue/range", test_text_cue_range);
  g_test_add_func ("/model/take", test_take);
  g_test_add_func ("/model/project/defaults", test_project_defaults);
  g_test_add_func ("/model/project/shots", test_project_shots);
  g_test_add_func ("/model/project/speakers", test_project_speakers);
  g_test_add_func ("/model/project/extra", test_project_extra);

  return g_test_run ();
}

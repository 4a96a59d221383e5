#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>

#include "reel-project.h"
#include "reel-project-private.h"

/* Every test works on a small storyboard: three shots with known titles. */
typedef struct
{
  ReelProject *project;
  ReelShot    *shots[3];     /* borrowed from the project */
  guint        n_changed;
} Fixture;

static void
changed_cb (ReelProject *project,
            Fixture     *fixture)
{
  fixture->n_changed++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *titles[] = { "One", "Two", "Three" };

  fixture->project = reel_project_new ();
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr(ReelShot) shot = reel_shot_new_with_id (titles[i]);

      reel_shot_set_title (shot, titles[i]);
      reel_project_append_shot_internal (fixture->project, shot);
      fixture->shots[i] = shot;
    }
  g_signal_connect (fixture->project, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GWeakRef shot_refs[3];

  /* The project (history included) is the last owner of every shot: no leak, no cycle. */
  for (guint i = 0; i < G_N_ELEMENTS (shot_refs); i++)
    g_weak_ref_init (&shot_refs[i], fixture->shots[i]);

  g_signal_handlers_disconnect_by_data (fixture->project, fixture);
  g_assert_finalize_object (g_steal_pointer (&fixture->project));

  for (guint i = 0; i < G_N_ELEMENTS (shot_refs); i++)
    {
      g_assert_null (g_weak_ref_get (&shot_refs[i]));
      g_weak_ref_clear (&shot_refs[i]);
    }
}

/* "One Two Three" from the current shot order. */
static char *
shot_order (ReelProject *project)
{
  g_autoptr(GString) order = g_string_new (NULL);

  for (guint i = 0; i < reel_project_get_n_shots (project); i++)
    {
      if (i > 0)
        g_string_append_c (order, ' ');
      g_string_append (order, reel_shot_get_title (reel_project_get_shot (project, i)));
    }

  return g_string_free (g_steal_pointer (&order), FALSE);
}

#define assert_order(project, expected) \
  G_STMT_START { \
    g_autofree char *order_ = shot_order (project); \
    g_assert_cmpstr (order_, ==, expected); \
  } G_STMT_END

/* Counted without undoing: undo/redo would end a run of coalescing edits. */
static guint
count_undo_steps (ReelProject *project)
{
  return reel_project_get_n_undo_steps (project);
}

/* ---- Property edits ---- */

static void
test_set_every_shot_property (Fixture       *fixture,
                              gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[1];
  const struct
  {
    const char *property;
    const char *label;
  } expected_labels[] = {
    { "title", "Rename shot" },
    { "duration", "Change duration" },
    { "prompt", "Edit prompt" },
    { "style", "Change style" },
    { "aspect", "Change aspect ratio" },
    { "seed", "Change seed" },
    { "camera-move", "Change camera move" },
    { "camera-speed", "Change camera speed" },
    { "lens-mm", "Change lens" },
    { "fps", "Change frame rate" },
    { "music-mood", "Edit music mood" },
    { "music-intensity", "Change music intensity" },
  };

  reel_project_edit_set_string (project, shot, "title", "Rain");
  reel_project_edit_set_double (project, shot, "duration", 6.5);
  reel_project_edit_set_string (project, shot, "prompt", "rain on glass");
  reel_project_edit_set_string (project, shot, "style", "noir");
  reel_project_edit_set_enum (project, shot, "aspect", REEL_ASPECT_9X16);
  reel_project_edit_set_int (project, shot, "seed", 4242);
  reel_project_edit_set_enum (project, shot, "camera-move", REEL_CAMERA_MOVE_DOLLY_IN);
  reel_project_edit_set_double (project, shot, "camera-speed", 0.5);
  reel_project_edit_set_double (project, shot, "lens-mm", 35.5);
  reel_project_edit_set_int (project, shot, "fps", 12);
  reel_project_edit_set_string (project, shot, "music-mood", "slow sax");
  reel_project_edit_set_double (project, shot, "music-intensity", 0.4);

  g_assert_cmpuint (fixture->n_changed, ==, 12);
  g_assert_cmpstr (reel_shot_get_title (shot), ==, "Rain");
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 6.5);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "rain on glass");
  g_assert_cmpstr (reel_shot_get_style (shot), ==, "noir");
  g_assert_cmpint (reel_shot_get_aspect (shot), ==, REEL_ASPECT_9X16);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 4242);
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_DOLLY_IN);
  g_assert_cmpfloat (reel_shot_get_camera_speed (shot), ==, 0.5);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 35.5);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 12);
  g_assert_cmpstr (reel_shot_get_music_mood (shot), ==, "slow sax");
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 0.4);

  /* Twelve edits of different properties: twelve steps, undone newest first with their
   * labels. */
  g_assert_cmpuint (count_undo_steps (project), ==, 12);
  fixture->n_changed = 0;
  for (guint i = G_N_ELEMENTS (expected_labels); i > 0; i--)
    {
      g_assert_cmpstr (reel_project_get_undo_label (project), ==, expected_labels[i - 1].label);
      g_assert_true (reel_project_undo (project));
      g_assert_cmpstr (reel_project_get_redo_label (project), ==, expected_labels[i - 1].label);
    }
  g_assert_false (reel_project_undo (project));
  g_assert_false (reel_project_get_can_undo (project));

  g_assert_cmpstr (reel_shot_get_title (shot), ==, "Two");
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, REEL_SHOT_DURATION_DEFAULT);
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "");
  g_assert_cmpstr (reel_shot_get_style (shot), ==, "");
  g_assert_cmpint (reel_shot_get_aspect (shot), ==, REEL_ASPECT_16X9);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 0);
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_STATIC);
  g_assert_cmpfloat (reel_shot_get_camera_speed (shot), ==, 1.0);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 35.0);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 24);
  g_assert_cmpstr (reel_shot_get_music_mood (shot), ==, "");
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 0.5);
  g_assert_cmpuint (fixture->n_changed, ==, 12);

  while (reel_project_redo (project))
    ;
  g_assert_cmpstr (reel_shot_get_title (shot), ==, "Rain");
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 6.5);
  g_assert_cmpint (reel_shot_get_aspect (shot), ==, REEL_ASPECT_9X16);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 4242);
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_DOLLY_IN);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 12);
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 0.4);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Change music intensity");
  g_assert_false (reel_project_get_can_redo (project));

  /* Other shots were never touched. */
  g_assert_cmpstr (reel_shot_get_title (fixture->shots[0]), ==, "One");
  g_assert_cmpstr (reel_shot_get_prompt (fixture->shots[2]), ==, "");
}

static void
test_set_project_and_cues (Fixture       *fixture,
                           gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("Detective", "en-us", "Hm.", 0.0);
  g_autoptr(ReelSfxCue) sfx = reel_sfx_cue_new ("rain", 0.0);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("Title", 0.0, 2.0);
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);

  reel_shot_append_cue_internal (shot, G_OBJECT (line));
  reel_shot_append_cue_internal (shot, G_OBJECT (sfx));
  reel_shot_append_cue_internal (fixture->shots[2], G_OBJECT (text));
  reel_shot_append_take_internal (shot, take);

  reel_project_edit_set_string (project, project, "title", "Noir detective");
  g_assert_cmpstr (reel_project_get_title (project), ==, "Noir detective");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Rename storyboard");

  reel_project_edit_set_string (project, line, "speaker", "Narrator");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Change speaker");
  reel_project_edit_set_string (project, line, "voice", "en-gb");
  reel_project_edit_set_string (project, line, "text", "It rained.");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Edit dialogue");
  reel_project_edit_set_double (project, line, "offset", 1.5);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Move dialogue line");
  reel_project_edit_set_string (project, sfx, "description", "thunder");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Edit sound effect");
  reel_project_edit_set_double (project, sfx, "offset", 2.0);
  reel_project_edit_set_string (project, text, "text", "Chapter 1");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Edit on-screen text");
  reel_project_edit_set_enum (project, text, "style", REEL_TEXT_STYLE_KINETIC);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Change text style");
  reel_project_edit_set_enum (project, text, "position", REEL_TEXT_POSITION_TOP);
  reel_project_edit_set_string (project, take, "thumbnail", "thumb.png");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Change take");

  g_assert_cmpuint (count_undo_steps (project), ==, 11);
  while (reel_project_undo (project))
    ;

  g_assert_cmpstr (reel_project_get_title (project), ==, "Untitled storyboard");
  g_assert_cmpstr (reel_dialogue_line_get_speaker (line), ==, "Detective");
  g_assert_cmpstr (reel_dialogue_line_get_voice (line), ==, "en-us");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "Hm.");
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, 0.0);
  g_assert_cmpstr (reel_sfx_cue_get_description (sfx), ==, "rain");
  g_assert_cmpfloat (reel_sfx_cue_get_offset (sfx), ==, 0.0);
  g_assert_cmpstr (reel_text_cue_get_text (text), ==, "Title");
  g_assert_cmpint (reel_text_cue_get_style (text), ==, REEL_TEXT_STYLE_PLAIN);
  g_assert_cmpint (reel_text_cue_get_position (text), ==, REEL_TEXT_POSITION_BOTTOM);
  g_assert_null (reel_take_get_thumbnail (take));

  while (reel_project_redo (project))
    ;
  g_assert_cmpstr (reel_project_get_title (project), ==, "Noir detective");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "It rained.");
  g_assert_cmpfloat (reel_dialogue_line_get_offset (line), ==, 1.5);
  g_assert_cmpfloat (reel_sfx_cue_get_offset (sfx), ==, 2.0);
  g_assert_cmpint (reel_text_cue_get_position (text), ==, REEL_TEXT_POSITION_TOP);
  g_assert_cmpstr (reel_take_get_thumbnail (take), ==, "thumb.png");
}

static void
test_set_generic_value (Fixture       *fixture,
                        gconstpointer  data)
{
  ReelShot *shot = fixture->shots[0];
  g_auto(GValue) value = G_VALUE_INIT;

  /* A GValue of another type converts like GObject would (int -> double). */
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 9);
  reel_project_edit_set (fixture->project, shot, "duration", &value);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, 9.0);
  g_assert_true (reel_project_undo (fixture->project));
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, REEL_SHOT_DURATION_DEFAULT);
}

static void
test_set_clamps (Fixture       *fixture,
                 gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  /* Out-of-range values from the UI are clamped, never warned about (fatal-warnings is on). */
  reel_project_edit_set_double (project, shot, "duration", 100.0);
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, REEL_SHOT_DURATION_MAX);
  reel_project_edit_set_double (project, shot, "lens-mm", -4.0);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, REEL_LENS_MM_MIN);
  reel_project_edit_set_int (project, shot, "fps", G_GINT64_CONSTANT (10000000000));
  g_assert_cmpint (reel_shot_get_fps (shot), ==, REEL_FPS_MAX);
  reel_project_edit_set_int (project, shot, "seed", -1);
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 0);
  reel_project_edit_set_double (project, shot, "music-intensity", 3.0);
  g_assert_cmpfloat (reel_shot_get_music_intensity (shot), ==, 1.0);

  /* The seed was 0 already: clamping -1 to 0 changed nothing and recorded nothing. */
  g_assert_cmpuint (count_undo_steps (project), ==, 4);

  while (reel_project_undo (project))
    ;
  g_assert_cmpfloat (reel_shot_get_duration (shot), ==, REEL_SHOT_DURATION_DEFAULT);
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 35.0);
  g_assert_cmpint (reel_shot_get_fps (shot), ==, 24);
}

static void
test_set_noop (Fixture       *fixture,
               gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  reel_project_edit_set_string (project, shot, "title", "One");
  reel_project_edit_set_double (project, shot, "duration", REEL_SHOT_DURATION_DEFAULT);
  reel_project_edit_set_enum (project, shot, "aspect", REEL_ASPECT_16X9);
  reel_project_edit_set_string (project, shot, "prompt", NULL);   /* "" already */
  reel_project_edit_set_double (project, shot, "duration", 0.5);
  reel_project_edit_set_double (project, shot, "duration", 0.1);  /* clamps to 0.5 again */

  /* Only the one real change made a step, a changed signal and a dirty document. */
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpuint (count_undo_steps (project), ==, 1);
  g_assert_true (reel_project_get_dirty (project));
}

static void
test_text_cue_drag (Fixture       *fixture,
                    gconstpointer  data)
{
  ReelProject *project = fixture->project;
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("Title", 1.0, 3.0);

  reel_shot_append_cue_internal (fixture->shots[0], G_OBJECT (text));

  /* Moving the start past the end drags the end; one undo restores both. */
  reel_project_edit_set_double (project, text, "start", 5.0);
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 5.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 5.0);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Change text timing");

  g_assert_true (reel_project_undo (project));
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 1.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 3.0);

  g_assert_true (reel_project_redo (project));
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 5.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 5.0);

  /* Dragging back and forth coalesces and still undoes to the original pair. */
  reel_project_edit_set_double (project, text, "start", 2.0);
  reel_project_edit_set_double (project, text, "start", 7.0);
  reel_project_edit_set_double (project, text, "start", 6.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 7.0);
  g_assert_cmpuint (count_undo_steps (project), ==, 2);
  g_assert_true (reel_project_undo (project));
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 5.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 5.0);
  g_assert_true (reel_project_undo (project));
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 1.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 3.0);
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_redo (project));
  g_assert_cmpfloat (reel_text_cue_get_start (text), ==, 6.0);
  g_assert_cmpfloat (reel_text_cue_get_end (text), ==, 7.0);
}

/* ---- Coalescing, groups, labels ---- */

static void
test_coalesce_typing (Fixture       *fixture,
                      gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];
  const char *typed[] = { "r", "ra", "rai", "rain", "rain ", "rain o", "rain on" };

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    reel_project_edit_set_string (project, shot, "prompt", typed[i]);

  g_assert_cmpuint (fixture->n_changed, ==, G_N_ELEMENTS (typed));
  g_assert_cmpuint (count_undo_steps (project), ==, 1);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Edit prompt");

  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "");
  g_assert_true (reel_project_redo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "rain on");

  /* After undo/redo, typing starts a new step rather than growing the redone one. */
  reel_project_edit_set_string (project, shot, "prompt", "rain on glass");
  g_assert_cmpuint (count_undo_steps (project), ==, 2);

  /* Focus left the field: the next typing is its own step. */
  reel_project_break_coalescing (project);
  reel_project_edit_set_string (project, shot, "prompt", "rain on glass, night");
  g_assert_cmpuint (count_undo_steps (project), ==, 3);
  reel_project_edit_set_string (project, shot, "prompt", "rain on glass, night, neon");
  g_assert_cmpuint (count_undo_steps (project), ==, 3);

  /* Another property, or the same property of another shot, breaks the run. */
  reel_project_edit_set_string (project, shot, "title", "Rain");
  reel_project_edit_set_string (project, shot, "prompt", "x");
  g_assert_cmpuint (count_undo_steps (project), ==, 5);
  reel_project_edit_set_string (project, fixture->shots[1], "prompt", "y");
  reel_project_edit_set_string (project, shot, "prompt", "xz");
  g_assert_cmpuint (count_undo_steps (project), ==, 7);

  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "x");
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_prompt (fixture->shots[1]), ==, "");
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "rain on glass, night, neon");
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_title (shot), ==, "One");
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "rain on glass");
}

static void
test_coalesce_back_to_start (Fixture       *fixture,
                             gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  reel_project_edit_set_string (project, shot, "title", "Two shots");
  reel_project_break_coalescing (project);

  /* Typed and deleted again: the step vanishes and the document is as before. */
  reel_project_edit_set_string (project, shot, "prompt", "o");
  reel_project_edit_set_string (project, shot, "prompt", "oo");
  reel_project_edit_set_string (project, shot, "prompt", "o");
  reel_project_edit_set_string (project, shot, "prompt", "");
  g_assert_cmpuint (count_undo_steps (project), ==, 1);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Rename shot");

  /* Typing again after the vanished step does not fold into the older title step. */
  reel_project_edit_set_string (project, shot, "prompt", "p");
  g_assert_cmpuint (count_undo_steps (project), ==, 2);

  /* With a save point underneath, typing then deleting leaves a clean document. */
  reel_project_mark_saved (project);
  reel_project_edit_set_string (project, shot, "prompt", "pq");
  g_assert_true (reel_project_get_dirty (project));
  reel_project_edit_set_string (project, shot, "prompt", "p");
  g_assert_false (reel_project_get_dirty (project));
  g_assert_cmpuint (count_undo_steps (project), ==, 2);
}

static void
test_group (Fixture       *fixture,
            gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  reel_project_begin_group (project, "Apply noir look");
  reel_project_edit_set_string (project, shot, "style", "noir");
  reel_project_edit_set_double (project, shot, "lens-mm", 35.0 + 15.0);
  /* Groups nest; the outer label wins. */
  reel_project_begin_group (project, "Inner");
  reel_project_edit_set_enum (project, shot, "camera-move", REEL_CAMERA_MOVE_DOLLY_IN);
  reel_project_edit_add_shot (project, 3, NULL);
  reel_project_end_group (project);
  /* Inside a group, typing still coalesces. */
  reel_project_edit_set_string (project, shot, "music-mood", "s");
  reel_project_edit_set_string (project, shot, "music-mood", "sa");
  reel_project_edit_set_string (project, shot, "music-mood", "sax");
  g_assert_false (reel_project_get_can_undo (project));
  /* The edits are applied before the group closes, so the document is dirty already. */
  g_assert_true (reel_project_get_dirty (project));
  reel_project_end_group (project);

  g_assert_cmpuint (count_undo_steps (project), ==, 1);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Apply noir look");
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 4);

  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_style (shot), ==, "");
  g_assert_cmpfloat (reel_shot_get_lens_mm (shot), ==, 35.0);
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_STATIC);
  g_assert_cmpstr (reel_shot_get_music_mood (shot), ==, "");
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 3);
  g_assert_false (reel_project_get_dirty (project));
  g_assert_cmpstr (reel_project_get_redo_label (project), ==, "Apply noir look");

  g_assert_true (reel_project_redo (project));
  g_assert_cmpstr (reel_shot_get_music_mood (shot), ==, "sax");
  g_assert_cmpint (reel_shot_get_camera_move (shot), ==, REEL_CAMERA_MOVE_DOLLY_IN);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 4);

  /* A group that changed nothing leaves no step. */
  reel_project_begin_group (project, "Nothing");
  reel_project_edit_set_string (project, shot, "style", "noir");
  reel_project_end_group (project);
  g_assert_cmpuint (count_undo_steps (project), ==, 1);

  /* Without a label the group is named after its first edit. */
  reel_project_begin_group (project, NULL);
  reel_project_edit_set_string (project, shot, "prompt", "alley");
  reel_project_edit_set_int (project, shot, "fps", 30);
  reel_project_end_group (project);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Edit prompt");
  g_assert_cmpuint (count_undo_steps (project), ==, 2);

  /* A group does not coalesce with the typing that follows it. */
  reel_project_edit_set_int (project, shot, "fps", 31);
  g_assert_cmpuint (count_undo_steps (project), ==, 3);
}

typedef struct
{
  guint can_undo;
  guint can_redo;
  guint undo_label;
  guint redo_label;
  guint dirty;
} StateNotifies;

static void
state_notify_cb (GObject       *object,
                 GParamSpec    *pspec,
                 StateNotifies *counts)
{
  if (g_str_equal (pspec->name, "can-undo"))
    counts->can_undo++;
  else if (g_str_equal (pspec->name, "can-redo"))
    counts->can_redo++;
  else if (g_str_equal (pspec->name, "undo-label"))
    counts->undo_label++;
  else if (g_str_equal (pspec->name, "redo-label"))
    counts->redo_label++;
  else if (g_str_equal (pspec->name, "dirty"))
    counts->dirty++;
}

static void
test_labels_and_notify (Fixture       *fixture,
                        gconstpointer  data)
{
  ReelProject *project = fixture->project;
  StateNotifies counts = { 0 };

  g_signal_connect (project, "notify", G_CALLBACK (state_notify_cb), &counts);

  reel_project_edit_set_string (project, fixture->shots[0], "prompt", "a");
  g_assert_cmpuint (counts.can_undo, ==, 1);
  g_assert_cmpuint (counts.undo_label, ==, 1);
  g_assert_cmpuint (counts.dirty, ==, 1);
  g_assert_cmpuint (counts.can_redo, ==, 0);

  /* Coalesced typing changes none of them. */
  reel_project_edit_set_string (project, fixture->shots[0], "prompt", "ab");
  g_assert_cmpuint (counts.can_undo, ==, 1);
  g_assert_cmpuint (counts.undo_label, ==, 1);
  g_assert_cmpuint (counts.dirty, ==, 1);

  reel_project_edit_set_string (project, fixture->shots[0], "title", "A");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Rename shot");
  g_assert_cmpuint (counts.undo_label, ==, 2);

  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Edit prompt");
  g_assert_cmpstr (reel_project_get_redo_label (project), ==, "Rename shot");
  g_assert_true (reel_project_get_can_redo (project));
  g_assert_cmpuint (counts.can_redo, ==, 1);
  g_assert_cmpuint (counts.redo_label, ==, 1);

  g_assert_true (reel_project_undo (project));
  g_assert_false (reel_project_get_can_undo (project));
  g_assert_null (reel_project_get_undo_label (project));
  g_assert_cmpuint (counts.can_undo, ==, 2);

  g_signal_handlers_disconnect_by_data (project, &counts);
}

/* ---- Dirty and the save point ---- */

/* A restored autosave: no state, before or after any edit, is the saved file. */
static void
test_mark_unsaved (Fixture       *fixture,
                   gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  g_assert_false (reel_project_get_dirty (project));
  reel_project_mark_unsaved (project);
  g_assert_true (reel_project_get_dirty (project));
  g_assert_false (reel_project_get_can_undo (project));

  reel_project_edit_set_string (project, shot, "title", "A");
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_get_dirty (project));

  reel_project_mark_saved (project);
  g_assert_false (reel_project_get_dirty (project));
}

static void
test_dirty (Fixture       *fixture,
            gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  g_assert_false (reel_project_get_dirty (project));

  reel_project_edit_set_string (project, shot, "title", "A");
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_undo (project));
  g_assert_false (reel_project_get_dirty (project));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_get_dirty (project));

  /* Saved after "A". */
  reel_project_mark_saved (project);
  g_assert_false (reel_project_get_dirty (project));
  g_assert_true (reel_project_get_can_undo (project));   /* saving keeps the history */

  reel_project_edit_set_string (project, shot, "title", "B");
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_undo (project));
  g_assert_false (reel_project_get_dirty (project));
  g_assert_true (reel_project_undo (project));           /* before the save point */
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_redo (project));
  g_assert_false (reel_project_get_dirty (project));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_get_dirty (project));

  /* Typing after a save starts a new step, so undo stops exactly at the save point. */
  reel_project_edit_set_string (project, shot, "prompt", "a");
  reel_project_mark_saved (project);
  reel_project_edit_set_string (project, shot, "prompt", "ab");
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "a");
  g_assert_false (reel_project_get_dirty (project));

  /* Undo past the save point, then edit: the saved state is unreachable, dirty until saved. */
  g_assert_true (reel_project_undo (project));
  reel_project_edit_set_string (project, shot, "style", "noir");
  g_assert_false (reel_project_get_can_redo (project));
  g_assert_true (reel_project_get_dirty (project));
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_get_dirty (project));
  reel_project_mark_saved (project);
  g_assert_false (reel_project_get_dirty (project));
}

static void
test_clear_history (Fixture       *fixture,
                    gconstpointer  data)
{
  ReelProject *project = fixture->project;

  reel_project_edit_set_string (project, fixture->shots[0], "title", "A");
  reel_project_clear_history (project);
  g_assert_false (reel_project_get_can_undo (project));
  /* Forgetting history does not pretend the edit was saved. */
  g_assert_true (reel_project_get_dirty (project));
  reel_project_mark_saved (project);
  reel_project_clear_history (project);
  g_assert_false (reel_project_get_dirty (project));
  reel_project_edit_set_string (project, fixture->shots[0], "title", "B");
  g_assert_true (reel_project_undo (project));
  g_assert_false (reel_project_get_dirty (project));
}

static void
test_redo_cleared_by_edit (Fixture       *fixture,
                           gconstpointer  data)
{
  ReelProject *project = fixture->project;

  reel_project_edit_set_string (project, fixture->shots[0], "title", "A");
  reel_project_edit_remove_shot (project, 2);
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_get_can_redo (project));

  reel_project_edit_set_string (project, fixture->shots[1], "title", "B");
  g_assert_false (reel_project_get_can_redo (project));
  g_assert_null (reel_project_get_redo_label (project));
  g_assert_false (reel_project_redo (project));
  assert_order (project, "One B Three");
}

static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];
  guint n = 0;

  /* Alternate properties so nothing coalesces. */
  for (guint i = 0; i < REEL_PROJECT_UNDO_LIMIT + 10; i++)
    {
      if (i % 2 == 0)
        reel_project_edit_set_int (project, shot, "seed", i + 1);
      else
        reel_project_edit_set_int (project, shot, "fps", 8 + i % 50);
    }

  while (reel_project_undo (project))
    n++;
  g_assert_cmpuint (n, ==, REEL_PROJECT_UNDO_LIMIT);
  /* The oldest steps are gone, so the document cannot get back to its saved state. */
  g_assert_true (reel_project_get_dirty (project));
  g_assert_cmpint (reel_shot_get_seed (shot), ==, 9);
}

/* ---- Structural edits ---- */

static void
test_add_shot (Fixture       *fixture,
               gconstpointer  data)
{
  ReelProject *project = fixture->project;
  g_autoptr(ReelShot) given = reel_shot_new ();
  ReelShot *added;

  added = reel_project_edit_add_shot (project, 1, NULL);
  g_assert_nonnull (added);
  g_assert_true (reel_project_get_shot (project, 1) == added);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add shot");
  reel_shot_set_title (added, "New");
  assert_order (project, "One New Two Three");

  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_get_shot (project, 1) == added);

  /* A position past the end appends. */
  reel_shot_set_title (given, "Given");
  g_assert_true (reel_project_edit_add_shot (project, 100, given) == given);
  assert_order (project, "One New Two Three Given");
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_redo (project));
  assert_order (project, "One New Two Three Given");

  /* Adding a shot that is already in the project is a programming error. */
  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*g_list_store_find*");
  g_assert_null (reel_project_edit_add_shot (project, 0, given));
  g_test_assert_expected_messages ();
}

static void
test_remove_shot_restores_identity (Fixture       *fixture,
                                    gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *middle = fixture->shots[1];
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("A", "v", "t", 0.0);
  g_autoptr(ReelDialogueLine) restored_line = NULL;
  g_autoptr(ReelTake) restored_take = NULL;

  reel_shot_append_take_internal (middle, take);
  reel_shot_set_selected_take (middle, take);
  reel_shot_append_cue_internal (middle, G_OBJECT (line));

  reel_project_edit_remove_shot (project, 1);
  assert_order (project, "One Three");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Delete shot");
  g_assert_null (reel_project_find_shot (project, "Two"));

  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  /* The very same object, with its takes, selection and cues. */
  g_assert_true (reel_project_get_shot (project, 1) == middle);
  restored_take = g_list_model_get_item (reel_shot_get_takes (middle), 0);
  restored_line = g_list_model_get_item (reel_shot_get_dialogue (middle), 0);
  g_assert_true (restored_take == take);
  g_assert_true (restored_line == line);
  g_assert_true (reel_shot_get_selected_take (middle) == take);

  g_assert_true (reel_project_redo (project));
  assert_order (project, "One Three");

  /* Removing the first and last positions round-trips too. */
  reel_project_edit_remove_shot (project, 0);
  reel_project_edit_remove_shot (project, 0);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 0);
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  g_assert_true (reel_project_get_shot (project, 0) == fixture->shots[0]);
  g_assert_true (reel_project_get_shot (project, 2) == fixture->shots[2]);
}

static void
test_edit_removed_shot (Fixture       *fixture,
                        gconstpointer  data)
{
  ReelProject *project = fixture->project;
  g_autoptr(ReelShot) stranger = reel_shot_new ();

  reel_project_edit_remove_shot (project, 0);

  /* An inspector still showing a deleted shot must not edit it behind the undo stack. */
  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*does not belong to this project*");
  reel_project_edit_set_string (project, fixture->shots[0], "title", "Ghost");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (reel_shot_get_title (fixture->shots[0]), ==, "One");

  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*does not belong to this project*");
  reel_project_edit_set_double (project, stranger, "duration", 2.0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*cannot be edited*");
  reel_project_edit_set_string (project, fixture->shots[1], "id", "x");
  g_test_assert_expected_messages ();

  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*no property named*");
  reel_project_edit_set_string (project, fixture->shots[1], "colour", "red");
  g_test_assert_expected_messages ();

  g_assert_cmpuint (count_undo_steps (project), ==, 1);
}

static void
test_move_shot (Fixture       *fixture,
                gconstpointer  data)
{
  ReelProject *project = fixture->project;

  reel_project_edit_move_shot (project, 0, 2);
  assert_order (project, "Two Three One");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Move shot");
  reel_project_edit_move_shot (project, 2, 1);
  assert_order (project, "Two One Three");
  reel_project_edit_move_shot (project, 1, 1);   /* no-op: no step */
  g_assert_cmpuint (count_undo_steps (project), ==, 2);

  g_assert_true (reel_project_undo (project));
  assert_order (project, "Two Three One");
  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  g_assert_false (reel_project_get_dirty (project));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_redo (project));
  assert_order (project, "Two One Three");

  /* Objects moved, not copied. */
  g_assert_true (reel_project_get_shot (project, 0) == fixture->shots[1]);
  g_assert_true (reel_project_get_shot (project, 1) == fixture->shots[0]);
}

static void
test_duplicate_shot (Fixture       *fixture,
                     gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *original = fixture->shots[1];
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("A", "v", "hello", 0.5);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("Title", 0.0, 1.0);
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);
  g_autoptr(ReelDialogueLine) line_copy = NULL;
  g_autoptr(ReelTextCue) text_copy = NULL;
  ReelShot *copy;

  reel_shot_set_prompt (original, "a lighthouse");
  reel_shot_append_cue_internal (original, G_OBJECT (line));
  reel_shot_append_cue_internal (original, G_OBJECT (text));
  reel_shot_append_take_internal (original, take);

  copy = reel_project_edit_duplicate_shot (project, 1);
  g_assert_nonnull (copy);
  g_assert_true (reel_project_get_shot (project, 2) == copy);
  assert_order (project, "One Two Two Three");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Duplicate shot");

  /* A new id, the same content, its own cue objects, no takes. */
  g_assert_cmpstr (reel_shot_get_id (copy), !=, reel_shot_get_id (original));
  g_assert_true (g_uuid_string_is_valid (reel_shot_get_id (copy)));
  g_assert_cmpstr (reel_shot_get_prompt (copy), ==, "a lighthouse");
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_dialogue (copy)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_text_cues (copy)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (copy)), ==, 0);
  line_copy = g_list_model_get_item (reel_shot_get_dialogue (copy), 0);
  text_copy = g_list_model_get_item (reel_shot_get_text_cues (copy), 0);
  g_assert_true (line_copy != line);
  g_assert_cmpstr (reel_dialogue_line_get_text (line_copy), ==, "hello");
  g_assert_true (text_copy != text);

  /* The copy's cues are editable in the project, independently of the original's. */
  reel_project_edit_set_string (project, line_copy, "text", "bye");
  g_assert_cmpstr (reel_dialogue_line_get_text (line), ==, "hello");
  g_assert_true (reel_project_undo (project));

  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  g_assert_null (reel_project_find_shot (project, reel_shot_get_id (copy)));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_get_shot (project, 2) == copy);

  /* Duplicating the last shot appends. */
  g_assert_nonnull (reel_project_edit_duplicate_shot (project, 3));
  assert_order (project, "One Two Two Three Three");
}

static void
test_cues (Fixture       *fixture,
           gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];
  g_autoptr(ReelDialogueLine) line1 = reel_dialogue_line_new ("A", "v", "first", 0.0);
  g_autoptr(ReelDialogueLine) line2 = reel_dialogue_line_new ("B", "v", "second", 1.0);
  g_autoptr(ReelDialogueLine) line3 = reel_dialogue_line_new ("C", "v", "third", 2.0);
  g_autoptr(ReelSfxCue) sfx = reel_sfx_cue_new ("rain", 0.0);
  g_autoptr(ReelTextCue) text = reel_text_cue_new ("Title", 0.0, 2.0);
  g_autoptr(ReelDialogueLine) item = NULL;
  GListModel *dialogue = reel_shot_get_dialogue (shot);

  reel_project_edit_add_cue (project, shot, G_OBJECT (line1));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add dialogue line");
  reel_project_edit_add_cue (project, shot, G_OBJECT (line2));
  reel_project_edit_add_cue (project, shot, G_OBJECT (line3));
  reel_project_edit_add_cue (project, shot, G_OBJECT (sfx));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add sound effect");
  reel_project_edit_add_cue (project, shot, G_OBJECT (text));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add on-screen text");

  g_assert_cmpuint (g_list_model_get_n_items (dialogue), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_sfx (shot)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_text_cues (shot)), ==, 1);

  /* Remove the middle line; undo puts the same object back in the middle. */
  reel_project_edit_remove_cue (project, shot, G_OBJECT (line2));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Remove dialogue line");
  g_assert_cmpuint (g_list_model_get_n_items (dialogue), ==, 2);
  g_assert_true (reel_project_undo (project));
  item = g_list_model_get_item (dialogue, 1);
  g_assert_true (item == line2);
  g_assert_true (reel_project_redo (project));
  g_assert_cmpuint (g_list_model_get_n_items (dialogue), ==, 2);

  reel_project_edit_remove_cue (project, shot, G_OBJECT (sfx));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Remove sound effect");
  reel_project_edit_remove_cue (project, shot, G_OBJECT (text));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Remove on-screen text");
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_sfx (shot)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_text_cues (shot)), ==, 0);

  g_assert_cmpuint (count_undo_steps (project), ==, 8);
  while (reel_project_undo (project))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (dialogue), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_sfx (shot)), ==, 0);
  g_assert_false (reel_project_get_dirty (project));
  while (reel_project_redo (project))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (dialogue), ==, 2);
  g_clear_object (&item);
  item = g_list_model_get_item (dialogue, 1);
  g_assert_true (item == line3);

  /* A cue that is not in the shot cannot be removed. */
  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*is not a cue of shot*");
  reel_project_edit_remove_cue (project, shot, G_OBJECT (line2));
  g_test_assert_expected_messages ();
}

static void
test_takes (Fixture       *fixture,
            gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[2];
  g_autoptr(ReelTake) first = reel_take_new (NULL, NULL);
  g_autoptr(ReelTake) remix = reel_take_new (reel_take_get_id (first), NULL);
  g_autoptr(ReelTake) stranger = reel_take_new (NULL, NULL);

  reel_project_edit_add_take (project, shot, first);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add take");
  g_assert_null (reel_shot_get_selected_take (shot));

  reel_project_edit_select_take (project, shot, first);
  g_assert_true (reel_shot_get_selected_take (shot) == first);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Select take");

  /* A remix lands and is selected in one step. */
  reel_project_begin_group (project, "Remix take");
  reel_project_edit_add_take (project, shot, remix);
  reel_project_edit_select_take (project, shot, remix);
  reel_project_end_group (project);
  g_assert_true (reel_shot_find_take (shot, reel_take_get_id (remix)) == remix);
  g_assert_cmpstr (reel_take_get_parent_id (remix), ==, reel_take_get_id (first));

  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_shot_get_selected_take (shot) == first);
  g_assert_null (reel_shot_find_take (shot, reel_take_get_id (remix)));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_shot_get_selected_take (shot) == remix);

  reel_project_edit_select_take (project, shot, NULL);
  g_assert_null (reel_shot_get_selected_take (shot));
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_shot_get_selected_take (shot) == remix);

  g_test_expect_message ("reel-app", G_LOG_LEVEL_CRITICAL, "*is not a take of shot*");
  reel_project_edit_select_take (project, shot, stranger);
  g_test_assert_expected_messages ();

  while (reel_project_undo (project))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (reel_shot_get_takes (shot)), ==, 0);
  g_assert_null (reel_shot_get_selected_take (shot));
}

static void
test_start_image_name (Fixture       *fixture,
                       gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];
  const char *name = "0000000000000000000000000000000000000000000000000000000000000000.png";

  reel_project_edit_set_start_image_name (project, shot, name);
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, name);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Set start image");
  reel_project_edit_set_start_image_name (project, shot, NULL);
  g_assert_null (reel_shot_get_start_image (shot));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Remove start image");

  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, name);
  g_assert_true (reel_project_undo (project));
  g_assert_null (reel_shot_get_start_image (shot));
  g_assert_true (reel_project_redo (project));
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, name);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFileInfo) owned = info;
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (owned));

          remove_tree (child);
        }
    }

  g_file_delete (file, NULL, NULL);
}

/* A 1×1 PNG. */
static const char png_base64[] =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJ"
  "RU5ErkJggg==";

static void
test_start_image_file (Fixture       *fixture,
                       gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reel-test-undo-XXXXXX", &error);
  g_autofree char *bundle = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree guchar *png = NULL;
  g_autoptr(GFile) png_file = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autofree char *imported = NULL;
  g_autoptr(GRegex) media_name = g_regex_new ("^[0-9a-f]{64}\\.png$", 0, 0, NULL);
  gsize png_len;
  gboolean ok;
  ReelShot *added;
  guint n_steps;

  g_assert_no_error (error);
  bundle = g_build_filename (dir, "Test.reel", NULL);
  g_assert_cmpint (g_mkdir (bundle, 0700), ==, 0);
  reel_project_set_path_internal (project, bundle);

  png = g_base64_decode (png_base64, &png_len);
  png_path = g_build_filename (dir, "frame.png", NULL);
  g_assert_true (g_file_set_contents (png_path, (const char *) png, png_len, &error));
  g_assert_no_error (error);
  bad_path = g_build_filename (dir, "notes.png", NULL);
  g_assert_true (g_file_set_contents (bad_path, "not an image", -1, &error));
  g_assert_no_error (error);
  png_file = g_file_new_for_path (png_path);
  bad_file = g_file_new_for_path (bad_path);

  ok = reel_project_edit_set_start_image (project, shot, png_file, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  imported = g_strdup (reel_shot_get_start_image (shot));
  g_assert_true (g_regex_match (media_name, imported, 0, NULL));
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Set start image");
  g_assert_cmpuint (count_undo_steps (project), ==, 1);

  /* A file that is not an image changes nothing and says which file it was. */
  g_assert_false (reel_project_edit_set_start_image (project, shot, bad_file, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "notes.png"));
  /* …and only that file: not the temporary copy the check decoded. */
  g_assert_null (strstr (error->message, ".import-"));
  g_clear_error (&error);
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, imported);
  g_assert_cmpuint (count_undo_steps (project), ==, 1);

  g_assert_true (reel_project_edit_set_start_image (project, shot, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (reel_shot_get_start_image (shot));
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, imported);
  g_assert_true (reel_project_undo (project));
  g_assert_null (reel_shot_get_start_image (shot));
  g_assert_true (reel_project_redo (project));
  g_assert_cmpstr (reel_shot_get_start_image (shot), ==, imported);

  /* A new shot from an image is one step; a bad image adds no shot and no step. */
  added = reel_project_edit_add_shot_from_image (project, 1, png_file, "Frame", &error);
  g_assert_no_error (error);
  g_assert_nonnull (added);
  g_assert_true (reel_project_get_shot (project, 1) == added);
  g_assert_cmpstr (reel_shot_get_title (added), ==, "Frame");
  g_assert_cmpstr (reel_shot_get_start_image (added), ==, imported);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add shot from image");
  n_steps = count_undo_steps (project);

  g_assert_null (reel_project_edit_add_shot_from_image (project, 0, bad_file, "Bad", &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == REEL_PROJECT_ERROR);
  g_assert_nonnull (strstr (error->message, "notes.png"));
  g_clear_error (&error);
  g_assert_cmpuint (reel_project_get_n_shots (project), ==, 4);
  g_assert_cmpuint (count_undo_steps (project), ==, n_steps);
  g_assert_false (reel_project_get_can_redo (project));

  g_assert_true (reel_project_undo (project));
  assert_order (project, "One Two Three");
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_get_shot (project, 1) == added);

  /* The imported copy is in the bundle's media/ under the name the shot refers to. */
  {
    g_autofree char *media_path = g_build_filename (bundle, "media", imported, NULL);
    g_autoptr(GFile) dir_file = g_file_new_for_path (dir);

    g_assert_true (g_file_test (media_path, G_FILE_TEST_IS_REGULAR));
    remove_tree (dir_file);
  }
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_speakers (Fixture       *fixture,
               gconstpointer  data)
{
  ReelProject *project = fixture->project;
  guint n_speakers_changed = 0;

  g_signal_connect_swapped (project, "speakers-changed", G_CALLBACK (count_cb),
                            &n_speakers_changed);

  reel_project_edit_set_speaker_voice (project, "Detective", "en-us+m3");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Add speaker");
  reel_project_edit_set_speaker_voice (project, "Narrator", "en-gb");
  reel_project_edit_set_speaker_voice (project, "Detective", "en-us+m7");
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Change voice");
  reel_project_edit_set_speaker_voice (project, "Narrator", NULL);
  g_assert_cmpstr (reel_project_get_undo_label (project), ==, "Remove speaker");
  reel_project_edit_set_speaker_voice (project, "Nobody", NULL);  /* nothing to remove */
  g_assert_cmpuint (count_undo_steps (project), ==, 4);

  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 1);
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_project_lookup_voice (project, "Narrator"), ==, "en-gb");
  g_assert_cmpstr (reel_project_get_speaker_name (project, 1), ==, "Narrator");
  g_assert_true (reel_project_undo (project));
  g_assert_cmpstr (reel_project_lookup_voice (project, "Detective"), ==, "en-us+m3");
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_undo (project));
  g_assert_cmpuint (reel_project_get_n_speakers (project), ==, 0);
  g_assert_true (reel_project_redo (project));
  g_assert_cmpstr (reel_project_lookup_voice (project, "Detective"), ==, "en-us+m3");
  /* Once per real change: 4 edits, 4 undos and 1 redo; removing an unknown speaker changed
   * nothing. */
  g_assert_cmpuint (n_speakers_changed, ==, 9);
  g_signal_handlers_disconnect_by_func (project, count_cb, &n_speakers_changed);
}

/* A widget bound to the prompt writes the value back while undo applies it. */
static void
echo_prompt_cb (ReelShot    *shot,
                GParamSpec  *pspec,
                ReelProject *project)
{
  g_autofree char *echoed = g_strconcat (reel_shot_get_prompt (shot), "!", NULL);

  reel_project_edit_set_string (project, shot, "prompt", echoed);
}

static void
test_edits_during_undo_ignored (Fixture       *fixture,
                                gconstpointer  data)
{
  ReelProject *project = fixture->project;
  ReelShot *shot = fixture->shots[0];

  reel_project_edit_set_string (project, shot, "prompt", "a");
  reel_project_edit_set_string (project, shot, "title", "b");

  g_signal_connect (shot, "notify::prompt", G_CALLBACK (echo_prompt_cb), project);
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_undo (project));
  g_signal_handlers_disconnect_by_func (shot, echo_prompt_cb, project);

  /* The echo was dropped: the prompt is back to "", and both steps can be redone. */
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "");
  g_assert_false (reel_project_get_can_undo (project));
  g_assert_true (reel_project_redo (project));
  g_assert_true (reel_project_redo (project));
  g_assert_cmpstr (reel_shot_get_prompt (shot), ==, "a");
}

static void
test_changed_signal (Fixture       *fixture,
                     gconstpointer  data)
{
  ReelProject *project = fixture->project;

  reel_project_edit_add_shot (project, 0, NULL);
  reel_project_edit_move_shot (project, 0, 3);
  reel_project_edit_remove_shot (project, 3);
  g_assert_cmpuint (fixture->n_changed, ==, 3);
  g_assert_true (reel_project_undo (project));
  g_assert_true (reel_project_redo (project));
  g_assert_cmpuint (fixture->n_changed, ==, 5);

  /* Saving, clearing history and failed undo/redo are not document changes. */
  reel_project_mark_saved (project);
  g_assert_false (reel_project_redo (project));
  reel_project_clear_history (project);
  g_assert_false (reel_project_undo (project));
  g_assert_cmpuint (fixture->n_changed, ==, 5);
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: it hides shared-mime-info from gdk-pixbuf, which then
   * cannot recognise any image. The start-image test gives its project a bundle path in a
   * temporary folder instead, so nothing is written under the user's own folders. */
  g_test_init (&argc, &argv, NULL);

  add_test ("/undo/set/every-shot-property", test_set_every_shot_property);
  add_test ("/undo/set/project-and-cues", test_set_project_and_cues);
  add_test ("/undo/set/generic-value", test_set_generic_value);
  add_test ("/undo/set/clamps", test_set_clamps);
  add_test ("/undo/set/noop", test_set_noop);
  add_test ("/undo/set/text-cue-drag", test_text_cue_drag);
  add_test ("/undo/coalesce/typing", test_coalesce_typing);
  add_test ("/undo/coalesce/back-to-start", test_coalesce_back_to_start);
  add_test ("/undo/group", test_group);
  add_test ("/undo/labels-and-notify", test_labels_and_notify);
  add_test ("/undo/dirty", test_dirty);
  add_test ("/undo/mark-unsaved", test_mark_unsaved);
  add_test ("/undo/clear-history", test_clear_history);
  add_test ("/undo/redo-cleared-by-edit", test_redo_cleared_by_edit);
  add_test ("/undo/limit", test_limit);
  add_test ("/undo/shot/add", test_add_shot);
  add_test ("/undo/shot/remove-restores-identity", test_remove_shot_restores_identity);
  add_test ("/undo/shot/edit-removed", test_edit_removed_shot);
  add_test ("/undo/shot/move", test_move_shot);
  add_test ("/undo/shot/duplicate", test_duplicate_shot);
  add_test ("/undo/cues", test_cues);
  add_test ("/undo/takes", test_takes);
  add_test ("/undo/start-image/name", test_start_image_name);
  add_test ("/undo/start-image/file", test_start_image_file);
  add_test ("/undo/speakers", test_speakers);
  add_test ("/undo/edits-during-undo-ignored", test_edits_during_undo_ignored);
  add_test ("/undo/changed-signal", test_changed_signal);

  return g_test_run ();
}

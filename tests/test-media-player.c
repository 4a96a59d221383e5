#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>

#include "reel-player.h"
#include "reel-project-io.h"
#include "reel-sequence.h"
#include "test-media-util.h"

#define RED   0xff0000
#define BLUE  0x0000ff
#define GREEN 0x00ff00

static char *work_dir;

typedef struct
{
  guint     frames;
  guint     seeked;
  guint     ended;
  guint     looped;
  GArray   *positions;   /* gint64 */
  GArray   *shots;       /* int */
  GArray   *colours;     /* guint32, mean of the frame's centre */
} Events;

static guint32
frame_colour (ReelPlayer *player,
              int         x,
              int         y,
              int         w,
              int         h)
{
  int width, height;
  gsize stride;
  g_autoptr(GBytes) bytes = reel_player_get_frame (player, &width, &height, &stride);

  g_assert_nonnull (bytes);
  g_assert_cmpint (x + w, <=, width);
  g_assert_cmpint (y + h, <=, height);
  return test_media_region_mean (g_bytes_get_data (bytes, NULL), (int) stride, x, y, w, h);
}

/* The mean colour well inside the frame, away from any text or mark. */
static guint32
centre_colour (ReelPlayer *player)
{
  ReelSequence *sequence = reel_player_get_sequence (player);
  int width = reel_sequence_get_width (sequence), height = reel_sequence_get_height (sequence);

  return frame_colour (player, width / 4, height / 4, width / 2, height / 2);
}

static gboolean
colour_is (guint32 colour,
           guint32 expected)
{
  for (int shift = 0; shift <= 16; shift += 8)
    if (ABS ((int) ((colour >> shift) & 0xff) - (int) ((expected >> shift) & 0xff)) > 40)
      return FALSE;
  return TRUE;
}

static void
frame_cb (ReelPlayer *player,
          Events     *events)
{
  gint64 position = reel_player_get_position (player);
  int shot = reel_player_get_current_shot (player);
  guint32 colour = centre_colour (player);

  events->frames++;
  g_array_append_val (events->positions, position);
  g_array_append_val (events->shots, shot);
  g_array_append_val (events->colours, colour);
}

static void
count_cb (ReelPlayer *player,
          guint      *counter)
{
  (*counter)++;
}

static void
events_connect (Events     *events,
                ReelPlayer *player)
{
  events->positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  events->shots = g_array_new (FALSE, FALSE, sizeof (int));
  events->colours = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_signal_connect (player, "frame", G_CALLBACK (frame_cb), events);
  g_signal_connect (player, "seeked", G_CALLBACK (count_cb), &events->seeked);
  g_signal_connect (player, "ended", G_CALLBACK (count_cb), &events->ended);
  g_signal_connect (player, "looped", G_CALLBACK (count_cb), &events->looped);
}

static void
events_clear (Events *events)
{
  g_array_unref (events->positions);
  g_array_unref (events->shots);
  g_array_unref (events->colours);
}

static gboolean
give_up_cb (gpointer data)
{
  g_error ("The player did not get there within a minute");
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *counter exceeds @before (a hang guard, not a timing check). */
static void
wait_for (guint *counter,
          guint  before)
{
  guint guard = g_timeout_add_seconds (60, give_up_cb, NULL);

  while (*counter <= before)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static ReelPlayer *
new_player (ReelSequence *sequence)
{
  g_autoptr(GError) error = NULL;
  ReelPlayer *player = reel_player_new (sequence, REEL_PLAYER_FLAGS_SILENT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (player);
  return player;
}

static ReelProject *
two_shot_project (const char *name)
{
  static const guint32 colours[] = { RED, BLUE };
  g_autofree char *dir = g_build_filename (work_dir, name, NULL);

  g_mkdir (dir, 0755);
  return test_media_project_new (dir, colours, 2, 1.0);
}

static void
test_player_sequence (void)
{
  g_autoptr(ReelProject) project = two_shot_project ("sequence");
  g_autoptr(GError) error = NULL;
  ReelSequence *sequence = reel_sequence_new_for_project (project, 320, &error);
  g_autoptr(ReelPlayer) player = NULL;
  Events events = { 0 };
  guint n_red = 0, n_blue = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (reel_sequence_get_n_spans (sequence), ==, 2);
  g_assert_cmpint (reel_sequence_get_shot_at (sequence, 0), ==, 0);
  g_assert_cmpint (reel_sequence_get_shot_at (sequence, GST_SECOND - 1), ==, 0);
  g_assert_cmpint (reel_sequence_get_shot_at (sequence, GST_SECOND), ==, 1);
  g_assert_cmpint (reel_sequence_get_shot_at (sequence, 2 * GST_SECOND), ==, -1);

  player = new_player (sequence);
  events_connect (&events, player);
  g_assert_cmpint (reel_player_get_duration (player), ==, 2 * GST_SECOND);

  /* Prerolled without play(): the first frame, of the first shot. */
  wait_for (&events.frames, 0);
  g_assert_cmpint (reel_player_get_position (player), ==, 0);
  g_assert_cmpint (reel_player_get_current_shot (player), ==, 0);
  g_assert_true (colour_is (centre_colour (player), RED));

  reel_player_play (player);
  g_assert_true (reel_player_get_playing (player));
  wait_for (&events.ended, 0);
  g_assert_false (reel_player_get_playing (player));

  /* In order, each frame showing its own shot's take, the playhead mapped to that shot. */
  for (guint i = 0; i < events.positions->len; i++)
    {
      gint64 position = g_array_index (events.positions, gint64, i);
      int shot = g_array_index (events.shots, int, i);
      guint32 colour = g_array_index (events.colours, guint32, i);

      if (i > 0)
        g_assert_cmpint (position, >=, g_array_index (events.positions, gint64, i - 1));
      g_assert_cmpint (shot, ==, position < GST_SECOND ? 0 : 1);
      g_assert_true (colour_is (colour, shot == 0 ? RED : BLUE));
      n_red += shot == 0;
      n_blue += shot == 1;
    }
  g_assert_cmpuint (n_red, >, 0);
  g_assert_cmpuint (n_blue, >, 0);
  g_assert_cmpint (reel_player_get_current_shot (player), ==, 1);
  events_clear (&events);
}

static void
expect_frame (ReelPlayer *player,
              gint64      position,
              int         shot,
              guint32     colour)
{
  g_assert_cmpint (reel_player_get_position (player), ==, position);
  g_assert_cmpint (reel_player_get_current_shot (player), ==, shot);
  g_assert_true (colour_is (centre_colour (player), colour));
}

static gint64
frame_time (gint64 frame)
{
  return (gint64) gst_util_uint64_scale (frame, GST_SECOND, 24);
}

static void
test_player_seek (void)
{
  g_autoptr(ReelProject) project = two_shot_project ("seek");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlayer) player = new_player (reel_sequence_new_for_project (project, 320,
                                                                           &error));
  Events events = { 0 };

  events_connect (&events, player);
  wait_for (&events.frames, 0);

  reel_player_seek (player, frame_time (36));
  wait_for (&events.seeked, 0);
  expect_frame (player, frame_time (36), 1, BLUE);

  reel_player_seek (player, frame_time (6));
  wait_for (&events.seeked, 1);
  expect_frame (player, frame_time (6), 0, RED);

  /* Frame steps, forward across the cut and back. */
  reel_player_step (player, 1);
  wait_for (&events.seeked, 2);
  expect_frame (player, frame_time (7), 0, RED);
  reel_player_seek (player, frame_time (23));
  wait_for (&events.seeked, 3);
  reel_player_step (player, 1);
  wait_for (&events.seeked, 4);
  expect_frame (player, frame_time (24), 1, BLUE);
  reel_player_step (player, -1);
  wait_for (&events.seeked, 5);
  expect_frame (player, frame_time (23), 0, RED);

  /* A burst of scrubs lands on the last one, and only the last one is reported. */
  reel_player_scrub (player, frame_time (2));
  reel_player_scrub (player, frame_time (30));
  reel_player_scrub (player, frame_time (40));
  wait_for (&events.seeked, 6);
  expect_frame (player, frame_time (40), 1, BLUE);
  g_assert_cmpuint (events.seeked, ==, 7);
  events_clear (&events);
}

static void
test_player_loop (void)
{
  g_autoptr(ReelProject) project = two_shot_project ("loop");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlayer) player = new_player (reel_sequence_new_for_project (project, 320,
                                                                           &error));
  Events events = { 0 };
  guint frames_at_loop;

  events_connect (&events, player);
  wait_for (&events.frames, 0);
  reel_player_set_loop (player, TRUE);
  reel_player_seek (player, frame_time (40));
  wait_for (&events.seeked, 0);
  reel_player_play (player);
  wait_for (&events.looped, 0);
  frames_at_loop = events.frames;
  /* Playing goes on from the start, in the first shot again. */
  wait_for (&events.frames, frames_at_loop + 2);
  g_assert_true (reel_player_get_playing (player));
  g_assert_cmpint (reel_player_get_position (player), <, GST_SECOND);
  g_assert_cmpint (reel_player_get_current_shot (player), ==, 0);
  g_assert_cmpuint (events.ended, ==, 0);
  reel_player_pause (player);
  g_assert_false (reel_player_get_playing (player));
  events_clear (&events);
}

static void
test_player_take_and_compare (void)
{
  g_autoptr(ReelProject) project = two_shot_project ("compare");
  ReelShot *shot = reel_project_get_shot (project, 0);
  ReelTake *red = reel_shot_get_selected_take (shot);
  ReelTake *green = test_media_add_take (project, shot, GREEN, 1.0);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlayer) single = NULL;
  g_autoptr(ReelPlayer) both = NULL;
  ReelSequence *sequence;
  Events events = { 0 }, both_events = { 0 };

  /* One take that is not the selected one. */
  sequence = reel_sequence_new_for_take (project, shot, green, 320, &error);
  g_assert_no_error (error);
  single = new_player (sequence);
  events_connect (&events, single);
  wait_for (&events.frames, 0);
  g_assert_cmpint (reel_player_get_duration (single), ==, GST_SECOND);
  expect_frame (single, 0, 0, GREEN);

  /* A/B: the selected take on the left, the other on the right, each in its half. */
  sequence = reel_sequence_new_compare (project, shot, red, green, 640, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reel_sequence_get_width (sequence), ==, 640);
  g_assert_cmpint (reel_sequence_get_height (sequence), ==, 180);
  both = new_player (sequence);
  events_connect (&both_events, both);
  wait_for (&both_events.frames, 0);
  g_assert_true (colour_is (frame_colour (both, 20, 20, 280, 140), RED));
  g_assert_true (colour_is (frame_colour (both, 340, 20, 280, 140), GREEN));
  events_clear (&events);
  events_clear (&both_events);
}

/* The share of near-white pixels in the middle third of the frame's height. */
static double
white_in_middle (ReelPlayer *player)
{
  int width, height;
  gsize stride;
  g_autoptr(GBytes) bytes = reel_player_get_frame (player, &width, &height, &stride);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  guint white = 0, total = 0;

  for (int y = height / 3; y < 2 * height / 3; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *pixel = data + y * stride + x * 4;

        white += pixel[0] > 200 && pixel[1] > 200 && pixel[2] > 200;
        total++;
      }
  return (double) white / total;
}

/* Text cues show in the preview too, inside their time only; the preview has no watermark. */
static void
test_player_text (void)
{
  g_autoptr(ReelProject) project = two_shot_project ("text");
  ReelShot *shot = reel_project_get_shot (project, 1);
  g_autoptr(ReelTextCue) cue = reel_text_cue_new ("INTERIOR NIGHT", 0.25, 0.5);
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlayer) player = NULL;
  Events events = { 0 };

  reel_text_cue_set_position (cue, REEL_TEXT_POSITION_CENTER);
  reel_text_cue_set_style (cue, REEL_TEXT_STYLE_TITLE);
  reel_project_edit_add_cue (project, shot, G_OBJECT (cue));
  player = new_player (reel_sequence_new_for_project (project, 320, &error));
  g_assert_no_error (error);
  events_connect (&events, player);
  wait_for (&events.frames, 0);
  g_assert_cmpfloat (white_in_middle (player), <, 0.001);

  /* Shot 2 starts at 1 s: the cue runs from 1.25 s to 1.5 s of the cut. */
  reel_player_seek (player, frame_time (32));
  wait_for (&events.seeked, 0);
  g_assert_cmpfloat (white_in_middle (player), >, 0.02);
  reel_player_seek (player, frame_time (40));
  wait_for (&events.seeked, 1);
  g_assert_cmpfloat (white_in_middle (player), <, 0.001);
  reel_player_seek (player, frame_time (26));
  wait_for (&events.seeked, 2);
  g_assert_cmpfloat (white_in_middle (player), <, 0.001);
  events_clear (&events);
}

/* A shot without a take keeps its place and length in the cut, held black. */
static void
test_player_missing_take (void)
{
  g_autoptr(ReelProject) project = two_shot_project ("missing");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelPlayer) player = NULL;
  ReelSequence *sequence;
  Events events = { 0 };

  reel_shot_set_duration (reel_project_get_shot (project, 0), 0.5);
  reel_project_edit_select_take (project, reel_project_get_shot (project, 0), NULL);
  sequence = reel_sequence_new_for_project (project, 320, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reel_sequence_get_duration (sequence), ==, 3 * GST_SECOND / 2);
  g_assert_cmpint (reel_sequence_get_shot_at (sequence, GST_SECOND / 2 - 1), ==, 0);
  g_assert_cmpint (reel_sequence_get_shot_at (sequence, GST_SECOND / 2), ==, 1);

  player = new_player (sequence);
  events_connect (&events, player);
  wait_for (&events.frames, 0);
  expect_frame (player, 0, 0, 0x000000);
  reel_player_seek (player, frame_time (12));
  wait_for (&events.seeked, 0);
  expect_frame (player, frame_time (12), 1, BLUE);
  events_clear (&events);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  work_dir = g_dir_make_tmp ("reel-media-player-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/media/player/sequence", test_player_sequence);
  g_test_add_func ("/media/player/seek-step-scrub", test_player_seek);
  g_test_add_func ("/media/player/loop", test_player_loop);
  g_test_add_func ("/media/player/take-and-compare", test_player_take_and_compare);
  g_test_add_func ("/media/player/text", test_player_text);
  g_test_add_func ("/media/player/missing-take", test_player_missing_take);
  status = g_test_run ();

  test_media_remove_tree (work_dir);
  g_free (work_dir);
  return status;
}

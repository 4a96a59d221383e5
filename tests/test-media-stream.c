#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <gtk/gtk.h>

#include "reel-media-stream.h"
#include "reel-project-io.h"
#include "test-media-util.h"

static gboolean
give_up_cb (gpointer data)
{
  g_error ("The media stream did not get there within a minute");
  return G_SOURCE_REMOVE;
}

static void
wait_until (GtkMediaStream *stream,
            gboolean      (*done) (GtkMediaStream *))
{
  guint guard = g_timeout_add_seconds (60, give_up_cb, NULL);

  while (!done (stream))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static gboolean
not_seeking (GtkMediaStream *stream)
{
  return !gtk_media_stream_is_seeking (stream);
}

/* The adapter the studio will show: prepared on the first frame, a texture of the sequence's
 * size, play to the end, seek, volume and loop passed to the player. */
static void
test_media_stream (gconstpointer data)
{
  static const guint32 colours[] = { 0xff0000, 0x0000ff };
  const char *dir = data;
  g_autoptr(ReelProject) project = test_media_project_new (dir, colours, 2, 0.5);
  g_autoptr(GError) error = NULL;
  ReelSequence *sequence = reel_sequence_new_for_project (project, 320, &error);
  g_autoptr(ReelPlayer) player = NULL;
  g_autoptr(GtkMediaStream) stream = NULL;
  g_autoptr(GdkPaintable) image = NULL;

  g_assert_no_error (error);
  player = reel_player_new (sequence, REEL_PLAYER_FLAGS_SILENT, &error);
  g_assert_no_error (error);
  stream = reel_media_stream_new (player);
  g_assert_true (reel_media_stream_get_player (REEL_MEDIA_STREAM (stream)) == player);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (stream)), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (stream)), ==, 180);

  wait_until (stream, gtk_media_stream_is_prepared);
  g_assert_cmpint (gtk_media_stream_get_duration (stream), ==, G_USEC_PER_SEC);
  g_assert_true (gtk_media_stream_is_seekable (stream));
  image = gdk_paintable_get_current_image (GDK_PAINTABLE (stream));
  g_assert_true (GDK_IS_TEXTURE (image));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (image)), ==, 320);

  gtk_media_stream_seek (stream, 750 * 1000);
  wait_until (stream, not_seeking);
  g_assert_cmpint (gtk_media_stream_get_timestamp (stream), ==, 750 * 1000);
  g_assert_cmpint (reel_player_get_current_shot (player), ==, 1);

  gtk_media_stream_set_volume (stream, 0.25);
  g_assert_cmpfloat_with_epsilon (reel_player_get_volume (player), 0.25, 1e-9);
  gtk_media_stream_set_muted (stream, TRUE);
  g_assert_cmpfloat (reel_player_get_volume (player), ==, 0);
  gtk_media_stream_set_loop (stream, TRUE);
  g_assert_true (reel_player_get_loop (player));
  gtk_media_stream_set_loop (stream, FALSE);

  gtk_media_stream_play (stream);
  g_assert_true (reel_player_get_playing (player));
  wait_until (stream, gtk_media_stream_get_ended);
  g_assert_false (gtk_media_stream_get_playing (stream));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_setenv ("GTK_A11Y", "none", TRUE);
  if (!gtk_init_check ())
    {
      g_test_add_data_func ("/media/stream/gtk",
                            "No display: run the UI tests under xvfb-run (package xvfb)",
                            (GTestDataFunc) g_test_skip);
      return g_test_run ();
    }
  dir = g_dir_make_tmp ("reel-media-stream-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_data_func ("/media/stream/gtk", dir, test_media_stream);
  status = g_test_run ();
  test_media_remove_tree (dir);
  return status;
}

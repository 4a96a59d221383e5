#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "reel-media-store.h"
#include "reel-project-io.h"
#include "test-media-util.h"

static gboolean
run_pipeline (const char *description,
              GError    **error)
{
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  if (pipeline == NULL)
    return FALSE;
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (message, error, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
test_media_write_video (const char *path,
                        guint32     rgb,
                        double      seconds,
                        GError    **error)
{
  g_autofree char *description = NULL;

  gst_init (NULL, NULL);
  description = g_strdup_printf (
    "videotestsrc num-buffers=%d pattern=solid-color foreground-color=0x%08x "
    "! video/x-raw,width=%d,height=%d,framerate=24/1 ! videoconvert "
    "! x264enc speed-preset=ultrafast key-int-max=12 ! video/x-h264,profile=high "
    "! mp4mux ! filesink location=\"%s\"",
    (int) (seconds * 24 + 0.5), 0xff000000u | rgb, TEST_MEDIA_WIDTH, TEST_MEDIA_HEIGHT, path);
  return run_pipeline (description, error);
}

gboolean
test_media_write_audio (const char *path,
                        double      frequency,
                        double      seconds,
                        GError    **error)
{
  g_autofree char *description = NULL;

  gst_init (NULL, NULL);
  description = g_strdup_printf (
    "audiotestsrc num-buffers=%d samplesperbuffer=480 freq=%g volume=0.3 "
    "! audio/x-raw,rate=48000,channels=2 ! wavenc ! filesink location=\"%s\"",
    (int) (seconds * 100 + 0.5), frequency, path);
  return run_pipeline (description, error);
}

static char *
import_media (ReelProject *project,
              const char  *path)
{
  g_autoptr(GFile) root = reel_project_get_media_root (project);
  g_autoptr(GFile) media_dir = g_file_get_child (root, REEL_MEDIA_DIR_NAME);
  g_autoptr(GFile) source = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  char *name = NULL;

  reel_media_store_import (media_dir, source, &name, &error);
  g_assert_no_error (error);
  return name;
}

ReelTake *
test_media_add_take (ReelProject *project,
                     ReelShot    *shot,
                     guint32      rgb,
                     double       seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reel-take-XXXXXX", &error);
  g_autofree char *video_path = g_build_filename (dir, "take.mp4", NULL);
  g_autofree char *audio_path = g_build_filename (dir, "take.wav", NULL);
  g_autofree char *video = NULL;
  g_autofree char *audio = NULL;
  g_autoptr(ReelTake) take = reel_take_new (NULL, NULL);

  g_assert_no_error (error);
  test_media_write_video (video_path, rgb, seconds, &error);
  g_assert_no_error (error);
  test_media_write_audio (audio_path, 220 + (rgb & 0xff), seconds, &error);
  g_assert_no_error (error);
  video = import_media (project, video_path);
  audio = import_media (project, audio_path);
  g_unlink (video_path);
  g_unlink (audio_path);
  g_rmdir (dir);

  reel_take_set_video (take, video);
  reel_take_set_audio (take, audio);
  reel_project_edit_add_take (project, shot, take);
  return take;
}

ReelProject *
test_media_project_new (const char    *dir,
                        const guint32 *colours,
                        guint          n_shots,
                        double         seconds)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autofree char *bundle_path = g_build_filename (dir, "Test.reel", NULL);
  g_autoptr(GFile) bundle = g_file_new_for_path (bundle_path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_shots; i++)
    {
      ReelShot *shot = reel_project_edit_add_shot (project, i, NULL);
      g_autofree char *title = g_strdup_printf ("Shot %u", i + 1);

      reel_shot_set_title (shot, title);
      reel_shot_set_duration (shot, seconds);
    }
  reel_project_save_as (project, bundle, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_shots; i++)
    {
      ReelShot *shot = reel_project_get_shot (project, i);
      ReelTake *take = test_media_add_take (project, shot, colours[i], seconds);

      reel_project_edit_select_take (project, shot, take);
    }
  reel_project_save (project, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&project);
}

static void
test_frame_clear (gpointer data)
{
  TestFrame *frame = data;

  g_bytes_unref (frame->rgba);
}

GArray *
test_media_decode_frames (const char *path,
                          int        *width,
                          int        *height,
                          GError    **error)
{
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (TestFrame));
  g_autofree char *uri = gst_filename_to_uri (path, error);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  g_array_set_clear_func (frames, test_frame_clear);
  if (uri == NULL)
    return NULL;
  description = g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw ! videoconvert "
                                 "! video/x-raw,format=RGBA ! appsink name=sink sync=false",
                                 uri);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
      GstVideoInfo info;
      GstMapInfo map;
      GstBuffer *buffer;
      TestFrame frame;
      GByteArray *packed;

      if (sample == NULL)
        break;
      gst_video_info_from_caps (&info, gst_sample_get_caps (sample));
      buffer = gst_sample_get_buffer (sample);
      gst_buffer_map (buffer, &map, GST_MAP_READ);
      packed = g_byte_array_sized_new (info.width * info.height * 4);
      for (int row = 0; row < info.height; row++)
        g_byte_array_append (packed, map.data + row * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0),
                             info.width * 4);
      gst_buffer_unmap (buffer, &map);
      /* Stream time: an MP4's edit list shifts the buffers' timestamps by the B-frame delay. */
      frame.pts = gst_segment_to_stream_time (gst_sample_get_segment (sample), GST_FORMAT_TIME,
                                              GST_BUFFER_PTS (buffer));
      frame.rgba = g_byte_array_free_to_bytes (packed);
      g_array_append_val (frames, frame);
      *width = info.width;
      *height = info.height;
    }
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (message != NULL)
    {
      gst_message_parse_error (message, error, NULL);
      return NULL;
    }
  return g_steal_pointer (&frames);
}

static gboolean
excluded (const int *exclude,
          int        x,
          int        y)
{
  return exclude != NULL && x >= exclude[0] && x < exclude[0] + exclude[2]
         && y >= exclude[1] && y < exclude[1] + exclude[3];
}

double
test_media_region_changed (const TestFrame *frame,
                           int              width,
                           int              height,
                           int              x,
                           int              y,
                           int              w,
                           int              h,
                           guint32          rgb,
                           const int       *exclude)
{
  const guint8 *data = g_bytes_get_data (frame->rgba, NULL);
  int reference[3] = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };
  guint counted = 0, changed = 0;

  for (int row = MAX (0, y); row < MIN (height, y + h); row++)
    for (int col = MAX (0, x); col < MIN (width, x + w); col++)
      {
        const guint8 *pixel = data + (row * width + col) * 4;
        gboolean differs = FALSE;

        if (excluded (exclude, col, row))
          continue;
        for (int c = 0; c < 3; c++)
          differs |= ABS ((int) pixel[c] - reference[c]) > 48;
        counted++;
        changed += differs;
      }
  return counted > 0 ? (double) changed / counted : 0;
}

guint32
test_media_region_mean (const guint8 *rgba,
                        int           stride,
                        int           x,
                        int           y,
                        int           w,
                        int           h)
{
  guint64 sum[3] = { 0, 0, 0 };

  for (int row = y; row < y + h; row++)
    for (int col = x; col < x + w; col++)
      for (int c = 0; c < 3; c++)
        sum[c] += rgba[row * stride + col * 4 + c];
  for (int c = 0; c < 3; c++)
    sum[c] /= (guint64) w * h;
  return (guint32) (sum[0] << 16 | sum[1] << 8 | sum[2]);
}

void
test_media_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_media_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>

#include "reel-c2pa.h"
#include "reel-export.h"
#include "reel-media-error.h"
#include "reel-overlay.h"
#include "reel-project-io.h"
#include "reel-sequence.h"
#include "test-media-util.h"

#define GREY 0x808080
#define EXPORT_WIDTH 480
#define EXPORT_HEIGHT 270

/* One export shared by the checks that read it: encoding is the slow part. */
static char *work_dir;
static char *mp4_path;

static void
test_watermark_path (void)
{
  int w, h, min_x = G_MAXINT, max_x = 0, min_y = G_MAXINT, max_y = 0;
  int x0, y0, x1, y1;

  reel_watermark_get_size (1280, 720, &w, &h);
  g_assert_cmpint (w, ==, 384);
  g_assert_cmpint (h, ==, 54);

  /* Deterministic: the same frame gives the same place. */
  reel_watermark_position (37, 24, 1280, 720, &x0, &y0);
  reel_watermark_position (37, 24, 1280, 720, &x1, &y1);
  g_assert_cmpint (x0, ==, x1);
  g_assert_cmpint (y0, ==, y1);

  /* Always inside the frame, and over ten seconds it reaches every edge, so no crop that
   * keeps less than the full frame removes it from the whole clip. */
  for (gint64 frame = 0; frame < 240; frame++)
    {
      int x, y;

      reel_watermark_position (frame, 24, 1280, 720, &x, &y);
      g_assert_cmpint (x, >=, 0);
      g_assert_cmpint (y, >=, 0);
      g_assert_cmpint (x + w, <=, 1280);
      g_assert_cmpint (y + h, <=, 720);
      min_x = MIN (min_x, x);
      max_x = MAX (max_x, x + w);
      min_y = MIN (min_y, y);
      max_y = MAX (max_y, y + h);
      if (frame > 0)
        {
          int px, py;

          /* It moves, a little each frame (smooth enough to read). */
          reel_watermark_position (frame - 1, 24, 1280, 720, &px, &py);
          g_assert_true (px != x || py != y);
          g_assert_cmpint (ABS (px - x), <, 40);
          g_assert_cmpint (ABS (py - y), <, 40);
        }
    }
  g_assert_cmpint (min_x, <=, 2);
  g_assert_cmpint (max_x, >=, 1278);
  g_assert_cmpint (min_y, <=, 2);
  g_assert_cmpint (max_y, >=, 718);
}

static ReelProject *
make_cue_project (const char *dir,
                  guint       n_shots)
{
  static const guint32 colours[] = { GREY, GREY };
  ReelProject *project = test_media_project_new (dir, colours, n_shots, 1.0);
  ReelShot *shot = reel_project_get_shot (project, 0);
  g_autoptr(ReelTextCue) cue = reel_text_cue_new ("TITLE CARD", 0.25, 0.75);
  g_autoptr(ReelDialogueLine) line = reel_dialogue_line_new ("Ann", "", "Hold the door.", 0.1);

  reel_text_cue_set_position (cue, REEL_TEXT_POSITION_TOP);
  reel_text_cue_set_style (cue, REEL_TEXT_STYLE_TITLE);
  reel_project_edit_add_cue (project, shot, G_OBJECT (cue));
  reel_project_edit_add_cue (project, shot, G_OBJECT (line));
  if (n_shots > 1)
    {
      g_autoptr(ReelDialogueLine) second = reel_dialogue_line_new ("Bo", "", "Too late & <gone>.",
                                                                   0.5);

      reel_project_edit_add_cue (project, reel_project_get_shot (project, 1), G_OBJECT (second));
    }
  return project;
}

static void
test_captions (void)
{
  g_autoptr(ReelOverlay) overlay = reel_overlay_new ();
  g_autoptr(ReelShot) shot = reel_shot_new ();
  g_autoptr(ReelDialogueLine) a = reel_dialogue_line_new ("Ann", "", "Hold the door.", 0.5);
  g_autoptr(ReelDialogueLine) b = reel_dialogue_line_new ("Bo", "", "No & <never>.", 1.2);
  g_autofree char *vtt = NULL;
  g_autofree char *srt = NULL;

  /* 0.5 + 14 chars * 0.065 = 1.41 s, cut at the next line (1.2 s); the second: 0.5 + 13 *
   * 0.065 = 1.345 s from 1.2 s, cut at the end of the 2 s shot. The shot starts 3 s in. */
  g_assert_cmpfloat_with_epsilon (reel_caption_estimate_duration ("Hold the door."), 1.41, 1e-9);
  g_assert_cmpfloat_with_epsilon (reel_caption_estimate_duration ("Hi"), 1.0, 1e-9);
  reel_shot_set_duration (shot, 2.0);
  g_list_store_append (G_LIST_STORE (reel_shot_get_dialogue (shot)), b);
  g_list_store_append (G_LIST_STORE (reel_shot_get_dialogue (shot)), a);
  reel_overlay_add_shot (overlay, shot, 3 * GST_SECOND, 2 * GST_SECOND);

  vtt = reel_overlay_to_webvtt (overlay);
  srt = reel_overlay_to_srt (overlay);
  g_assert_cmpstr (vtt, ==,
                   "WEBVTT\n"
                   "\n"
                   "00:00:03.500 --> 00:00:04.200\n"
                   "<v Ann>Hold the door.\n"
                   "\n"
                   "00:00:04.200 --> 00:00:05.000\n"
                   "<v Bo>No &amp; &lt;never&gt;.\n");
  g_assert_cmpstr (srt, ==,
                   "1\n"
                   "00:00:03,500 --> 00:00:04,200\n"
                   "Ann: Hold the door.\n"
                   "\n"
                   "2\n"
                   "00:00:04,200 --> 00:00:05,000\n"
                   "Bo: No & <never>.\n");
}

static void
progress_count_cb (gint64   position,
                   gint64   duration,
                   gpointer user_data)
{
  guint *calls = user_data;

  g_assert_cmpint (position, >=, 0);
  g_assert_cmpint (position, <=, duration);
  (*calls)++;
}

static guint
count_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export_mp4 (void)
{
  g_autoptr(ReelProject) project = make_cue_project (work_dir, 2);
  g_autofree char *out_dir = g_build_filename (work_dir, "out", NULL);
  g_autofree char *vtt = NULL;
  g_autofree char *vtt_path = NULL;
  ReelExportOptions options = REEL_EXPORT_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  guint progress_calls = 0;
  gboolean ok;

  g_mkdir (out_dir, 0755);
  mp4_path = g_build_filename (out_dir, "cut.mp4", NULL);
  options.width = EXPORT_WIDTH;
  options.manifest_label = "urn:c2pa:3f2a9c1d-5b7e-4c21-9d0a-6e8f1b2c3d4e";
  ok = reel_export_sync (project, mp4_path, &options, NULL, progress_count_cb, &progress_calls,
                         &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (progress_calls, >, 0);
  g_assert_true (g_file_test (mp4_path, G_FILE_TEST_IS_REGULAR));

  /* The video, its two caption files and nothing else: no temporary file is left. */
  g_assert_cmpuint (count_dir (out_dir), ==, 3);
  vtt_path = reel_export_sibling_path (mp4_path, "vtt");
  g_file_get_contents (vtt_path, &vtt, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (vtt, "WEBVTT\n\n00:00:00.100 --> 00:00:01.000\n<v Ann>Hold"));
  g_assert_nonnull (strstr (vtt, "00:00:01.500 --> 00:00:02.000\n<v Bo>Too late &amp; &lt;"));

  /* Signed: the manifest validates, names both takes, and is the one whose id the mark shows. */
  {
    g_autoptr(ReelC2paReport) report = reel_c2pa_verify_file (mp4_path, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (report->valid);
    g_assert_true (report->trusted);
    g_assert_cmpuint (report->ingredients->len, ==, 2);
    g_assert_cmpstr (report->manifest_label, ==, options.manifest_label);
    {
      g_autofree char *short_id = reel_c2pa_short_id (report->manifest_label);

      g_assert_cmpstr (short_id, ==, "3f2a9c1d");
    }
    /* The id is the label's, not a parameter of its own any more. */
    g_assert_null (strstr (report->parameters, "watermark"));
  }
}

static void
test_export_discoverer (void)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  GList *video, *audio;

  if (mp4_path == NULL)
    {
      g_test_skip ("the export failed");
      return;
    }
  uri = gst_filename_to_uri (mp4_path, NULL);
  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), >=, 2 * GST_SECOND - GST_SECOND / 24);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), <=, 2 * GST_SECOND + GST_SECOND / 24);

  video = gst_discoverer_info_get_video_streams (info);
  audio = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (video), ==, 1);
  g_assert_cmpuint (g_list_length (audio), ==, 1);
  g_assert_cmpuint (gst_discoverer_video_info_get_width (video->data), ==, EXPORT_WIDTH);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (video->data), ==, EXPORT_HEIGHT);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_num (video->data), ==, 24);
  g_assert_cmpuint (gst_discoverer_video_info_get_framerate_denom (video->data), ==, 1);
  {
    GstCaps *caps = gst_discoverer_stream_info_get_caps (video->data);
    GstCaps *audio_caps = gst_discoverer_stream_info_get_caps (audio->data);

    g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "video/x-h264"));
    g_assert_true (gst_structure_has_name (gst_caps_get_structure (audio_caps, 0),
                                           "audio/mpeg"));
    gst_caps_unref (caps);
    gst_caps_unref (audio_caps);
  }
  gst_discoverer_stream_info_list_free (video);
  gst_discoverer_stream_info_list_free (audio);
}

/* Top-level boxes in order: faststart puts moov before mdat, and there is no moof. */
static void
test_export_layout (void)
{
  g_autofree char *data = NULL;
  gsize length, offset = 0;
  int moov = -1, mdat = -1, moof = -1, index = 0;
  g_autoptr(GError) error = NULL;

  if (mp4_path == NULL)
    {
      g_test_skip ("the export failed");
      return;
    }
  g_file_get_contents (mp4_path, &data, &length, &error);
  g_assert_no_error (error);
  while (offset + 8 <= length)
    {
      guint64 size = GUINT32_FROM_BE (*(guint32 *) (data + offset));
      const char *type = data + offset + 4;

      if (size == 1)
        size = GUINT64_FROM_BE (*(guint64 *) (data + offset + 8));
      if (memcmp (type, "moov", 4) == 0)
        moov = index;
      else if (memcmp (type, "mdat", 4) == 0)
        mdat = index;
      else if (memcmp (type, "moof", 4) == 0)
        moof = index;
      g_assert_cmpuint (size, >=, 8);
      offset += size;
      index++;
    }
  g_assert_cmpuint (offset, ==, length);
  g_assert_cmpint (moov, >=, 0);
  g_assert_cmpint (moov, <, mdat);
  g_assert_cmpint (moof, ==, -1);
}

static void
test_export_ffprobe (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    FFPROBE, "-v", "error", "-count_frames", "-show_entries",
    "stream=codec_type,codec_name,nb_read_frames,width,height", "-of", "compact", NULL, NULL,
  };

  if (mp4_path == NULL)
    {
      g_test_skip ("the export failed");
      return;
    }
  if (*FFPROBE == '\0')
    {
      g_test_skip ("ffprobe is not installed (Debian package ffmpeg)");
      return;
    }
  argv[8] = mp4_path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_test_message ("ffprobe: %s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "codec_name=h264|codec_type=video|width=480|height=270|"
                                 "nb_read_frames=48"));
  g_assert_nonnull (strstr (out, "codec_name=aac|codec_type=audio"));
}

/* The decoded export, against what the overlay promised to draw where. */
static void
test_export_frames (void)
{
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0, box_w, box_h;
  guint inside = 0, outside = 0;

  if (mp4_path == NULL)
    {
      g_test_skip ("the export failed");
      return;
    }
  frames = test_media_decode_frames (mp4_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 48);
  g_assert_cmpint (width, ==, EXPORT_WIDTH);
  g_assert_cmpint (height, ==, EXPORT_HEIGHT);
  reel_watermark_get_size (width, height, &box_w, &box_h);

  for (guint i = 0; i < frames->len; i++)
    {
      const TestFrame *frame = &g_array_index (frames, TestFrame, i);
      gint64 index = (gint64) gst_util_uint64_scale_round (frame->pts, 24, GST_SECOND);
      int mark[4] = { 0, 0, box_w, box_h };
      int far_x, far_y;
      double text;

      g_assert_cmpint (index, ==, i);
      reel_watermark_position (index, 24, width, height, &mark[0], &mark[1]);

      /* The mark is where the path says (a dark box with white text on grey)... */
      g_assert_cmpfloat (test_media_region_changed (frame, width, height, mark[0] + 2,
                                                    mark[1] + 2, box_w - 4, box_h - 4, GREY,
                                                    NULL), >, 0.8);
      /* ...and not in the same-sized box on the far side of the frame. */
      far_x = mark[0] + box_w / 2 < width / 2 ? width - box_w : 0;
      far_y = mark[1] + box_h / 2 < height / 2 || (index >= 5 && index <= 18)
              ? height - box_h : 0;
      g_assert_cmpfloat (test_media_region_changed (frame, width, height, far_x, far_y, box_w,
                                                    box_h, GREY, mark), <, 0.01);

      /* The title "TITLE CARD" at the top, from 0.25 s to 0.75 s (frames 6 to 17). */
      text = test_media_region_changed (frame, width, height, width / 4, height / 20,
                                        width / 2, height / 6, GREY, mark);
      if (index >= 7 && index <= 16)
        {
          g_assert_cmpfloat (text, >, 0.05);
          inside++;
        }
      else if (index <= 4 || index >= 19)
        {
          g_assert_cmpfloat (text, <, 0.005);
          outside++;
        }
    }
  g_assert_cmpuint (inside, ==, 10);
  g_assert_cmpuint (outside, ==, 34);
}

static void
test_export_webm (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (work_dir, "webm", NULL);
  g_autofree char *path = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  ReelExportOptions options = REEL_EXPORT_OPTIONS_INIT;
  GList *video, *audio;
  gboolean ok;

  g_mkdir (dir, 0755);
  project = make_cue_project (dir, 1);
  path = g_build_filename (dir, "take.webm", NULL);
  options.format = REEL_EXPORT_FORMAT_WEBM;
  options.width = 320;
  options.shot = 0;
  options.captions = REEL_EXPORT_CAPTIONS_NONE;
  ok = reel_export_sync (project, path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  sidecar = reel_export_sibling_path (path, "c2pa");
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(ReelC2paReport) report = reel_c2pa_verify_file (path, sidecar, NULL, &error);
    g_autofree char *short_id = NULL;

    g_assert_no_error (error);
    g_assert_true (report->valid);
    /* No label was given: export made a fresh one whose id the mark could show. */
    short_id = reel_c2pa_short_id (report->manifest_label);
    g_assert_nonnull (short_id);
    g_assert_cmpuint (strlen (short_id), ==, 8);
  }
  {
    g_autofree char *vtt = reel_export_sibling_path (path, "vtt");

    g_assert_false (g_file_test (vtt, G_FILE_TEST_EXISTS));
  }

  uri = gst_filename_to_uri (path, NULL);
  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), >=, GST_SECOND - GST_SECOND / 24);
  g_assert_cmpuint (gst_discoverer_info_get_duration (info), <=, GST_SECOND + GST_SECOND / 24);
  video = gst_discoverer_info_get_video_streams (info);
  audio = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (video), ==, 1);
  g_assert_cmpuint (g_list_length (audio), ==, 1);
  g_assert_cmpuint (gst_discoverer_video_info_get_width (video->data), ==, 320);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (video->data), ==, 180);
  gst_discoverer_stream_info_list_free (video);
  gst_discoverer_stream_info_list_free (audio);

  if (*FFPROBE != '\0')
    {
      g_autofree char *out = NULL;
      int status;
      const char *argv[] = {
        FFPROBE, "-v", "error", "-count_frames", "-show_entries",
        "stream=codec_type,codec_name,nb_read_frames", "-of", "compact", path, NULL,
      };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                    &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, "codec_name=vp9|codec_type=video|nb_read_frames=24"));
      g_assert_nonnull (strstr (out, "codec_name=opus|codec_type=audio"));
    }
}

typedef struct
{
  GCancellable *cancellable;
  GAsyncResult *result;
} CancelData;

static void
cancel_on_progress_cb (gint64   position,
                       gint64   duration,
                       gpointer user_data)
{
  CancelData *data = user_data;

  g_cancellable_cancel (data->cancellable);
}

static void
cancel_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CancelData *data = user_data;

  data->result = g_object_ref (result);
}

static void
test_export_cancel (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "cancel", NULL);
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *path = g_build_filename (out_dir, "never.mp4", NULL);
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ReelExportOptions options = REEL_EXPORT_OPTIONS_INIT;
  CancelData data = { cancellable, NULL };

  g_mkdir (dir, 0755);
  g_mkdir (out_dir, 0755);
  project = make_cue_project (dir, 2);
  reel_export_async (project, path, &options, cancellable, cancel_on_progress_cb, &data,
                     cancel_done_cb, &data);
  while (data.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (reel_export_finish (project, data.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (data.result);
  /* Neither the file nor any temporary file. */
  g_assert_cmpuint (count_dir (out_dir), ==, 0);
}

static void
test_export_errors (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "errors", NULL);
  g_autofree char *path = g_build_filename (dir, "x.mp4", NULL);
  g_autoptr(ReelProject) empty = reel_project_new ();
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  ReelExportOptions options = REEL_EXPORT_OPTIONS_INIT;
  ReelExportFormat format;

  g_mkdir (dir, 0755);
  g_assert_false (reel_export_sync (empty, path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA);
  g_clear_error (&error);

  project = make_cue_project (dir, 1);
  options.shot = 4;
  g_assert_false (reel_export_sync (project, path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (error->message, "no shot 5"));
  g_clear_error (&error);
  options.shot = 0;
  options.take_id = "no-such-take";
  g_assert_false (reel_export_sync (project, path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA);
  g_assert_nonnull (strstr (error->message, "no-such-take"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  /* A label whose id the mark cannot show is refused before anything is encoded. */
  options.take_id = NULL;
  options.manifest_label = "urn:c2pa:not-a-uuid";
  g_assert_false (reel_export_sync (project, path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "urn:c2pa:not-a-uuid"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (reel_export_format_from_path ("/a/b.MP4", &format));
  g_assert_cmpint (format, ==, REEL_EXPORT_FORMAT_MP4);
  g_assert_true (reel_export_format_from_path ("b.webm", &format));
  g_assert_cmpint (format, ==, REEL_EXPORT_FORMAT_WEBM);
  g_assert_false (reel_export_format_from_path ("b.avi", &format));
}

static void
test_export_cli (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "cli", NULL);
  g_autofree char *out = g_build_filename (dir, "shot.webm", NULL);
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_mkdir (dir, 0755);
  project = make_cue_project (dir, 2);
  reel_project_save (project, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { REEL_BINARY, "export", reel_project_get_path (project), "-o", out,
                           "--shot", "2", "--width", "320", "--captions", "none", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text,
                  &stderr_text, &status, &error);
    g_assert_no_error (error);
    g_test_message ("reel export: %s%s", stdout_text, stderr_text);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  }
  g_clear_pointer (&stdout_text, g_free);
  g_clear_pointer (&stderr_text, g_free);

  {
    const char *argv[] = { REEL_BINARY, "export", reel_project_get_path (project), "-o",
                           "x.avi", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text,
                  &stderr_text, &status, &error);
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    g_assert_nonnull (strstr (stderr_text, ".mp4 or .webm"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  work_dir = g_dir_make_tmp ("reel-media-export-XXXXXX", &error);
  g_assert_no_error (error);
  /* The signing identity is created in the user data dir: keep it inside the test. */
  data_home = g_build_filename (work_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_add_func ("/media/watermark/path", test_watermark_path);
  g_test_add_func ("/media/captions/files", test_captions);
  g_test_add_func ("/media/export/mp4", test_export_mp4);
  g_test_add_func ("/media/export/mp4-discoverer", test_export_discoverer);
  g_test_add_func ("/media/export/mp4-layout", test_export_layout);
  g_test_add_func ("/media/export/mp4-ffprobe", test_export_ffprobe);
  g_test_add_func ("/media/export/mp4-frames", test_export_frames);
  g_test_add_func ("/media/export/webm", test_export_webm);
  g_test_add_func ("/media/export/cancel", test_export_cancel);
  g_test_add_func ("/media/export/errors", test_export_errors);
  g_test_add_func ("/media/export/cli", test_export_cli);
  status = g_test_run ();

  if (g_getenv ("REEL_TEST_KEEP") == NULL)
    test_media_remove_tree (work_dir);
  else
    g_printerr ("# kept %s\n", work_dir);
  g_free (mp4_path);
  g_free (work_dir);
  return status;
}

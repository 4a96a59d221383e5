#define G_LOG_DOMAIN "reel-media"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "reel-media-error.h"
#include "reel-project-io.h"
#include "reel-sequence.h"

typedef struct
{
  guint  shot_position;
  gint64 start;
  gint64 duration;
} Span;

struct _ReelSequence
{
  GESTimeline *timeline;
  ReelOverlay *overlay;
  GArray      *spans;
  gint64       duration;
  int          width;
  int          height;
};

gboolean
reel_media_init (GError **error)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;
  static GError *init_error = NULL;

  if (g_once_init_enter (&initialised))
    {
      if (gst_init_check (NULL, NULL, &init_error))
        {
          ok = ges_init ();
          if (!ok)
            g_set_error_literal (&init_error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                                 _("GStreamer Editing Services could not start. Install "
                                   "libges-1.0-0 and the GStreamer base plugins."));
        }
      g_once_init_leave (&initialised, 1);
    }
  if (!ok && error != NULL)
    *error = g_error_copy (init_error);
  return ok;
}

void
reel_media_frame_size (ReelAspect aspect,
                       int        width,
                       int       *out_width,
                       int       *out_height)
{
  width = CLAMP (width, 16, 1920) & ~1;
  *out_width = width;
  *out_height = MAX (2, (int) lround (width / reel_aspect_get_ratio (aspect))) & ~1;
}

static ReelSequence *
sequence_new (ReelAspect aspect,
              int        width)
{
  ReelSequence *self = g_new0 (ReelSequence, 1);
  g_autoptr(GstCaps) video_caps = NULL;
  g_autoptr(GstCaps) audio_caps = NULL;
  GList *tracks;

  reel_media_frame_size (aspect, width, &self->width, &self->height);
  self->timeline = gst_object_ref_sink (ges_timeline_new_audio_video ());
  self->overlay = reel_overlay_new ();
  reel_overlay_set_fps (self->overlay, REEL_SEQUENCE_FPS);
  self->spans = g_array_new (FALSE, FALSE, sizeof (Span));

  video_caps = gst_caps_new_simple ("video/x-raw",
                                    "width", G_TYPE_INT, self->width,
                                    "height", G_TYPE_INT, self->height,
                                    "framerate", GST_TYPE_FRACTION, REEL_SEQUENCE_FPS, 1,
                                    "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                    NULL);
  audio_caps = gst_caps_new_simple ("audio/x-raw",
                                    "rate", G_TYPE_INT, 48000,
                                    "channels", G_TYPE_INT, 2,
                                    NULL);
  tracks = ges_timeline_get_tracks (self->timeline);
  for (GList *l = tracks; l != NULL; l = l->next)
    {
      GESTrack *track = l->data;

      ges_track_set_restriction_caps (track, GES_IS_VIDEO_TRACK (track) ? video_caps
                                                                        : audio_caps);
    }
  g_list_free_full (tracks, gst_object_unref);
  return self;
}

void
reel_sequence_free (ReelSequence *sequence)
{
  if (sequence == NULL)
    return;
  gst_clear_object (&sequence->timeline);
  g_clear_pointer (&sequence->overlay, reel_overlay_unref);
  g_array_unref (sequence->spans);
  g_free (sequence);
}

static gint64
seconds_to_ns (double seconds)
{
  return (gint64) llround (seconds * GST_SECOND);
}

typedef struct
{
  GESAsset *asset;
  GError   *error;
  gboolean  done;
} AssetRequest;

static void
asset_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AssetRequest *request = user_data;

  request->asset = ges_asset_request_finish (result, &request->error);
  request->done = TRUE;
}

/* GES 1.22 keeps one discoverer per thread, bound to the thread-default main context of its
 * first use, and ges_uri_clip_asset_request_sync() runs its loop on the global default context:
 * under a pushed context it never returns. So: ask asynchronously and iterate the
 * thread-default context, and build sequences only where no short-lived context is pushed
 * (reel_export_sync() builds before pushing its own). */
static GESUriClipAsset *
discover (const char *uri,
          GError    **error)
{
  AssetRequest request = { NULL, NULL, FALSE };
  GMainContext *context = g_main_context_get_thread_default ();

  g_debug ("Discovering %s", uri);
  ges_asset_request_async (GES_TYPE_URI_CLIP, uri, NULL, asset_ready_cb, &request);
  while (!request.done)
    g_main_context_iteration (context, TRUE);
  g_debug ("Discovered %s", uri);
  if (request.asset == NULL)
    {
      g_propagate_error (error, request.error);
      return NULL;
    }
  return GES_URI_CLIP_ASSET (request.asset);
}

static GESUriClipAsset *
request_asset (ReelProject *project,
               ReelShot    *shot,
               const char  *media_name,
               const char  *what,
               GError     **error)
{
  g_autoptr(GFile) file = reel_project_get_media_file (project, media_name);
  g_autofree char *uri = NULL;
  g_autoptr(GError) local_error = NULL;
  GESUriClipAsset *asset;

  if (file == NULL || !g_file_query_exists (file, NULL))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_BAD_MEDIA,
                   _("The %s of shot “%s” (%s) is missing from the project’s media folder. "
                     "Render the take again or pick another one."),
                   what, reel_shot_get_title (shot), media_name);
      return NULL;
    }
  uri = g_file_get_uri (file);
  asset = discover (uri, &local_error);
  if (asset == NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_BAD_MEDIA,
                   _("The %s of shot “%s” (%s) cannot be read: %s. Render the take again or "
                     "pick another one."),
                   what, reel_shot_get_title (shot), path, local_error->message);
    }
  return asset;
}

/* Adds the take's video (and its separate audio, if any) at @start; returns the clip's
 * length: the shot's, or less when the video is shorter. */
static gboolean
add_take (ReelSequence *self,
          ReelProject  *project,
          ReelShot     *shot,
          ReelTake     *take,
          GESLayer     *video_layer,
          GESLayer     *audio_layer,
          gint64        start,
          gint64        max_duration,
          gboolean      with_audio,
          GESClip     **out_clip,
          gint64       *out_duration,
          GError      **error)
{
  g_autoptr(GESUriClipAsset) video = NULL;
  g_autoptr(GESUriClipAsset) audio = NULL;
  GESTrackType video_tracks = GES_TRACK_TYPE_VIDEO;
  gint64 duration = max_duration;
  GESClip *clip;

  video = request_asset (project, shot, reel_take_get_video (take), _("video"), error);
  if (video == NULL)
    return FALSE;
  if (reel_take_get_audio (take) != NULL && with_audio)
    {
      audio = request_asset (project, shot, reel_take_get_audio (take), _("audio"), error);
      if (audio == NULL)
        return FALSE;
    }
  else if (with_audio)
    video_tracks |= GES_TRACK_TYPE_AUDIO;

  duration = MIN (duration, (gint64) ges_uri_clip_asset_get_duration (video));
  if (duration <= 0)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_BAD_MEDIA,
                   _("The video of shot “%s” has no length. Render the take again."),
                   reel_shot_get_title (shot));
      return FALSE;
    }

  if (!ges_uri_clip_asset_is_image (video)
      && !(ges_clip_asset_get_supported_formats (GES_CLIP_ASSET (video)) & GES_TRACK_TYPE_VIDEO))
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_BAD_MEDIA,
                   _("The video file of shot “%s” holds no picture. Render the take again."),
                   reel_shot_get_title (shot));
      return FALSE;
    }
  /* A video file without sound adds no audio track element; silence fills the gap. */
  video_tracks &= ges_clip_asset_get_supported_formats (GES_CLIP_ASSET (video));

  clip = ges_layer_add_asset (video_layer, GES_ASSET (video), start, 0, duration, video_tracks);
  if (clip == NULL)
    {
      g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                   _("The take of shot “%s” could not be placed in the cut."),
                   reel_shot_get_title (shot));
      return FALSE;
    }
  if (audio != NULL)
    {
      gint64 audio_duration = MIN (duration, (gint64) ges_uri_clip_asset_get_duration (audio));

      if (audio_duration > 0
          && ges_layer_add_asset (audio_layer, GES_ASSET (audio), start, 0, audio_duration,
                                  GES_TRACK_TYPE_AUDIO) == NULL)
        {
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_FAILED,
                       _("The sound of shot “%s” could not be placed in the cut."),
                       reel_shot_get_title (shot));
          return FALSE;
        }
    }
  if (out_clip != NULL)
    *out_clip = clip;
  *out_duration = duration;
  return TRUE;
}

static void
add_span (ReelSequence *self,
          ReelProject  *project,
          ReelShot     *shot,
          gint64        start,
          gint64        duration)
{
  Span span = {
    .shot_position = (guint) MAX (0, reel_project_get_shot_position (project, shot)),
    .start = start,
    .duration = duration,
  };

  g_array_append_val (self->spans, span);
  reel_overlay_add_shot (self->overlay, shot, start, duration);
  self->duration = MAX (self->duration, start + duration);
}

static gboolean
add_black (ReelSequence *self,
           GESLayer     *layer,
           gint64        start,
           gint64        duration)
{
  g_autoptr(GESAsset) asset = ges_asset_request (GES_TYPE_TEST_CLIP, NULL, NULL);
  GESClip *clip = ges_layer_add_asset (layer, asset, start, 0, duration, GES_TRACK_TYPE_UNKNOWN);

  if (clip == NULL)
    return FALSE;
  ges_test_clip_set_vpattern (GES_TEST_CLIP (clip), GES_VIDEO_TEST_PATTERN_BLACK);
  ges_test_clip_set_mute (GES_TEST_CLIP (clip), TRUE);
  return TRUE;
}

static gboolean
take_has_video (ReelTake *take)
{
  return take != NULL && reel_take_get_video (take) != NULL;
}

ReelSequence *
reel_sequence_new_for_project (ReelProject *project,
                               int          width,
                               GError     **error)
{
  g_autoptr(ReelSequence) self = NULL;
  GESLayer *video_layer, *audio_layer;
  gint64 start = 0;
  guint n;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reel_media_init (error))
    return NULL;
  n = reel_project_get_n_shots (project);
  if (n == 0)
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA,
                           _("The storyboard has no shots to play. Add a shot first."));
      return NULL;
    }

  self = sequence_new (reel_shot_get_aspect (reel_project_get_shot (project, 0)), width);
  video_layer = ges_timeline_append_layer (self->timeline);
  audio_layer = ges_timeline_append_layer (self->timeline);
  for (guint i = 0; i < n; i++)
    {
      ReelShot *shot = reel_project_get_shot (project, i);
      ReelTake *take = reel_shot_get_selected_take (shot);
      gint64 duration = seconds_to_ns (reel_shot_get_duration (shot));

      if (take_has_video (take))
        {
          if (!add_take (self, project, shot, take, video_layer, audio_layer, start, duration,
                         TRUE, NULL, &duration, error))
            return NULL;
        }
      else if (!add_black (self, video_layer, start, duration))
        {
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                       _("Shot %u has no take yet and no black stand-in could be made for it. "
                         "Install the GStreamer base plugins (videotestsrc)."), i + 1);
          return NULL;
        }
      add_span (self, project, shot, start, duration);
      start += duration;
    }
  ges_timeline_commit (self->timeline);
  return g_steal_pointer (&self);
}

static gboolean
check_take (ReelShot  *shot,
            ReelTake  *take,
            GError   **error)
{
  if (take_has_video (take))
    return TRUE;
  g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_NO_MEDIA,
               _("Take %s of shot “%s” has no video yet. Render it first."),
               reel_take_get_id (take), reel_shot_get_title (shot));
  return FALSE;
}

ReelSequence *
reel_sequence_new_for_take (ReelProject *project,
                            ReelShot    *shot,
                            ReelTake    *take,
                            int          width,
                            GError     **error)
{
  g_autoptr(ReelSequence) self = NULL;
  GESLayer *video_layer, *audio_layer;
  gint64 duration;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);
  g_return_val_if_fail (REEL_IS_TAKE (take), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reel_media_init (error) || !check_take (shot, take, error))
    return NULL;

  self = sequence_new (reel_shot_get_aspect (shot), width);
  video_layer = ges_timeline_append_layer (self->timeline);
  audio_layer = ges_timeline_append_layer (self->timeline);
  if (!add_take (self, project, shot, take, video_layer, audio_layer, 0,
                 seconds_to_ns (reel_shot_get_duration (shot)), TRUE, NULL, &duration, error))
    return NULL;
  add_span (self, project, shot, 0, duration);
  ges_timeline_commit (self->timeline);
  return g_steal_pointer (&self);
}

/* Fits a @aspect picture into a @box_width x @box_height half, centred. */
static void
place_in_half (GESClip   *clip,
               ReelAspect aspect,
               int        box_x,
               int        box_width,
               int        box_height)
{
  double ratio = reel_aspect_get_ratio (aspect);
  int w = box_width, h = (int) lround (box_width / ratio);
  GList *children;

  if (h > box_height)
    {
      h = box_height;
      w = (int) lround (box_height * ratio);
    }
  children = ges_container_get_children (GES_CONTAINER (clip), FALSE);
  for (GList *l = children; l != NULL; l = l->next)
    if (GES_IS_VIDEO_SOURCE (l->data))
      ges_timeline_element_set_child_properties (l->data,
                                                 "posx", box_x + (box_width - w) / 2,
                                                 "posy", (box_height - h) / 2,
                                                 "width", w,
                                                 "height", h,
                                                 NULL);
  g_list_free_full (children, gst_object_unref);
}

ReelSequence *
reel_sequence_new_compare (ReelProject *project,
                           ReelShot    *shot,
                           ReelTake    *take_a,
                           ReelTake    *take_b,
                           int          width,
                           GError     **error)
{
  g_autoptr(ReelSequence) self = NULL;
  GESLayer *layer_a, *layer_b, *audio_layer;
  GESClip *clip_a = NULL, *clip_b = NULL;
  gint64 shot_duration, duration_a, duration_b;
  int half;

  g_return_val_if_fail (REEL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);
  g_return_val_if_fail (REEL_IS_TAKE (take_a) && REEL_IS_TAKE (take_b), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reel_media_init (error) || !check_take (shot, take_a, error)
      || !check_take (shot, take_b, error))
    return NULL;

  /* Two pictures of the shot's aspect side by side: the frame is twice as wide. */
  self = sequence_new (reel_shot_get_aspect (shot), width);
  half = self->width / 2;
  self->height = MAX (2, (int) lround (half / reel_aspect_get_ratio (reel_shot_get_aspect (shot))))
                 & ~1;
  {
    g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw",
                                                   "width", G_TYPE_INT, self->width,
                                                   "height", G_TYPE_INT, self->height,
                                                   "framerate", GST_TYPE_FRACTION,
                                                   REEL_SEQUENCE_FPS, 1,
                                                   "pixel-aspect-ratio", GST_TYPE_FRACTION,
                                                   1, 1, NULL);
    GList *tracks = ges_timeline_get_tracks (self->timeline);

    for (GList *l = tracks; l != NULL; l = l->next)
      if (GES_IS_VIDEO_TRACK (l->data))
        ges_track_set_restriction_caps (l->data, caps);
    g_list_free_full (tracks, gst_object_unref);
  }

  layer_a = ges_timeline_append_layer (self->timeline);
  layer_b = ges_timeline_append_layer (self->timeline);
  audio_layer = ges_timeline_append_layer (self->timeline);
  shot_duration = seconds_to_ns (reel_shot_get_duration (shot));
  if (!add_take (self, project, shot, take_a, layer_a, audio_layer, 0, shot_duration, TRUE,
                 &clip_a, &duration_a, error)
      || !add_take (self, project, shot, take_b, layer_b, audio_layer, 0, shot_duration, FALSE,
                    &clip_b, &duration_b, error))
    return NULL;
  place_in_half (clip_a, reel_shot_get_aspect (shot), 0, half, self->height);
  place_in_half (clip_b, reel_shot_get_aspect (shot), half, half, self->height);
  add_span (self, project, shot, 0, MAX (duration_a, duration_b));
  ges_timeline_commit (self->timeline);
  return g_steal_pointer (&self);
}

GESTimeline *
reel_sequence_get_timeline (ReelSequence *sequence)
{
  return sequence->timeline;
}

ReelOverlay *
reel_sequence_get_overlay (ReelSequence *sequence)
{
  return sequence->overlay;
}

gint64
reel_sequence_get_duration (ReelSequence *sequence)
{
  return sequence->duration;
}

int
reel_sequence_get_width (ReelSequence *sequence)
{
  return sequence->width;
}

int
reel_sequence_get_height (ReelSequence *sequence)
{
  return sequence->height;
}

guint
reel_sequence_get_n_spans (ReelSequence *sequence)
{
  return sequence->spans->len;
}

void
reel_sequence_get_span (ReelSequence *sequence,
                        guint         index,
                        guint        *out_shot_position,
                        gint64       *out_start,
                        gint64       *out_duration)
{
  const Span *span;

  g_return_if_fail (index < sequence->spans->len);

  span = &g_array_index (sequence->spans, Span, index);
  if (out_shot_position != NULL)
    *out_shot_position = span->shot_position;
  if (out_start != NULL)
    *out_start = span->start;
  if (out_duration != NULL)
    *out_duration = span->duration;
}

int
reel_sequence_get_shot_at (ReelSequence *sequence,
                           gint64        position)
{
  for (guint i = 0; i < sequence->spans->len; i++)
    {
      const Span *span = &g_array_index (sequence->spans, Span, i);

      if (position >= span->start && position < span->start + span->duration)
        return (int) span->shot_position;
    }
  return -1;
}

/* ---- Linking into a pipeline ---- */

static void
draw_overlay_cb (GstElement *element,
                 cairo_t    *cr,
                 guint64     timestamp,
                 guint64     duration,
                 gpointer    user_data)
{
  ReelSequence *self = user_data;

  reel_overlay_draw (self->overlay, cr, (gint64) timestamp, self->width, self->height);
}

static GstElement *
make_element (const char *factory,
              const char *package,
              GError    **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                 _("The GStreamer element “%s” is missing. Install %s."), factory, package);
  return element;
}

/* Makes the elements, adds them to @bin and links them in order; the first and the last are
 * returned for linking with the outside. */
static gboolean
add_chain (GstBin      *bin,
           const char **factories,
           const char **packages,
           GstElement **elements,
           guint        n,
           GError     **error)
{
  for (guint i = 0; i < n; i++)
    {
      elements[i] = make_element (factories[i], packages[i], error);
      if (elements[i] == NULL)
        return FALSE;
      gst_bin_add (bin, elements[i]);
      if (i > 0 && !gst_element_link (elements[i - 1], elements[i]))
        {
          g_set_error (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PIPELINE,
                       _("Could not link %s to %s."), factories[i - 1], factories[i]);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
reel_sequence_link (ReelSequence *sequence,
                    GstPipeline  *pipeline,
                    GstPad       *video_sink,
                    GstPad       *audio_sink,
                    GError      **error)
{
  static const char *video_factories[] = {
    "queue", "videoconvert", "videoscale", "videorate", "capsfilter", "videoconvert",
    "cairooverlay", "videoconvert",
  };
  static const char *video_packages[] = {
    "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-base",
    "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-base",
    "gstreamer1.0-plugins-good", "gstreamer1.0-plugins-base",
  };
  static const char *audio_factories[] = { "queue", "audioconvert", "audioresample" };
  static const char *audio_packages[] = {
    "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-base", "gstreamer1.0-plugins-base",
  };
  GstElement *video[G_N_ELEMENTS (video_factories)];
  GstElement *audio[G_N_ELEMENTS (audio_factories)];
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) video_out = NULL;
  g_autoptr(GstPad) audio_out = NULL;
  GList *tracks;
  gboolean ok = TRUE;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!add_chain (GST_BIN (pipeline), video_factories, video_packages, video,
                  G_N_ELEMENTS (video), error)
      || !add_chain (GST_BIN (pipeline), audio_factories, audio_packages, audio,
                     G_N_ELEMENTS (audio), error))
    return FALSE;

  caps = gst_caps_new_simple ("video/x-raw",
                              "width", G_TYPE_INT, sequence->width,
                              "height", G_TYPE_INT, sequence->height,
                              "framerate", GST_TYPE_FRACTION, REEL_SEQUENCE_FPS, 1,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (video[4], "caps", caps, NULL);
  /* After a seek, start from the first real frame rather than repeating it back to the
   * segment's start. */
  g_object_set (video[3], "skip-to-first", TRUE, NULL);
  g_signal_connect (video[6], "draw", G_CALLBACK (draw_overlay_cb), sequence);

  gst_bin_add (GST_BIN (pipeline), GST_ELEMENT (sequence->timeline));
  tracks = ges_timeline_get_tracks (sequence->timeline);
  for (GList *l = tracks; l != NULL && ok; l = l->next)
    {
      GESTrack *track = l->data;
      gboolean is_video = GES_IS_VIDEO_TRACK (track);
      GstPad *pad = ges_timeline_get_pad_for_track (sequence->timeline, track);
      g_autoptr(GstPad) sink = gst_element_get_static_pad (is_video ? video[0] : audio[0],
                                                           "sink");

      ok = pad != NULL && GST_PAD_LINK_SUCCESSFUL (gst_pad_link (pad, sink));
    }
  g_list_free_full (tracks, gst_object_unref);

  video_out = gst_element_get_static_pad (video[G_N_ELEMENTS (video) - 1], "src");
  audio_out = gst_element_get_static_pad (audio[G_N_ELEMENTS (audio) - 1], "src");
  if (!ok
      || !GST_PAD_LINK_SUCCESSFUL (gst_pad_link (video_out, video_sink))
      || !GST_PAD_LINK_SUCCESSFUL (gst_pad_link (audio_out, audio_sink)))
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PIPELINE,
                           _("Could not connect the cut to the player or the encoder."));
      return FALSE;
    }
  return TRUE;
}

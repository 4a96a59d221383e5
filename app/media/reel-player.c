#define G_LOG_DOMAIN "reel-media"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "reel-media-error.h"
#include "reel-player.h"

/* What the streaming thread shares with the main context: the newest frame. The player may be
 * gone by the time an idle runs, hence the weak reference. */
typedef struct
{
  GMutex        lock;
  GstSample    *sample;       /* newest frame not yet delivered */
  gboolean      idle_pending;
  GWeakRef      player;
  GMainContext *context;
} FrameMailbox;

struct _ReelPlayer
{
  GObject       parent_instance;

  /* Owned references */
  ReelSequence *sequence;
  GstElement   *pipeline;
  GstElement   *appsink;
  GstElement   *volume;
  GSource      *bus_source;
  FrameMailbox *mailbox;
  GstSample    *frame;        /* the delivered frame */

  gint64        position;
  int           current_shot;
  gboolean      playing;
  gboolean      loop;
  /* A seek is on its way: further seeks wait for it (scrubbing). */
  gboolean      seeking;
  gboolean      has_pending_seek;
  gint64        pending_seek;
  gboolean      prerolled;
};

G_DEFINE_FINAL_TYPE (ReelPlayer, reel_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DURATION,
  PROP_POSITION,
  PROP_CURRENT_SHOT,
  PROP_PLAYING,
  PROP_LOOP,
  PROP_VOLUME,
  N_PROPS
};

enum {
  SIGNAL_FRAME,
  SIGNAL_SEEKED,
  SIGNAL_ENDED,
  SIGNAL_LOOPED,
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
mailbox_free (gpointer data)
{
  FrameMailbox *mailbox = data;

  g_mutex_clear (&mailbox->lock);
  g_clear_pointer (&mailbox->sample, gst_sample_unref);
  g_weak_ref_clear (&mailbox->player);
  g_main_context_unref (mailbox->context);
}

static void
mailbox_unref (FrameMailbox *mailbox)
{
  g_atomic_rc_box_release_full (mailbox, mailbox_free);
}

static void
set_playing (ReelPlayer *self,
             gboolean    playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

/* The frame of the cut's 24 fps grid that shows at @position. The millisecond absorbs
 * timestamps rounded down by a nanosecond (k/24 s is not a whole number of ns). */
static gint64
frame_at (gint64 position)
{
  return (gint64) gst_util_uint64_scale (position + GST_MSECOND, REEL_SEQUENCE_FPS, GST_SECOND);
}

/* On the main context: take the newest frame and announce it. */
static void
deliver_frame (ReelPlayer *self)
{
  g_autoptr(GstSample) sample = NULL;
  GstBuffer *buffer;
  const GstSegment *segment;
  gint64 position;
  int shot;

  g_mutex_lock (&self->mailbox->lock);
  sample = g_steal_pointer (&self->mailbox->sample);
  self->mailbox->idle_pending = FALSE;
  g_mutex_unlock (&self->mailbox->lock);
  if (sample == NULL)
    return;

  buffer = gst_sample_get_buffer (sample);
  segment = gst_sample_get_segment (sample);
  /* Stream time is the timeline's time: the cut's clock. */
  position = (gint64) gst_segment_to_stream_time (segment, GST_FORMAT_TIME,
                                                  GST_BUFFER_PTS (buffer));
  /* The mixer times its output from where a seek landed (mid-frame, see issue_seek()); the
   * playhead is the start of the frame on the cut's grid. */
  if (position >= 0)
    position = (gint64) gst_util_uint64_scale (frame_at (position), GST_SECOND,
                                               REEL_SEQUENCE_FPS);
  g_clear_pointer (&self->frame, gst_sample_unref);
  self->frame = g_steal_pointer (&sample);
  g_object_freeze_notify (G_OBJECT (self));
  if (position >= 0 && position != self->position)
    {
      self->position = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  shot = reel_sequence_get_shot_at (self->sequence, MAX (position, 0));
  if (shot != self->current_shot)
    {
      self->current_shot = shot;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_SHOT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  g_debug ("Frame at %" GST_TIME_FORMAT, GST_TIME_ARGS (position));
  g_signal_emit (self, signals[SIGNAL_FRAME], 0);
}

static gboolean
deliver_frame_idle (gpointer data)
{
  FrameMailbox *mailbox = data;
  g_autoptr(ReelPlayer) self = g_weak_ref_get (&mailbox->player);

  if (self != NULL)
    deliver_frame (self);
  return G_SOURCE_REMOVE;
}

/* Streaming thread. */
static GstFlowReturn
post_sample (FrameMailbox *mailbox,
             GstSample    *sample)
{
  gboolean schedule;

  GstSample *own;

  if (sample == NULL)
    return GST_FLOW_OK;
  /* appsink reuses its sample object for the next buffer when it can, and warns when it is
   * still held: keep a sample of our own. */
  own = gst_sample_new (gst_sample_get_buffer (sample), gst_sample_get_caps (sample),
                        gst_sample_get_segment (sample), NULL);
  gst_sample_unref (sample);
  sample = own;
  g_mutex_lock (&mailbox->lock);
  g_clear_pointer (&mailbox->sample, gst_sample_unref);
  mailbox->sample = sample;
  schedule = !mailbox->idle_pending;
  mailbox->idle_pending = TRUE;
  g_mutex_unlock (&mailbox->lock);
  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_frame_idle, g_atomic_rc_box_acquire (mailbox),
                             (GDestroyNotify) mailbox_unref);
      g_source_attach (source, mailbox->context);
      g_source_unref (source);
    }
  return GST_FLOW_OK;
}

static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    data)
{
  return post_sample (data, gst_app_sink_pull_sample (sink));
}

static GstFlowReturn
new_preroll_cb (GstAppSink *sink,
                gpointer    data)
{
  return post_sample (data, gst_app_sink_pull_preroll (sink));
}

static void
issue_seek (ReelPlayer *self,
            gint64      position)
{
  GstEvent *event;
  gint64 frame;

  position = CLAMP (position, 0, MAX (0, reel_sequence_get_duration (self->sequence) - 1));
  /* Aim at the middle of the frame that holds @position: at the exact start of a shot the
   * composition may preroll on a gap instead of the frame, leaving the old picture up. */
  frame = frame_at (position);
  position = (gint64) gst_util_uint64_scale (2 * frame + 1, GST_SECOND, 2 * REEL_SEQUENCE_FPS);
  self->seeking = TRUE;
  g_debug ("Seeking to %" GST_TIME_FORMAT, GST_TIME_ARGS (position));
  event = gst_event_new_seek (1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                              GST_SEEK_TYPE_SET, position, GST_SEEK_TYPE_SET,
                              GST_CLOCK_TIME_NONE);
  if (!gst_element_send_event (self->pipeline, event))
    {
      /* Not prerolled yet: the seek is retried once it is. */
      self->has_pending_seek = TRUE;
      self->pending_seek = position;
    }
}

static void
request_seek (ReelPlayer *self,
              gint64      position)
{
  if (self->seeking || !self->prerolled)
    {
      self->has_pending_seek = TRUE;
      self->pending_seek = position;
      return;
    }
  issue_seek (self, position);
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  ReelPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ASYNC_DONE:
      g_debug ("Async done");
      /* The seek's frame (or the first frame) is in the mailbox; deliver it before saying so. */
      deliver_frame (self);
      self->prerolled = TRUE;
      if (self->has_pending_seek)
        {
          self->has_pending_seek = FALSE;
          issue_seek (self, self->pending_seek);
        }
      else if (self->seeking)
        {
          self->seeking = FALSE;
          g_signal_emit (self, signals[SIGNAL_SEEKED], 0);
        }
      break;

    case GST_MESSAGE_EOS:
      deliver_frame (self);
      if (self->loop)
        {
          g_signal_emit (self, signals[SIGNAL_LOOPED], 0);
          issue_seek (self, 0);
        }
      else
        {
          gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
          set_playing (self, FALSE);
          g_signal_emit (self, signals[SIGNAL_ENDED], 0);
        }
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        g_debug ("Player error from %s: %s", GST_MESSAGE_SRC_NAME (message), debug);
        error = g_error_new (REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PIPELINE,
                             _("Playback stopped: %s"), gst_error->message);
        gst_element_set_state (self->pipeline, GST_STATE_NULL);
        set_playing (self, FALSE);
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
reel_player_dispose (GObject *object)
{
  ReelPlayer *self = REEL_PLAYER (object);

  if (self->bus_source != NULL)
    g_source_destroy (self->bus_source);
  g_clear_pointer (&self->bus_source, g_source_unref);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  gst_clear_object (&self->appsink);
  gst_clear_object (&self->volume);
  g_clear_pointer (&self->frame, gst_sample_unref);
  g_clear_pointer (&self->mailbox, mailbox_unref);

  G_OBJECT_CLASS (reel_player_parent_class)->dispose (object);
}

static void
reel_player_finalize (GObject *object)
{
  ReelPlayer *self = REEL_PLAYER (object);

  g_clear_pointer (&self->sequence, reel_sequence_free);

  G_OBJECT_CLASS (reel_player_parent_class)->finalize (object);
}

static void
reel_player_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ReelPlayer *self = REEL_PLAYER (object);

  switch (prop_id)
    {
    case PROP_DURATION:
      g_value_set_int64 (value, reel_player_get_duration (self));
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_CURRENT_SHOT:
      g_value_set_int (value, self->current_shot);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, reel_player_get_volume (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_player_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ReelPlayer *self = REEL_PLAYER (object);

  switch (prop_id)
    {
    case PROP_LOOP:
      reel_player_set_loop (self, g_value_get_boolean (value));
      break;
    case PROP_VOLUME:
      reel_player_set_volume (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_player_class_init (ReelPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = reel_player_dispose;
  object_class->finalize = reel_player_finalize;
  object_class->get_property = reel_player_get_property;
  object_class->set_property = reel_player_set_property;

  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_SHOT] =
    g_param_spec_int ("current-shot", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, 0, 1, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME] = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SEEKED] = g_signal_new ("seeked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LOOPED] = g_signal_new ("looped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
reel_player_init (ReelPlayer *self)
{
  self->current_shot = -1;
}

static GstElement *
make_audio_output (ReelPlayer      *self,
                   ReelPlayerFlags  flags,
                   GError         **error)
{
  GstElement *bin = gst_bin_new ("audio-output");
  GstElement *sink = (flags & REEL_PLAYER_FLAGS_SILENT)
                     ? gst_element_factory_make ("fakesink", NULL)
                     : gst_element_factory_make ("autoaudiosink", NULL);
  g_autoptr(GstPad) pad = NULL;

  self->volume = gst_element_factory_make ("volume", NULL);
  if (sink == NULL || self->volume == NULL)
    {
      gst_clear_object (&sink);
      gst_object_unref (gst_object_ref_sink (bin));
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                           _("No audio output could be made. Install "
                             "gstreamer1.0-plugins-base and gstreamer1.0-plugins-good."));
      return NULL;
    }
  gst_object_ref_sink (self->volume);
  if (flags & REEL_PLAYER_FLAGS_SILENT)
    g_object_set (sink, "sync", TRUE, NULL);
  gst_bin_add_many (GST_BIN (bin), gst_object_ref (self->volume), sink, NULL);
  gst_element_link (self->volume, sink);
  pad = gst_element_get_static_pad (self->volume, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  return bin;
}

ReelPlayer *
reel_player_new (ReelSequence     *sequence,
                 ReelPlayerFlags   flags,
                 GError          **error)
{
  g_autoptr(ReelPlayer) self = g_object_new (REEL_TYPE_PLAYER, NULL);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) video_pad = NULL;
  g_autoptr(GstPad) audio_pad = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstAppSinkCallbacks callbacks = {
    .new_preroll = new_preroll_cb,
    .new_sample = new_sample_cb,
  };
  GstElement *audio;

  g_return_val_if_fail (sequence != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->sequence = sequence;
  self->mailbox = g_atomic_rc_box_new0 (FrameMailbox);
  g_mutex_init (&self->mailbox->lock);
  g_weak_ref_init (&self->mailbox->player, self);
  self->mailbox->context = g_main_context_ref_thread_default ();

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("reel-player"));
  self->appsink = gst_element_factory_make ("appsink", NULL);
  audio = make_audio_output (self, flags, error);
  if (self->appsink == NULL || audio == NULL)
    {
      if (self->appsink == NULL && audio != NULL)
        {
          gst_object_unref (gst_object_ref_sink (audio));
          g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_MISSING_PLUGIN,
                               _("GStreamer’s appsink is missing. Install "
                                 "gstreamer1.0-plugins-base."));
        }
      return NULL;
    }
  gst_object_ref_sink (self->appsink);
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGBA", NULL);
  g_object_set (self->appsink, "caps", caps, "sync", TRUE, "max-buffers", 2, "drop", FALSE,
                NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->appsink), &callbacks,
                              g_atomic_rc_box_acquire (self->mailbox),
                              (GDestroyNotify) mailbox_unref);
  gst_bin_add_many (GST_BIN (self->pipeline), gst_object_ref (self->appsink), audio, NULL);
  video_pad = gst_element_get_static_pad (self->appsink, "sink");
  audio_pad = gst_element_get_static_pad (audio, "sink");
  if (!reel_sequence_link (sequence, GST_PIPELINE (self->pipeline), video_pad, audio_pad, error))
    return NULL;

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) G_CALLBACK (bus_cb), self, NULL);
  g_source_attach (self->bus_source, self->mailbox->context);

  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, REEL_MEDIA_ERROR, REEL_MEDIA_ERROR_PIPELINE,
                           _("The player would not start. Check that the takes’ media files "
                             "play."));
      return NULL;
    }
  return g_steal_pointer (&self);
}

ReelSequence *
reel_player_get_sequence (ReelPlayer *self)
{
  g_return_val_if_fail (REEL_IS_PLAYER (self), NULL);
  return self->sequence;
}

gint64
reel_player_get_duration (ReelPlayer *self)
{
  g_return_val_if_fail (REEL_IS_PLAYER (self), 0);
  return reel_sequence_get_duration (self->sequence);
}

gint64
reel_player_get_position (ReelPlayer *self)
{
  g_return_val_if_fail (REEL_IS_PLAYER (self), 0);
  return self->position;
}

int
reel_player_get_current_shot (ReelPlayer *self)
{
  g_return_val_if_fail (REEL_IS_PLAYER (self), -1);
  return self->current_shot;
}

gboolean
reel_player_get_playing (ReelPlayer *self)
{
  g_return_val_if_fail (REEL_IS_PLAYER (self), FALSE);
  return self->playing;
}

gboolean
reel_player_get_loop (ReelPlayer *self)
{
  g_return_val_if_fail (REEL_IS_PLAYER (self), FALSE);
  return self->loop;
}

void
reel_player_set_loop (ReelPlayer *self,
                      gboolean    loop)
{
  g_return_if_fail (REEL_IS_PLAYER (self));

  loop = !!loop;
  if (self->loop == loop)
    return;
  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

double
reel_player_get_volume (ReelPlayer *self)
{
  double volume = 1;

  g_return_val_if_fail (REEL_IS_PLAYER (self), 1);
  if (self->volume != NULL)
    g_object_get (self->volume, "volume", &volume, NULL);
  return volume;
}

void
reel_player_set_volume (ReelPlayer *self,
                        double      volume)
{
  g_return_if_fail (REEL_IS_PLAYER (self));

  volume = CLAMP (volume, 0, 1);
  if (self->volume == NULL || reel_player_get_volume (self) == volume)
    return;
  g_object_set (self->volume, "volume", volume, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

void
reel_player_play (ReelPlayer *self)
{
  g_return_if_fail (REEL_IS_PLAYER (self));

  if (self->playing)
    return;
  /* Played to the end: start over, as players do. */
  if (self->prerolled && !self->loop
      && self->position + GST_SECOND / REEL_SEQUENCE_FPS >= reel_player_get_duration (self))
    request_seek (self, 0);
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  set_playing (self, TRUE);
}

void
reel_player_pause (ReelPlayer *self)
{
  g_return_if_fail (REEL_IS_PLAYER (self));

  /* Already paused: setting PAUSED again would start another asynchronous state change. */
  if (!self->playing)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_playing (self, FALSE);
}

void
reel_player_seek (ReelPlayer *self,
                  gint64      position)
{
  g_return_if_fail (REEL_IS_PLAYER (self));
  request_seek (self, position);
}

void
reel_player_scrub (ReelPlayer *self,
                   gint64      position)
{
  g_return_if_fail (REEL_IS_PLAYER (self));
  /* Seeks are accurate either way (the cut is short and the frames small); what makes it a
   * scrub is that request_seek() keeps only the newest position while one is landing. */
  request_seek (self, position);
}

void
reel_player_step (ReelPlayer *self,
                  int         frames)
{
  gint64 frame;

  g_return_if_fail (REEL_IS_PLAYER (self));

  reel_player_pause (self);
  frame = frame_at (self->position) + frames;
  frame = MAX (frame, 0);
  request_seek (self, (gint64) gst_util_uint64_scale (frame, GST_SECOND, REEL_SEQUENCE_FPS));
}

GBytes *
reel_player_get_frame (ReelPlayer *self,
                       int        *width,
                       int        *height,
                       gsize      *stride)
{
  GstVideoInfo info;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *bytes;

  g_return_val_if_fail (REEL_IS_PLAYER (self), NULL);

  if (self->frame == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (self->frame)))
    return NULL;
  buffer = gst_sample_get_buffer (self->frame);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;
  /* The bytes keep the buffer mapped and alive: no copy per frame. */
  bytes = g_bytes_new_with_free_func (map.data, map.size, (GDestroyNotify) gst_buffer_unref,
                                      gst_buffer_ref (buffer));
  gst_buffer_unmap (buffer, &map);
  *width = GST_VIDEO_INFO_WIDTH (&info);
  *height = GST_VIDEO_INFO_HEIGHT (&info);
  *stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  return bytes;
}

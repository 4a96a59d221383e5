#define G_LOG_DOMAIN "reel-ui"

#include "config.h"

#include "reel-media-stream.h"

struct _ReelMediaStream
{
  GtkMediaStream parent_instance;

  /* Owned references */
  ReelPlayer    *player;
  GdkTexture    *texture;

  int            width;
  int            height;
};

static void reel_media_stream_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ReelMediaStream, reel_media_stream, GTK_TYPE_MEDIA_STREAM,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      reel_media_stream_paintable_init))

static void
reel_media_stream_paintable_snapshot (GdkPaintable *paintable,
                                      GdkSnapshot  *snapshot,
                                      double        width,
                                      double        height)
{
  ReelMediaStream *self = REEL_MEDIA_STREAM (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
reel_media_stream_paintable_get_current_image (GdkPaintable *paintable)
{
  ReelMediaStream *self = REEL_MEDIA_STREAM (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (self->width, self->height);
}

static int
reel_media_stream_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  return REEL_MEDIA_STREAM (paintable)->width;
}

static int
reel_media_stream_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  return REEL_MEDIA_STREAM (paintable)->height;
}

static double
reel_media_stream_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  ReelMediaStream *self = REEL_MEDIA_STREAM (paintable);

  return self->height > 0 ? (double) self->width / self->height : 0;
}

static void
reel_media_stream_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = reel_media_stream_paintable_snapshot;
  iface->get_current_image = reel_media_stream_paintable_get_current_image;
  iface->get_intrinsic_width = reel_media_stream_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = reel_media_stream_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = reel_media_stream_paintable_get_intrinsic_aspect_ratio;
}

static void
frame_cb (ReelPlayer      *player,
          ReelMediaStream *self)
{
  g_autoptr(GBytes) bytes = NULL;
  int width, height;
  gsize stride;

  bytes = reel_player_get_frame (player, &width, &height, &stride);
  if (bytes == NULL)
    return;

  g_clear_object (&self->texture);
  self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);

  if (!gtk_media_stream_is_prepared (GTK_MEDIA_STREAM (self)))
    gtk_media_stream_stream_prepared (GTK_MEDIA_STREAM (self), TRUE, TRUE, TRUE,
                                      reel_player_get_duration (player) / 1000);
  gtk_media_stream_update (GTK_MEDIA_STREAM (self), reel_player_get_position (player) / 1000);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

static void
seeked_cb (ReelPlayer      *player,
           ReelMediaStream *self)
{
  if (gtk_media_stream_is_seeking (GTK_MEDIA_STREAM (self)))
    gtk_media_stream_seek_success (GTK_MEDIA_STREAM (self));
}

static void
ended_cb (ReelPlayer      *player,
          ReelMediaStream *self)
{
  gtk_media_stream_stream_ended (GTK_MEDIA_STREAM (self));
}

static void
error_cb (ReelPlayer      *player,
          GError          *error,
          ReelMediaStream *self)
{
  gtk_media_stream_gerror (GTK_MEDIA_STREAM (self), g_error_copy (error));
}

static gboolean
reel_media_stream_play (GtkMediaStream *stream)
{
  reel_player_play (REEL_MEDIA_STREAM (stream)->player);
  return TRUE;
}

static void
reel_media_stream_pause (GtkMediaStream *stream)
{
  reel_player_pause (REEL_MEDIA_STREAM (stream)->player);
}

static void
reel_media_stream_seek (GtkMediaStream *stream,
                        gint64          timestamp)
{
  /* GtkMediaControls seeks on every motion of the slider: that is a scrub. */
  reel_player_scrub (REEL_MEDIA_STREAM (stream)->player, timestamp * 1000);
}

static void
reel_media_stream_update_audio (GtkMediaStream *stream,
                                gboolean        muted,
                                double          volume)
{
  reel_player_set_volume (REEL_MEDIA_STREAM (stream)->player, muted ? 0 : volume);
}

static void
loop_changed_cb (ReelMediaStream *self)
{
  reel_player_set_loop (self->player, gtk_media_stream_get_loop (GTK_MEDIA_STREAM (self)));
}

static void
reel_media_stream_dispose (GObject *object)
{
  ReelMediaStream *self = REEL_MEDIA_STREAM (object);

  if (self->player != NULL)
    g_signal_handlers_disconnect_by_data (self->player, self);
  g_clear_object (&self->player);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (reel_media_stream_parent_class)->dispose (object);
}

static void
reel_media_stream_class_init (ReelMediaStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkMediaStreamClass *stream_class = GTK_MEDIA_STREAM_CLASS (klass);

  object_class->dispose = reel_media_stream_dispose;
  stream_class->play = reel_media_stream_play;
  stream_class->pause = reel_media_stream_pause;
  stream_class->seek = reel_media_stream_seek;
  stream_class->update_audio = reel_media_stream_update_audio;
}

static void
reel_media_stream_init (ReelMediaStream *self)
{
}

GtkMediaStream *
reel_media_stream_new (ReelPlayer *player)
{
  ReelMediaStream *self;
  ReelSequence *sequence;

  g_return_val_if_fail (REEL_IS_PLAYER (player), NULL);

  self = g_object_new (REEL_TYPE_MEDIA_STREAM, NULL);
  self->player = g_object_ref (player);
  sequence = reel_player_get_sequence (player);
  self->width = reel_sequence_get_width (sequence);
  self->height = reel_sequence_get_height (sequence);
  g_signal_connect (player, "frame", G_CALLBACK (frame_cb), self);
  g_signal_connect (player, "seeked", G_CALLBACK (seeked_cb), self);
  g_signal_connect (player, "ended", G_CALLBACK (ended_cb), self);
  g_signal_connect (player, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (self, "notify::loop", G_CALLBACK (loop_changed_cb), NULL);
  /* A frame may already be there (the player prerolls on creation). */
  frame_cb (player, self);
  return GTK_MEDIA_STREAM (self);
}

ReelPlayer *
reel_media_stream_get_player (ReelMediaStream *self)
{
  g_return_val_if_fail (REEL_IS_MEDIA_STREAM (self), NULL);
  return self->player;
}

#pragma once

#include <gst/gst.h>
#include <ges/ges.h>

#include "reel-overlay.h"
#include "reel-project.h"

G_BEGIN_DECLS

/* What is played or exported: a GES timeline cut from takes, with the table that maps a time
 * back to the shot it belongs to, and the overlay of the shots' text and captions.
 *
 * Built on the main thread (it reads the project and discovers the media files synchronously);
 * afterwards it is read-only and the pipeline's threads may use it. */

typedef struct _ReelSequence ReelSequence;

/* Output frame rate of the preview and of every export. */
#define REEL_SEQUENCE_FPS 24

/* Starts GStreamer and GES once; FALSE with a REEL_MEDIA_ERROR when they cannot start. */
gboolean      reel_media_init                 (GError      **error);

/* Each shot's selected take in shot order. A shot without a selected take (or whose take has
 * no video yet) is held as black for the shot's duration so that the cut keeps its timing and
 * its text cues still show. Each clip lasts the shot's duration, or less when the take's
 * video is shorter. The frame is @width wide (even, <= 1920) at the first shot's aspect.
 * Fails when the project has no shots. */
ReelSequence *reel_sequence_new_for_project   (ReelProject  *project,
                                               int           width,
                                               GError      **error);
/* One take of one shot (with the shot's text), at the shot's aspect. */
ReelSequence *reel_sequence_new_for_take      (ReelProject  *project,
                                               ReelShot     *shot,
                                               ReelTake     *take,
                                               int           width,
                                               GError      **error);
/* Two takes of a shot side by side, A on the left and B on the right, each letterboxed into its
 * half; the sound is A's. For comparing a remix with its parent. */
ReelSequence *reel_sequence_new_compare       (ReelProject  *project,
                                               ReelShot     *shot,
                                               ReelTake     *take_a,
                                               ReelTake     *take_b,
                                               int           width,
                                               GError      **error);
void          reel_sequence_free              (ReelSequence *sequence);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSequence, reel_sequence_free)

GESTimeline  *reel_sequence_get_timeline      (ReelSequence *sequence);
ReelOverlay  *reel_sequence_get_overlay       (ReelSequence *sequence);
gint64        reel_sequence_get_duration      (ReelSequence *sequence);
int           reel_sequence_get_width         (ReelSequence *sequence);
int           reel_sequence_get_height        (ReelSequence *sequence);

/* Spans of the cut, in order; each names the shot's position in the project. */
guint         reel_sequence_get_n_spans       (ReelSequence *sequence);
void          reel_sequence_get_span          (ReelSequence *sequence,
                                               guint         index,
                                               guint        *out_shot_position,
                                               gint64       *out_start,
                                               gint64       *out_duration);
/* The project position of the shot under @position (ns), or -1 past the end. */
int           reel_sequence_get_shot_at       (ReelSequence *sequence,
                                               gint64        position);

/* Puts the timeline into @pipeline and links its video through a chain that converts to
 * the sequence's size at REEL_SEQUENCE_FPS and draws the overlay, into @video_sink, and its
 * audio (converted, resampled) into @audio_sink: pads of elements already in @pipeline.
 * A sequence goes into one pipeline only. */
gboolean      reel_sequence_link              (ReelSequence *sequence,
                                               GstPipeline  *pipeline,
                                               GstPad       *video_sink,
                                               GstPad       *audio_sink,
                                               GError      **error);

/* Media width clamped to an even number in [16, 1920] and its height at @aspect (even). */
void          reel_media_frame_size           (ReelAspect    aspect,
                                               int           width,
                                               int          *out_width,
                                               int          *out_height);

G_END_DECLS

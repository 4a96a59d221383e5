#pragma once

#include <cairo.h>
#include <glib.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* What is drawn over the picture: text cues, burned-in captions and the moving watermark.
 *
 * A ReelOverlay is an immutable snapshot taken on the main thread from the project, with every
 * time already in the sequence's clock (nanoseconds from the start of the cut), so that the
 * streaming thread can draw from it without touching the model. */

typedef struct _ReelOverlay ReelOverlay;

/* Default on-screen time of a dialogue line. Lines have no word timings yet (the audio engine
 * will provide them), so a caption lasts REEL_CAPTION_BASE_SECONDS plus
 * REEL_CAPTION_SECONDS_PER_CHAR for each character, clamped to [MIN, MAX], and never runs into
 * the next line of the same shot or past the end of the shot. */
#define REEL_CAPTION_BASE_SECONDS     0.5
#define REEL_CAPTION_SECONDS_PER_CHAR 0.065
#define REEL_CAPTION_MIN_SECONDS      1.0
#define REEL_CAPTION_MAX_SECONDS      7.0

double       reel_caption_estimate_duration (const char *text);

ReelOverlay *reel_overlay_new               (void);
ReelOverlay *reel_overlay_ref               (ReelOverlay *overlay);
void         reel_overlay_unref             (ReelOverlay *overlay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelOverlay, reel_overlay_unref)

/* Adds @shot's text cues and dialogue lines, the shot starting at @shot_start and lasting
 * @shot_duration in the sequence (both nanoseconds). Cues are clipped to the shot. */
void         reel_overlay_add_shot          (ReelOverlay *overlay,
                                             ReelShot    *shot,
                                             gint64       shot_start,
                                             gint64       shot_duration);
/* NULL: no watermark (preview). Otherwise the text drawn is "AI-generated · @short_id". */
void         reel_overlay_set_watermark     (ReelOverlay *overlay,
                                             const char  *short_id);
void         reel_overlay_set_burn_captions (ReelOverlay *overlay,
                                             gboolean     burn);
void         reel_overlay_set_fps           (ReelOverlay *overlay,
                                             int          fps);

/* Draws everything visible at @timestamp (ns) onto a @width x @height frame. Thread-safe. */
void         reel_overlay_draw              (ReelOverlay *overlay,
                                             cairo_t     *cr,
                                             gint64       timestamp,
                                             int          width,
                                             int          height);

/* Captions as WebVTT and SRT documents (UTF-8, final newline). */
char        *reel_overlay_to_webvtt         (ReelOverlay *overlay);
char        *reel_overlay_to_srt            (ReelOverlay *overlay);
guint        reel_overlay_get_n_captions    (ReelOverlay *overlay);

/* The watermark: a box of reel_watermark_get_size() whose top-left corner at frame
 * @frame_index of a @fps clip is (*x, *y). The path is a Lissajous figure spanning the whole
 * frame (periods of 4 s across and 2.6 s down), so any crop that keeps less than the full frame
 * loses the mark only for part of the clip, never for all of it. Pure and deterministic. */
void         reel_watermark_get_size        (int          width,
                                             int          height,
                                             int         *out_width,
                                             int         *out_height);
void         reel_watermark_position        (gint64       frame_index,
                                             int          fps,
                                             int          width,
                                             int          height,
                                             int         *x,
                                             int         *y);

G_END_DECLS

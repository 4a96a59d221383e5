#pragma once

#include <gio/gio.h>

#include "reel-project.h"
#include "reel-sequence.h"

G_BEGIN_DECLS

/* Plays a sequence (the cut, one take, or two takes side by side) headless: frames arrive as
 * RGBA through the "frame" signal, sound goes to the audio device (or nowhere, for tests).
 *
 * Properties (read-only unless said):
 *   duration        gint64 ns
 *   position        gint64 ns, the time of the last delivered frame
 *   current-shot    int, the project position of the shot under the playhead, -1 before the
 *                   first frame
 *   playing         bool
 *   loop            bool, read-write: start again at the end instead of stopping
 *   volume          double 0..1, read-write
 * Signals (all on the main context the player was made on):
 *   frame           a new picture: reel_player_get_frame()
 *   seeked          a seek, scrub or step has landed (its frame was delivered before)
 *   ended           the end was reached without looping (playing turns FALSE)
 *   looped          the end was reached and playing goes on from the start
 *   error (GError*) the pipeline failed; playing turns FALSE */

#define REEL_TYPE_PLAYER (reel_player_get_type ())

G_DECLARE_FINAL_TYPE (ReelPlayer, reel_player, REEL, PLAYER, GObject)

typedef enum
{
  REEL_PLAYER_FLAGS_NONE   = 0,
  /* Discard the sound (still clocked): for tests and machines without audio. */
  REEL_PLAYER_FLAGS_SILENT = 1 << 0,
} ReelPlayerFlags;

/* Takes @sequence. The player prerolls at once: the first frame arrives without play(). */
ReelPlayer *reel_player_new              (ReelSequence     *sequence,
                                          ReelPlayerFlags   flags,
                                          GError          **error);

ReelSequence *reel_player_get_sequence   (ReelPlayer       *self);
gint64      reel_player_get_duration     (ReelPlayer       *self);
gint64      reel_player_get_position     (ReelPlayer       *self);
int         reel_player_get_current_shot (ReelPlayer       *self);
gboolean    reel_player_get_playing      (ReelPlayer       *self);
gboolean    reel_player_get_loop         (ReelPlayer       *self);
void        reel_player_set_loop         (ReelPlayer       *self,
                                          gboolean          loop);
double      reel_player_get_volume       (ReelPlayer       *self);
void        reel_player_set_volume       (ReelPlayer       *self,
                                          double            volume);

void        reel_player_play             (ReelPlayer       *self);
void        reel_player_pause            (ReelPlayer       *self);
/* Frame-accurate. */
void        reel_player_seek             (ReelPlayer       *self,
                                          gint64            position);
/* For dragging the playhead: while a seek is still landing, only the latest request is kept
 * and issued when it lands, so the picture follows the pointer without a queue of stale
 * seeks. */
void        reel_player_scrub            (ReelPlayer       *self,
                                          gint64            position);
/* Pauses and moves @frames frames forward (positive) or backward (negative). */
void        reel_player_step             (ReelPlayer       *self,
                                          int               frames);

/* The last frame: tightly packed-or-strided RGBA, NULL before the first. */
GBytes     *reel_player_get_frame        (ReelPlayer       *self,
                                          int              *width,
                                          int              *height,
                                          gsize            *stride);

G_END_DECLS

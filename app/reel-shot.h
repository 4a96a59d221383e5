#pragma once

#include <gio/gio.h>

#include "reel-enums.h"
#include "reel-enum-types.h"
#include "reel-dialogue-line.h"
#include "reel-sfx-cue.h"
#include "reel-text-cue.h"
#include "reel-take.h"
#include "reel-consent.h"

G_BEGIN_DECLS

/* One shot of the storyboard.
 *
 * Properties (all notify only when the value really changes):
 *   id               string, construct-only uuid
 *   title, prompt, style, music-mood
 *                    strings, never NULL (NULL is stored as "")
 *   duration         double seconds, clamped to [REEL_SHOT_DURATION_MIN, _MAX], default 4
 *   aspect           ReelAspect, default 16:9
 *   seed             gint64, clamped to [0, REEL_SEED_MAX]; reel_shot_new() draws a random one
 *   camera-move      ReelCameraMove, default static
 *   camera-speed     double, clamped to [REEL_CAMERA_SPEED_MIN, _MAX], default 1
 *   lens-mm          double, clamped to [REEL_LENS_MM_MIN, _MAX], default 35
 *   fps              int, clamped to [REEL_FPS_MIN, _MAX], default 24
 *   music-intensity  double, clamped to [0, 1], default 0.5
 *   start-image      string media name in the bundle's media/, or NULL
 *   selected-take    ReelTake (one of this shot's takes) or NULL
 *   consent          ReelConsent for the people in the start image, or NULL
 *
 * Lists are GListModels owned by the shot, stable for its lifetime, emitting items-changed.
 *
 * The UI edits a shot only through reel_project_edit_*() so that every change lands on the
 * project's undo stack and marks it dirty; the setters here bypass undo and exist for building
 * a model (loading, tests). */

#define REEL_TYPE_SHOT (reel_shot_get_type ())

G_DECLARE_FINAL_TYPE (ReelShot, reel_shot, REEL, SHOT, GObject)

/* A default shot with a fresh uuid and a random seed. */
ReelShot       *reel_shot_new                 (void);
/* For loading: a default shot with the given id and seed 0. */
ReelShot       *reel_shot_new_with_id         (const char     *id);

const char     *reel_shot_get_id              (ReelShot       *self);

const char     *reel_shot_get_title           (ReelShot       *self);
void            reel_shot_set_title           (ReelShot       *self,
                                               const char     *title);
double          reel_shot_get_duration        (ReelShot       *self);
void            reel_shot_set_duration        (ReelShot       *self,
                                               double          duration);
const char     *reel_shot_get_prompt          (ReelShot       *self);
void            reel_shot_set_prompt          (ReelShot       *self,
                                               const char     *prompt);
const char     *reel_shot_get_style           (ReelShot       *self);
void            reel_shot_set_style           (ReelShot       *self,
                                               const char     *style);
ReelAspect      reel_shot_get_aspect          (ReelShot       *self);
void            reel_shot_set_aspect          (ReelShot       *self,
                                               ReelAspect      aspect);
gint64          reel_shot_get_seed            (ReelShot       *self);
void            reel_shot_set_seed            (ReelShot       *self,
                                               gint64          seed);

ReelCameraMove  reel_shot_get_camera_move     (ReelShot       *self);
void            reel_shot_set_camera_move     (ReelShot       *self,
                                               ReelCameraMove  move);
double          reel_shot_get_camera_speed    (ReelShot       *self);
void            reel_shot_set_camera_speed    (ReelShot       *self,
                                               double          speed);
double          reel_shot_get_lens_mm         (ReelShot       *self);
void            reel_shot_set_lens_mm         (ReelShot       *self,
                                               double          lens_mm);
int             reel_shot_get_fps             (ReelShot       *self);
void            reel_shot_set_fps             (ReelShot       *self,
                                               int             fps);

const char     *reel_shot_get_music_mood      (ReelShot       *self);
void            reel_shot_set_music_mood      (ReelShot       *self,
                                               const char     *mood);
double          reel_shot_get_music_intensity (ReelShot       *self);
void            reel_shot_set_music_intensity (ReelShot       *self,
                                               double          intensity);

const char     *reel_shot_get_start_image     (ReelShot       *self);
void            reel_shot_set_start_image     (ReelShot       *self,
                                               const char     *media_name);
/* The likeness consent for the start image (reel-consent.h), or NULL. */
ReelConsent    *reel_shot_get_consent         (ReelShot       *self);
void            reel_shot_set_consent         (ReelShot       *self,
                                               ReelConsent    *consent);
ReelTake       *reel_shot_get_selected_take   (ReelShot       *self);
/* `take` must be NULL or one of the shot's takes. */
void            reel_shot_set_selected_take   (ReelShot       *self,
                                               ReelTake       *take);

/* GListModel of ReelDialogueLine / ReelSfxCue / ReelTextCue / ReelTake. */
GListModel     *reel_shot_get_dialogue        (ReelShot       *self);
GListModel     *reel_shot_get_sfx             (ReelShot       *self);
GListModel     *reel_shot_get_text_cues       (ReelShot       *self);
GListModel     *reel_shot_get_takes           (ReelShot       *self);

/* The take with this id, or NULL. */
ReelTake       *reel_shot_find_take           (ReelShot       *self,
                                               const char     *take_id);

/* A new shot with a fresh id and copies of every field and cue (and unknown JSON fields).
 * Takes are generation history and stay with the original, so the copy has none and no
 * selected take; the start image is shared (media are content-addressed and immutable), and
 * so is its consent record. */
ReelShot       *reel_shot_duplicate           (ReelShot       *self);

G_END_DECLS

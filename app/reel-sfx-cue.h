#pragma once

#include <glib-object.h>

#include "reel-enums.h"

G_BEGIN_DECLS

/* One sound effect of a shot ("rain on glass") and when it starts. `description` is never NULL;
 * `offset` is clamped to [0, REEL_CUE_TIME_MAX] seconds. Edit through reel_project_edit_set*(). */

#define REEL_TYPE_SFX_CUE (reel_sfx_cue_get_type ())

G_DECLARE_FINAL_TYPE (ReelSfxCue, reel_sfx_cue, REEL, SFX_CUE, GObject)

ReelSfxCue *reel_sfx_cue_new             (const char *description,
                                          double      offset);
ReelSfxCue *reel_sfx_cue_copy            (ReelSfxCue *self);

const char *reel_sfx_cue_get_description (ReelSfxCue *self);
void        reel_sfx_cue_set_description (ReelSfxCue *self,
                                          const char *description);
double      reel_sfx_cue_get_offset      (ReelSfxCue *self);
void        reel_sfx_cue_set_offset      (ReelSfxCue *self,
                                          double      offset);

G_END_DECLS

#pragma once

#include <glib-object.h>

#include "reel-enums.h"
#include "reel-enum-types.h"

G_BEGIN_DECLS

/* An on-screen title or caption shown from `start` to `end` seconds into the shot.
 *
 * Ranges: `start` and `end` are clamped to [0, REEL_CUE_TIME_MAX]. The cue keeps end >= start:
 * setting `start` past `end` moves `end` along (both notify); setting `end` before `start`
 * clamps `end` to `start`. `text` is never NULL. Edit through reel_project_edit_set*(): its undo
 * step restores both times. */

#define REEL_TYPE_TEXT_CUE (reel_text_cue_get_type ())

G_DECLARE_FINAL_TYPE (ReelTextCue, reel_text_cue, REEL, TEXT_CUE, GObject)

ReelTextCue      *reel_text_cue_new          (const char       *text,
                                              double            start,
                                              double            end);
ReelTextCue      *reel_text_cue_copy         (ReelTextCue      *self);

const char       *reel_text_cue_get_text     (ReelTextCue      *self);
void              reel_text_cue_set_text     (ReelTextCue      *self,
                                              const char       *text);
double            reel_text_cue_get_start    (ReelTextCue      *self);
void              reel_text_cue_set_start    (ReelTextCue      *self,
                                              double            start);
double            reel_text_cue_get_end      (ReelTextCue      *self);
void              reel_text_cue_set_end      (ReelTextCue      *self,
                                              double            end);
ReelTextPosition  reel_text_cue_get_position (ReelTextCue      *self);
void              reel_text_cue_set_position (ReelTextCue      *self,
                                              ReelTextPosition  position);
ReelTextStyle     reel_text_cue_get_style    (ReelTextCue      *self);
void              reel_text_cue_set_style    (ReelTextCue      *self,
                                              ReelTextStyle     style);

G_END_DECLS

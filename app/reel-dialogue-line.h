#pragma once

#include <glib-object.h>

#include "reel-enums.h"

G_BEGIN_DECLS

/* One spoken line of a shot: who says what, with which voice, how many seconds into the shot.
 * Strings are never NULL (NULL is stored as ""). `offset` is clamped to
 * [0, REEL_CUE_TIME_MAX] seconds. Edit it through reel_project_edit_set*() so it lands on the
 * project's undo stack; the setters below bypass undo and are for building a model. */

#define REEL_TYPE_DIALOGUE_LINE (reel_dialogue_line_get_type ())

G_DECLARE_FINAL_TYPE (ReelDialogueLine, reel_dialogue_line, REEL, DIALOGUE_LINE, GObject)

ReelDialogueLine *reel_dialogue_line_new         (const char       *speaker,
                                                  const char       *voice,
                                                  const char       *text,
                                                  double            offset);
/* A new line with the same fields (and the same unknown JSON fields). */
ReelDialogueLine *reel_dialogue_line_copy        (ReelDialogueLine *self);

const char       *reel_dialogue_line_get_speaker (ReelDialogueLine *self);
void              reel_dialogue_line_set_speaker (ReelDialogueLine *self,
                                                  const char       *speaker);
const char       *reel_dialogue_line_get_voice   (ReelDialogueLine *self);
void              reel_dialogue_line_set_voice   (ReelDialogueLine *self,
                                                  const char       *voice);
const char       *reel_dialogue_line_get_text    (ReelDialogueLine *self);
void              reel_dialogue_line_set_text    (ReelDialogueLine *self,
                                                  const char       *text);
double            reel_dialogue_line_get_offset  (ReelDialogueLine *self);
void              reel_dialogue_line_set_offset  (ReelDialogueLine *self,
                                                  double            offset);

G_END_DECLS

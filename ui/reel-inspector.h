#pragma once

#include <adwaita.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Edits every field of one shot (and the storyboard's title). Each change goes through
 * reel_project_edit_*(), so it is undoable; typing coalesces in the project and breaks at word
 * boundaries and when a field loses the focus, so a typed word or field is one undo step. */

#define REEL_TYPE_INSPECTOR (reel_inspector_get_type ())

G_DECLARE_FINAL_TYPE (ReelInspector, reel_inspector, REEL, INSPECTOR, GtkWidget)

void         reel_inspector_set_project  (ReelInspector *self,
                                          ReelProject   *project);
void         reel_inspector_set_shot     (ReelInspector *self,
                                          ReelShot      *shot);
ReelShot    *reel_inspector_get_shot     (ReelInspector *self);
/* Puts the cursor in the shot's title, e.g. right after adding a shot. */
void         reel_inspector_focus_title  (ReelInspector *self);
/* The prompt editor, for tests that type as a person would. */
GtkTextView *reel_inspector_get_prompt_view (ReelInspector *self);

G_END_DECLS

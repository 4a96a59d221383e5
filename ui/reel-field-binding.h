#pragma once

#include <adwaita.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Connects one editor widget to one property of a model object, both ways: the widget shows
 * the property (and follows undo, redo and other windows' edits), and what the person types
 * goes through reel_project_edit_*() so it lands on the undo stack. The binding belongs to the
 * widget and dies with it; retarget it when the inspector shows another object.
 *
 * Undo granularity: the project coalesces consecutive sets of one property; the binding ends
 * the step when the widget loses the focus, after a typed word (text ending in white space) and
 * after each choice in a drop-down. */

typedef struct _ReelFieldBinding ReelFieldBinding;

/* String property <-> a GtkEditable (GtkEntry, AdwEntryRow). */
ReelFieldBinding *reel_field_bind_editable    (GtkEditable   *editable,
                                               const char    *property);
/* String property <-> the buffer of a GtkTextView. */
ReelFieldBinding *reel_field_bind_text_view   (GtkTextView   *view,
                                               const char    *property);
/* Double or integer property <-> an adjustment shown by @widget (spin button, scale). */
ReelFieldBinding *reel_field_bind_adjustment  (GtkWidget     *widget,
                                               GtkAdjustment *adjustment,
                                               const char    *property);
/* Enum property <-> an AdwComboRow whose item i is enum value i. */
ReelFieldBinding *reel_field_bind_combo_row   (AdwComboRow   *row,
                                               const char    *property);

/* @target NULL shows an empty editor that edits nothing. */
void              reel_field_binding_set_target (ReelFieldBinding *self,
                                                 ReelProject      *project,
                                                 gpointer          target);

G_END_DECLS

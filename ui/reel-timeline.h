#pragma once

#include <adwaita.h>

#include "reel-project.h"
#include "reel-shot-card.h"

G_BEGIN_DECLS

/* The filmstrip of shot cards with the shot actions (timeline.add-shot, .duplicate-shot,
 * .delete-shot, .move-left, .move-right and .move-shot "(uu)" from -> to). Drag and drop and
 * the keyboard both end in those actions. */

#define REEL_TYPE_TIMELINE (reel_timeline_get_type ())

G_DECLARE_FINAL_TYPE (ReelTimeline, reel_timeline, REEL, TIMELINE, GtkWidget)

void          reel_timeline_set_project            (ReelTimeline *self,
                                                    ReelProject  *project);
ReelShot     *reel_timeline_get_selected_shot      (ReelTimeline *self);
/* GTK_INVALID_LIST_POSITION when there are no shots. */
guint         reel_timeline_get_selected_position  (ReelTimeline *self);
void          reel_timeline_select                 (ReelTimeline *self,
                                                    guint         position);
/* Image files dropped at @position: with @onto_shot the first one becomes the start image of
 * the shot there and the rest become new shots after it; otherwise each becomes a new shot
 * inserted at @position (G_MAXUINT: at the end). The files are copied into the project on a
 * worker thread (the `importing` property is TRUE meanwhile) and the edits land when each
 * copy is done; files that are not readable images are named in a toast. Returns TRUE when
 * the drop was taken. */
gboolean      reel_timeline_import_files           (ReelTimeline *self,
                                                    GSList       *files,
                                                    guint         position,
                                                    gboolean      onto_shot);
gboolean      reel_timeline_get_importing          (ReelTimeline *self);
/* The card showing @position, if it is on screen (for tests). */
ReelShotCard *reel_timeline_get_card               (ReelTimeline *self,
                                                    guint         position);

G_END_DECLS

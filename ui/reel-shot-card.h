#pragma once

#include <adwaita.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* One shot in the timeline: its number, title, duration and picture (the selected take's
 * thumbnail, or else the start image). It is a drag source for reordering and a drop target
 * for image files and for other cards; it reports drops through its signals and leaves the
 * editing to the timeline:
 *   files-dropped (GSList *files)   image files from the file manager
 *   shot-dropped (ReelShot *shot)   another card was dropped here */

#define REEL_TYPE_SHOT_CARD (reel_shot_card_get_type ())

G_DECLARE_FINAL_TYPE (ReelShotCard, reel_shot_card, REEL, SHOT_CARD, GtkWidget)

GtkWidget     *reel_shot_card_new             (void);
void           reel_shot_card_bind            (ReelShotCard *self,
                                               ReelProject  *project,
                                               ReelShot     *shot);
void           reel_shot_card_unbind          (ReelShotCard *self);
ReelShot      *reel_shot_card_get_shot        (ReelShotCard *self);
void           reel_shot_card_set_position    (ReelShotCard *self,
                                               guint         position);
guint          reel_shot_card_get_position    (ReelShotCard *self);
/* The controller that receives drops, for tests that play the part of the file manager. */
GtkDropTarget *reel_shot_card_get_drop_target (ReelShotCard *self);

G_END_DECLS

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One generation of a shot: the exact request it was made from, the media it produced, the take
 * it was remixed from (`parent-id`, NULL for a take made from the shot alone) and when it was
 * made. `id`, `parent-id`, `created` and `request` are construct-only; the media names
 * (`video`, `audio`, `thumbnail`: content-addressed names inside the bundle's media/, or NULL)
 * are set as a generation job produces them. */

#define REEL_TYPE_TAKE (reel_take_get_type ())

G_DECLARE_FINAL_TYPE (ReelTake, reel_take, REEL, TAKE, GObject)

/* A new take with a fresh uuid, created now. `request` is deep-copied (NULL: empty object). */
ReelTake   *reel_take_new           (const char *parent_id,
                                     JsonObject *request);
/* For loading: every field given. `created` NULL means now. */
ReelTake   *reel_take_new_full      (const char *id,
                                     const char *parent_id,
                                     GDateTime  *created,
                                     JsonObject *request);

const char *reel_take_get_id        (ReelTake   *self);
const char *reel_take_get_parent_id (ReelTake   *self);
GDateTime  *reel_take_get_created   (ReelTake   *self);
/* The take's own copy; treat it as read-only. */
JsonObject *reel_take_get_request   (ReelTake   *self);

const char *reel_take_get_video     (ReelTake   *self);
void        reel_take_set_video     (ReelTake   *self,
                                     const char *media_name);
const char *reel_take_get_audio     (ReelTake   *self);
void        reel_take_set_audio     (ReelTake   *self,
                                     const char *media_name);
const char *reel_take_get_thumbnail (ReelTake   *self);
void        reel_take_set_thumbnail (ReelTake   *self,
                                     const char *media_name);

G_END_DECLS

#pragma once

#include <gio/gio.h>

#include "reel-enums.h"
#include "reel-enum-types.h"
#include "reel-project-error.h"
#include "reel-shot.h"

G_BEGIN_DECLS

/* A storyboard: an ordered list of shots, the speaker -> voice map, and the single undo/redo
 * stack through which every user edit goes.
 *
 * Properties:
 *   title        string, never NULL; editable with reel_project_edit_set_string()
 *   path         string, read-only: the NAME.reel bundle directory, NULL until first saved
 *   dirty        bool, read-only: the document differs from the last save point. Undoing or
 *                redoing back to the save point makes it clean again.
 *   can-undo, can-redo
 *                bool, read-only
 *   undo-label, redo-label
 *                string or NULL, read-only: what undo/redo would do, translated and in sentence
 *                case ("Edit prompt"), for "Undo Edit prompt"-style menu items and tooltips
 *
 * Signals:
 *   changed      after every edit, undo and redo (not after loading or saving): the autosave
 *                timer listens to it.
 *   speakers-changed
 *                the speaker -> voice map changed.
 *
 * Undo model. Each reel_project_edit_*() call is one undo step, except:
 *  - between reel_project_begin_group() and reel_project_end_group() (which nest; the
 *    outermost label wins) every edit joins one step;
 *  - consecutive sets of the same property of the same object coalesce into one step, so typing
 *    a prompt letter by letter, or dragging a slider, undoes in one go. Coalescing stops at any
 *    other edit, at undo/redo, at a save point and at reel_project_break_coalescing(), which
 *    the UI calls when an editor loses focus. If a coalesced step ends where it started (typed
 *    then deleted), it disappears. Discrete actions (setting the start image, selecting a take)
 *    never coalesce;
 *  - a set that changes nothing records nothing (so a widget echoing a value back during undo
 *    is harmless). Edits that arrive while an undo or redo is being applied are ignored.
 * The stack keeps the last REEL_PROJECT_UNDO_LIMIT steps; a new edit clears the redo steps.
 *
 * Media: the project stores media names only; reel_project_edit_set_start_image() copies the
 * image into the bundle's media/ through the media store (reel-media-store.c). */

#define REEL_PROJECT_UNDO_LIMIT 1000

#define REEL_TYPE_PROJECT (reel_project_get_type ())

G_DECLARE_FINAL_TYPE (ReelProject, reel_project, REEL, PROJECT, GObject)

/* An empty, never-saved, clean project titled "Untitled storyboard". */
ReelProject *reel_project_new                  (void);

const char  *reel_project_get_title            (ReelProject  *self);
const char  *reel_project_get_path             (ReelProject  *self);
gboolean     reel_project_get_dirty            (ReelProject  *self);
gboolean     reel_project_get_can_undo         (ReelProject  *self);
gboolean     reel_project_get_can_redo         (ReelProject  *self);
const char  *reel_project_get_undo_label       (ReelProject  *self);
const char  *reel_project_get_redo_label       (ReelProject  *self);

/* GListModel of ReelShot, owned by the project. */
GListModel  *reel_project_get_shots            (ReelProject  *self);
guint        reel_project_get_n_shots          (ReelProject  *self);
/* Borrowed; NULL when out of range / not found. */
ReelShot    *reel_project_get_shot             (ReelProject  *self,
                                                guint         position);
ReelShot    *reel_project_find_shot            (ReelProject  *self,
                                                const char   *shot_id);
/* Position of `shot` in the project, or -1. */
int          reel_project_get_shot_position    (ReelProject  *self,
                                                ReelShot     *shot);
/* Sum of the shots' durations in seconds. */
double       reel_project_get_total_duration   (ReelProject  *self);

/* Speaker -> voice map, in insertion order (the order project.json lists them). */
guint        reel_project_get_n_speakers       (ReelProject  *self);
const char  *reel_project_get_speaker_name     (ReelProject  *self,
                                                guint         index);
const char  *reel_project_get_speaker_voice    (ReelProject  *self,
                                                guint         index);
/* The voice of `speaker`, or NULL when the speaker has none. */
const char  *reel_project_lookup_voice         (ReelProject  *self,
                                                const char   *speaker);

/* ---- Edits (each one undoable) ---- */

/* Set a writable property of the project, or of a shot, cue or take that belongs to it. The
 * value is converted and clamped like the setter would (see the object's header). */
void         reel_project_edit_set             (ReelProject  *self,
                                                gpointer      target,
                                                const char   *property,
                                                const GValue *value);
void         reel_project_edit_set_string      (ReelProject  *self,
                                                gpointer      target,
                                                const char   *property,
                                                const char   *value);
void         reel_project_edit_set_double      (ReelProject  *self,
                                                gpointer      target,
                                                const char   *property,
                                                double        value);
/* For int, uint, int64 and uint64 properties (clamped to the property's range). */
void         reel_project_edit_set_int         (ReelProject  *self,
                                                gpointer      target,
                                                const char   *property,
                                                gint64        value);
void         reel_project_edit_set_enum        (ReelProject  *self,
                                                gpointer      target,
                                                const char   *property,
                                                int           value);
void         reel_project_edit_set_boolean     (ReelProject  *self,
                                                gpointer      target,
                                                const char   *property,
                                                gboolean      value);

/* Insert `shot` (NULL: a new default shot) at `position` (clamped to the end). Returns the
 * inserted shot (borrowed). The shot must not belong to a project yet. */
ReelShot    *reel_project_edit_add_shot        (ReelProject  *self,
                                                guint         position,
                                                ReelShot     *shot);
/* Insert reel_shot_duplicate() of the shot at `position` right after it; returns the copy
 * (borrowed). */
ReelShot    *reel_project_edit_duplicate_shot  (ReelProject  *self,
                                                guint         position);
/* Undo puts the very same ReelShot object back at the same position, takes and all. */
void         reel_project_edit_remove_shot     (ReelProject  *self,
                                                guint         position);
/* Afterwards the shot that was at `from` is at `to` (both < n_shots). */
void         reel_project_edit_move_shot       (ReelProject  *self,
                                                guint         from,
                                                guint         to);

/* `cue` is a ReelDialogueLine, ReelSfxCue or ReelTextCue and goes to the end of the matching
 * list of `shot`. */
void         reel_project_edit_add_cue         (ReelProject  *self,
                                                ReelShot     *shot,
                                                GObject      *cue);
void         reel_project_edit_remove_cue      (ReelProject  *self,
                                                ReelShot     *shot,
                                                GObject      *cue);

/* Copy `image` into the bundle's media/ (content-addressed; it must be an image gdk-pixbuf can
 * read) and make it the shot's start image, as one undo step. `image` NULL clears the start
 * image. On failure nothing changes and `error` says which file could not be used and why. */
gboolean     reel_project_edit_set_start_image (ReelProject  *self,
                                                ReelShot     *shot,
                                                GFile        *image,
                                                GError      **error);
/* Import `image` first and, only if that worked, insert a new shot at `position` (clamped to
 * the end) that starts from it, titled `title` (NULL: untitled), as one undo step "Add shot
 * from image". Returns the shot (borrowed), or NULL with `error` set and nothing changed. */
ReelShot    *reel_project_edit_add_shot_from_image (ReelProject  *self,
                                                    guint         position,
                                                    GFile        *image,
                                                    const char   *title,
                                                    GError      **error);
/* The same with a media name already in the bundle (or NULL to clear). */
void         reel_project_edit_set_start_image_name (ReelProject *self,
                                                     ReelShot    *shot,
                                                     const char  *media_name);

/* Append a take (e.g. a finished generation or remix) to the shot's takes. It does not select
 * it; wrap both in a group to add and select in one step. */
void         reel_project_edit_add_take        (ReelProject  *self,
                                                ReelShot     *shot,
                                                ReelTake     *take);
/* `take` NULL or one of the shot's takes. */
void         reel_project_edit_select_take     (ReelProject  *self,
                                                ReelShot     *shot,
                                                ReelTake     *take);

/* Give `speaker` a voice (adding the speaker if new); `voice` NULL removes the speaker. */
void         reel_project_edit_set_speaker_voice (ReelProject *self,
                                                  const char  *speaker,
                                                  const char  *voice);

void         reel_project_begin_group          (ReelProject  *self,
                                                const char   *label);
void         reel_project_end_group            (ReelProject  *self);
void         reel_project_break_coalescing     (ReelProject  *self);

/* FALSE when there was nothing to undo/redo. Not allowed inside a group. */
gboolean     reel_project_undo                 (ReelProject  *self);
gboolean     reel_project_redo                 (ReelProject  *self);

G_END_DECLS

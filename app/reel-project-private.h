#pragma once

/* App-internal API of the document model, for the code that builds a model from project.json,
 * writes it back, and manages media (reel-project-io.c, reel-media-store.c, ...). The UI must
 * not include this: everything here bypasses the undo stack.
 *
 * Nothing here records undo steps, emits ReelProject::changed or touches `dirty`. */

#include <json-glib/json-glib.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* ---- Project ---- */

void         reel_project_set_title_internal (ReelProject *self,
                                              const char  *title);
/* Bundle directory (NAME.reel), or NULL; notifies `path`. */
void         reel_project_set_path_internal  (ReelProject *self,
                                              const char  *path);
void         reel_project_append_shot_internal (ReelProject *self,
                                                ReelShot    *shot);
/* Replace the speaker map. `speakers` and `voices` are parallel NULL-terminated arrays (the
 * same length); a repeated speaker keeps its last voice. Emits speakers-changed. */
void         reel_project_set_speakers       (ReelProject        *self,
                                              const char * const *speakers,
                                              const char * const *voices);
/* Add or replace one speaker; `voice` NULL removes it. Emits speakers-changed. */
void         reel_project_set_speaker_internal (ReelProject *self,
                                                const char  *speaker,
                                                const char  *voice);
/* The current document state becomes the save point: `dirty` turns FALSE (and turns TRUE again
 * on any undo or edit away from it). Call after a successful save or load. */
void         reel_project_mark_saved         (ReelProject *self);
/* No state is the saved one: `dirty` stays TRUE until the next mark_saved(). For work that
 * exists only outside the project file, such as a restored autosave. */
void         reel_project_mark_unsaved       (ReelProject *self);
/* How many steps undo could take back (for tests and diagnostics). */
guint        reel_project_get_n_undo_steps   (ReelProject *self);
/* Forget every undo and redo step (after loading into an existing project). */
void         reel_project_clear_history      (ReelProject *self);

/* A directory the media store may use for a project that has no `path` yet (imported media live
 * there until the first save moves them into the bundle). Owned by the media store: the project
 * only keeps the string. NULL until set. */
const char  *reel_project_get_scratch_dir    (ReelProject *self);
void         reel_project_set_scratch_dir    (ReelProject *self,
                                              const char  *dir);

/* Implemented by the media store (reel-media-store.c): copy `source` into the bundle's media/
 * (or the scratch directory of a never-saved project) under its content-addressed name
 * `<sha256 hex>.<ext>`, after checking it is an image gdk-pixbuf can read. On success
 * *out_media_name is the new name (free it). On failure returns FALSE with an error that names
 * the file. */
gboolean     reel_project_import_media       (ReelProject *self,
                                              GFile       *source,
                                              char       **out_media_name,
                                              GError     **error);

/* ---- Shot ---- */

void         reel_shot_append_take_internal  (ReelShot    *self,
                                              ReelTake    *take);
/* `cue`: ReelDialogueLine, ReelSfxCue or ReelTextCue; appended to the matching list. */
void         reel_shot_append_cue_internal   (ReelShot    *self,
                                              GObject     *cue);
/* The shot's GListStore that holds items like `item` (a cue or a ReelTake). */
GListStore  *reel_shot_get_store_for_item    (ReelShot    *self,
                                              gpointer     item);

/* ---- Unknown JSON fields ----
 *
 * Every model object keeps the members of its JSON object that this version of Reel does not
 * understand, so that a load/save round trip preserves them. The getters return the stored
 * object (borrowed, NULL when there is none); the setters take a reference (NULL clears).
 * For a shot's nested objects ("camera", "sound", "sound.music") and a take's "media", the io
 * code is free to keep their unknown members inside the shot's / take's extra under a key of
 * its choosing. reel_shot_duplicate() and the cue copies deep-copy the extra object. */
JsonObject  *reel_project_get_extra          (ReelProject      *self);
void         reel_project_set_extra          (ReelProject      *self,
                                              JsonObject       *extra);
JsonObject  *reel_shot_get_extra             (ReelShot         *self);
void         reel_shot_set_extra             (ReelShot         *self,
                                              JsonObject       *extra);
JsonObject  *reel_take_get_extra             (ReelTake         *self);
void         reel_take_set_extra             (ReelTake         *self,
                                              JsonObject       *extra);
JsonObject  *reel_dialogue_line_get_extra    (ReelDialogueLine *self);
void         reel_dialogue_line_set_extra    (ReelDialogueLine *self,
                                              JsonObject       *extra);
JsonObject  *reel_sfx_cue_get_extra          (ReelSfxCue       *self);
void         reel_sfx_cue_set_extra          (ReelSfxCue       *self,
                                              JsonObject       *extra);
JsonObject  *reel_text_cue_get_extra         (ReelTextCue      *self);
void         reel_text_cue_set_extra         (ReelTextCue      *self,
                                              JsonObject       *extra);

/* ---- Helpers shared by the model's files ---- */

/* Clamp for setters: NaN (e.g. from a parsed "nan") becomes the minimum rather than leaking. */
static inline double
reel_clamp_double (double value,
                   double min,
                   double max)
{
  if (!(value >= min))
    return min;
  return value > max ? max : value;
}

/* Store a string property that is never NULL; returns FALSE when nothing changed. */
static inline gboolean
reel_set_string_nonnull (char       **field,
                         const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* A deep copy (json-glib 1.6 only copies containers by reference). NULL gives NULL. */
JsonObject  *reel_json_object_copy           (JsonObject       *object);
JsonNode    *reel_json_node_copy             (JsonNode         *node);

G_END_DECLS

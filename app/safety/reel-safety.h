#pragma once

/* Prompt safety: a readable policy file (data/policies/README.md describes the format) decides
 * which requests Reel refuses to generate. A check reads a shot's prompt, dialogue, sound
 * effects and music text, normalises it against spelling tricks, applies the policy's rules
 * with negation and context, adds the verdict of a small text classifier that runs on the
 * engine, and names the category and the words that decided, so the user can rephrase.
 *
 * A check never modifies the shot or the project: a blocked shot is simply not generated.
 * A policy runs its classifier on its own CPU backend, which serves one thread at a time:
 * check with one policy from one thread at a time (the generation worker), or load one per
 * thread. */

#include <gio/gio.h>

#include "reel-shot.h"

G_BEGIN_DECLS

#define REEL_SAFETY_ERROR (reel_safety_error_quark ())

typedef enum
{
  REEL_SAFETY_ERROR_FAILED,
  REEL_SAFETY_ERROR_MALFORMED_POLICY,     /* a policy file that does not follow the format */
  REEL_SAFETY_ERROR_NOT_FOUND,            /* a preset or file that is not installed */
  REEL_SAFETY_ERROR_BLOCKED,              /* the request falls under a blocked category */
  REEL_SAFETY_ERROR_CONSENT_REQUIRED,     /* a start image needs a likeness consent record */
} ReelSafetyError;

GQuark reel_safety_error_quark (void);

typedef struct _ReelSafetyPolicy ReelSafetyPolicy;

/* Reads a policy file, and the classifier it names next to it. Errors name the file, the line
 * and what is wrong (REEL_SAFETY_ERROR_MALFORMED_POLICY), or pass on the classifier's
 * weights error. */
ReelSafetyPolicy *reel_safety_policy_load         (GFile             *file,
                                                   GError           **error);
/* "default" or "classroom": data/policies/PRESET.policy from the data folder
 * (reel_safety_get_data_dir()). */
ReelSafetyPolicy *reel_safety_policy_load_preset  (const char        *preset,
                                                   GError           **error);
ReelSafetyPolicy *reel_safety_policy_ref          (ReelSafetyPolicy  *self);
void              reel_safety_policy_unref        (ReelSafetyPolicy  *self);

const char       *reel_safety_policy_get_name     (ReelSafetyPolicy  *self);
guint             reel_safety_policy_get_n_categories (ReelSafetyPolicy *self);
/* The category's id as in prompt sets ("violence_gore") and its label ("graphic violence"). */
const char       *reel_safety_policy_get_category_id    (ReelSafetyPolicy *self,
                                                         guint             index);
const char       *reel_safety_policy_get_category_label (ReelSafetyPolicy *self,
                                                         guint             index);

/* Where Reel's data lives: $REEL_DATADIR when set (the build tree), else the installed
 * package data folder, else the source tree's data/ (an uninstalled binary run by hand). */
const char       *reel_safety_get_data_dir        (void);

typedef struct
{
  gboolean  blocked;
  char     *category;           /* id of the deciding category; NULL when allowed */
  char     *label;              /* its label ("graphic violence"); NULL when allowed */
  char     *advice;             /* the policy's hint on rephrasing; NULL when allowed */
  char     *field;              /* "prompt", "dialogue line 2", "sound effect 1", "music" */
  GStrv     words;              /* the triggering words as the user wrote them (maybe empty) */
  double    score;              /* the category's score; blocked when ≥ its threshold */
  double    classifier;         /* the classifier's probability for that category */
} ReelSafetyVerdict;

void reel_safety_verdict_free (ReelSafetyVerdict *verdict);

/* Checks one text (field names it in the verdict, e.g. "prompt"). Fails only when the
 * classifier cannot run on the engine. */
ReelSafetyVerdict *reel_safety_check_text  (ReelSafetyPolicy  *policy,
                                            const char        *text,
                                            const char        *field,
                                            GError           **error);
/* Checks the prompt, every dialogue line, every sound effect and the music mood of a shot and
 * returns the first blocked field's verdict, or an allowed verdict. */
ReelSafetyVerdict *reel_safety_check_shot  (ReelSafetyPolicy  *policy,
                                            ReelShot          *shot,
                                            GError           **error);

/* Sets a REEL_SAFETY_ERROR_BLOCKED error for a blocked verdict, of the form
 * "Shot 3 “Alley”: blocked — graphic violence in the prompt (words: “gore”). Rephrase the
 * prompt. ADVICE".
 * shot_number counts from 1; title may be empty. Returns FALSE (for chaining) when it set the
 * error, TRUE when the verdict allows. */
gboolean reel_safety_verdict_to_error (const ReelSafetyVerdict *verdict,
                                       guint                    shot_number,
                                       const char              *title,
                                       GError                 **error);

/* The gate before any generation: TRUE when the shot may be generated, otherwise FALSE with
 * a REEL_SAFETY_ERROR_BLOCKED message naming the shot, the category and the words. */
gboolean reel_safety_check_shot_allowed (ReelSafetyPolicy  *policy,
                                         ReelShot          *shot,
                                         guint              shot_number,
                                         GError           **error);

/* The likeness gate for a shot's start image. `shows_face` says whether the image shows a
 * human face. That is the answer of a face detector, which Reel does not have yet, so the
 * caller must supply it; nothing here guesses. With no start image or no face the shot may
 * render. With a face it needs a consent record (reel_shot_get_consent()) for exactly this
 * start image; otherwise this fails with REEL_SAFETY_ERROR_CONSENT_REQUIRED, naming the shot
 * and what to record. shot_number counts from 1. */
gboolean reel_safety_check_start_image (ReelShot  *shot,
                                        guint      shot_number,
                                        gboolean   shows_face,
                                        GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSafetyPolicy, reel_safety_policy_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSafetyVerdict, reel_safety_verdict_free)

G_END_DECLS

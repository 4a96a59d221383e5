#pragma once

/* Internals shared by the safety files: the text normaliser, the rule matcher and the
 * classifier. Not for use outside app/safety/ and its tests. */

#include "reel-safety.h"
#include "reel-backend.h"

G_BEGIN_DECLS

/* One word of a checked text after normalisation: lower-case ASCII, accents removed,
 * leetspeak mapped back to letters, punctuation inside the word dropped, letters spaced out
 * one by one joined, and runs of a repeated letter squeezed to one ("kiiilll" → "kil"). */
typedef struct
{
  char  *norm;
  gsize  start, end;            /* byte range of the word in the original text */
  guint  clause;                /* index of the clause (split at , ; : . ! ? and newlines) */
} ReelSafetyToken;

/* A GArray of ReelSafetyToken (cleared with their norm strings). */
GArray *reel_safety_tokenize        (const char *text);
/* Normalises one pattern word the same way (keeping a trailing '*'). */
char   *reel_safety_normalize_word  (const char *word);

/* The classifier: hashed words, word pairs and character 3- and 4-grams → one linear layer →
 * softmax, with the
 * weights from a safetensors file, run on a ReelBackend (the CPU backend). */
typedef struct _ReelSafetyClassifier ReelSafetyClassifier;

#define REEL_SAFETY_HASH_SCHEME "fnv1a32-uni-bi-c34-v2"

ReelSafetyClassifier *reel_safety_classifier_load     (const char            *path,
                                                       GError               **error);
void                  reel_safety_classifier_free     (ReelSafetyClassifier  *self);
guint                 reel_safety_classifier_get_n_classes (ReelSafetyClassifier *self);
const char           *reel_safety_classifier_get_class     (ReelSafetyClassifier *self,
                                                            guint                 index);
/* Probabilities of every class for the tokens, in class order, into probs. */
gboolean              reel_safety_classifier_run      (ReelSafetyClassifier  *self,
                                                       GArray                *tokens,
                                                       float                 *probs,
                                                       GError               **error);
/* The indices into tokens of the words that push the text most towards class, best first,
 * at most max (those with a positive contribution only). */
GArray               *reel_safety_classifier_explain  (ReelSafetyClassifier  *self,
                                                       GArray                *tokens,
                                                       guint                  class_index,
                                                       guint                  max);
/* FNV-1a over a string: the feature hash shared with render/train/safety/train.py. */
guint32               reel_safety_fnv1a               (const char            *s);

/* For measuring what each half contributes (`reel bench safety --only`): the rules alone
 * (block and flag patterns, negation, context; no classifier), or the classifier alone
 * (blocked when its most likely class is a category, with probability ≥ ½). */
typedef enum
{
  REEL_SAFETY_ABLATION_NONE,
  REEL_SAFETY_ABLATION_RULES_ONLY,
  REEL_SAFETY_ABLATION_CLASSIFIER_ONLY,
} ReelSafetyAblation;

void reel_safety_policy_set_ablation (ReelSafetyPolicy   *self,
                                      ReelSafetyAblation  ablation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSafetyClassifier, reel_safety_classifier_free)

G_END_DECLS

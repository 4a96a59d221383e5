#pragma once

/* The parsed policy, shared by the loader (reel-safety-policy.c) and the checks
 * (reel-safety.c). */

#include "reel-safety-private.h"

G_BEGIN_DECLS

typedef enum
{
  PATTERN_WORD,                 /* the word exactly */
  PATTERN_PREFIX,               /* "abc*": any word starting with abc */
  PATTERN_ANY,                  /* "*": any one word */
  PATTERN_RANGE,                /* "{1-17}": a number in the range */
} PatternKind;

typedef struct
{
  PatternKind kind;
  char       *text;
  gint64      lo, hi;
} PatternWord;

typedef struct
{
  char   *source;               /* as written in the file, for messages */
  GArray *words;                /* PatternWord */
} Pattern;

typedef struct
{
  char      *id;
  char      *label;
  char      *advice;
  double     threshold;
  double     flag_weight;
  double     classifier_weight;
  GPtrArray *block;             /* Pattern */
  GPtrArray *flag;
  GPtrArray *context;
  GPtrArray *with;
  int        class_index;       /* in the classifier; -1 when it has no such class */
} Category;

struct _ReelSafetyPolicy
{
  gatomicrefcount       ref_count;
  char                 *path;
  char                 *name;
  GPtrArray            *categories;       /* Category */
  GPtrArray            *negations;        /* Pattern: negate what follows */
  GPtrArray            *negations_after;  /* Pattern: negate what precedes ("gore-free") */
  guint                 negation_window;
  ReelSafetyClassifier *classifier;       /* NULL: rules only */
  ReelSafetyAblation    ablation;
};

G_END_DECLS

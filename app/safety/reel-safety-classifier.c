#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-safety-private.h"
#include "reel-render-error.h"
#include "reel-safetensors.h"
#include "cpu/reel-cpu-backend.h"

/* A linear text classifier small enough to read: each word, each pair of neighbouring words
 * and each word's character 3- and 4-grams (so that "decapitated" shares features with
 * "decapitation") are hashed into one of `buckets` features (present or not), one linear layer maps the
 * features to a score per class, and softmax turns the scores into probabilities. The
 * linear layer and the softmax run on the engine's CPU backend (prompts are checked one at a
 * time, and a 9 × 4096 product is too small to be worth a trip to the GPU). The weights come
 * from render/train/safety/train.py, which documents the training data. */

struct _ReelSafetyClassifier
{
  ReelBackend *backend;
  ReelTensor  *weight;          /* [classes, buckets] */
  ReelTensor  *bias;            /* [classes] */
  float       *host_weight;     /* the same weights, to explain a decision word by word */
  GStrv        classes;
  int64_t      n_classes, buckets;
};

guint32
reel_safety_fnv1a (const char *s)
{
  guint32 h = 2166136261u;

  for (; *s != '\0'; s++)
    {
      h ^= (guchar) *s;
      h *= 16777619u;
    }
  return h;
}

void
reel_safety_classifier_free (ReelSafetyClassifier *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->weight, reel_tensor_unref);
  g_clear_pointer (&self->bias, reel_tensor_unref);
  g_clear_pointer (&self->backend, reel_backend_unref);
  g_free (self->host_weight);
  g_strfreev (self->classes);
  g_free (self);
}

ReelSafetyClassifier *
reel_safety_classifier_load (const char  *path,
                             GError     **error)
{
  g_autoptr(ReelSafetyClassifier) self = g_new0 (ReelSafetyClassifier, 1);
  g_autoptr(ReelSafetensors) st = NULL;
  const ReelSafetensorsTensor *w, *b;
  const char *scheme, *classes;

  st = reel_safetensors_open (path, error);
  if (st == NULL)
    return NULL;

  scheme = reel_safetensors_get_metadata (st, "hash_scheme");
  classes = reel_safetensors_get_metadata (st, "classes");
  w = reel_safetensors_lookup (st, "linear.weight");
  b = reel_safetensors_lookup (st, "linear.bias");
  if (g_strcmp0 (scheme, REEL_SAFETY_HASH_SCHEME) != 0 || classes == NULL || w == NULL
      || b == NULL || w->ndim != 2 || b->ndim != 1 || b->shape[0] != w->shape[0])
    {
      g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_FAILED,
                   "%s: not a safety classifier of this Reel (it needs the metadata "
                   "hash_scheme “%s” and classes, and tensors linear.weight [classes, buckets] "
                   "and linear.bias [classes]). Retrain it with render/train/safety/train.py.",
                   path, REEL_SAFETY_HASH_SCHEME);
      return NULL;
    }

  self->classes = g_strsplit (classes, ",", -1);
  self->n_classes = w->shape[0];
  self->buckets = w->shape[1];
  if ((int64_t) g_strv_length (self->classes) != self->n_classes)
    {
      g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_FAILED,
                   "%s: the metadata names %u classes but linear.weight has %" G_GINT64_FORMAT
                   " rows. Retrain it with render/train/safety/train.py.",
                   path, g_strv_length (self->classes), self->n_classes);
      return NULL;
    }

  self->host_weight = g_new (float, self->n_classes * self->buckets);
  if (!reel_safetensors_read_f32 (st, "linear.weight", self->host_weight, error))
    return NULL;

  self->backend = reel_cpu_backend_new ();
  self->weight = reel_safetensors_load_tensor (st, self->backend, "linear.weight", error);
  if (self->weight == NULL)
    return NULL;
  self->bias = reel_safetensors_load_tensor (st, self->backend, "linear.bias", error);
  if (self->bias == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

guint
reel_safety_classifier_get_n_classes (ReelSafetyClassifier *self)
{
  return (guint) self->n_classes;
}

const char *
reel_safety_classifier_get_class (ReelSafetyClassifier *self,
                                  guint                 index)
{
  g_return_val_if_fail (index < self->n_classes, NULL);
  return self->classes[index];
}

/* The bucket of word i's unigram, and of the pair (i, i+1) when i+1 is in the same clause;
 * -1 where there is none. Mirrors features.py. */
static int64_t
unigram_bucket (ReelSafetyClassifier *self,
                GArray               *tokens,
                guint                 i)
{
  g_autofree char *key = g_strconcat ("u:", g_array_index (tokens, ReelSafetyToken, i).norm,
                                      NULL);

  return reel_safety_fnv1a (key) % (guint32) self->buckets;
}

static int64_t
bigram_bucket (ReelSafetyClassifier *self,
               GArray               *tokens,
               guint                 i)
{
  const ReelSafetyToken *a, *b;
  g_autofree char *key = NULL;

  if (i + 1 >= tokens->len)
    return -1;
  a = &g_array_index (tokens, ReelSafetyToken, i);
  b = &g_array_index (tokens, ReelSafetyToken, i + 1);
  if (a->clause != b->clause)
    return -1;
  key = g_strconcat ("b:", a->norm, " ", b->norm, NULL);
  return reel_safety_fnv1a (key) % (guint32) self->buckets;
}

/* Calls fn for the bucket of each character 3- and 4-gram of "<word>". */
static void
foreach_char_gram (ReelSafetyClassifier *self,
                   const char           *word,
                   void                (*fn) (int64_t bucket, gpointer data),
                   gpointer              data)
{
  g_autofree char *framed = g_strconcat ("<", word, ">", NULL);
  gsize len = strlen (framed);
  char key[8] = "c:";

  for (gsize n = 3; n <= 4; n++)
    for (gsize i = 0; i + n <= len; i++)
      {
        memcpy (key + 2, framed + i, n);
        key[2 + n] = '\0';
        fn (reel_safety_fnv1a (key) % (guint32) self->buckets, data);
      }
}

static void
set_feature (int64_t  bucket,
             gpointer data)
{
  ((float *) data)[bucket] = 1.0f;
}

typedef struct
{
  const float *row, *benign;
  float        sum;
} GramSum;

static void
add_gram_weight (int64_t  bucket,
                 gpointer data)
{
  GramSum *g = data;

  g->sum += g->row[bucket] - g->benign[bucket];
}

gboolean
reel_safety_classifier_run (ReelSafetyClassifier  *self,
                            GArray                *tokens,
                            float                 *probs,
                            GError               **error)
{
  g_autofree float *features = g_new0 (float, self->buckets);
  g_autoptr(ReelTensor) x = NULL;
  g_autoptr(ReelTensor) logits = NULL;

  for (guint i = 0; i < tokens->len; i++)
    {
      int64_t bi = bigram_bucket (self, tokens, i);

      features[unigram_bucket (self, tokens, i)] = 1.0f;
      if (bi >= 0)
        features[bi] = 1.0f;
      foreach_char_gram (self, g_array_index (tokens, ReelSafetyToken, i).norm, set_feature,
                         features);
    }

  x = reel_backend_new_tensor_2d (self->backend, 1, self->buckets, error);
  if (x == NULL)
    return FALSE;
  logits = reel_backend_new_tensor_2d (self->backend, 1, self->n_classes, error);
  if (logits == NULL)
    return FALSE;
  return reel_backend_upload (self->backend, x, features, error)
         && reel_backend_linear (self->backend, x, self->weight, self->bias, logits, 1,
                                 self->n_classes, self->buckets, error)
         && reel_backend_softmax (self->backend, logits, logits, 1, self->n_classes, error)
         && reel_backend_sync (self->backend, NULL, error)
         && reel_backend_download (self->backend, logits, probs, error);
}

typedef struct
{
  guint index;
  float weight;
} Contribution;

static int
compare_contributions (gconstpointer a,
                       gconstpointer b)
{
  float x = ((const Contribution *) a)->weight, y = ((const Contribution *) b)->weight;

  return (x < y) - (x > y);
}

GArray *
reel_safety_classifier_explain (ReelSafetyClassifier *self,
                                GArray               *tokens,
                                guint                 class_index,
                                guint                 max)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Contribution));
  GArray *best = g_array_new (FALSE, FALSE, sizeof (guint));
  const float *row;

  g_return_val_if_fail (class_index < self->n_classes, best);
  row = self->host_weight + class_index * self->buckets;

  /* A word's share is its own weight and its character grams' plus half of each pair it is
   * part of, measured against the benign class (index 0), so that words common to every class
   * do not stand out. (A gram shared by two words counts for both: this ranks words, it does
   * not decompose the score exactly.) */
  for (guint i = 0; i < tokens->len; i++)
    {
      const float *benign = self->host_weight;
      int64_t u = unigram_bucket (self, tokens, i);
      int64_t after = bigram_bucket (self, tokens, i);
      int64_t before = i > 0 ? bigram_bucket (self, tokens, i - 1) : -1;
      Contribution c = { i, row[u] - benign[u] };
      GramSum grams = { row, benign, 0.0f };

      if (after >= 0)
        c.weight += 0.5f * (row[after] - benign[after]);
      if (before >= 0)
        c.weight += 0.5f * (row[before] - benign[before]);
      foreach_char_gram (self, g_array_index (tokens, ReelSafetyToken, i).norm, add_gram_weight,
                         &grams);
      c.weight += grams.sum;
      /* "a", "it", "of" explain nothing to the user, whatever their weight. */
      if (c.weight > 0.0f && strlen (g_array_index (tokens, ReelSafetyToken, i).norm) > 2)
        g_array_append_val (all, c);
    }
  g_array_sort (all, compare_contributions);
  for (guint i = 0; i < all->len && best->len < max; i++)
    g_array_append_val (best, g_array_index (all, Contribution, i).index);
  return best;
}

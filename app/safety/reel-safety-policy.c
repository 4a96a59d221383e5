#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reel-safety-policy-private.h"

/* The policy file format is documented in data/policies/README.md. It is parsed here rather
 * than with GKeyFile so that every error can give its line, and so that list keys may be
 * repeated over several lines. */

G_DEFINE_QUARK (reel-safety-error-quark, reel_safety_error)

#define MAX_POLICY_SIZE (4 * 1024 * 1024)

static void
pattern_free (gpointer data)
{
  Pattern *p = data;

  for (guint i = 0; i < p->words->len; i++)
    g_free (g_array_index (p->words, PatternWord, i).text);
  g_array_unref (p->words);
  g_free (p->source);
  g_free (p);
}

static void
category_free (gpointer data)
{
  Category *c = data;

  g_free (c->id);
  g_free (c->label);
  g_free (c->advice);
  g_ptr_array_unref (c->block);
  g_ptr_array_unref (c->flag);
  g_ptr_array_unref (c->context);
  g_ptr_array_unref (c->with);
  g_free (c);
}

ReelSafetyPolicy *
reel_safety_policy_ref (ReelSafetyPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_safety_policy_unref (ReelSafetyPolicy *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->path);
  g_free (self->name);
  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->negations);
  g_ptr_array_unref (self->negations_after);
  reel_safety_classifier_free (self->classifier);
  g_free (self);
}

const char *
reel_safety_policy_get_name (ReelSafetyPolicy *self)
{
  return self->name;
}

guint
reel_safety_policy_get_n_categories (ReelSafetyPolicy *self)
{
  return self->categories->len;
}

const char *
reel_safety_policy_get_category_id (ReelSafetyPolicy *self,
                                    guint             index)
{
  g_return_val_if_fail (index < self->categories->len, NULL);
  return ((Category *) g_ptr_array_index (self->categories, index))->id;
}

const char *
reel_safety_policy_get_category_label (ReelSafetyPolicy *self,
                                       guint             index)
{
  g_return_val_if_fail (index < self->categories->len, NULL);
  return ((Category *) g_ptr_array_index (self->categories, index))->label;
}

void
reel_safety_policy_set_ablation (ReelSafetyPolicy   *self,
                                 ReelSafetyAblation  ablation)
{
  self->ablation = ablation;
}

const char *
reel_safety_get_data_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    {
      const char *env = g_getenv ("REEL_DATADIR");
      char *found;

      if (env != NULL && *env != '\0')
        found = g_strdup (env);
      else if (g_file_test (PKGDATADIR "/policies", G_FILE_TEST_IS_DIR))
        found = g_strdup (PKGDATADIR);
      else
        found = g_strdup (SOURCE_DATADIR);
      g_once_init_leave (&dir, found);
    }
  return dir;
}

/* ---- Parsing ---- */

typedef struct
{
  const char       *path;
  guint             line;
  ReelSafetyPolicy *policy;
  Category         *category;   /* the group being read; NULL in [policy] */
  gboolean          in_policy;
  guint             group_line;
  GHashTable       *seen_keys;  /* scalar keys of the current group */
  char             *classifier;
  double            default_classifier_weight;
  gboolean          have_policy;
} Parser;

G_GNUC_PRINTF (3, 4) static gboolean
fail (Parser     *p,
      GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (p->line > 0)
    g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_MALFORMED_POLICY, "%s:%u: %s",
                 p->path, p->line, what);
  else
    g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_MALFORMED_POLICY, "%s: %s",
                 p->path, what);
  return FALSE;
}

static gboolean
parse_double (Parser      *p,
              const char  *key,
              const char  *value,
              double       lo,
              double       hi,
              double      *out,
              GError     **error)
{
  char *end = NULL;
  double d;

  errno = 0;
  d = g_ascii_strtod (value, &end);
  if (*value == '\0' || end == NULL || *end != '\0' || errno != 0)
    return fail (p, error, "“%s” for %s is not a number. Write a number such as 0.5.", value,
                 key);
  if (d < lo || d > hi)
    return fail (p, error, "%s is %s, outside %g to %g. Use a value in that range.", key,
                 value, lo, hi);
  *out = d;
  return TRUE;
}

/* One pattern: words separated by spaces, each a word, a prefix "abc*", "*" or "{lo-hi}". */
static Pattern *
parse_pattern (Parser      *p,
               const char  *key,
               const char  *text,
               GError     **error)
{
  g_auto(GStrv) parts = g_strsplit_set (text, " \t", -1);
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (PatternWord));
  Pattern *pattern;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      PatternWord w = { PATTERN_WORD, NULL, 0, 0 };
      const char *part = parts[i];

      if (*part == '\0')
        continue;
      if (g_str_equal (part, "*"))
        w.kind = PATTERN_ANY;
      else if (part[0] == '{')
        {
          char *end = NULL;

          w.kind = PATTERN_RANGE;
          w.lo = g_ascii_strtoll (part + 1, &end, 10);
          if (end == part + 1 || *end != '-')
            goto bad_range;
          part = end + 1;
          w.hi = g_ascii_strtoll (part, &end, 10);
          if (end == part || g_strcmp0 (end, "}") != 0 || w.hi < w.lo)
            goto bad_range;
        }
      else
        {
          w.text = reel_safety_normalize_word (part);
          if (w.text[0] == '\0' || g_str_equal (w.text, "*"))
            {
              g_free (w.text);
              fail (p, error, "“%s” in %s has no letters or digits. Write words, “word*”, "
                    "“*” or “{1-17}”.", part, key);
              for (guint j = 0; j < words->len; j++)
                g_free (g_array_index (words, PatternWord, j).text);
              return NULL;
            }
          if (g_str_has_suffix (w.text, "*"))
            {
              w.kind = PATTERN_PREFIX;
              w.text[strlen (w.text) - 1] = '\0';
            }
        }
      g_array_append_val (words, w);
      continue;

bad_range:
      fail (p, error, "“%s” in %s is not a number range. Write it as {LOW-HIGH}, e.g. {1-17}.",
            parts[i], key);
      for (guint j = 0; j < words->len; j++)
        g_free (g_array_index (words, PatternWord, j).text);
      return NULL;
    }

  if (words->len == 0)
    {
      fail (p, error, "%s has an empty entry (two commas in a row or a trailing comma). "
            "Remove it.", key);
      return NULL;
    }
  if (g_array_index (words, PatternWord, 0).kind == PATTERN_ANY
      || g_array_index (words, PatternWord, words->len - 1).kind == PATTERN_ANY)
    {
      fail (p, error, "“%s” in %s starts or ends with “*”, which would match any text. "
            "Put “*” only between words.", text, key);
      for (guint j = 0; j < words->len; j++)
        g_free (g_array_index (words, PatternWord, j).text);
      return NULL;
    }

  pattern = g_new0 (Pattern, 1);
  pattern->source = g_strdup (text);
  pattern->words = g_steal_pointer (&words);
  return pattern;
}

static gboolean
parse_list (Parser      *p,
            const char  *key,
            const char  *value,
            GPtrArray   *into,
            GError     **error)
{
  g_auto(GStrv) items = g_strsplit (value, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      Pattern *pattern;

      g_strstrip (items[i]);
      pattern = parse_pattern (p, key, items[i], error);
      if (pattern == NULL)
        return FALSE;
      g_ptr_array_add (into, pattern);
    }
  return TRUE;
}

static gboolean
once (Parser      *p,
      const char  *key,
      GError     **error)
{
  if (g_hash_table_contains (p->seen_keys, key))
    return fail (p, error, "%s is given twice in this group. Keep one.", key);
  g_hash_table_add (p->seen_keys, g_strdup (key));
  return TRUE;
}

static gboolean
is_category_id (const char *id)
{
  if (*id == '\0')
    return FALSE;
  for (const char *c = id; *c != '\0'; c++)
    if (!(g_ascii_islower (*c) || g_ascii_isdigit (*c) || *c == '_'))
      return FALSE;
  return TRUE;
}

/* A group's required keys, checked when the group ends. */
static gboolean
finish_group (Parser  *p,
              GError **error)
{
  Category *c = p->category;
  guint line = p->line;

  if (c == NULL)
    return TRUE;
  p->line = p->group_line;
  if (c->label == NULL)
    return fail (p, error, "[category %s] has no label. Add “label = …”, the words a blocked "
                 "user reads.", c->id);
  if (c->threshold <= 0)
    return fail (p, error, "[category %s] has no threshold. Add “threshold = 1.0”.", c->id);
  if (c->block->len == 0 && c->flag->len == 0)
    return fail (p, error, "[category %s] has neither block nor flag patterns, so it can "
                 "never block anything. Add some.", c->id);
  p->line = line;
  return TRUE;
}

static gboolean
parse_key (Parser      *p,
           const char  *key,
           const char  *value,
           GError     **error)
{
  Category *c = p->category;

  if (p->in_policy)
    {
      if (g_str_equal (key, "name"))
        {
          if (!once (p, key, error))
            return FALSE;
          g_free (p->policy->name);
          p->policy->name = g_strdup (value);
          return TRUE;
        }
      if (g_str_equal (key, "classifier"))
        {
          if (!once (p, key, error))
            return FALSE;
          if (*value == '\0' || strchr (value, '/') != NULL)
            return fail (p, error, "classifier must name a file beside the policy, without "
                         "folders, e.g. “safety-classifier.safetensors”.");
          g_free (p->classifier);
          p->classifier = g_strdup (value);
          return TRUE;
        }
      if (g_str_equal (key, "classifier-weight"))
        return once (p, key, error)
               && parse_double (p, key, value, 0, 10, &p->default_classifier_weight, error);
      if (g_str_equal (key, "negation-window"))
        {
          double d;

          if (!once (p, key, error) || !parse_double (p, key, value, 0, 10, &d, error))
            return FALSE;
          p->policy->negation_window = (guint) d;
          return TRUE;
        }
      if (g_str_equal (key, "negations"))
        return parse_list (p, key, value, p->policy->negations, error);
      if (g_str_equal (key, "negations-after"))
        return parse_list (p, key, value, p->policy->negations_after, error);
      if (g_str_equal (key, "description"))
        return TRUE;
      return fail (p, error, "unknown key “%s” in [policy]. Known keys: name, description, "
                   "classifier, classifier-weight, negations, negations-after, "
                   "negation-window.", key);
    }

  if (g_str_equal (key, "label") || g_str_equal (key, "advice"))
    {
      char **field = g_str_equal (key, "label") ? &c->label : &c->advice;

      if (!once (p, key, error))
        return FALSE;
      if (*value == '\0')
        return fail (p, error, "%s is empty. Write the words a blocked user reads.", key);
      *field = g_strdup (value);
      return TRUE;
    }
  if (g_str_equal (key, "threshold"))
    return once (p, key, error) && parse_double (p, key, value, 0.01, 100, &c->threshold, error);
  if (g_str_equal (key, "flag-weight"))
    return once (p, key, error) && parse_double (p, key, value, 0, 100, &c->flag_weight, error);
  if (g_str_equal (key, "classifier-weight"))
    return once (p, key, error)
           && parse_double (p, key, value, 0, 10, &c->classifier_weight, error);
  if (g_str_equal (key, "block"))
    return parse_list (p, key, value, c->block, error);
  if (g_str_equal (key, "flag"))
    return parse_list (p, key, value, c->flag, error);
  if (g_str_equal (key, "context"))
    return parse_list (p, key, value, c->context, error);
  if (g_str_equal (key, "with"))
    return parse_list (p, key, value, c->with, error);
  return fail (p, error, "unknown key “%s” in [category %s]. Known keys: label, advice, "
               "threshold, block, flag, flag-weight, context, with, classifier-weight.",
               key, c->id);
}

static gboolean
parse_group (Parser      *p,
             const char  *name,
             GError     **error)
{
  const char *id;

  if (!finish_group (p, error))
    return FALSE;
  p->category = NULL;
  p->in_policy = FALSE;
  p->group_line = p->line;
  g_hash_table_remove_all (p->seen_keys);

  if (g_str_equal (name, "policy"))
    {
      if (p->have_policy)
        return fail (p, error, "a second [policy] group. Merge it with the first.");
      if (p->policy->categories->len > 0)
        return fail (p, error, "[policy] must come before the categories. Move it to the "
                     "top.");
      p->have_policy = TRUE;
      p->in_policy = TRUE;
      return TRUE;
    }
  if (!g_str_has_prefix (name, "category "))
    return fail (p, error, "unknown group [%s]. Groups are [policy] and [category ID].", name);
  if (!p->have_policy)
    return fail (p, error, "[%s] comes before [policy]. Start the file with [policy].", name);

  id = name + strlen ("category ");
  if (!is_category_id (id))
    return fail (p, error, "“%s” is not a category id. Use lower-case letters, digits and "
                 "“_”, as in violence_gore.", id);
  for (guint i = 0; i < p->policy->categories->len; i++)
    if (g_str_equal (((Category *) g_ptr_array_index (p->policy->categories, i))->id, id))
      return fail (p, error, "category %s is defined twice. Merge the two groups.", id);

  p->category = g_new0 (Category, 1);
  p->category->id = g_strdup (id);
  p->category->flag_weight = 0.5;
  p->category->classifier_weight = -1;
  p->category->class_index = -1;
  p->category->block = g_ptr_array_new_with_free_func (pattern_free);
  p->category->flag = g_ptr_array_new_with_free_func (pattern_free);
  p->category->context = g_ptr_array_new_with_free_func (pattern_free);
  p->category->with = g_ptr_array_new_with_free_func (pattern_free);
  g_ptr_array_add (p->policy->categories, p->category);
  return TRUE;
}

static gboolean
parse_text (Parser      *p,
            const char  *text,
            GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq;

      p->line = i + 1;
      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          gsize len = strlen (line);

          if (line[len - 1] != ']')
            return fail (p, error, "a group header without its closing “]”. Write [policy] "
                         "or [category ID].");
          line[len - 1] = '\0';
          if (!parse_group (p, g_strstrip (line + 1), error))
            return FALSE;
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL)
        return fail (p, error, "“%s” is neither a [group], a “key = value” line nor a "
                     "# comment.", line);
      *eq = '\0';
      g_strstrip (line);
      if (*line == '\0')
        return fail (p, error, "a line with “=” but no key before it.");
      if (!p->have_policy)
        return fail (p, error, "“%s” comes before any group. Start the file with [policy].",
                     line);
      if (!parse_key (p, line, g_strstrip (eq + 1), error))
        return FALSE;
    }
  p->line = 0;
  if (!finish_group (p, error))
    return FALSE;
  if (!p->have_policy)
    return fail (p, error, "no [policy] group. Start the file with [policy] and a name.");
  if (p->policy->categories->len == 0)
    return fail (p, error, "no [category …] groups, so nothing would ever be blocked.");
  if (p->policy->name == NULL)
    {
      p->line = 1;
      return fail (p, error, "[policy] has no name. Add “name = …”.");
    }
  return TRUE;
}

ReelSafetyPolicy *
reel_safety_policy_load (GFile   *file,
                         GError **error)
{
  g_autoptr(ReelSafetyPolicy) policy = g_new0 (ReelSafetyPolicy, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *classifier = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  Parser p = { 0 };

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_atomic_ref_count_init (&policy->ref_count);
  policy->path = g_file_get_path (file);
  if (policy->path == NULL)
    policy->path = g_file_get_uri (file);
  policy->categories = g_ptr_array_new_with_free_func (category_free);
  policy->negations = g_ptr_array_new_with_free_func (pattern_free);
  policy->negations_after = g_ptr_array_new_with_free_func (pattern_free);
  policy->negation_window = 3;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      g_set_error (error, REEL_SAFETY_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                   ? REEL_SAFETY_ERROR_NOT_FOUND : REEL_SAFETY_ERROR_FAILED,
                   "%s: cannot read the safety policy: %s", policy->path,
                   local_error->message);
      return NULL;
    }

  p.path = policy->path;
  p.policy = policy;
  p.seen_keys = seen;
  p.default_classifier_weight = 0.0;
  if (length > MAX_POLICY_SIZE)
    {
      fail (&p, error, "the file is larger than 4 MiB; a policy is a short text file.");
      return NULL;
    }
  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      fail (&p, error, "the file is not UTF-8 text. Save it as UTF-8.");
      return NULL;
    }
  if (!parse_text (&p, contents, error))
    {
      g_free (p.classifier);
      return NULL;
    }
  classifier = p.classifier;

  for (guint i = 0; i < policy->categories->len; i++)
    {
      Category *c = g_ptr_array_index (policy->categories, i);

      if (c->classifier_weight < 0)
        c->classifier_weight = p.default_classifier_weight;
    }

  if (classifier != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autoptr(GFile) weights = g_file_get_child (parent, classifier);
      g_autofree char *weights_path = g_file_get_path (weights);

      policy->classifier = reel_safety_classifier_load (weights_path, error);
      if (policy->classifier == NULL)
        {
          g_prefix_error (error, "%s: the classifier it names cannot be used: ", policy->path);
          return NULL;
        }
      for (guint i = 0; i < policy->categories->len; i++)
        {
          Category *c = g_ptr_array_index (policy->categories, i);

          for (guint k = 0; k < reel_safety_classifier_get_n_classes (policy->classifier); k++)
            if (g_str_equal (reel_safety_classifier_get_class (policy->classifier, k), c->id))
              c->class_index = (int) k;
        }
    }

  return g_steal_pointer (&policy);
}

ReelSafetyPolicy *
reel_safety_policy_load_preset (const char  *preset,
                                GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (preset != NULL, NULL);

  if (!is_category_id (preset))
    {
      g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_NOT_FOUND,
                   "“%s” is not a safety preset. Use default or classroom.", preset);
      return NULL;
    }
  name = g_strconcat (preset, ".policy", NULL);
  path = g_build_filename (reel_safety_get_data_dir (), "policies", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_NOT_FOUND,
                   "There is no safety preset “%s” (%s is missing). Use default or "
                   "classroom, or reinstall Reel.", preset, path);
      return NULL;
    }
  file = g_file_new_for_path (path);
  return reel_safety_policy_load (file, error);
}

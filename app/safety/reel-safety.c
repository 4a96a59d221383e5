#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "reel-safety-policy-private.h"

/* How rules and classifier combine (data/policies/README.md says the same for policy
 * authors). For each category:
 *
 *   score = 1 · (block patterns found)
 *         + flag-weight · (flag patterns found)          unless a context pattern is found
 *         + classifier-weight · P(category | text)       unless a context pattern is found
 *
 * where a pattern preceded by a negation ("no", "without", …) within negation-window words of
 * the same clause, or followed by a negations-after word ("gore-free"), does not count. A
 * category with `with` patterns counts only when one of them is found too (a minor together
 * with sexual content). The text is blocked under the category whose score reaches its
 * threshold by the widest margin. */

void
reel_safety_verdict_free (ReelSafetyVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free (verdict->category);
  g_free (verdict->label);
  g_free (verdict->advice);
  g_free (verdict->field);
  g_strfreev (verdict->words);
  g_free (verdict);
}

static gboolean
word_matches (const PatternWord     *w,
              const ReelSafetyToken *t)
{
  switch (w->kind)
    {
    case PATTERN_WORD:
      return g_str_equal (w->text, t->norm);
    case PATTERN_PREFIX:
      return g_str_has_prefix (t->norm, w->text);
    case PATTERN_ANY:
      return TRUE;
    case PATTERN_RANGE:
      {
        char *end = NULL;
        gint64 n;

        if (!g_ascii_isdigit (t->norm[0]))
          return FALSE;
        n = g_ascii_strtoll (t->norm, &end, 10);
        return *end == '\0' && n >= w->lo && n <= w->hi;
      }
    default:
      g_assert_not_reached ();
    }
}

/* Whether pattern matches the tokens starting at i, all in one clause. */
static gboolean
matches_at (const Pattern *pattern,
            GArray        *tokens,
            guint          i)
{
  guint clause;

  if (i + pattern->words->len > tokens->len)
    return FALSE;
  clause = g_array_index (tokens, ReelSafetyToken, i).clause;
  for (guint k = 0; k < pattern->words->len; k++)
    {
      const ReelSafetyToken *t = &g_array_index (tokens, ReelSafetyToken, i + k);

      if (t->clause != clause
          || !word_matches (&g_array_index (pattern->words, PatternWord, k), t))
        return FALSE;
    }
  return TRUE;
}

static gboolean
any_matches_at (GPtrArray *patterns,
                GArray    *tokens,
                guint      i,
                guint     *len)
{
  for (guint p = 0; p < patterns->len; p++)
    {
      const Pattern *pattern = g_ptr_array_index (patterns, p);

      if (matches_at (pattern, tokens, i))
        {
          if (len != NULL)
            *len = pattern->words->len;
          return TRUE;
        }
    }
  return FALSE;
}

/* Whether the match tokens[i, i+len) is negated: a negation shortly before it in the same
 * clause, or a negations-after word right after it. */
static gboolean
is_negated (ReelSafetyPolicy *policy,
            GArray           *tokens,
            guint             i,
            guint             len)
{
  guint clause = g_array_index (tokens, ReelSafetyToken, i).clause;
  guint from = i > policy->negation_window ? i - policy->negation_window : 0;

  for (guint j = from; j < i; j++)
    if (g_array_index (tokens, ReelSafetyToken, j).clause == clause
        && any_matches_at (policy->negations, tokens, j, NULL))
      return TRUE;
  return i + len < tokens->len
         && g_array_index (tokens, ReelSafetyToken, i + len).clause == clause
         && any_matches_at (policy->negations_after, tokens, i + len, NULL);
}

typedef struct
{
  guint start, len;             /* token range */
} Hit;

/* Every distinct pattern of the list found un-negated; each pattern counts once. */
static guint
find_hits (ReelSafetyPolicy *policy,
           GPtrArray        *patterns,
           GArray           *tokens,
           GArray           *hits)
{
  guint n = 0;

  for (guint p = 0; p < patterns->len; p++)
    {
      const Pattern *pattern = g_ptr_array_index (patterns, p);

      for (guint i = 0; i < tokens->len; i++)
        if (matches_at (pattern, tokens, i)
            && !is_negated (policy, tokens, i, pattern->words->len))
          {
            Hit hit = { i, pattern->words->len };

            if (hits != NULL)
              g_array_append_val (hits, hit);
            n++;
            break;
          }
    }
  return n;
}

static void
add_word (GPtrArray  *words,
          const char *text,
          GArray     *tokens,
          guint       start,
          guint       len)
{
  gsize from = g_array_index (tokens, ReelSafetyToken, start).start;
  gsize to = g_array_index (tokens, ReelSafetyToken, start + len - 1).end;
  g_autofree char *word = g_strndup (text + from, to - from);

  for (guint i = 0; i < words->len; i++)
    if (g_str_equal (g_ptr_array_index (words, i), word))
      return;
  g_ptr_array_add (words, g_steal_pointer (&word));
}

ReelSafetyVerdict *
reel_safety_check_text (ReelSafetyPolicy  *policy,
                        const char        *text,
                        const char        *field,
                        GError           **error)
{
  g_autoptr(ReelSafetyVerdict) verdict = g_new0 (ReelSafetyVerdict, 1);
  g_autoptr(GArray) tokens = NULL;
  g_autofree float *probs = NULL;
  double best_margin = 0.0;
  const Category *best = NULL;
  g_autoptr(GArray) best_hits = NULL;
  double best_score = 0.0, best_prob = 0.0;

  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  verdict->field = g_strdup (field != NULL ? field : "prompt");
  text = text != NULL ? text : "";
  tokens = reel_safety_tokenize (text);
  if (tokens->len == 0)
    {
      verdict->words = g_new0 (char *, 1);
      return g_steal_pointer (&verdict);
    }

  if (policy->classifier != NULL)
    {
      probs = g_new0 (float, reel_safety_classifier_get_n_classes (policy->classifier));
      if (!reel_safety_classifier_run (policy->classifier, tokens, probs, error))
        return NULL;
    }

  for (guint c = 0; c < policy->categories->len; c++)
    {
      const Category *cat = g_ptr_array_index (policy->categories, c);
      g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
      gboolean in_context;
      double score, prob = 0.0;

      if (cat->with->len > 0 && find_hits (policy, cat->with, tokens, hits) == 0
          && policy->ablation != REEL_SAFETY_ABLATION_CLASSIFIER_ONLY)
        continue;
      in_context = find_hits (policy, cat->context, tokens, NULL) > 0;
      if (probs != NULL && cat->class_index >= 0)
        prob = probs[cat->class_index];

      if (policy->ablation == REEL_SAFETY_ABLATION_CLASSIFIER_ONLY)
        {
          gboolean top = TRUE;

          for (guint k = 0; k < reel_safety_classifier_get_n_classes (policy->classifier); k++)
            top &= probs[k] <= prob;
          score = top && prob >= 0.5 ? cat->threshold : 0.0;
          g_array_set_size (hits, 0);
        }
      else
        {
          score = find_hits (policy, cat->block, tokens, hits);
          if (!in_context)
            {
              score += cat->flag_weight * find_hits (policy, cat->flag, tokens, hits);
              if (policy->ablation != REEL_SAFETY_ABLATION_RULES_ONLY)
                score += cat->classifier_weight * prob;
            }
        }
      if (score >= cat->threshold && score / cat->threshold - 1.0 >= best_margin)
        {
          best_margin = score / cat->threshold - 1.0;
          best = cat;
          best_score = score;
          best_prob = prob;
          g_clear_pointer (&best_hits, g_array_unref);
          best_hits = g_steal_pointer (&hits);
        }
    }

  if (best != NULL)
    {
      g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
      gboolean rule_words = FALSE;

      /* The `with` hits come first in the array; list the deciding words before them. */
      for (guint i = 0; i < best_hits->len; i++)
        {
          const Hit *hit = &g_array_index (best_hits, Hit, i);

          add_word (words, text, tokens, hit->start, hit->len);
          rule_words = TRUE;
        }
      if (policy->classifier != NULL && best->class_index >= 0
          && (!rule_words || best->with->len > 0))
        {
          g_autoptr(GArray) top = reel_safety_classifier_explain (policy->classifier, tokens,
                                                                  (guint) best->class_index,
                                                                  3);

          for (guint i = 0; i < top->len; i++)
            add_word (words, text, tokens, g_array_index (top, guint, i), 1);
        }
      g_ptr_array_add (words, NULL);

      verdict->blocked = TRUE;
      verdict->category = g_strdup (best->id);
      verdict->label = g_strdup (best->label);
      verdict->advice = g_strdup (best->advice);
      verdict->words = (GStrv) g_ptr_array_free (g_steal_pointer (&words), FALSE);
      verdict->score = best_score;
      verdict->classifier = best_prob;
    }
  else
    verdict->words = g_new0 (char *, 1);

  return g_steal_pointer (&verdict);
}

ReelSafetyVerdict *
reel_safety_check_shot (ReelSafetyPolicy  *policy,
                        ReelShot          *shot,
                        GError           **error)
{
  GListModel *list;
  ReelSafetyVerdict *verdict;

  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (REEL_IS_SHOT (shot), NULL);

  verdict = reel_safety_check_text (policy, reel_shot_get_prompt (shot), _("prompt"), error);
  if (verdict == NULL || verdict->blocked)
    return verdict;
  reel_safety_verdict_free (verdict);

  list = reel_shot_get_dialogue (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelDialogueLine) line = g_list_model_get_item (list, i);
      g_autofree char *field = g_strdup_printf (_("dialogue line %u"), i + 1);

      verdict = reel_safety_check_text (policy, reel_dialogue_line_get_text (line), field,
                                        error);
      if (verdict == NULL || verdict->blocked)
        return verdict;
      reel_safety_verdict_free (verdict);
    }

  list = reel_shot_get_sfx (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelSfxCue) cue = g_list_model_get_item (list, i);
      g_autofree char *field = g_strdup_printf (_("sound effect %u"), i + 1);

      verdict = reel_safety_check_text (policy, reel_sfx_cue_get_description (cue), field,
                                        error);
      if (verdict == NULL || verdict->blocked)
        return verdict;
      reel_safety_verdict_free (verdict);
    }

  return reel_safety_check_text (policy, reel_shot_get_music_mood (shot), _("music"), error);
}

gboolean
reel_safety_verdict_to_error (const ReelSafetyVerdict *verdict,
                              guint                    shot_number,
                              const char              *title,
                              GError                 **error)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_autofree char *shot = NULL;

  g_return_val_if_fail (verdict != NULL, FALSE);

  if (!verdict->blocked)
    return TRUE;

  for (guint i = 0; verdict->words[i] != NULL; i++)
    g_string_append_printf (words, "%s“%s”", i > 0 ? ", " : "", verdict->words[i]);
  if (title != NULL && *title != '\0')
    shot = g_strdup_printf (_("Shot %u “%s”"), shot_number, title);
  else
    shot = g_strdup_printf (_("Shot %u"), shot_number);

  if (words->len > 0)
    /* Translators: "Shot 3 “Alley”: blocked — graphic violence in the prompt (words:
     * “gore”). Rephrase …" */
    g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_BLOCKED,
                 _("%s: blocked — %s in the %s (words: %s). Rephrase the %s. %s"), shot,
                 verdict->label, verdict->field, words->str, verdict->field,
                 verdict->advice != NULL ? verdict->advice : _("Nothing was generated."));
  else
    g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_BLOCKED,
                 _("%s: blocked — %s in the %s. Rephrase the %s. %s"), shot, verdict->label,
                 verdict->field, verdict->field,
                 verdict->advice != NULL ? verdict->advice : _("Nothing was generated."));
  return FALSE;
}

gboolean
reel_safety_check_shot_allowed (ReelSafetyPolicy  *policy,
                                ReelShot          *shot,
                                guint              shot_number,
                                GError           **error)
{
  g_autoptr(ReelSafetyVerdict) verdict = reel_safety_check_shot (policy, shot, error);

  if (verdict == NULL)
    return FALSE;
  return reel_safety_verdict_to_error (verdict, shot_number, reel_shot_get_title (shot), error);
}

gboolean
reel_safety_check_start_image (ReelShot  *shot,
                               guint      shot_number,
                               gboolean   shows_face,
                               GError   **error)
{
  const char *image, *title;
  ReelConsent *consent;
  g_autofree char *name = NULL;

  g_return_val_if_fail (REEL_IS_SHOT (shot), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  image = reel_shot_get_start_image (shot);
  if (image == NULL || !shows_face)
    return TRUE;

  consent = reel_shot_get_consent (shot);
  if (consent != NULL && g_str_equal (reel_consent_get_start_image (consent), image))
    return TRUE;

  title = reel_shot_get_title (shot);
  if (*title != '\0')
    name = g_strdup_printf (_("Shot %u “%s”"), shot_number, title);
  else
    name = g_strdup_printf (_("Shot %u"), shot_number);

  if (consent == NULL)
    g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_CONSENT_REQUIRED,
                 _("%s: the start image shows a person, and no consent is recorded. Record "
                   "who appears, who granted consent, when and for what, or choose another "
                   "start image."), name);
  else
    g_set_error (error, REEL_SAFETY_ERROR, REEL_SAFETY_ERROR_CONSENT_REQUIRED,
                 _("%s: the consent from %s was recorded for a different start image. Record "
                   "consent for this image, or go back to the one it covers."), name,
                 reel_consent_get_granted_by (consent));
  return FALSE;
}

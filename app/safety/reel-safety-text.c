#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <string.h>

#include "reel-safety-private.h"

/* The normaliser undoes the usual ways of slipping a word past a filter: case, accents and
 * compatibility forms ("ｋｉｌｌ", "kíll"), leetspeak ("k1ll", "h@te"), punctuation inside a
 * word ("k.i.l.l", "ki_ll"), spacing ("k i l l") and stretched letters ("kiiilll"). Words
 * keep their byte range in the original text so that a verdict can quote what the user
 * wrote. render/train/safety/features.py mirrors it for ASCII text; keep them in step. */

typedef struct
{
  char  c;
  gsize start, end;
} NormChar;

static void
token_clear (gpointer data)
{
  ReelSafetyToken *t = data;

  g_free (t->norm);
}

/* Appends the ASCII folding of one character: itself for ASCII, its NFKD decomposition
 * without the combining marks, else GLib's transliteration ("ß" → "ss"); a character with
 * none of these becomes a space. */
static void
fold_char (GArray     *out,
           const char *p,
           const char *next,
           gsize       offset)
{
  g_autofree char *one = g_strndup (p, next - p);
  g_autofree char *nfkd = g_utf8_normalize (one, -1, G_NORMALIZE_NFKD);
  gboolean any = FALSE;

  if ((guchar) *p < 0x80)
    {
      NormChar nc = { g_ascii_tolower (*p), offset, offset + 1 };

      g_array_append_val (out, nc);
      return;
    }

  for (const char *q = nfkd; q != NULL && *q != '\0'; q++)
    if ((guchar) *q < 0x80 && g_ascii_isgraph (*q))
      {
        NormChar nc = { g_ascii_tolower (*q), offset, offset + (next - p) };

        g_array_append_val (out, nc);
        any = TRUE;
      }
  if (!any)
    {
      g_autofree char *ascii = g_str_to_ascii (one, "C");

      for (const char *q = ascii; *q != '\0'; q++)
        if (*q != '?' && g_ascii_isgraph (*q))
          {
            NormChar nc = { g_ascii_tolower (*q), offset, offset + (next - p) };

            g_array_append_val (out, nc);
            any = TRUE;
          }
    }
  if (!any)
    {
      NormChar nc = { ' ', offset, offset + (next - p) };

      g_array_append_val (out, nc);
    }
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '@' || c == '$';
}

/* Characters dropped when they stand between two word characters ("k.i.l.l", "ki_ll"). */
static gboolean
is_joiner (char c)
{
  return c == '.' || c == '*' || c == '_' || c == '\'' || c == '`' || c == '|';
}

static gboolean
is_clause_break (char c)
{
  return c == ',' || c == ';' || c == ':' || c == '.' || c == '!' || c == '?' || c == '\n'
         || c == '(' || c == ')';
}

static char
unleet (char c)
{
  switch (c)
    {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '8': return 'b';
    case '9': return 'g';
    case '@': return 'a';
    case '$': return 's';
    default: return c;
    }
}

/* Runs of one repeated letter become one letter; digits stay as they are (ages, years). */
static void
squeeze (GString *s)
{
  gsize w = 0;

  for (gsize r = 0; r < s->len; r++)
    {
      char c = s->str[r];

      if (w > 0 && g_ascii_isalpha (c) && s->str[w - 1] == c)
        continue;
      s->str[w++] = c;
    }
  g_string_truncate (s, w);
}

/* Turns a raw word into its normal form; may split it into a number and a word ("14yo"). */
static void
emit_word (GArray     *tokens,
           const char *raw,
           gsize       start,
           gsize       end,
           guint       clause)
{
  gsize len = strlen (raw), n_digits = 0;
  gboolean has_letter = FALSE;
  g_autoptr(GString) s = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    has_letter |= g_ascii_isalpha (raw[i]);
  while (n_digits < len && g_ascii_isdigit (raw[n_digits]))
    n_digits++;

  /* "14yo", "1940s": a number with a unit, not leetspeak (which rarely leads with two
   * digits). */
  if (has_letter && n_digits >= 2)
    {
      g_autofree char *number = g_strndup (raw, n_digits);

      emit_word (tokens, number, start, end, clause);
      emit_word (tokens, raw + n_digits, start, end, clause);
      return;
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = raw[i];

      if (has_letter)
        c = unleet (c);
      else if (c == '@' || c == '$')
        continue;
      g_string_append_c (s, c);
    }
  squeeze (s);
  if (s->len > 0)
    {
      ReelSafetyToken t = { g_string_free (g_steal_pointer (&s), FALSE), start, end, clause };

      g_array_append_val (tokens, t);
    }
}

/* Runs of three or more one-letter words are one spaced-out word: "k i l l" → "kill". */
static void
join_spaced_letters (GArray *tokens)
{
  guint i = 0;

  while (i < tokens->len)
    {
      ReelSafetyToken *first = &g_array_index (tokens, ReelSafetyToken, i);
      guint j = i;

      while (j < tokens->len
             && strlen (g_array_index (tokens, ReelSafetyToken, j).norm) == 1
             && g_ascii_isalpha (g_array_index (tokens, ReelSafetyToken, j).norm[0])
             && g_array_index (tokens, ReelSafetyToken, j).clause == first->clause)
        j++;
      /* "a k i l l": the article stays a word of its own. */
      if (j - i >= 4 && (g_str_equal (first->norm, "a") || g_str_equal (first->norm, "i")))
        {
          i++;
          continue;
        }
      if (j - i >= 3)
        {
          g_autoptr(GString) s = g_string_new (NULL);

          for (guint k = i; k < j; k++)
            g_string_append (s, g_array_index (tokens, ReelSafetyToken, k).norm);
          squeeze (s);
          first->end = g_array_index (tokens, ReelSafetyToken, j - 1).end;
          g_free (first->norm);
          first->norm = g_string_free (g_steal_pointer (&s), FALSE);
          g_array_remove_range (tokens, i + 1, j - i - 1);
        }
      i++;
    }
}

GArray *
reel_safety_tokenize (const char *text)
{
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (NormChar));
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (ReelSafetyToken));
  g_autoptr(GString) word = g_string_new (NULL);
  gsize word_start = 0, word_end = 0;
  guint clause = 0;

  g_array_set_clear_func (tokens, token_clear);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_steal_pointer (&tokens);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    fold_char (chars, p, g_utf8_next_char (p), p - text);

  for (guint i = 0; i <= chars->len; i++)
    {
      char c = i < chars->len ? g_array_index (chars, NormChar, i).c : ' ';

      if (is_word_char (c))
        {
          if (word->len == 0)
            word_start = g_array_index (chars, NormChar, i).start;
          g_string_append_c (word, c);
          word_end = g_array_index (chars, NormChar, i).end;
          continue;
        }
      if (word->len > 0 && is_joiner (c) && i + 1 < chars->len
          && is_word_char (g_array_index (chars, NormChar, i + 1).c))
        continue;
      if (word->len > 0)
        {
          emit_word (tokens, word->str, word_start, word_end, clause);
          g_string_truncate (word, 0);
        }
      if (is_clause_break (c))
        clause++;
    }

  join_spaced_letters (tokens);
  return g_steal_pointer (&tokens);
}

char *
reel_safety_normalize_word (const char *word)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *nfkd = g_utf8_normalize (word, -1, G_NORMALIZE_NFKD);
  g_autofree char *ascii = g_str_to_ascii (nfkd != NULL ? nfkd : word, "C");
  gsize len = strlen (ascii);
  gboolean prefix = len > 0 && ascii[len - 1] == '*';

  for (gsize i = 0; i < len; i++)
    if (g_ascii_isalnum (ascii[i]))
      g_string_append_c (s, g_ascii_tolower (ascii[i]));
  squeeze (s);
  if (prefix)
    g_string_append_c (s, '*');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "reel-atomic-file.h"
#include "reel-media-store.h"
#include "reel-project-io.h"
#include "reel-project-private.h"

/* project.json larger than this is not a storyboard Reel wrote; refusing it early keeps a
 * stray multi-gigabyte file from exhausting memory. */
#define MAX_FILE_SIZE (256 * 1024 * 1024)
/* json-glib parses recursively; nesting deeper than this would exhaust the stack, and no
 * storyboard needs it. */
#define MAX_DEPTH 512

typedef struct
{
  const char *file;        /* named in every message */
  GFile      *media_root;  /* folder holding media/, or NULL to skip media checks */
  gboolean    migrated;    /* the tree came from schema 1 */
} Loader;

static const char * const project_fields[] = {
  "format", "schema_version", "title", "speakers", "shots", NULL
};
static const char * const speaker_fields[] = { "speaker", "voice", NULL };
static const char * const shot_fields[] = {
  "id", "title", "duration", "prompt", "style", "aspect", "seed", "camera", "sound", "text",
  "start_image", "consent", "takes", "selected_take", NULL
};
static const char * const consent_fields[] = {
  "subject", "granted_by", "granted", "purpose", "start_image", NULL
};
static const char * const camera_fields[] = { "move", "speed", "lens_mm", "fps", NULL };
static const char * const sound_fields[] = { "dialogue", "sfx", "music", NULL };
static const char * const music_fields[] = { "mood", "intensity", NULL };
static const char * const dialogue_fields[] = { "speaker", "voice", "text", "offset", NULL };
static const char * const sfx_fields[] = { "description", "offset", NULL };
static const char * const text_fields[] = {
  "text", "start", "end", "position", "style", NULL
};
static const char * const take_fields[] = { "id", "parent", "created", "request", "media", NULL };
static const char * const take_media_fields[] = { "video", "audio", "thumbnail", NULL };

/* ---- Errors ---- */

static gboolean
fail (Loader      *ld,
      GError     **error,
      int          code,
      const char  *field,
      const char  *format,
      ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail (Loader      *ld,
      GError     **error,
      int          code,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Compiler-style "file: field: problem" so that the message can be pasted into a search or
   * an editor, followed by what to do. */
  g_set_error (error, REEL_PROJECT_ERROR, code, "%s: %s: %s%s", ld->file, field, detail,
               ld->migrated
               ? _(" (The file uses the older schema version 1; the field is named as in "
                   "version 2.)")
               : "");
  return FALSE;
}

static char *
field_join (const char *parent,
            const char *name)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (name);
  return g_strconcat (parent, ".", name, NULL);
}

static const char *
describe_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return _("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    default:
      return _("a number");
    }
}

static gboolean
fail_type (Loader      *ld,
           GError     **error,
           const char  *field,
           const char  *wanted,
           JsonNode    *found)
{
  return fail (ld, error, REEL_PROJECT_ERROR_MALFORMED, field,
               _("must be %s, but it is %s. Correct the value (see PROJECT-FORMAT.md)."),
               wanted, describe_node (found));
}

static gboolean
fail_missing (Loader      *ld,
              GError     **error,
              const char  *field)
{
  return fail (ld, error, REEL_PROJECT_ERROR_MALFORMED, field,
               _("this required field is missing. Add it (see PROJECT-FORMAT.md)."));
}

/* ---- Checks before parsing ---- */

static char *
scan_path (const gboolean *is_object,
           const guint    *index,
           const char    **key,
           const gsize    *key_len,
           guint           depth)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    {
      if (is_object[i])
        {
          if (key[i] == NULL)
            break;
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, key[i], key_len[i]);
        }
      else
        g_string_append_printf (path, "[%u]", index[i]);
    }
  if (path->len == 0)
    g_string_append (path, _("(top level)"));
  return g_string_free (path, FALSE);
}

/* json-glib 1.6 overflows the C stack on deeply nested input and silently wraps integers that
 * do not fit in 64 bits, so both are caught here, by a byte scan that tracks the field path for
 * the message. Syntax errors are left to the parser. */
static gboolean
scan_json (Loader      *ld,
           const char  *data,
           gsize        length,
           GError     **error)
{
  g_autofree gboolean *is_object = g_new0 (gboolean, MAX_DEPTH);
  g_autofree gboolean *expect_key = g_new0 (gboolean, MAX_DEPTH);
  g_autofree guint *index = g_new0 (guint, MAX_DEPTH);
  g_autofree const char **key = g_new0 (const char *, MAX_DEPTH);
  g_autofree gsize *key_len = g_new0 (gsize, MAX_DEPTH);
  g_autoptr(GPtrArray) seen_keys = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_hash_table_unref);
  guint depth = 0;
  guint line = 1;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      switch (c)
        {
        case '\n':
          line++;
          break;

        case '"':
          {
            gsize start = i + 1;

            for (i = start; i < length && data[i] != '"'; i++)
              if (data[i] == '\\')
                i++;
            if (depth > 0 && is_object[depth - 1] && expect_key[depth - 1])
              {
                GHashTable *keys = g_ptr_array_index (seen_keys, depth - 1);
                char *name;

                key[depth - 1] = data + start;
                key_len[depth - 1] = MIN (i, length) - start;
                expect_key[depth - 1] = FALSE;

                /* json-glib keeps the last of two members with one name; which one the
                 * writer meant is unknowable, so the file is refused instead. */
                name = g_strndup (key[depth - 1], key_len[depth - 1]);
                if (!g_hash_table_add (keys, name))
                  {
                    g_autofree char *path = scan_path (is_object, index, key, key_len, depth);

                    return fail (ld, error, REEL_PROJECT_ERROR_MALFORMED, path,
                                 _("this member appears twice in the same object (line %u). "
                                   "Keep the one you mean and delete the other."), line);
                  }
              }
          }
          break;

        case '{':
        case '[':
          if (depth == MAX_DEPTH)
            {
              /* The first levels name the field; the rest would be thousands of "[0]". */
              g_autofree char *start = scan_path (is_object, index, key, key_len, MIN (depth, 4));
              g_autofree char *where = g_strconcat (start, "…", NULL);

              return fail (ld, error, REEL_PROJECT_ERROR_MALFORMED, where,
                           _("the data is nested more than %d levels deep (line %u), which no "
                             "Reel project is. The file is damaged; restore it from a backup."),
                           MAX_DEPTH, line);
            }
          is_object[depth] = (c == '{');
          expect_key[depth] = (c == '{');
          index[depth] = 0;
          key[depth] = NULL;
          if (depth == seen_keys->len)
            g_ptr_array_add (seen_keys, g_hash_table_new_full (g_str_hash, g_str_equal,
                                                               g_free, NULL));
          else
            g_hash_table_remove_all (g_ptr_array_index (seen_keys, depth));
          depth++;
          break;

        case '}':
        case ']':
          if (depth > 0)
            depth--;
          break;

        case ',':
          if (depth > 0)
            {
              if (is_object[depth - 1])
                expect_key[depth - 1] = TRUE;
              else
                index[depth - 1]++;
            }
          break;

        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gsize end = i;
            gboolean is_float = FALSE;
            g_autofree char *token = NULL;
            gboolean overflow;

            while (end < length && strchr ("+-0123456789.eE", data[end]) != NULL
                   && data[end] != '\0')
              {
                if (data[end] == '.' || data[end] == 'e' || data[end] == 'E')
                  is_float = TRUE;
                end++;
              }
            token = g_strndup (data + i, end - i);
            errno = 0;
            if (is_float)
              {
                double v = g_ascii_strtod (token, NULL);

                overflow = (errno == ERANGE && isinf (v));
              }
            else
              {
                g_ascii_strtoll (token, NULL, 10);
                overflow = (errno == ERANGE);
              }
            if (overflow)
              {
                g_autofree char *path = scan_path (is_object, index, key, key_len, depth);

                if (strlen (token) > 24)
                  strcpy (token + 21, "…");
                return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, path,
                             _("the number %s (line %u) is too large to use. Replace it with "
                               "a value in the field's range."), token, line);
              }
            i = end - 1;
          }
          break;

        default:
          break;
        }
    }

  return TRUE;
}

/* ---- Typed readers: each names the field on failure ---- */

static gboolean
read_string (Loader       *ld,
             JsonObject   *obj,
             const char   *parent,
             const char   *name,
             gboolean      required,
             const char   *fallback,
             const char  **out,
             GError      **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *field = field_join (parent, name);

  if (node == NULL)
    {
      if (required)
        return fail_missing (ld, error, field);
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail_type (ld, error, field, _("a string"), node);
  *out = json_node_get_string (node);
  return TRUE;
}

/* A string or null; missing counts as null. */
static gboolean
read_optional_string (Loader       *ld,
                      JsonObject   *obj,
                      const char   *parent,
                      const char   *name,
                      const char  **out,
                      GError      **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *field = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      field = field_join (parent, name);
      return fail_type (ld, error, field, _("a string or null"), node);
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
read_number (Loader      *ld,
             JsonObject  *obj,
             const char  *parent,
             const char  *name,
             gboolean     required,
             double       fallback,
             double       min,
             double       max,
             double      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *field = field_join (parent, name);
  double value;

  if (node == NULL)
    {
      if (required)
        return fail_missing (ld, error, field);
      *out = fallback;
      return TRUE;
    }
  if (!node_is_number (node))
    return fail_type (ld, error, field, _("a number"), node);
  value = json_node_get_double (node);
  if (!isfinite (value) || value < min || value > max)
    return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                 _("%g is outside the allowed range %g to %g. Use a value in that range."),
                 value, min, max);
  *out = value;
  return TRUE;
}

static gboolean
read_integer (Loader      *ld,
              JsonObject  *obj,
              const char  *parent,
              const char  *name,
              gboolean     required,
              gint64       fallback,
              gint64       min,
              gint64       max,
              gint64      *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *field = field_join (parent, name);
  gint64 value;

  if (node == NULL)
    {
      if (required)
        return fail_missing (ld, error, field);
      *out = fallback;
      return TRUE;
    }
  if (!node_is_number (node))
    return fail_type (ld, error, field, _("a whole number"), node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Other tools write 24.0 for 24; only a real fraction is wrong. */
      if (!isfinite (d) || d != floor (d) || d < (double) min || d > (double) max)
        return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                     _("%g is not a whole number from %lld to %lld. Use a whole number in that "
                       "range."), d, (long long) min, (long long) max);
      value = (gint64) d;
    }
  else
    value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                 _("%lld is outside the allowed range %lld to %lld. Use a value in that range."),
                 (long long) value, (long long) min, (long long) max);
  *out = value;
  return TRUE;
}

static char *
enum_nicks (GType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autoptr(GString) nicks = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (i > 0)
        g_string_append (nicks, ", ");
      g_string_append (nicks, klass->values[i].value_nick);
    }
  return g_string_free (g_steal_pointer (&nicks), FALSE);
}

static gboolean
read_enum (Loader      *ld,
           JsonObject  *obj,
           const char  *parent,
           const char  *name,
           gboolean     required,
           GType        type,
           int          fallback,
           const char  *what,
           int         *out,
           GError     **error)
{
  const char *nick;
  g_autofree char *field = NULL;
  g_autofree char *nicks = NULL;

  if (!read_string (ld, obj, parent, name, required, NULL, &nick, error))
    return FALSE;
  if (nick == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (reel_enum_from_nick (type, nick, out))
    return TRUE;

  field = field_join (parent, name);
  nicks = enum_nicks (type);
  return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
               _("“%s” is not a known %s. Use one of: %s."), nick, what, nicks);
}

static gboolean
read_container (Loader      *ld,
                JsonObject  *obj,
                const char  *parent,
                const char  *name,
                gboolean     required,
                gboolean     want_array,
                JsonNode   **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *field = field_join (parent, name);

  *out = NULL;
  if (node == NULL)
    return required ? fail_missing (ld, error, field) : TRUE;
  if (want_array ? !JSON_NODE_HOLDS_ARRAY (node) : !JSON_NODE_HOLDS_OBJECT (node))
    return fail_type (ld, error, field, want_array ? _("an array") : _("an object"), node);
  *out = node;
  return TRUE;
}

static gboolean
read_object (Loader       *ld,
             JsonObject   *obj,
             const char   *parent,
             const char   *name,
             gboolean      required,
             JsonObject  **out,
             GError      **error)
{
  JsonNode *node;

  if (!read_container (ld, obj, parent, name, required, FALSE, &node, error))
    return FALSE;
  *out = node != NULL ? json_node_get_object (node) : NULL;
  return TRUE;
}

static gboolean
read_array (Loader      *ld,
            JsonObject  *obj,
            const char  *parent,
            const char  *name,
            gboolean     required,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node;

  if (!read_container (ld, obj, parent, name, required, TRUE, &node, error))
    return FALSE;
  *out = node != NULL ? json_node_get_array (node) : NULL;
  return TRUE;
}

/* Element @i of an array that must hold objects; the field path of the element goes to
 * *out_field. */
static gboolean
array_object (Loader       *ld,
              JsonArray    *array,
              const char   *parent,
              const char   *name,
              guint         i,
              JsonObject  **out,
              char        **out_field,
              GError      **error)
{
  JsonNode *node = json_array_get_element (array, i);
  g_autofree char *base = field_join (parent, name);

  *out_field = g_strdup_printf ("%s[%u]", base, i);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_type (ld, error, *out_field, _("an object"), node);
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_media_name (Loader       *ld,
                 JsonObject   *obj,
                 const char   *parent,
                 const char   *name,
                 const char  **out,
                 GError      **error)
{
  g_autofree char *field = NULL;
  const char *value;

  if (!read_optional_string (ld, obj, parent, name, &value, error))
    return FALSE;
  *out = value;
  if (value == NULL)
    return TRUE;

  field = field_join (parent, name);
  if (g_path_is_absolute (value) || strchr (value, '/') != NULL || strchr (value, '\\') != NULL
      || strstr (value, "..") != NULL)
    return fail (ld, error, REEL_PROJECT_ERROR_UNSAFE_PATH, field,
                 _("“%s” is a path, but media are named by a file inside the bundle's media "
                   "folder (“<sha256>.<ext>”). Copy the file into the project with Reel and "
                   "use the name it gets."), value);
  if (!reel_media_name_is_valid (value))
    return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                 _("“%s” is not a media name: it must be the file's 64-digit lowercase sha256 "
                   "followed by an extension, such as “<sha256>.png”. Re-import the file with "
                   "Reel."), value);

  if (ld->media_root != NULL)
    {
      g_autoptr(GFile) file = g_file_get_child (ld->media_root, REEL_MEDIA_DIR_NAME);
      g_autoptr(GFile) child = g_file_get_child (file, value);

      if (!reel_media_store_check_file (ld->media_root, child, ld->file, field, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Unknown members ---- */

static JsonObject *
collect_extra (JsonObject         *obj,
               const char * const *known)
{
  JsonObject *extra = NULL;
  GList *members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_strv_contains (known, name))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, name,
                              reel_json_node_copy (json_object_get_member (obj, name)));
    }
  g_list_free (members);
  return extra;
}

/* Keeps the unknown members of a nested known object ("camera", "sound", "media") inside the
 * owner's extra under the nested object's own name: that name is known at the owner's level,
 * so it can never clash with a real unknown member there. */
static void
nest_extra (JsonObject **extra,
            const char  *key,
            JsonObject  *nested)
{
  if (nested == NULL)
    return;
  if (*extra == NULL)
    *extra = json_object_new ();
  json_object_set_object_member (*extra, key, nested);
}

/* Adds the members of @extra that @target lacks; objects present in both merge recursively.
 * Known members always win, so a hand-edited extra cannot override a real field. */
static void
merge_extra (JsonObject *target,
             JsonObject *extra)
{
  GList *members;

  if (extra == NULL)
    return;
  members = json_object_get_members (extra);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (extra, name);
      JsonNode *existing = json_object_get_member (target, name);

      if (existing == NULL)
        json_object_set_member (target, name, reel_json_node_copy (value));
      else if (JSON_NODE_HOLDS_OBJECT (existing) && JSON_NODE_HOLDS_OBJECT (value))
        merge_extra (json_node_get_object (existing), json_node_get_object (value));
    }
  g_list_free (members);
}

/* ---- Schema 1 migration ----
 *
 * Schema 1 (Reel's first drafts, see PROJECT-FORMAT.md) kept times in milliseconds, the camera
 * and music as flat shot fields, captions under "captions", voices in a map, and the start
 * image as a "media/NAME" path. It had no takes. The tree is rewritten into schema 2 and then
 * validated like any schema 2 file, so the two versions cannot drift apart in their checks. */

static gboolean
v1_take_ms (Loader      *ld,
            JsonObject  *from,
            const char  *parent,
            const char  *v1_name,
            JsonObject  *to,
            const char  *v2_name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (from, v1_name);
  g_autofree char *field = NULL;

  if (node == NULL)
    return TRUE;
  if (!node_is_number (node))
    {
      field = field_join (parent, v1_name);
      return fail_type (ld, error, field, _("a number of milliseconds"), node);
    }
  json_object_set_double_member (to, v2_name, json_node_get_double (node) / 1000.0);
  return TRUE;
}

static void
v1_copy (JsonObject *from,
         const char *v1_name,
         JsonObject *to,
         const char *v2_name)
{
  JsonNode *node = json_object_get_member (from, v1_name);

  if (node != NULL)
    json_object_set_member (to, v2_name, reel_json_node_copy (node));
}

/* Members of @from not in @consumed go to @to unchanged, unless @to already has them. */
static void
v1_copy_rest (JsonObject         *from,
              const char * const *consumed,
              JsonObject         *to)
{
  GList *members = json_object_get_members (from);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (consumed, name) && !json_object_has_member (to, name))
        json_object_set_member (to, name,
                                reel_json_node_copy (json_object_get_member (from, name)));
    }
  g_list_free (members);
}

static gboolean
v1_convert_list (Loader             *ld,
                 JsonObject         *shot,
                 const char         *shot_field,
                 const char         *v1_name,
                 JsonObject         *voices,
                 JsonArray         **out,
                 GError            **error)
{
  static const char * const dialogue_v1[] = { "speaker", "line", "at_ms", NULL };
  static const char * const sfx_v1[] = { "description", "at_ms", NULL };
  static const char * const caption_v1[] = {
    "text", "from_ms", "to_ms", "position", "style", NULL
  };
  JsonArray *array;

  *out = NULL;
  if (!read_array (ld, shot, shot_field, v1_name, FALSE, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  *out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *field = NULL;
      g_autoptr(JsonObject) item = json_object_new ();
      JsonObject *from;

      if (!array_object (ld, array, shot_field, v1_name, i, &from, &field, error))
        goto fail;

      if (g_str_equal (v1_name, "dialogue"))
        {
          const char *speaker;

          v1_copy (from, "speaker", item, "speaker");
          if (!read_string (ld, from, field, "speaker", FALSE, NULL, &speaker, error))
            goto fail;
          if (speaker != NULL && voices != NULL && json_object_has_member (voices, speaker))
            v1_copy (voices, speaker, item, "voice");
          v1_copy (from, "line", item, "text");
          if (!v1_take_ms (ld, from, field, "at_ms", item, "offset", error))
            goto fail;
          v1_copy_rest (from, dialogue_v1, item);
        }
      else if (g_str_equal (v1_name, "sfx"))
        {
          v1_copy (from, "description", item, "description");
          if (!v1_take_ms (ld, from, field, "at_ms", item, "offset", error))
            goto fail;
          v1_copy_rest (from, sfx_v1, item);
        }
      else
        {
          v1_copy (from, "text", item, "text");
          if (!v1_take_ms (ld, from, field, "from_ms", item, "start", error)
              || !v1_take_ms (ld, from, field, "to_ms", item, "end", error))
            goto fail;
          v1_copy (from, "position", item, "position");
          v1_copy (from, "style", item, "style");
          v1_copy_rest (from, caption_v1, item);
        }
      json_array_add_object_element (*out, g_steal_pointer (&item));
    }
  return TRUE;

fail:
  g_clear_pointer (out, json_array_unref);
  return FALSE;
}

static JsonObject *
migrate_v1_shot (Loader      *ld,
                 JsonObject  *from,
                 const char  *field,
                 JsonObject  *voices,
                 GError     **error)
{
  static const char * const consumed[] = {
    "name", "duration_ms", "aspect", "camera", "camera_speed", "lens", "fps", "dialogue",
    "sfx", "music", "music_level", "captions", "image", NULL
  };
  g_autoptr(JsonObject) shot = json_object_new ();
  g_autoptr(JsonObject) camera = json_object_new ();
  g_autoptr(JsonObject) sound = json_object_new ();
  g_autoptr(JsonObject) music = json_object_new ();
  g_autoptr(JsonArray) dialogue = NULL;
  g_autoptr(JsonArray) sfx = NULL;
  g_autoptr(JsonArray) captions = NULL;
  JsonNode *node;
  const char *aspect, *image, *move;

  v1_copy (from, "id", shot, "id");
  v1_copy (from, "name", shot, "title");
  if (!v1_take_ms (ld, from, field, "duration_ms", shot, "duration", error))
    return NULL;
  v1_copy (from, "prompt", shot, "prompt");
  v1_copy (from, "style", shot, "style");

  /* "16x9" became "16:9". */
  if (!read_string (ld, from, field, "aspect", FALSE, NULL, &aspect, error))
    return NULL;
  if (aspect != NULL)
    {
      g_autofree char *converted = g_strdup (aspect);

      g_strdelimit (converted, "x", ':');
      json_object_set_string_member (shot, "aspect", converted);
    }
  v1_copy (from, "seed", shot, "seed");

  if (!read_string (ld, from, field, "camera", FALSE, NULL, &move, error))
    return NULL;
  json_object_set_string_member (camera, "move", move != NULL ? move : "static");
  v1_copy (from, "camera_speed", camera, "speed");
  v1_copy (from, "lens", camera, "lens_mm");
  v1_copy (from, "fps", camera, "fps");
  json_object_set_object_member (shot, "camera", g_steal_pointer (&camera));

  if (!v1_convert_list (ld, from, field, "dialogue", voices, &dialogue, error)
      || !v1_convert_list (ld, from, field, "sfx", NULL, &sfx, error)
      || !v1_convert_list (ld, from, field, "captions", NULL, &captions, error))
    return NULL;
  if (dialogue != NULL)
    json_object_set_array_member (sound, "dialogue", g_steal_pointer (&dialogue));
  if (sfx != NULL)
    json_object_set_array_member (sound, "sfx", g_steal_pointer (&sfx));

  v1_copy (from, "music", music, "mood");
  /* Music level was a percentage. */
  node = json_object_get_member (from, "music_level");
  if (node != NULL)
    {
      if (!node_is_number (node))
        {
          g_autofree char *level_field = field_join (field, "music_level");

          fail_type (ld, error, level_field, _("a number from 0 to 100"), node);
          return NULL;
        }
      json_object_set_double_member (music, "intensity", json_node_get_double (node) / 100.0);
    }
  json_object_set_object_member (sound, "music", g_steal_pointer (&music));
  json_object_set_object_member (shot, "sound", g_steal_pointer (&sound));
  if (captions != NULL)
    json_object_set_array_member (shot, "text", g_steal_pointer (&captions));

  /* "media/NAME" became "NAME"; anything else is passed on for the schema-2 path checks. */
  if (!read_optional_string (ld, from, field, "image", &image, error))
    return NULL;
  if (image != NULL && g_str_has_prefix (image, REEL_MEDIA_DIR_NAME "/"))
    json_object_set_string_member (shot, "start_image",
                                   image + strlen (REEL_MEDIA_DIR_NAME "/"));
  else if (image != NULL)
    json_object_set_string_member (shot, "start_image", image);

  v1_copy_rest (from, consumed, shot);
  return g_steal_pointer (&shot);
}

static JsonNode *
migrate_v1 (Loader      *ld,
            JsonObject  *from,
            GError     **error)
{
  static const char * const consumed[] = { "format", "version", "name", "voices", "shots", NULL };
  g_autoptr(JsonObject) project = json_object_new ();
  g_autoptr(JsonArray) speakers = json_array_new ();
  g_autoptr(JsonArray) shots = json_array_new ();
  JsonObject *voices;
  JsonArray *v1_shots;
  const char *name;

  json_object_set_string_member (project, "format", "reel-project");
  json_object_set_int_member (project, "schema_version", REEL_PROJECT_SCHEMA_VERSION);
  if (!read_string (ld, from, "", "name", TRUE, NULL, &name, error))
    return NULL;
  json_object_set_string_member (project, "title", name);

  if (!read_object (ld, from, "", "voices", FALSE, &voices, error))
    return NULL;
  if (voices != NULL)
    {
      GList *members = json_object_get_members (voices);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonObject *entry = json_object_new ();

          json_object_set_string_member (entry, "speaker", l->data);
          json_object_set_member (entry, "voice",
                                  reel_json_node_copy (json_object_get_member (voices, l->data)));
          json_array_add_object_element (speakers, entry);
        }
      g_list_free (members);
    }
  json_object_set_array_member (project, "speakers", g_steal_pointer (&speakers));

  if (!read_array (ld, from, "", "shots", TRUE, &v1_shots, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (v1_shots); i++)
    {
      g_autofree char *field = NULL;
      JsonObject *v1_shot, *shot;

      if (!array_object (ld, v1_shots, "", "shots", i, &v1_shot, &field, error))
        return NULL;
      shot = migrate_v1_shot (ld, v1_shot, field, voices, error);
      if (shot == NULL)
        return NULL;
      json_array_add_object_element (shots, shot);
    }
  json_object_set_array_member (project, "shots", g_steal_pointer (&shots));

  v1_copy_rest (from, consumed, project);
  return json_node_init_object (json_node_alloc (), project);
}

/* ---- Building the model from a schema 2 tree ---- */

static gboolean
check_cue_time (Loader      *ld,
                JsonObject  *obj,
                const char  *parent,
                const char  *name,
                gboolean     required,
                double      *out,
                GError     **error)
{
  return read_number (ld, obj, parent, name, required, 0.0, 0.0, REEL_CUE_TIME_MAX, out, error);
}

static gboolean
load_sound (Loader      *ld,
            JsonObject  *shot_obj,
            const char  *shot_field,
            ReelShot    *shot,
            JsonObject **extra,
            GError     **error)
{
  g_autofree char *sound_field = field_join (shot_field, "sound");
  g_autoptr(JsonObject) sound_extra = NULL;
  JsonObject *sound, *music;
  JsonArray *dialogue, *sfx;

  if (!read_object (ld, shot_obj, shot_field, "sound", FALSE, &sound, error))
    return FALSE;
  if (sound == NULL)
    return TRUE;

  if (!read_array (ld, sound, sound_field, "dialogue", FALSE, &dialogue, error)
      || !read_array (ld, sound, sound_field, "sfx", FALSE, &sfx, error)
      || !read_object (ld, sound, sound_field, "music", FALSE, &music, error))
    return FALSE;

  for (guint i = 0; dialogue != NULL && i < json_array_get_length (dialogue); i++)
    {
      g_autofree char *field = NULL;
      g_autoptr(ReelDialogueLine) line = NULL;
      g_autoptr(JsonObject) line_extra = NULL;
      JsonObject *obj;
      const char *speaker, *voice, *text;
      double offset;

      if (!array_object (ld, dialogue, sound_field, "dialogue", i, &obj, &field, error)
          || !read_string (ld, obj, field, "speaker", TRUE, NULL, &speaker, error)
          || !read_string (ld, obj, field, "voice", FALSE, "", &voice, error)
          || !read_string (ld, obj, field, "text", TRUE, NULL, &text, error)
          || !check_cue_time (ld, obj, field, "offset", FALSE, &offset, error))
        return FALSE;
      line = reel_dialogue_line_new (speaker, voice, text, offset);
      line_extra = collect_extra (obj, dialogue_fields);
      reel_dialogue_line_set_extra (line, line_extra);
      reel_shot_append_cue_internal (shot, G_OBJECT (line));
    }

  for (guint i = 0; sfx != NULL && i < json_array_get_length (sfx); i++)
    {
      g_autofree char *field = NULL;
      g_autoptr(ReelSfxCue) cue = NULL;
      g_autoptr(JsonObject) cue_extra = NULL;
      JsonObject *obj;
      const char *description;
      double offset;

      if (!array_object (ld, sfx, sound_field, "sfx", i, &obj, &field, error)
          || !read_string (ld, obj, field, "description", TRUE, NULL, &description, error)
          || !check_cue_time (ld, obj, field, "offset", FALSE, &offset, error))
        return FALSE;
      cue = reel_sfx_cue_new (description, offset);
      cue_extra = collect_extra (obj, sfx_fields);
      reel_sfx_cue_set_extra (cue, cue_extra);
      reel_shot_append_cue_internal (shot, G_OBJECT (cue));
    }

  sound_extra = collect_extra (sound, sound_fields);
  if (music != NULL)
    {
      g_autofree char *music_field = field_join (sound_field, "music");
      const char *mood;
      double intensity;

      if (!read_string (ld, music, music_field, "mood", FALSE, "", &mood, error)
          || !read_number (ld, music, music_field, "intensity", FALSE, 0.5,
                           REEL_MUSIC_INTENSITY_MIN, REEL_MUSIC_INTENSITY_MAX, &intensity, error))
        return FALSE;
      reel_shot_set_music_mood (shot, mood);
      reel_shot_set_music_intensity (shot, intensity);
      nest_extra (&sound_extra, "music", collect_extra (music, music_fields));
    }
  nest_extra (extra, "sound", g_steal_pointer (&sound_extra));
  return TRUE;
}

static gboolean
load_text_cues (Loader      *ld,
                JsonObject  *shot_obj,
                const char  *shot_field,
                ReelShot    *shot,
                GError     **error)
{
  JsonArray *text;

  if (!read_array (ld, shot_obj, shot_field, "text", FALSE, &text, error))
    return FALSE;

  for (guint i = 0; text != NULL && i < json_array_get_length (text); i++)
    {
      g_autofree char *field = NULL;
      g_autoptr(ReelTextCue) cue = NULL;
      g_autoptr(JsonObject) cue_extra = NULL;
      JsonObject *obj;
      const char *string;
      double start, end;
      int position, style;

      if (!array_object (ld, text, shot_field, "text", i, &obj, &field, error)
          || !read_string (ld, obj, field, "text", TRUE, NULL, &string, error)
          || !check_cue_time (ld, obj, field, "start", TRUE, &start, error)
          || !check_cue_time (ld, obj, field, "end", TRUE, &end, error)
          || !read_enum (ld, obj, field, "position", FALSE, REEL_TYPE_TEXT_POSITION,
                         REEL_TEXT_POSITION_BOTTOM, _("text position"), &position, error)
          || !read_enum (ld, obj, field, "style", FALSE, REEL_TYPE_TEXT_STYLE,
                         REEL_TEXT_STYLE_PLAIN, _("text style"), &style, error))
        return FALSE;
      if (end < start)
        {
          g_autofree char *end_field = field_join (field, "end");

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, end_field,
                       _("the text ends (%g s) before it starts (%g s). Make “end” at least "
                         "“start”."), end, start);
        }
      cue = reel_text_cue_new (string, start, end);
      reel_text_cue_set_position (cue, position);
      reel_text_cue_set_style (cue, style);
      cue_extra = collect_extra (obj, text_fields);
      reel_text_cue_set_extra (cue, cue_extra);
      reel_shot_append_cue_internal (shot, G_OBJECT (cue));
    }
  return TRUE;
}

static gboolean
load_takes (Loader      *ld,
            JsonObject  *shot_obj,
            const char  *shot_field,
            ReelShot    *shot,
            GError     **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) parents = g_ptr_array_new ();
  JsonArray *takes;
  const char *selected;
  guint n;

  if (!read_array (ld, shot_obj, shot_field, "takes", FALSE, &takes, error))
    return FALSE;
  n = takes != NULL ? json_array_get_length (takes) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = NULL;
      g_autofree char *media_field = NULL;
      g_autoptr(ReelTake) take = NULL;
      g_autoptr(JsonObject) take_extra = NULL;
      g_autoptr(GDateTime) created = NULL;
      JsonObject *obj, *request, *media;
      const char *id, *parent, *created_string;
      const char *video = NULL, *audio = NULL, *thumbnail = NULL;

      if (!array_object (ld, takes, shot_field, "takes", i, &obj, &field, error)
          || !read_string (ld, obj, field, "id", TRUE, NULL, &id, error)
          || !read_optional_string (ld, obj, field, "parent", &parent, error)
          || !read_string (ld, obj, field, "created", TRUE, NULL, &created_string, error)
          || !read_object (ld, obj, field, "request", FALSE, &request, error)
          || !read_object (ld, obj, field, "media", FALSE, &media, error))
        return FALSE;

      if (*id == '\0' || g_hash_table_contains (ids, id))
        {
          g_autofree char *id_field = field_join (field, "id");

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, id_field,
                       *id == '\0' ? _("the take id is empty. Give every take a unique id.")
                                   : _("another take of this shot has the same id. Give every "
                                       "take a unique id."));
        }
      g_hash_table_add (ids, (gpointer) id);
      g_ptr_array_add (parents, (gpointer) parent);

      created = g_date_time_new_from_iso8601 (created_string, NULL);
      if (created == NULL)
        {
          g_autofree char *created_field = field_join (field, "created");

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, created_field,
                       _("“%s” is not a date and time with a time zone. Write it like "
                         "“2026-11-25T14:00:00Z”."), created_string);
        }

      media_field = field_join (field, "media");
      if (media != NULL
          && (!read_media_name (ld, media, media_field, "video", &video, error)
              || !read_media_name (ld, media, media_field, "audio", &audio, error)
              || !read_media_name (ld, media, media_field, "thumbnail", &thumbnail, error)))
        return FALSE;

      take = reel_take_new_full (id, parent, created, request);
      reel_take_set_video (take, video);
      reel_take_set_audio (take, audio);
      reel_take_set_thumbnail (take, thumbnail);
      take_extra = collect_extra (obj, take_fields);
      if (media != NULL)
        nest_extra (&take_extra, "media", collect_extra (media, take_media_fields));
      reel_take_set_extra (take, take_extra);
      reel_shot_append_take_internal (shot, take);
    }

  /* The remix tree: every parent must be a take of the same shot, and following parents must
   * end at a root, never loop. */
  for (guint i = 0; i < n; i++)
    {
      const char *parent = g_ptr_array_index (parents, i);
      guint steps = 0;

      if (parent == NULL)
        continue;
      if (!g_hash_table_contains (ids, parent))
        {
          g_autofree char *field = g_strdup_printf ("%s.takes[%u].parent", shot_field, i);

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                       _("no take of this shot has the id “%s”. Set the parent to an existing "
                         "take's id, or to null."), parent);
        }
      while (parent != NULL && steps <= n)
        {
          ReelTake *up = reel_shot_find_take (shot, parent);

          parent = up != NULL ? reel_take_get_parent_id (up) : NULL;
          steps++;
        }
      if (steps > n)
        {
          g_autofree char *field = g_strdup_printf ("%s.takes[%u].parent", shot_field, i);

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                       _("the takes' parents form a loop. Set one of them to null."));
        }
    }

  if (!read_optional_string (ld, shot_obj, shot_field, "selected_take", &selected, error))
    return FALSE;
  if (selected != NULL)
    {
      ReelTake *take = reel_shot_find_take (shot, selected);

      if (take == NULL)
        {
          g_autofree char *field = field_join (shot_field, "selected_take");

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, field,
                       _("no take of this shot has the id “%s”. Set it to one of the shot's "
                         "take ids, or to null."), selected);
        }
      reel_shot_set_selected_take (shot, take);
    }
  return TRUE;
}

/* A shot's likeness consent (app/reel-consent.h): absent or null for none, else every field
 * present and non-empty, a date with a time zone, and a media name that exists. */
static gboolean
load_consent (Loader       *ld,
              JsonObject   *shot_obj,
              const char   *shot_field,
              ReelShot     *shot,
              JsonObject  **extra,
              GError      **error)
{
  static const char * const required[] = { "subject", "granted_by", "purpose", NULL };
  g_autofree char *field = field_join (shot_field, "consent");
  g_autoptr(GDateTime) granted = NULL;
  g_autoptr(ReelConsent) consent = NULL;
  const char *values[G_N_ELEMENTS (required)] = { NULL };
  const char *granted_string, *start_image;
  JsonNode *node = json_object_get_member (shot_obj, "consent");
  JsonObject *obj;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!read_object (ld, shot_obj, shot_field, "consent", FALSE, &obj, error))
    return FALSE;

  for (guint i = 0; required[i] != NULL; i++)
    {
      if (!read_string (ld, obj, field, required[i], TRUE, NULL, &values[i], error))
        return FALSE;
      if (*values[i] == '\0')
        {
          g_autofree char *member = field_join (field, required[i]);

          return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, member,
                       _("the consent record leaves this empty. Say who appears, who granted "
                         "the consent and for what, or remove the record."));
        }
    }
  if (!read_string (ld, obj, field, "granted", TRUE, NULL, &granted_string, error))
    return FALSE;
  granted = g_date_time_new_from_iso8601 (granted_string, NULL);
  if (granted == NULL)
    {
      g_autofree char *member = field_join (field, "granted");

      return fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, member,
                   _("“%s” is not a date and time with a time zone. Write it like "
                     "“2026-11-25T14:00:00Z”."), granted_string);
    }
  if (!read_media_name (ld, obj, field, "start_image", &start_image, error))
    return FALSE;
  if (start_image == NULL)
    {
      g_autofree char *member = field_join (field, "start_image");

      return fail_missing (ld, error, member);
    }

  consent = reel_consent_new (values[0], values[1], granted, values[2], start_image);
  reel_shot_set_consent (shot, consent);
  nest_extra (extra, "consent", collect_extra (obj, consent_fields));
  return TRUE;
}

static ReelShot *
load_shot (Loader      *ld,
           JsonObject  *obj,
           const char  *field,
           GHashTable  *shot_ids,
           GError     **error)
{
  g_autoptr(ReelShot) shot = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autofree char *camera_field = field_join (field, "camera");
  const char *id, *title, *prompt, *style, *aspect_string, *start_image;
  const char *other;
  ReelAspect aspect;
  double duration, speed, lens_mm;
  gint64 seed, fps;
  int move = REEL_CAMERA_MOVE_STATIC;
  JsonObject *camera;

  if (!read_string (ld, obj, field, "id", TRUE, NULL, &id, error))
    return NULL;
  if (*id == '\0')
    {
      g_autofree char *id_field = field_join (field, "id");

      fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, id_field,
            _("the shot id is empty. Give every shot a unique id."));
      return NULL;
    }
  other = g_hash_table_lookup (shot_ids, id);
  if (other != NULL)
    {
      g_autofree char *id_field = field_join (field, "id");

      fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, id_field,
            _("%s has the same id “%s”. Give every shot a unique id."), other, id);
      return NULL;
    }
  g_hash_table_insert (shot_ids, (gpointer) id, g_strdup (field));

  if (!read_string (ld, obj, field, "title", FALSE, "", &title, error)
      || !read_number (ld, obj, field, "duration", TRUE, 0.0, REEL_SHOT_DURATION_MIN,
                       REEL_SHOT_DURATION_MAX, &duration, error)
      || !read_string (ld, obj, field, "prompt", FALSE, "", &prompt, error)
      || !read_string (ld, obj, field, "style", FALSE, "", &style, error)
      || !read_string (ld, obj, field, "aspect", FALSE, "16:9", &aspect_string, error)
      || !read_integer (ld, obj, field, "seed", FALSE, 0, 0, REEL_SEED_MAX, &seed, error)
      || !read_object (ld, obj, field, "camera", FALSE, &camera, error))
    return NULL;

  if (!reel_aspect_from_string (aspect_string, &aspect))
    {
      g_autofree char *aspect_field = field_join (field, "aspect");

      fail (ld, error, REEL_PROJECT_ERROR_INVALID_VALUE, aspect_field,
            _("“%s” is not an aspect ratio Reel supports. Use “16:9”, “9:16” or “1:1”."),
            aspect_string);
      return NULL;
    }

  speed = 1.0;
  lens_mm = REEL_LENS_MM_DEFAULT;
  fps = REEL_FPS_DEFAULT;
  if (camera != NULL
      && (!read_enum (ld, camera, camera_field, "move", TRUE, REEL_TYPE_CAMERA_MOVE,
                      REEL_CAMERA_MOVE_STATIC, _("camera move"), &move, error)
          || !read_number (ld, camera, camera_field, "speed", FALSE, 1.0,
                           REEL_CAMERA_SPEED_MIN, REEL_CAMERA_SPEED_MAX, &speed, error)
          || !read_number (ld, camera, camera_field, "lens_mm", FALSE, REEL_LENS_MM_DEFAULT,
                           REEL_LENS_MM_MIN, REEL_LENS_MM_MAX, &lens_mm, error)
          || !read_integer (ld, camera, camera_field, "fps", FALSE, REEL_FPS_DEFAULT,
                            REEL_FPS_MIN, REEL_FPS_MAX, &fps, error)))
    return NULL;

  if (!read_media_name (ld, obj, field, "start_image", &start_image, error))
    return NULL;

  shot = reel_shot_new_with_id (id);
  reel_shot_set_title (shot, title);
  reel_shot_set_duration (shot, duration);
  reel_shot_set_prompt (shot, prompt);
  reel_shot_set_style (shot, style);
  reel_shot_set_aspect (shot, aspect);
  reel_shot_set_seed (shot, seed);
  reel_shot_set_camera_move (shot, move);
  reel_shot_set_camera_speed (shot, speed);
  reel_shot_set_lens_mm (shot, lens_mm);
  reel_shot_set_fps (shot, (int) fps);
  reel_shot_set_start_image (shot, start_image);

  extra = collect_extra (obj, shot_fields);
  if (camera != NULL)
    nest_extra (&extra, "camera", collect_extra (camera, camera_fields));

  if (!load_sound (ld, obj, field, shot, &extra, error)
      || !load_consent (ld, obj, field, shot, &extra, error)
      || !load_text_cues (ld, obj, field, shot, error)
      || !load_takes (ld, obj, field, shot, error))
    return NULL;

  reel_shot_set_extra (shot, extra);
  return g_steal_pointer (&shot);
}

static gboolean
load_speakers (Loader       *ld,
               JsonObject   *root,
               ReelProject  *project,
               JsonObject  **extra,
               GError      **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) voices = g_ptr_array_new ();
  g_autoptr(JsonObject) speakers_extra = NULL;
  JsonArray *speakers;

  if (!read_array (ld, root, "", "speakers", FALSE, &speakers, error))
    return FALSE;

  for (guint i = 0; speakers != NULL && i < json_array_get_length (speakers); i++)
    {
      g_autofree char *field = NULL;
      JsonObject *obj, *unknown;
      const char *name, *voice;

      if (!array_object (ld, speakers, "", "speakers", i, &obj, &field, error)
          || !read_string (ld, obj, field, "speaker", TRUE, NULL, &name, error)
          || !read_string (ld, obj, field, "voice", TRUE, NULL, &voice, error))
        return FALSE;
      g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_add (voices, (gpointer) voice);

      /* Speaker entries have no object of their own: their unknown members are kept by
       * speaker name. */
      unknown = collect_extra (obj, speaker_fields);
      if (unknown != NULL)
        {
          if (speakers_extra == NULL)
            speakers_extra = json_object_new ();
          json_object_set_object_member (speakers_extra, name, unknown);
        }
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (voices, NULL);
  reel_project_set_speakers (project, (const char * const *) names->pdata,
                             (const char * const *) voices->pdata);
  nest_extra (extra, "speakers", g_steal_pointer (&speakers_extra));
  return TRUE;
}

static ReelProject *
load_tree (Loader      *ld,
           JsonObject  *root,
           GError     **error)
{
  g_autoptr(ReelProject) project = reel_project_new ();
  g_autoptr(GHashTable) shot_ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(GPtrArray) shots = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *shot_array;
  const char *title;

  if (!read_string (ld, root, "", "title", TRUE, NULL, &title, error)
      || !read_array (ld, root, "", "shots", TRUE, &shot_array, error))
    return NULL;

  extra = collect_extra (root, project_fields);
  if (!load_speakers (ld, root, project, &extra, error))
    return NULL;

  /* Shots are all built before any joins the project, so a failure leaves nothing behind. */
  for (guint i = 0; i < json_array_get_length (shot_array); i++)
    {
      g_autofree char *field = NULL;
      JsonObject *obj;
      ReelShot *shot;

      if (!array_object (ld, shot_array, "", "shots", i, &obj, &field, error))
        return NULL;
      shot = load_shot (ld, obj, field, shot_ids, error);
      if (shot == NULL)
        return NULL;
      g_ptr_array_add (shots, shot);
    }

  reel_project_set_title_internal (project, title);
  for (guint i = 0; i < shots->len; i++)
    reel_project_append_shot_internal (project, g_ptr_array_index (shots, i));
  reel_project_set_extra (project, extra);
  return g_steal_pointer (&project);
}

JsonNode *
reel_project_parse_data (const char   *data,
                         gsize         length,
                         const char   *display_name,
                         GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  Loader ld = { display_name, NULL, FALSE };
  JsonNode *root_node;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > MAX_FILE_SIZE)
    {
      fail (&ld, error, REEL_PROJECT_ERROR_MALFORMED, _("(file)"),
            _("the file is %llu MiB, far larger than any storyboard. It is not a Reel "
              "project file; restore project.json from a backup."),
            (unsigned long long) (length / (1024 * 1024)));
      return NULL;
    }
  if (!scan_json (&ld, data, length, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      const char *detail = local_error->message;
      g_autofree char *where = NULL;
      guint line = 0, column = 0;
      int consumed = 0;

      /* json-glib says "<data>:LINE:COL: Parse error: ..."; people want line and column. */
      if (sscanf (detail, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
        {
          where = g_strdup_printf (_("line %u, column %u: %s"), line, column, detail + consumed);
          detail = where;
        }
      fail (&ld, error, REEL_PROJECT_ERROR_MALFORMED, _("(file)"),
            _("this is not valid JSON (%s). The file is damaged, perhaps cut short by a crash "
              "or a full disk; restore it from a backup or an autosave."), detail);
      return NULL;
    }

  root_node = json_parser_get_root (parser);
  if (root_node == NULL)
    {
      fail (&ld, error, REEL_PROJECT_ERROR_MALFORMED, _("(file)"),
            _("the file is empty. It was probably cut short by a crash or a full disk; "
              "restore it from a backup or an autosave."));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      fail_type (&ld, error, _("(top level)"), _("an object"), root_node);
      return NULL;
    }
  return json_node_ref (root_node);
}

ReelProject *
reel_project_load_from_object (JsonObject   *root,
                               const char   *display_name,
                               GFile        *media_root,
                               GError      **error)
{
  g_autoptr(JsonNode) migrated = NULL;
  Loader ld = { display_name, media_root, FALSE };
  const char *format;
  const char *version_field = "schema_version";
  gint64 version;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_string (&ld, root, "", "format", TRUE, NULL, &format, error))
    return NULL;
  if (!g_str_equal (format, "reel-project"))
    {
      fail (&ld, error, REEL_PROJECT_ERROR_MALFORMED, "format",
            _("“%s” is not “reel-project”: this is not a Reel project file."), format);
      return NULL;
    }

  /* Schema 1 called the field "version". */
  if (!json_object_has_member (root, "schema_version") && json_object_has_member (root, "version"))
    version_field = "version";
  if (!read_integer (&ld, root, "", version_field, TRUE, 0, 1, G_MAXINT64, &version, error))
    return NULL;
  if (version > REEL_PROJECT_SCHEMA_VERSION)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_UNSUPPORTED_VERSION,
                   _("%s: %s: the project uses schema version %" G_GINT64_FORMAT ", written by "
                     "a newer Reel. This Reel (%s) reads schema versions 1 to %d; install a "
                     "newer version of Reel to open it."),
                   display_name, version_field, version, PACKAGE_VERSION,
                   REEL_PROJECT_SCHEMA_VERSION);
      return NULL;
    }

  if (version == 1)
    {
      migrated = migrate_v1 (&ld, root, error);
      if (migrated == NULL)
        return NULL;
      root = json_node_get_object (migrated);
      ld.migrated = TRUE;
      g_debug ("Migrated %s from schema version 1", display_name);
    }

  return load_tree (&ld, root, error);
}

ReelProject *
reel_project_load_from_data (const char   *data,
                             gsize         length,
                             const char   *display_name,
                             GFile        *media_root,
                             GError      **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = reel_project_parse_data (data, length, display_name, error);
  if (root == NULL)
    return NULL;
  return reel_project_load_from_object (json_node_get_object (root), display_name, media_root,
                                        error);
}

static GFile *
resolve_bundle (GFile *bundle)
{
  g_autofree char *basename = g_file_get_basename (bundle);

  /* Accept the project.json itself, as a shell completion might give it. */
  if (g_strcmp0 (basename, REEL_PROJECT_FILE_NAME) == 0
      && g_file_query_file_type (bundle, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
    return g_file_get_parent (bundle);
  return g_object_ref (bundle);
}

ReelProject *
reel_project_load (GFile   *bundle,
                   GError **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) json_file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(ReelProject) project = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  g_return_val_if_fail (G_IS_FILE (bundle), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = resolve_bundle (bundle);
  dir_path = g_file_get_path (dir);
  if (dir_path == NULL)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_NOT_FOUND,
                   _("“%s” is not a local folder. Copy the project to this computer first."),
                   g_file_peek_path (dir) ? g_file_peek_path (dir) : "?");
      return NULL;
    }
  if (!g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_NOT_FOUND,
                   g_file_test (dir_path, G_FILE_TEST_EXISTS)
                   ? _("“%s” is not a Reel project: a project is a folder named NAME.reel "
                       "with a project.json inside.")
                   : _("“%s” does not exist. Check the path."), dir_path);
      return NULL;
    }

  json_file = g_file_get_child (dir, REEL_PROJECT_FILE_NAME);
  json_path = g_file_get_path (json_file);
  /* Checked before reading, so a stray huge file is refused without loading it. */
  if (g_stat (json_path, &st) == 0 && st.st_size > MAX_FILE_SIZE)
    {
      Loader ld = { json_path, NULL, FALSE };

      fail (&ld, error, REEL_PROJECT_ERROR_MALFORMED, _("(file)"),
            _("the file is %" G_GINT64_FORMAT " MiB, far larger than any storyboard. It is "
              "not a Reel project file; restore project.json from a backup."),
            (gint64) st.st_size / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (json_path, &contents, &length, &local_error))
    {
      g_set_error (error, REEL_PROJECT_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? REEL_PROJECT_ERROR_NOT_FOUND : REEL_PROJECT_ERROR_FAILED,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? _("%s: (file): the project file is missing, so “%s” is not a Reel "
                       "project. Open the NAME.reel folder that contains project.json.")
                   : _("%s: (file): could not be read (%s). Check the file's permissions."),
                   json_path,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? dir_path : local_error->message);
      return NULL;
    }

  project = reel_project_load_from_data (contents, length, json_path, dir, error);
  if (project == NULL)
    return NULL;

  reel_project_set_path_internal (project, dir_path);
  reel_project_clear_history (project);
  reel_project_mark_saved (project);
  return g_steal_pointer (&project);
}

/* ---- Writing ---- */

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = *s;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double ("0.4", not json-glib's
 * "0.40000000000000002"), always with a decimal point so the value stays a float. */
static void
write_double (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16
                                                        ? "%.16g" : "%.17g", value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
indent (GString *out,
        guint    level)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            guint     level)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *obj = json_node_get_object (node);
        GList *members = json_object_get_members (obj);

        if (members == NULL)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            indent (out, level + 1);
            write_string (out, l->data);
            g_string_append (out, ": ");
            write_node (out, json_object_get_member (obj, l->data), level + 1);
            if (l->next != NULL)
              g_string_append_c (out, ',');
          }
        g_list_free (members);
        indent (out, level);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            indent (out, level + 1);
            write_node (out, json_array_get_element (array, i), level + 1);
            if (i + 1 < n)
              g_string_append_c (out, ',');
          }
        indent (out, level);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
set_nullable_string (JsonObject *obj,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, name, value);
  else
    json_object_set_null_member (obj, name);
}

static JsonObject *
take_to_json (ReelTake *take)
{
  JsonObject *obj = json_object_new ();
  JsonObject *media = json_object_new ();
  g_autoptr(GDateTime) utc = g_date_time_to_utc (reel_take_get_created (take));
  g_autofree char *created = g_date_time_format_iso8601 (utc);

  json_object_set_string_member (obj, "id", reel_take_get_id (take));
  set_nullable_string (obj, "parent", reel_take_get_parent_id (take));
  json_object_set_string_member (obj, "created", created);
  json_object_set_object_member (obj, "request",
                                 reel_json_object_copy (reel_take_get_request (take)));
  set_nullable_string (media, "video", reel_take_get_video (take));
  set_nullable_string (media, "audio", reel_take_get_audio (take));
  set_nullable_string (media, "thumbnail", reel_take_get_thumbnail (take));
  json_object_set_object_member (obj, "media", media);
  merge_extra (obj, reel_take_get_extra (take));
  return obj;
}

static JsonObject *
shot_to_json (ReelShot *shot)
{
  JsonObject *obj = json_object_new ();
  JsonObject *camera = json_object_new ();
  JsonObject *sound = json_object_new ();
  JsonObject *music = json_object_new ();
  JsonArray *dialogue = json_array_new ();
  JsonArray *sfx = json_array_new ();
  JsonArray *text = json_array_new ();
  JsonArray *takes = json_array_new ();
  GListModel *list;
  ReelTake *selected;
  ReelConsent *consent;

  json_object_set_string_member (obj, "id", reel_shot_get_id (shot));
  json_object_set_string_member (obj, "title", reel_shot_get_title (shot));
  json_object_set_double_member (obj, "duration", reel_shot_get_duration (shot));
  json_object_set_string_member (obj, "prompt", reel_shot_get_prompt (shot));
  json_object_set_string_member (obj, "style", reel_shot_get_style (shot));
  json_object_set_string_member (obj, "aspect",
                                 reel_aspect_to_string (reel_shot_get_aspect (shot)));
  json_object_set_int_member (obj, "seed", reel_shot_get_seed (shot));

  json_object_set_string_member (camera, "move",
                                 reel_enum_to_nick (REEL_TYPE_CAMERA_MOVE,
                                                    reel_shot_get_camera_move (shot)));
  json_object_set_double_member (camera, "speed", reel_shot_get_camera_speed (shot));
  json_object_set_double_member (camera, "lens_mm", reel_shot_get_lens_mm (shot));
  json_object_set_int_member (camera, "fps", reel_shot_get_fps (shot));
  json_object_set_object_member (obj, "camera", camera);

  list = reel_shot_get_dialogue (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelDialogueLine) line = g_list_model_get_item (list, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "speaker", reel_dialogue_line_get_speaker (line));
      json_object_set_string_member (item, "voice", reel_dialogue_line_get_voice (line));
      json_object_set_string_member (item, "text", reel_dialogue_line_get_text (line));
      json_object_set_double_member (item, "offset", reel_dialogue_line_get_offset (line));
      merge_extra (item, reel_dialogue_line_get_extra (line));
      json_array_add_object_element (dialogue, item);
    }
  json_object_set_array_member (sound, "dialogue", dialogue);

  list = reel_shot_get_sfx (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelSfxCue) cue = g_list_model_get_item (list, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "description", reel_sfx_cue_get_description (cue));
      json_object_set_double_member (item, "offset", reel_sfx_cue_get_offset (cue));
      merge_extra (item, reel_sfx_cue_get_extra (cue));
      json_array_add_object_element (sfx, item);
    }
  json_object_set_array_member (sound, "sfx", sfx);

  json_object_set_string_member (music, "mood", reel_shot_get_music_mood (shot));
  json_object_set_double_member (music, "intensity", reel_shot_get_music_intensity (shot));
  json_object_set_object_member (sound, "music", music);
  json_object_set_object_member (obj, "sound", sound);

  list = reel_shot_get_text_cues (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelTextCue) cue = g_list_model_get_item (list, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "text", reel_text_cue_get_text (cue));
      json_object_set_double_member (item, "start", reel_text_cue_get_start (cue));
      json_object_set_double_member (item, "end", reel_text_cue_get_end (cue));
      json_object_set_string_member (item, "position",
                                     reel_enum_to_nick (REEL_TYPE_TEXT_POSITION,
                                                        reel_text_cue_get_position (cue)));
      json_object_set_string_member (item, "style",
                                     reel_enum_to_nick (REEL_TYPE_TEXT_STYLE,
                                                        reel_text_cue_get_style (cue)));
      merge_extra (item, reel_text_cue_get_extra (cue));
      json_array_add_object_element (text, item);
    }
  json_object_set_array_member (obj, "text", text);

  set_nullable_string (obj, "start_image", reel_shot_get_start_image (shot));

  consent = reel_shot_get_consent (shot);
  if (consent != NULL)
    {
      JsonObject *record = json_object_new ();
      g_autoptr(GDateTime) utc = g_date_time_to_utc (reel_consent_get_granted (consent));
      g_autofree char *granted = g_date_time_format_iso8601 (utc);

      json_object_set_string_member (record, "subject", reel_consent_get_subject (consent));
      json_object_set_string_member (record, "granted_by", reel_consent_get_granted_by (consent));
      json_object_set_string_member (record, "granted", granted);
      json_object_set_string_member (record, "purpose", reel_consent_get_purpose (consent));
      json_object_set_string_member (record, "start_image",
                                     reel_consent_get_start_image (consent));
      json_object_set_object_member (obj, "consent", record);
    }
  else if (reel_shot_get_extra (shot) != NULL
           && json_object_has_member (reel_shot_get_extra (shot), "consent"))
    {
      /* A removed record may have left unknown members behind; the null keeps them from
       * being written back as a consent object without its fields. */
      json_object_set_null_member (obj, "consent");
    }

  list = reel_shot_get_takes (shot);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(ReelTake) take = g_list_model_get_item (list, i);

      json_array_add_object_element (takes, take_to_json (take));
    }
  json_object_set_array_member (obj, "takes", takes);

  selected = reel_shot_get_selected_take (shot);
  set_nullable_string (obj, "selected_take", selected != NULL ? reel_take_get_id (selected) : NULL);

  merge_extra (obj, reel_shot_get_extra (shot));
  return obj;
}

JsonNode *
reel_project_to_json (ReelProject *self)
{
  JsonNode *node;
  JsonObject *root;
  JsonObject *extra;
  JsonObject *speakers_extra = NULL;
  JsonArray *speakers;
  JsonArray *shots;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  root = json_object_new ();
  json_object_set_string_member (root, "format", "reel-project");
  json_object_set_int_member (root, "schema_version", REEL_PROJECT_SCHEMA_VERSION);
  json_object_set_string_member (root, "title", reel_project_get_title (self));

  extra = reel_project_get_extra (self);
  if (extra != NULL && json_object_has_member (extra, "speakers")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (extra, "speakers")))
    speakers_extra = json_object_get_object_member (extra, "speakers");

  speakers = json_array_new ();
  for (guint i = 0; i < reel_project_get_n_speakers (self); i++)
    {
      JsonObject *item = json_object_new ();
      const char *name = reel_project_get_speaker_name (self, i);

      json_object_set_string_member (item, "speaker", name);
      json_object_set_string_member (item, "voice", reel_project_get_speaker_voice (self, i));
      if (speakers_extra != NULL && json_object_has_member (speakers_extra, name)
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (speakers_extra, name)))
        merge_extra (item, json_object_get_object_member (speakers_extra, name));
      json_array_add_object_element (speakers, item);
    }
  json_object_set_array_member (root, "speakers", speakers);

  shots = json_array_new ();
  for (guint i = 0; i < reel_project_get_n_shots (self); i++)
    json_array_add_object_element (shots, shot_to_json (reel_project_get_shot (self, i)));
  json_object_set_array_member (root, "shots", shots);

  /* "speakers" is an array here and an object in the extra, so merging skips it. */
  merge_extra (root, extra);
  node = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return node;
}

char *
reel_project_to_data (ReelProject *self,
                      gsize       *out_length)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  root = reel_project_to_json (self);
  return reel_json_to_data (root, out_length);
}

char *
reel_json_to_data (JsonNode *root,
                   gsize    *out_length)
{
  GString *out;

  g_return_val_if_fail (root != NULL, NULL);

  out = g_string_sized_new (4096);
  write_node (out, root, 0);
  g_string_append_c (out, '\n');
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

GFile *
reel_project_get_media_root (ReelProject *self)
{
  const char *dir;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  dir = reel_project_get_path (self);
  if (dir == NULL)
    dir = reel_project_get_scratch_dir (self);
  return dir != NULL ? g_file_new_for_path (dir) : NULL;
}

GFile *
reel_project_get_media_file (ReelProject *self,
                             const char  *media_name)
{
  g_autoptr(GFile) root = NULL;
  g_autoptr(GFile) media = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), NULL);

  if (!reel_media_name_is_valid (media_name))
    return NULL;
  root = reel_project_get_media_root (self);
  if (root == NULL)
    return NULL;
  media = g_file_get_child (root, REEL_MEDIA_DIR_NAME);
  return g_file_get_child (media, media_name);
}

static gboolean
write_project_file (ReelProject  *self,
                    const char   *bundle_path,
                    GError      **error)
{
  g_autofree char *data = NULL;
  g_autofree char *media_path = g_build_filename (bundle_path, REEL_MEDIA_DIR_NAME, NULL);
  g_autofree char *json_path = g_build_filename (bundle_path, REEL_PROJECT_FILE_NAME, NULL);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  gsize length;

  if (g_mkdir_with_parents (media_path, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Could not create the project folder “%s”: %s. Choose a folder you may "
                     "write to."), media_path, g_strerror (saved_errno));
      return FALSE;
    }

  data = reel_project_to_data (self, &length);
  return reel_atomic_file_replace (json_file, data, length, error);
}

gboolean
reel_project_save (ReelProject  *self,
                   GError      **error)
{
  const char *path;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (reel_project_get_path (self) != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = reel_project_get_path (self);
  if (!write_project_file (self, path, error))
    return FALSE;
  reel_project_mark_saved (self);
  return TRUE;
}

static void
remove_scratch_dir (const char *scratch)
{
  g_autofree char *media = g_build_filename (scratch, REEL_MEDIA_DIR_NAME, NULL);
  g_autoptr(GDir) dir = g_dir_open (media, 0, NULL);
  const char *name;

  /* The scratch folder only ever holds media/ with flat files, all now copied. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (media, name, NULL);

      g_unlink (file);
    }
  g_rmdir (media);
  g_rmdir (scratch);
}

gboolean
reel_project_save_as (ReelProject  *self,
                      GFile        *bundle,
                      GError      **error)
{
  g_autofree char *bundle_path = NULL;
  g_autofree char *scratch = NULL;
  g_autoptr(GFile) old_root = NULL;
  g_autoptr(GFile) old_media = NULL;
  g_autoptr(GFile) new_media = NULL;

  g_return_val_if_fail (REEL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (bundle), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bundle_path = g_file_get_path (bundle);
  if (bundle_path == NULL)
    {
      g_set_error (error, REEL_PROJECT_ERROR, REEL_PROJECT_ERROR_FAILED,
                   _("Projects can only be saved to a local folder. Choose a folder on this "
                     "computer."));
      return FALSE;
    }
  new_media = g_file_new_build_filename (bundle_path, REEL_MEDIA_DIR_NAME, NULL);

  /* Media first: once project.json is in place it may reference them. */
  old_root = reel_project_get_media_root (self);
  if (old_root != NULL && !g_file_equal (old_root, bundle))
    {
      old_media = g_file_get_child (old_root, REEL_MEDIA_DIR_NAME);
      if (!reel_media_store_copy_missing (old_media, new_media, error))
        return FALSE;
    }

  if (!write_project_file (self, bundle_path, error))
    return FALSE;

  scratch = g_strdup (reel_project_get_scratch_dir (self));
  reel_project_set_path_internal (self, bundle_path);
  reel_project_mark_saved (self);
  if (scratch != NULL)
    {
      reel_project_set_scratch_dir (self, NULL);
      remove_scratch_dir (scratch);
    }
  return TRUE;
}

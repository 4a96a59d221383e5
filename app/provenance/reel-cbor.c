#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-cbor.h"
#include "reel-provenance-error.h"

static ReelCbor *
cbor_new (ReelCborType type)
{
  ReelCbor *item = g_new0 (ReelCbor, 1);

  item->type = type;
  if (type == REEL_CBOR_ARRAY || type == REEL_CBOR_MAP || type == REEL_CBOR_TAG)
    item->items = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_cbor_free);
  return item;
}

void
reel_cbor_free (ReelCbor *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->items, g_ptr_array_unref);
  g_free (item->data);
  g_free (item);
}

ReelCbor *
reel_cbor_new_uint (guint64 value)
{
  ReelCbor *item = cbor_new (REEL_CBOR_UINT);

  item->value = value;
  return item;
}

ReelCbor *
reel_cbor_new_int (gint64 value)
{
  ReelCbor *item;

  if (value >= 0)
    return reel_cbor_new_uint ((guint64) value);
  item = cbor_new (REEL_CBOR_NEGINT);
  item->value = (guint64) (-(value + 1));
  return item;
}

ReelCbor *
reel_cbor_new_bytes (const void *data,
                     gsize       length)
{
  ReelCbor *item = cbor_new (REEL_CBOR_BYTES);

  item->data = g_malloc (length + 1);
  if (length > 0)
    memcpy (item->data, data, length);
  item->data[length] = 0;
  item->length = length;
  return item;
}

ReelCbor *
reel_cbor_new_text (const char *text)
{
  ReelCbor *item = reel_cbor_new_bytes (text, strlen (text));

  item->type = REEL_CBOR_TEXT;
  return item;
}

ReelCbor *
reel_cbor_new_array (void)
{
  return cbor_new (REEL_CBOR_ARRAY);
}

ReelCbor *
reel_cbor_new_map (void)
{
  return cbor_new (REEL_CBOR_MAP);
}

ReelCbor *
reel_cbor_new_tag (guint64   tag,
                   ReelCbor *tagged)
{
  ReelCbor *item = cbor_new (REEL_CBOR_TAG);

  item->value = tag;
  g_ptr_array_add (item->items, tagged);
  return item;
}

ReelCbor *
reel_cbor_new_bool (gboolean value)
{
  return cbor_new (value ? REEL_CBOR_TRUE : REEL_CBOR_FALSE);
}

ReelCbor *
reel_cbor_new_null (void)
{
  return cbor_new (REEL_CBOR_NULL);
}

ReelCbor *
reel_cbor_array_add (ReelCbor *array,
                     ReelCbor *item)
{
  g_return_val_if_fail (array->type == REEL_CBOR_ARRAY, array);
  g_ptr_array_add (array->items, item);
  return array;
}

ReelCbor *
reel_cbor_map_set (ReelCbor *map,
                   ReelCbor *key,
                   ReelCbor *value)
{
  g_return_val_if_fail (map->type == REEL_CBOR_MAP, map);
  g_ptr_array_add (map->items, key);
  g_ptr_array_add (map->items, value);
  return map;
}

ReelCbor *
reel_cbor_map_set_text (ReelCbor   *map,
                        const char *key,
                        ReelCbor   *value)
{
  return reel_cbor_map_set (map, reel_cbor_new_text (key), value);
}

ReelCbor *
reel_cbor_map_get (const ReelCbor *map,
                   const char     *key)
{
  if (map == NULL || map->type != REEL_CBOR_MAP)
    return NULL;
  for (guint i = 0; i + 1 < map->items->len; i += 2)
    {
      const ReelCbor *k = map->items->pdata[i];

      if (k->type == REEL_CBOR_TEXT && strcmp ((const char *) k->data, key) == 0
          && k->length == strlen (key))
        return map->items->pdata[i + 1];
    }
  return NULL;
}

ReelCbor *
reel_cbor_map_get_int (const ReelCbor *map,
                       gint64          key)
{
  if (map == NULL || map->type != REEL_CBOR_MAP)
    return NULL;
  for (guint i = 0; i + 1 < map->items->len; i += 2)
    {
      gint64 k;

      if (reel_cbor_get_int (map->items->pdata[i], &k) && k == key)
        return map->items->pdata[i + 1];
    }
  return NULL;
}

const char *
reel_cbor_get_text (const ReelCbor *item)
{
  if (item == NULL || item->type != REEL_CBOR_TEXT)
    return NULL;
  return (const char *) item->data;
}

gboolean
reel_cbor_get_int (const ReelCbor *item,
                   gint64         *value)
{
  if (item == NULL || item->value > G_MAXINT64)
    return FALSE;
  if (item->type == REEL_CBOR_UINT)
    *value = (gint64) item->value;
  else if (item->type == REEL_CBOR_NEGINT)
    *value = -1 - (gint64) item->value;
  else
    return FALSE;
  return TRUE;
}

guint
reel_cbor_n_items (const ReelCbor *item)
{
  if (item == NULL || item->items == NULL)
    return 0;
  return item->type == REEL_CBOR_MAP ? item->items->len / 2 : item->items->len;
}

ReelCbor *
reel_cbor_item (const ReelCbor *item,
                guint           index)
{
  if (item == NULL || item->items == NULL || index >= item->items->len)
    return NULL;
  return item->items->pdata[index];
}

/* Encoding */

static void
put_head (GByteArray *out,
          guint8      major,
          guint64     value)
{
  guint8 head[9];
  guint n;

  major <<= 5;
  if (value < 24)
    {
      head[0] = major | (guint8) value;
      n = 1;
    }
  else if (value <= G_MAXUINT8)
    {
      head[0] = major | 24;
      head[1] = (guint8) value;
      n = 2;
    }
  else if (value <= G_MAXUINT16)
    {
      head[0] = major | 25;
      head[1] = (guint8) (value >> 8);
      head[2] = (guint8) value;
      n = 3;
    }
  else if (value <= G_MAXUINT32)
    {
      head[0] = major | 26;
      for (guint i = 0; i < 4; i++)
        head[1 + i] = (guint8) (value >> (24 - 8 * i));
      n = 5;
    }
  else
    {
      head[0] = major | 27;
      for (guint i = 0; i < 8; i++)
        head[1 + i] = (guint8) (value >> (56 - 8 * i));
      n = 9;
    }
  g_byte_array_append (out, head, n);
}

typedef struct
{
  GBytes *key;
  guint   index;
} EncodedKey;

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const EncodedKey *ka = a, *kb = b;
  gsize la, lb;
  const guint8 *da = g_bytes_get_data (ka->key, &la);
  const guint8 *db = g_bytes_get_data (kb->key, &lb);
  int c = memcmp (da, db, MIN (la, lb));

  if (c != 0)
    return c;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

void
reel_cbor_encode_into (const ReelCbor *item,
                       GByteArray     *out)
{
  switch (item->type)
    {
    case REEL_CBOR_UINT:
      put_head (out, 0, item->value);
      break;
    case REEL_CBOR_NEGINT:
      put_head (out, 1, item->value);
      break;
    case REEL_CBOR_BYTES:
      put_head (out, 2, item->length);
      g_byte_array_append (out, item->data, item->length);
      break;
    case REEL_CBOR_TEXT:
      put_head (out, 3, item->length);
      g_byte_array_append (out, item->data, item->length);
      break;
    case REEL_CBOR_ARRAY:
      put_head (out, 4, item->items->len);
      for (guint i = 0; i < item->items->len; i++)
        reel_cbor_encode_into (item->items->pdata[i], out);
      break;
    case REEL_CBOR_MAP:
      {
        guint n = item->items->len / 2;
        g_autofree EncodedKey *keys = g_new0 (EncodedKey, MAX (n, 1));

        /* Deterministic encoding (RFC 8949 §4.2.1): keys in bytewise order of their encoding. */
        for (guint i = 0; i < n; i++)
          {
            keys[i].key = reel_cbor_encode (item->items->pdata[2 * i]);
            keys[i].index = i;
          }
        qsort (keys, n, sizeof (EncodedKey), compare_keys);
        put_head (out, 5, n);
        for (guint i = 0; i < n; i++)
          {
            gsize len;
            const guint8 *data = g_bytes_get_data (keys[i].key, &len);

            g_byte_array_append (out, data, len);
            reel_cbor_encode_into (item->items->pdata[2 * keys[i].index + 1], out);
            g_bytes_unref (keys[i].key);
          }
      }
      break;
    case REEL_CBOR_TAG:
      put_head (out, 6, item->value);
      reel_cbor_encode_into (item->items->pdata[0], out);
      break;
    case REEL_CBOR_FALSE:
      put_head (out, 7, 20);
      break;
    case REEL_CBOR_TRUE:
      put_head (out, 7, 21);
      break;
    case REEL_CBOR_NULL:
      put_head (out, 7, 22);
      break;
    case REEL_CBOR_UNDEFINED:
      put_head (out, 7, 23);
      break;
    case REEL_CBOR_FLOAT:
      {
        guint64 bits;
        guint8 b = 0xfb;

        memcpy (&bits, &item->number, 8);
        g_byte_array_append (out, &b, 1);
        for (guint i = 0; i < 8; i++)
          {
            b = (guint8) (bits >> (56 - 8 * i));
            g_byte_array_append (out, &b, 1);
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

GBytes *
reel_cbor_encode (const ReelCbor *item)
{
  GByteArray *out = g_byte_array_new ();

  reel_cbor_encode_into (item, out);
  return g_byte_array_free_to_bytes (out);
}

/* Decoding */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         pos;
  guint         items;
  const char   *what;
} Decoder;

static gboolean
fail (Decoder    *d,
      GError    **error,
      const char *problem)
{
  g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
               "The CBOR data of %s is malformed at byte %" G_GSIZE_FORMAT ": %s",
               d->what, d->pos, problem);
  return FALSE;
}

static gboolean
read_head (Decoder  *d,
           guint8   *major,
           guint8   *info,
           guint64  *value,
           GError  **error)
{
  guint8 first;
  guint n;

  if (d->pos >= d->length)
    return fail (d, error, "it ends in the middle of an item (truncated)");
  first = d->data[d->pos++];
  *major = first >> 5;
  *info = first & 0x1f;
  if (*info < 24)
    {
      *value = *info;
      return TRUE;
    }
  if (*info == 31)
    {
      /* Indefinite length: allowed for strings, arrays and maps (the reference implementation
       * writes them); a break outside of one is malformed. */
      if (*major == 2 || *major == 3 || *major == 4 || *major == 5)
        {
          *value = G_MAXUINT64;
          return TRUE;
        }
      return fail (d, error, *major == 7 ? "a break byte (0xff) outside an indefinite-length "
                                           "item" : "an indefinite length on an integer or tag");
    }
  if (*info > 27)
    return fail (d, error, "reserved additional-information value");
  n = 1u << (*info - 24);
  if (d->length - d->pos < n)
    return fail (d, error, "it ends in the middle of an item head (truncated)");
  *value = 0;
  for (guint i = 0; i < n; i++)
    *value = (*value << 8) | d->data[d->pos++];
  return TRUE;
}

static double
half_to_double (guint16 half)
{
  int exponent = (half >> 10) & 0x1f;
  int mantissa = half & 0x3ff;
  double v;

  if (exponent == 0)
    v = ldexp (mantissa, -24);
  else if (exponent != 31)
    v = ldexp (mantissa + 1024, exponent - 25);
  else
    v = mantissa == 0 ? INFINITY : NAN;
  return (half & 0x8000) ? -v : v;
}

static ReelCbor *
decode_item (Decoder  *d,
             guint     depth,
             GError  **error)
{
  guint8 major, info;
  guint64 value;
  g_autoptr(ReelCbor) item = NULL;

  if (depth > REEL_CBOR_MAX_DEPTH)
    {
      fail (d, error, "items are nested too deeply (more than 32 levels)");
      return NULL;
    }
  if (++d->items > REEL_CBOR_MAX_ITEMS)
    {
      fail (d, error, "too many items (more than 100000)");
      return NULL;
    }
  if (!read_head (d, &major, &info, &value, error))
    return NULL;

  switch (major)
    {
    case 0:
      return reel_cbor_new_uint (value);
    case 1:
      item = cbor_new (REEL_CBOR_NEGINT);
      item->value = value;
      return g_steal_pointer (&item);
    case 2:
    case 3:
      if (info == 31)
        {
          g_autoptr(GByteArray) joined = g_byte_array_new ();

          for (;;)
            {
              guint8 chunk_major, chunk_info;
              guint64 chunk;

              if (d->pos < d->length && d->data[d->pos] == 0xff)
                {
                  d->pos++;
                  break;
                }
              if (!read_head (d, &chunk_major, &chunk_info, &chunk, error))
                return NULL;
              if (chunk_major != major || chunk_info == 31)
                {
                  fail (d, error, "an indefinite-length string holds a chunk of another type");
                  return NULL;
                }
              if (chunk > d->length - d->pos)
                {
                  fail (d, error, "a string chunk is longer than the data left (truncated)");
                  return NULL;
                }
              g_byte_array_append (joined, d->data + d->pos, (guint) chunk);
              d->pos += (gsize) chunk;
            }
          item = reel_cbor_new_bytes (joined->data, joined->len);
        }
      else
        {
          if (value > d->length - d->pos)
        {
          fail (d, error, "a string is longer than the data left (truncated or size overflow)");
          return NULL;
        }
          item = reel_cbor_new_bytes (d->data + d->pos, (gsize) value);
          d->pos += (gsize) value;
        }
      if (major == 3)
        {
          item->type = REEL_CBOR_TEXT;
          if (!g_utf8_validate ((const char *) item->data, (gssize) item->length, NULL))
            {
              fail (d, error, "a text string is not valid UTF-8");
              return NULL;
            }
        }
      return g_steal_pointer (&item);
    case 4:
    case 5:
      {
        guint64 count = major == 5 ? value * 2 : value;

        if (info == 31)
          {
            item = cbor_new (major == 4 ? REEL_CBOR_ARRAY : REEL_CBOR_MAP);
            for (;;)
              {
                ReelCbor *child;

                if (d->pos >= d->length)
                  {
                    fail (d, error, "an indefinite-length array or map has no break byte "
                                    "(truncated)");
                    return NULL;
                  }
                if (d->data[d->pos] == 0xff)
                  {
                    d->pos++;
                    break;
                  }
                child = decode_item (d, depth + 1, error);
                if (child == NULL)
                  return NULL;
                g_ptr_array_add (item->items, child);
              }
            if (major == 5 && item->items->len % 2 != 0)
              {
                fail (d, error, "an indefinite-length map has a key without a value");
                return NULL;
              }
            return g_steal_pointer (&item);
          }
        /* Every item takes at least one byte, which bounds counts before any allocation. */
        if (value > d->length - d->pos || count > d->length - d->pos)
          {
            fail (d, error, "an array or map claims more items than bytes left");
            return NULL;
          }
        item = cbor_new (major == 4 ? REEL_CBOR_ARRAY : REEL_CBOR_MAP);
        for (guint64 i = 0; i < count; i++)
          {
            ReelCbor *child = decode_item (d, depth + 1, error);

            if (child == NULL)
              return NULL;
            g_ptr_array_add (item->items, child);
          }
        return g_steal_pointer (&item);
      }
    case 6:
      {
        ReelCbor *child = decode_item (d, depth + 1, error);

        if (child == NULL)
          return NULL;
        return reel_cbor_new_tag (value, child);
      }
    default:
      if (info == 20 || info == 21)
        return reel_cbor_new_bool (info == 21);
      if (info == 22)
        return reel_cbor_new_null ();
      if (info == 23)
        return cbor_new (REEL_CBOR_UNDEFINED);
      if (info >= 25 && info <= 27)
        {
          item = cbor_new (REEL_CBOR_FLOAT);
          if (info == 25)
            item->number = half_to_double ((guint16) value);
          else if (info == 26)
            {
              guint32 bits = (guint32) value;
              float f;

              memcpy (&f, &bits, 4);
              item->number = f;
            }
          else
            memcpy (&item->number, &value, 8);
          return g_steal_pointer (&item);
        }
      fail (d, error, "unknown simple value");
      return NULL;
    }
}

ReelCbor *
reel_cbor_decode (const guint8 *data,
                  gsize         length,
                  const char   *what,
                  GError      **error)
{
  Decoder d = { data, length, 0, 0, what };
  g_autoptr(ReelCbor) item = decode_item (&d, 0, error);

  if (item == NULL)
    return NULL;
  if (d.pos != length)
    {
      fail (&d, error, "extra bytes follow the item");
      return NULL;
    }
  return g_steal_pointer (&item);
}

void
reel_cbor_to_string (const ReelCbor *item,
                     GString        *out)
{
  switch (item->type)
    {
    case REEL_CBOR_UINT:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, item->value);
      break;
    case REEL_CBOR_NEGINT:
      if (item->value < G_MAXINT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, -1 - (gint64) item->value);
      else
        g_string_append (out, "-huge");
      break;
    case REEL_CBOR_BYTES:
      g_string_append (out, "h'");
      for (gsize i = 0; i < MIN (item->length, 32); i++)
        g_string_append_printf (out, "%02x", item->data[i]);
      if (item->length > 32)
        g_string_append_printf (out, "…(%" G_GSIZE_FORMAT " bytes)", item->length);
      g_string_append_c (out, '\'');
      break;
    case REEL_CBOR_TEXT:
      g_string_append_c (out, '"');
      for (gsize i = 0; i < item->length; i++)
        {
          guint8 c = item->data[i];

          if (c == '"' || c == '\\')
            g_string_append_printf (out, "\\%c", c);
          else if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
      g_string_append_c (out, '"');
      break;
    case REEL_CBOR_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < item->items->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          reel_cbor_to_string (item->items->pdata[i], out);
        }
      g_string_append_c (out, ']');
      break;
    case REEL_CBOR_MAP:
      g_string_append_c (out, '{');
      for (guint i = 0; i + 1 < item->items->len; i += 2)
        {
          if (i > 0)
            g_string_append (out, ", ");
          reel_cbor_to_string (item->items->pdata[i], out);
          g_string_append (out, ": ");
          reel_cbor_to_string (item->items->pdata[i + 1], out);
        }
      g_string_append_c (out, '}');
      break;
    case REEL_CBOR_TAG:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT "(", item->value);
      reel_cbor_to_string (item->items->pdata[0], out);
      g_string_append_c (out, ')');
      break;
    case REEL_CBOR_FALSE:
      g_string_append (out, "false");
      break;
    case REEL_CBOR_TRUE:
      g_string_append (out, "true");
      break;
    case REEL_CBOR_NULL:
      g_string_append (out, "null");
      break;
    case REEL_CBOR_UNDEFINED:
      g_string_append (out, "undefined");
      break;
    case REEL_CBOR_FLOAT:
      g_string_append_printf (out, "%g", item->number);
      break;
    default:
      g_assert_not_reached ();
    }
}

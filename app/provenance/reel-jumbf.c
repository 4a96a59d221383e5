#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <string.h>

#include "reel-jumbf.h"
#include "reel-provenance-error.h"

#define MAX_JUMBF_DEPTH 16

static const guint8 jumbf_uuid_tail[12] = {
  0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71
};

void
reel_jumbf_box_free (ReelJumbfBox *box)
{
  if (box == NULL)
    return;
  g_clear_pointer (&box->children, g_ptr_array_unref);
  g_free (box->label);
  g_free (box);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
is_printable_type (const guint8 *p)
{
  for (guint i = 0; i < 4; i++)
    if (p[i] < 0x20 || p[i] > 0x7e)
      return FALSE;
  return TRUE;
}

/* Reads one box header at data[0..]; sets *header and *total, checking them against length. */
static gboolean
read_box_header (const guint8 *data,
                 gsize         length,
                 gsize         at,
                 gsize        *header,
                 gsize        *total,
                 GError      **error)
{
  guint64 size;

  if (length < 8)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "A JUMBF box at byte %" G_GSIZE_FORMAT " is truncated: only %" G_GSIZE_FORMAT
                   " bytes are left for its 8-byte header", at, length);
      return FALSE;
    }
  size = be32 (data);
  *header = 8;
  if (size == 1)
    {
      if (length < 16)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "A JUMBF box at byte %" G_GSIZE_FORMAT " is truncated in its 64-bit size",
                       at);
          return FALSE;
        }
      size = ((guint64) be32 (data + 8) << 32) | be32 (data + 12);
      *header = 16;
    }
  else if (size == 0)
    size = length;
  if (size < *header || size > length)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "A JUMBF box at byte %" G_GSIZE_FORMAT " has an impossible size %"
                   G_GUINT64_FORMAT " (%" G_GSIZE_FORMAT " bytes are left): the box is truncated"
                   " or its size overflows", at, size, length);
      return FALSE;
    }
  *total = (gsize) size;
  return TRUE;
}

static ReelJumbfBox *
parse_box (const guint8 *base,
           gsize         at,
           gsize         length,
           guint         depth,
           GError      **error)
{
  const guint8 *data = base + at;
  g_autoptr(ReelJumbfBox) box = g_new0 (ReelJumbfBox, 1);
  gsize header, total, pos;

  if (!read_box_header (data, length, at, &header, &total, error))
    return NULL;
  if (!is_printable_type (data + 4))
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "A JUMBF box at byte %" G_GSIZE_FORMAT " has a box type that is not four "
                   "printable characters", at);
      return NULL;
    }
  memcpy (box->type, data + 4, 4);
  box->box = data;
  box->box_length = total;
  box->payload = data + header;
  box->payload_length = total - header;

  if (strcmp (box->type, "jumb") != 0)
    return g_steal_pointer (&box);

  if (depth > MAX_JUMBF_DEPTH)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "JUMBF superboxes are nested more than %d deep at byte %" G_GSIZE_FORMAT,
                   MAX_JUMBF_DEPTH, at);
      return NULL;
    }

  /* The description box comes first: type UUID, toggles, then the label if toggled on. */
  {
    const guint8 *d;
    gsize dheader, dtotal, dlen;
    guint8 toggles;

    if (!read_box_header (box->payload, box->payload_length, at + header, &dheader, &dtotal,
                          error))
      return NULL;
    d = box->payload + dheader;
    dlen = dtotal - dheader;
    if (memcmp (box->payload + 4, "jumd", 4) != 0 || dlen < 17)
      {
        g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                     "The JUMBF superbox at byte %" G_GSIZE_FORMAT " does not start with a "
                     "description box (jumd) of at least 17 bytes", at);
        return NULL;
      }
    memcpy (box->type_uuid, d, 16);
    toggles = d[16];
    if (toggles & 0x02)
      {
        const guint8 *end = memchr (d + 17, 0, dlen - 17);

        if (end == NULL)
          {
            g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                         "The JUMBF description box at byte %" G_GSIZE_FORMAT " has a label "
                         "without its terminating NUL", at + header);
            return NULL;
          }
        if (!g_utf8_validate ((const char *) d + 17, end - (d + 17), NULL))
          {
            g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                         "The JUMBF description box at byte %" G_GSIZE_FORMAT " has a label "
                         "that is not UTF-8", at + header);
            return NULL;
          }
        box->label = g_strndup ((const char *) d + 17, end - (d + 17));
      }
    pos = dtotal;
  }

  box->children = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_jumbf_box_free);
  while (pos < box->payload_length)
    {
      ReelJumbfBox *child = parse_box (base, at + header + pos, box->payload_length - pos,
                                       depth + 1, error);

      if (child == NULL)
        return NULL;
      pos += child->box_length;
      g_ptr_array_add (box->children, child);
    }
  return g_steal_pointer (&box);
}

ReelJumbfBox *
reel_jumbf_parse (const guint8 *data,
                  gsize         length,
                  GError      **error)
{
  g_autoptr(ReelJumbfBox) box = parse_box (data, 0, length, 0, error);

  if (box == NULL)
    return NULL;
  if (box->children == NULL)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The manifest store is a '%s' box, not a JUMBF superbox (jumb)", box->type);
      return NULL;
    }
  if (box->box_length != length)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "The manifest store's superbox is %" G_GSIZE_FORMAT " bytes but %"
                   G_GSIZE_FORMAT " bytes were given", box->box_length, length);
      return NULL;
    }
  return g_steal_pointer (&box);
}

ReelJumbfBox *
reel_jumbf_find_child (const ReelJumbfBox *box,
                       const char         *label)
{
  if (box == NULL || box->children == NULL)
    return NULL;
  for (guint i = 0; i < box->children->len; i++)
    {
      ReelJumbfBox *child = box->children->pdata[i];

      if (child->label != NULL && strcmp (child->label, label) == 0)
        return child;
    }
  return NULL;
}

ReelJumbfBox *
reel_jumbf_content (const ReelJumbfBox *box,
                    const char         *type)
{
  if (box == NULL || box->children == NULL)
    return NULL;
  for (guint i = 0; i < box->children->len; i++)
    {
      ReelJumbfBox *child = box->children->pdata[i];

      if (child->children == NULL && strcmp (child->type, type) == 0)
        return child;
    }
  return NULL;
}

gboolean
reel_jumbf_has_type (const ReelJumbfBox *box,
                     const char         *four)
{
  return box != NULL && box->children != NULL && memcmp (box->type_uuid, four, 4) == 0
         && memcmp (box->type_uuid + 4, jumbf_uuid_tail, 12) == 0;
}

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

gsize
reel_jumbf_begin_superbox (GByteArray *out,
                           const char *four,
                           const char *label)
{
  gsize start = out->len;
  guint8 toggles = 0x03;  /* requestable, label present */

  put_be32 (out, 0);
  g_byte_array_append (out, (const guint8 *) "jumb", 4);
  put_be32 (out, 8 + 16 + 1 + strlen (label) + 1);
  g_byte_array_append (out, (const guint8 *) "jumd", 4);
  g_byte_array_append (out, (const guint8 *) four, 4);
  g_byte_array_append (out, jumbf_uuid_tail, 12);
  g_byte_array_append (out, &toggles, 1);
  g_byte_array_append (out, (const guint8 *) label, strlen (label) + 1);
  return start;
}

void
reel_jumbf_add_content (GByteArray   *out,
                        const char   *type,
                        const guint8 *data,
                        gsize         length)
{
  put_be32 (out, (guint32) (8 + length));
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, length);
}

void
reel_jumbf_end_box (GByteArray *out,
                    gsize       start)
{
  guint32 size = (guint32) (out->len - start);

  out->data[start] = size >> 24;
  out->data[start + 1] = size >> 16;
  out->data[start + 2] = size >> 8;
  out->data[start + 3] = size;
}

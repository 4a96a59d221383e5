#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <string.h>

#include "reel-bmff.h"
#include "reel-provenance-error.h"

const guint8 reel_bmff_c2pa_uuid[16] = {
  0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81
};

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint64
be64 (const guint8 *p)
{
  return ((guint64) be32 (p) << 32) | be32 (p + 4);
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

GArray *
reel_bmff_list_boxes (const guint8 *data,
                      gsize         length,
                      guint64       base,
                      GError      **error)
{
  g_autoptr(GArray) boxes = g_array_new (FALSE, TRUE, sizeof (ReelBmffBox));
  gsize pos = 0;

  while (pos < length)
    {
      ReelBmffBox box = { 0 };
      gsize left = length - pos;
      const guint8 *p = data + pos;

      if (left < 8)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "The MP4 box at byte %" G_GUINT64_FORMAT " is truncated: %" G_GSIZE_FORMAT
                       " bytes are left for its 8-byte header", base + pos, left);
          return NULL;
        }
      box.offset = base + pos;
      box.size = be32 (p);
      memcpy (box.type, p + 4, 4);
      box.header = 8;
      if (box.size == 1)
        {
          if (left < 16)
            {
              g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                           "The MP4 box '%s' at byte %" G_GUINT64_FORMAT " is truncated in its "
                           "64-bit size", box.type, box.offset);
              return NULL;
            }
          box.size = be64 (p + 8);
          box.header = 16;
        }
      else if (box.size == 0)
        box.size = left;   /* "extends to the end of the file" */
      if (strcmp (box.type, "uuid") == 0)
        {
          if (left < box.header + 16u)
            {
              g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                           "The MP4 uuid box at byte %" G_GUINT64_FORMAT " is truncated in its "
                           "user type", box.offset);
              return NULL;
            }
          memcpy (box.usertype, p + box.header, 16);
          box.header += 16;
        }
      if (box.size < box.header || box.size > left)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "The MP4 box '%s' at byte %" G_GUINT64_FORMAT " claims %" G_GUINT64_FORMAT
                       " bytes but %" G_GSIZE_FORMAT " are left: the file is truncated or the "
                       "box size overflows", box.type, box.offset, box.size, left);
          return NULL;
        }
      g_array_append_val (boxes, box);
      pos += (gsize) box.size;
    }
  return g_steal_pointer (&boxes);
}

gboolean
reel_bmff_is_c2pa_box (const ReelBmffBox *box)
{
  return strcmp (box->type, "uuid") == 0
         && memcmp (box->usertype, reel_bmff_c2pa_uuid, 16) == 0;
}

static gboolean
shift_in (guint8   *data,
          gsize     length,
          guint64   delta,
          guint     depth,
          GError  **error)
{
  g_autoptr(GArray) boxes = NULL;

  if (depth > 8)
    return TRUE;
  boxes = reel_bmff_list_boxes (data, length, 0, error);
  if (boxes == NULL)
    return FALSE;
  for (guint i = 0; i < boxes->len; i++)
    {
      ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);
      guint8 *body = data + box->offset + box->header;
      gsize body_length = box->size - box->header;

      if (strcmp (box->type, "trak") == 0 || strcmp (box->type, "mdia") == 0
          || strcmp (box->type, "minf") == 0 || strcmp (box->type, "stbl") == 0)
        {
          if (!shift_in (body, body_length, delta, depth + 1, error))
            return FALSE;
        }
      else if (strcmp (box->type, "stco") == 0 || strcmp (box->type, "co64") == 0)
        {
          gboolean wide = box->type[0] == 'c';
          guint entry = wide ? 8 : 4;
          guint32 count;

          if (body_length < 8 || (count = be32 (body + 4)) > (body_length - 8) / entry)
            {
              g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                           "The MP4 chunk offset table (%s) holds fewer entries than it "
                           "claims", box->type);
              return FALSE;
            }
          for (guint32 e = 0; e < count; e++)
            {
              guint8 *p = body + 8 + (gsize) e * entry;

              if (wide)
                {
                  guint64 v = be64 (p) + delta;

                  put_be32 (p, (guint32) (v >> 32));
                  put_be32 (p + 4, (guint32) v);
                }
              else
                {
                  guint64 v = (guint64) be32 (p) + delta;

                  if (v > G_MAXUINT32)
                    {
                      g_set_error (error, REEL_PROVENANCE_ERROR,
                                   REEL_PROVENANCE_ERROR_UNSUPPORTED,
                                   "Adding the manifest moves a chunk past 4 GiB, which a 32-bit "
                                   "chunk offset table (stco) cannot address; export with 64-bit "
                                   "offsets (co64)");
                      return FALSE;
                    }
                  put_be32 (p, (guint32) v);
                }
            }
        }
    }
  return TRUE;
}

gboolean
reel_bmff_shift_chunk_offsets (guint8  *moov,
                               gsize    length,
                               guint64  delta,
                               GError **error)
{
  g_autoptr(GArray) boxes = reel_bmff_list_boxes (moov, length, 0, error);
  ReelBmffBox *box;

  if (boxes == NULL)
    return FALSE;
  box = &g_array_index (boxes, ReelBmffBox, 0);
  if (boxes->len != 1 || strcmp (box->type, "moov") != 0)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                   "Expected one moov box to fix chunk offsets in");
      return FALSE;
    }
  return shift_in (moov + box->header, length - box->header, delta, 0, error);
}

int
reel_c2pa_checksum_type (const char *alg)
{
  if (g_strcmp0 (alg, "sha256") == 0)
    return G_CHECKSUM_SHA256;
  if (g_strcmp0 (alg, "sha384") == 0)
    return G_CHECKSUM_SHA384;
  if (g_strcmp0 (alg, "sha512") == 0)
    return G_CHECKSUM_SHA512;
  return -1;
}

/* A map value that is absent or CBOR null reads as absent (the reference implementation writes
 * every optional field, as null when unused). */
static const ReelCbor *
field (const ReelCbor *map,
       const char     *name)
{
  const ReelCbor *value = reel_cbor_map_get (map, name);

  return value != NULL && value->type != REEL_CBOR_NULL ? value : NULL;
}

/* Boxes whose payload is a list of boxes after a FullBox version and flags. */
static guint
children_skip (const char *type)
{
  return strcmp (type, "meta") == 0 ? 4 : 0;
}

/* Collects the boxes that an exclusion's xpath names, walking down from the given boxes. */
static void
match_path (const guint8 *file,
            GArray       *boxes,
            char        **components,
            GArray       *matches)
{
  g_autofree char *name = NULL;
  char *bracket;

  if (components[0] == NULL)
    return;
  name = g_strdup (components[0]);
  /* "trak[2]" style indices select nothing narrower here: every trak is examined. */
  bracket = strchr (name, '[');
  if (bracket != NULL)
    *bracket = '\0';
  for (guint i = 0; i < boxes->len; i++)
    {
      const ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);
      g_autoptr(GArray) children = NULL;
      guint skip;

      if (strcmp (box->type, name) != 0)
        continue;
      if (components[1] == NULL || components[1][0] == '\0')
        {
          g_array_append_val (matches, *box);
          continue;
        }
      skip = children_skip (box->type);
      if (box->size < box->header + skip)
        continue;
      /* A box that does not parse as a container simply has no children to match. */
      children = reel_bmff_list_boxes (file + box->offset + box->header + skip,
                                       box->size - box->header - skip,
                                       box->offset + box->header + skip, NULL);
      if (children != NULL)
        match_path (file, children, components + 1, matches);
    }
}

static gboolean
box_passes_filters (const ReelCbor    *exclusion,
                    const ReelBmffBox *box,
                    const guint8      *file,
                    GError           **error)
{
  const ReelCbor *data = field (exclusion, "data");
  const ReelCbor *version = field (exclusion, "version");
  const ReelCbor *flags = field (exclusion, "flags");
  gint64 want;

  if (field (exclusion, "length") != NULL
      && reel_cbor_get_int (field (exclusion, "length"), &want) && (guint64) want != box->size)
    return FALSE;
  if (version != NULL && reel_cbor_get_int (version, &want)
      && (box->size <= box->header || file[box->offset + box->header] != want))
    return FALSE;
  if (flags != NULL && flags->type == REEL_CBOR_BYTES && flags->length == 3
      && (box->size < box->header + 4u
          || memcmp (file + box->offset + box->header + 1, flags->data, 3) != 0))
    return FALSE;
  for (guint i = 0; data != NULL && i < reel_cbor_n_items (data); i++)
    {
      const ReelCbor *entry = reel_cbor_item (data, i);
      const ReelCbor *value = field (entry, "value");
      gint64 offset;

      if (!reel_cbor_get_int (field (entry, "offset"), &offset) || offset < 0
          || value == NULL || value->type != REEL_CBOR_BYTES)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "A BMFF hash exclusion has malformed data entries");
          return FALSE;
        }
      if ((guint64) offset + value->length > box->size
          || memcmp (file + box->offset + offset, value->data, value->length) != 0)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  guint64 start;
  guint64 end;
} Range;

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const Range *ra = a, *rb = b;

  return ra->start < rb->start ? -1 : ra->start > rb->start ? 1 : 0;
}

static gboolean
collect_exclusions (const guint8   *file,
                    GArray         *top,
                    const ReelCbor *exclusions,
                    GArray         *ranges,
                    GError        **error)
{
  for (guint e = 0; e < reel_cbor_n_items (exclusions); e++)
    {
      const ReelCbor *exclusion = reel_cbor_item (exclusions, e);
      const char *xpath = reel_cbor_get_text (field (exclusion, "xpath"));
      const ReelCbor *subset = field (exclusion, "subset");
      g_auto(GStrv) components = NULL;
      g_autoptr(GArray) matches = g_array_new (FALSE, TRUE, sizeof (ReelBmffBox));

      if (xpath == NULL || xpath[0] != '/')
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                       "A BMFF hash exclusion has no valid xpath");
          return FALSE;
        }
      components = g_strsplit (xpath + 1, "/", 16);
      match_path (file, top, components, matches);
      for (guint m = 0; m < matches->len; m++)
        {
          const ReelBmffBox *box = &g_array_index (matches, ReelBmffBox, m);
          GError *local = NULL;
          gboolean passes = box_passes_filters (exclusion, box, file, &local);

          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
          if (!passes)
            continue;
          if (subset == NULL)
            {
              Range range = { box->offset, box->offset + box->size };

              g_array_append_val (ranges, range);
              continue;
            }
          for (guint k = 0; k < reel_cbor_n_items (subset); k++)
            {
              const ReelCbor *entry = reel_cbor_item (subset, k);
              gint64 offset, length;
              Range range;

              if (!reel_cbor_get_int (field (entry, "offset"), &offset)
                  || !reel_cbor_get_int (field (entry, "length"), &length)
                  || offset < 0 || length < 0)
                {
                  g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_MALFORMED,
                               "A BMFF hash exclusion for %s has a malformed subset", xpath);
                  return FALSE;
                }
              if ((guint64) offset >= box->size)
                continue;
              range.start = box->offset + (guint64) offset;
              /* A length of 0 means "to the end of the box". */
              range.end = length == 0 || (guint64) length > box->size - (guint64) offset
                          ? box->offset + box->size : range.start + (guint64) length;
              g_array_append_val (ranges, range);
            }
        }
    }
  g_array_sort (ranges, compare_ranges);
  return TRUE;
}

gboolean
reel_bmff_hash (const guint8   *data,
                gsize           length,
                const ReelCbor *exclusions,
                const char     *alg,
                gboolean        with_offsets,
                GByteArray     *digest,
                GError        **error)
{
  g_autoptr(GArray) boxes = reel_bmff_list_boxes (data, length, 0, error);
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GChecksum) checksum = NULL;
  int type = reel_c2pa_checksum_type (alg);
  guint8 out[64];
  gsize out_length = sizeof out;

  if (boxes == NULL)
    return FALSE;
  if (type < 0)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                   "The hash algorithm '%s' is not supported", alg ? alg : "(none)");
      return FALSE;
    }
  if (!collect_exclusions (data, boxes, exclusions, ranges, error))
    return FALSE;

  checksum = g_checksum_new (type);
  for (guint i = 0; i < boxes->len; i++)
    {
      const ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);
      guint64 pos = box->offset, end = box->offset + box->size;
      gboolean whole = FALSE;

      for (guint r = 0; r < ranges->len; r++)
        {
          const Range *range = &g_array_index (ranges, Range, r);

          whole |= range->start <= box->offset && range->end >= end;
        }
      /* A wholly excluded box contributes nothing, not even its offset. */
      if (whole)
        continue;
      if (with_offsets)
        {
          guint8 be[8];

          put_be32 (be, (guint32) (box->offset >> 32));
          put_be32 (be + 4, (guint32) box->offset);
          g_checksum_update (checksum, be, 8);
        }
      for (guint r = 0; r < ranges->len && pos < end; r++)
        {
          const Range *range = &g_array_index (ranges, Range, r);

          if (range->end <= pos || range->start >= end)
            continue;
          if (range->start > pos)
            g_checksum_update (checksum, data + pos, (gssize) (range->start - pos));
          pos = MAX (pos, MIN (range->end, end));
        }
      if (pos < end)
        g_checksum_update (checksum, data + pos, (gssize) (end - pos));
    }
  g_checksum_get_digest (checksum, out, &out_length);
  g_byte_array_append (digest, out, (guint) out_length);
  return TRUE;
}

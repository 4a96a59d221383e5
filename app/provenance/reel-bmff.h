#pragma once

#include <glib.h>

#include "reel-cbor.h"

G_BEGIN_DECLS

/* ISO BMFF (MP4) boxes: the top-level walk, the C2PA uuid box, chunk-offset fix-up and the
 * c2pa.hash.bmff hash. */

typedef struct
{
  char    type[5];
  guint64 offset;
  guint64 size;
  guint   header;         /* 8, 16 for a 64-bit size, plus 16 for a uuid box's user type */
  guint8  usertype[16];   /* uuid boxes only */
} ReelBmffBox;

extern const guint8 reel_bmff_c2pa_uuid[16];

/* Lists the boxes that tile data[0..length); offsets are reported from `base`. */
GArray   *reel_bmff_list_boxes          (const guint8 *data,
                                         gsize         length,
                                         guint64       base,
                                         GError      **error);
gboolean  reel_bmff_is_c2pa_box         (const ReelBmffBox *box);
/* Adds delta to every stco/co64 entry in a moov box (modified in place). */
gboolean  reel_bmff_shift_chunk_offsets (guint8       *moov,
                                         gsize         length,
                                         guint64       delta,
                                         GError      **error);
/* GChecksum type for a C2PA alg name ("sha256", ...), or -1. */
int       reel_c2pa_checksum_type       (const char   *alg);
/* The hash c2pa.hash.bmff.v2/v3 (with_offsets) or the original c2pa.hash.bmff describes. */
gboolean  reel_bmff_hash                (const guint8   *data,
                                         gsize           length,
                                         const ReelCbor *exclusions,
                                         const char     *alg,
                                         gboolean        with_offsets,
                                         GByteArray     *digest,
                                         GError        **error);

G_END_DECLS

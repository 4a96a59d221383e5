#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small CBOR (RFC 8949) tree: enough for C2PA claims, assertions and COSE structures.
 * Encoding is deterministic (definite lengths, shortest heads, map keys sorted by their
 * encoded bytes); decoding is strict (indefinite lengths only where CBOR allows them and
 * properly closed, bounded depth and item count,
 * every length checked against the bytes left). */

typedef enum
{
  REEL_CBOR_UINT,
  REEL_CBOR_NEGINT,
  REEL_CBOR_BYTES,
  REEL_CBOR_TEXT,
  REEL_CBOR_ARRAY,
  REEL_CBOR_MAP,
  REEL_CBOR_TAG,
  REEL_CBOR_FALSE,
  REEL_CBOR_TRUE,
  REEL_CBOR_NULL,
  REEL_CBOR_UNDEFINED,
  REEL_CBOR_FLOAT,
} ReelCborType;

typedef struct _ReelCbor ReelCbor;

struct _ReelCbor
{
  ReelCborType type;
  guint64      value;     /* UINT: the value; NEGINT: -1 - value; TAG: the tag number */
  double       number;    /* FLOAT */
  guint8      *data;      /* BYTES, TEXT (NUL-terminated as well) */
  gsize        length;    /* BYTES, TEXT */
  GPtrArray   *items;     /* ARRAY: items; MAP: key, value, key, value, ...; TAG: one item */
};

#define REEL_CBOR_MAX_DEPTH 32
#define REEL_CBOR_MAX_ITEMS 100000

void       reel_cbor_free         (ReelCbor *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelCbor, reel_cbor_free)

ReelCbor  *reel_cbor_new_uint     (guint64       value);
ReelCbor  *reel_cbor_new_int      (gint64        value);
ReelCbor  *reel_cbor_new_bytes    (const void   *data,
                                   gsize         length);
ReelCbor  *reel_cbor_new_text     (const char   *text);
ReelCbor  *reel_cbor_new_array    (void);
ReelCbor  *reel_cbor_new_map      (void);
ReelCbor  *reel_cbor_new_tag      (guint64       tag,
                                   ReelCbor     *item);
ReelCbor  *reel_cbor_new_bool     (gboolean      value);
ReelCbor  *reel_cbor_new_null     (void);

/* Both take ownership of the items added. */
ReelCbor  *reel_cbor_array_add    (ReelCbor     *array,
                                   ReelCbor     *item);
ReelCbor  *reel_cbor_map_set      (ReelCbor     *map,
                                   ReelCbor     *key,
                                   ReelCbor     *value);
ReelCbor  *reel_cbor_map_set_text (ReelCbor     *map,
                                   const char   *key,
                                   ReelCbor     *value);

ReelCbor  *reel_cbor_map_get      (const ReelCbor *map,
                                   const char     *key);
ReelCbor  *reel_cbor_map_get_int  (const ReelCbor *map,
                                   gint64          key);
const char *reel_cbor_get_text    (const ReelCbor *item);
gboolean   reel_cbor_get_int      (const ReelCbor *item,
                                   gint64         *value);
guint      reel_cbor_n_items      (const ReelCbor *item);
ReelCbor  *reel_cbor_item         (const ReelCbor *item,
                                   guint           index);

GBytes    *reel_cbor_encode       (const ReelCbor *item);
void       reel_cbor_encode_into  (const ReelCbor *item,
                                   GByteArray     *out);
ReelCbor  *reel_cbor_decode       (const guint8   *data,
                                   gsize           length,
                                   const char     *what,
                                   GError        **error);

/* Writes a readable, JSON-like rendering (for `reel verify` and messages). */
void       reel_cbor_to_string    (const ReelCbor *item,
                                   GString        *out);

G_END_DECLS

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* JUMBF (ISO/IEC 19566-5) boxes as C2PA uses them. A parsed box points into the caller's
 * buffer, which must outlive the tree. */

typedef struct _ReelJumbfBox ReelJumbfBox;

struct _ReelJumbfBox
{
  char          type[5];
  const guint8 *box;          /* the whole box, header included */
  gsize         box_length;
  const guint8 *payload;      /* after the header */
  gsize         payload_length;
  /* superboxes (jumb) only */
  guint8        type_uuid[16];
  char         *label;
  GPtrArray    *children;     /* of ReelJumbfBox, the description box left out */
};

void          reel_jumbf_box_free          (ReelJumbfBox *box);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelJumbfBox, reel_jumbf_box_free)

/* Parses one superbox that must fill the buffer exactly. */
ReelJumbfBox *reel_jumbf_parse             (const guint8 *data,
                                            gsize         length,
                                            GError      **error);
ReelJumbfBox *reel_jumbf_find_child        (const ReelJumbfBox *box,
                                            const char         *label);
/* The first content (non-superbox) child of a superbox with the given 4-char type. */
ReelJumbfBox *reel_jumbf_content           (const ReelJumbfBox *box,
                                            const char         *type);
/* The 4 characters that start a superbox's type UUID ("c2pa", "c2ma", "cbor", ...). */
gboolean      reel_jumbf_has_type          (const ReelJumbfBox *box,
                                            const char         *four);

/* Writing: open a superbox, add content, close it (patches the size). */
gsize         reel_jumbf_begin_superbox    (GByteArray   *out,
                                            const char   *four,
                                            const char   *label);
void          reel_jumbf_add_content       (GByteArray   *out,
                                            const char   *type,
                                            const guint8 *data,
                                            gsize         length);
void          reel_jumbf_end_box           (GByteArray   *out,
                                            gsize         start);

G_END_DECLS

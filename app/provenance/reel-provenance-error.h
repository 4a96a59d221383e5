#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REEL_PROVENANCE_ERROR (reel_provenance_error_quark ())

typedef enum
{
  REEL_PROVENANCE_ERROR_MALFORMED,    /* a box, CBOR item or COSE structure cannot be read */
  REEL_PROVENANCE_ERROR_NOT_FOUND,    /* the file carries no manifest */
  REEL_PROVENANCE_ERROR_UNSUPPORTED,  /* a valid construct Reel does not handle */
  REEL_PROVENANCE_ERROR_CRYPTO,       /* signing, key or certificate failure */
  REEL_PROVENANCE_ERROR_IO,
} ReelProvenanceError;

GQuark reel_provenance_error_quark (void);

G_END_DECLS

#pragma once

#include <glib.h>

#include "reel-provenance-error.h"

G_BEGIN_DECLS

/* C2PA manifests: Reel's signing identity, writing claim v2 manifests into MP4 files or
 * .c2pa sidecars, and reading and validating manifests that any tool wrote. */

/* Signing identity */

typedef struct _ReelC2paIdentity ReelC2paIdentity;

/* The local identity in g_get_user_data_dir()/reel/identity/, created on first use: a root CA
 * (root.pem) and a leaf signing certificate (signer.pem) with their keys (0600). */
ReelC2paIdentity *reel_c2pa_identity_get_default (GError          **error);
/* A user's own key (PEM) and certificate chain (PEM, leaf first; a root at the end is left out
 * of the manifest's x5chain). */
ReelC2paIdentity *reel_c2pa_identity_load        (const char       *key_path,
                                                  const char       *chain_path,
                                                  GError          **error);
void              reel_c2pa_identity_free        (ReelC2paIdentity *identity);
/* The local root certificate that reel verify trusts by default (it may not exist yet). */
char             *reel_c2pa_identity_default_root_path (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelC2paIdentity, reel_c2pa_identity_free)

/* What a manifest claims */

typedef enum
{
  REEL_C2PA_ACTION_CREATED,   /* c2pa.created: generated from nothing but a prompt */
  REEL_C2PA_ACTION_OPENED,    /* c2pa.opened: work started from a parentOf ingredient */
  REEL_C2PA_ACTION_EDITED,    /* c2pa.edited: a remix or a cut changed the content */
  REEL_C2PA_ACTION_PLACED,    /* c2pa.placed: a take placed into a cut */
} ReelC2paActionKind;

typedef enum
{
  REEL_C2PA_RELATIONSHIP_INPUT_TO,      /* a start image */
  REEL_C2PA_RELATIONSHIP_PARENT_OF,     /* the take a remix came from */
  REEL_C2PA_RELATIONSHIP_COMPONENT_OF,  /* a take in a cut */
} ReelC2paRelationship;

typedef struct
{
  ReelC2paActionKind kind;
  const char        *description;    /* nullable */
  gboolean           ai_generated;   /* digitalSourceType trainedAlgorithmicMedia */
  int                ingredient;     /* index into the ingredients, or -1 */
} ReelC2paAction;

typedef struct
{
  const char          *title;
  const char          *format;       /* media type, e.g. "video/mp4" */
  ReelC2paRelationship relationship;
  const char          *sha256;       /* hex digest of the ingredient's bytes, nullable */
  GBytes              *manifest_store; /* the ingredient's own manifest store, nullable: its
                                        * manifests are carried along and referenced */
} ReelC2paIngredient;

typedef struct
{
  const char *name;
  const char *value;                 /* recorded as text */
} ReelC2paParameter;

typedef struct
{
  const char               *title;
  const ReelC2paAction     *actions;
  gsize                     n_actions;
  const ReelC2paIngredient *ingredients;
  gsize                     n_ingredients;
  const char               *model_name;
  const char               *model_sha256;     /* hex */
  const ReelC2paParameter  *parameters;
  gsize                     n_parameters;
  const char               *manifest_label;   /* "urn:c2pa:" and a uuid, chosen by a caller
                                               * that shows the id before signing (the
                                               * watermark); NULL: a fresh one */
} ReelC2paManifestDesc;

/* A fresh manifest label, "urn:c2pa:" and a random uuid. */
char    *reel_c2pa_manifest_label_new (void);
/* The first 8 hex digits of the label's uuid (what the watermark shows), or NULL when the
 * label is not "urn:c2pa:" followed by a uuid. */
char    *reel_c2pa_short_id          (const char                 *manifest_label);

/* Writes `out`: `in` with a signed manifest in a uuid box after ftyp (c2pa.hash.bmff.v3). */
gboolean reel_c2pa_sign_mp4_file (const char                 *in,
                                  const char                 *out,
                                  const ReelC2paManifestDesc *desc,
                                  ReelC2paIdentity           *identity,
                                  GError                    **error);
/* Writes a .c2pa sidecar for an asset left untouched (c2pa.hash.data over all its bytes). */
gboolean reel_c2pa_sign_sidecar  (const char                 *asset,
                                  const char                 *sidecar,
                                  const ReelC2paManifestDesc *desc,
                                  ReelC2paIdentity           *identity,
                                  GError                    **error);

/* Reading and validating */

typedef struct
{
  char *code;         /* the C2PA spec's status code, e.g. "assertion.dataHash.mismatch" */
  char *url;          /* what it is about, nullable */
  char *explanation;
  gboolean failure;
} ReelC2paStatus;

typedef struct
{
  char      *manifest_label;
  char      *claim_label;       /* c2pa.claim or c2pa.claim.v2 */
  char      *title;
  char      *generator;
  char      *signer;            /* the leaf certificate's subject */
  char      *alg;
  GPtrArray *actions;           /* char *, one readable line each */
  GPtrArray *ingredients;       /* char *, one readable line each */
  GPtrArray *assertions;        /* char *, labels */
  char      *model;             /* readable, nullable */
  char      *parameters;        /* readable, nullable */
  GPtrArray *statuses;          /* ReelC2paStatus * */
  guint      n_manifests;
  gboolean   has_timestamp;     /* an RFC 3161 time-stamp token in the signature */
  gboolean   valid;             /* no failure code */
  gboolean   trusted;           /* signingCredential.trusted */
} ReelC2paReport;

void            reel_c2pa_report_free      (ReelC2paReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelC2paReport, reel_c2pa_report_free)
gboolean        reel_c2pa_report_has_code  (const ReelC2paReport *report,
                                            const char           *code);

/* The raw manifest store embedded in an MP4 or JPEG file (to pass as an ingredient's). */
GBytes         *reel_c2pa_read_manifest_store (const char  *path,
                                               GError     **error);

/* Reads the manifest of an MP4, a JPEG, or (with sidecar) any asset, and validates it. Without
 * sidecar, an asset that cannot embed a manifest is looked up as NAME.c2pa or NAME.EXT.c2pa.
 * trust_pem: a PEM file of trust anchors, or NULL for the local root. The error is set only
 * when no manifest can be read at all; every validation result is in the report. */
ReelC2paReport *reel_c2pa_verify_file      (const char  *path,
                                            const char  *sidecar,
                                            const char  *trust_pem,
                                            GError     **error);
/* The same on bytes in memory (the fuzz target's entry). */
ReelC2paReport *reel_c2pa_verify_bytes     (const guint8 *asset,
                                            gsize         asset_length,
                                            const guint8 *store,
                                            gsize         store_length,
                                            const char   *trust_pem,
                                            GError      **error);

G_END_DECLS

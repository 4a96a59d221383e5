#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include <string.h>

#include "reel-bmff.h"
#include "reel-c2pa-private.h"
#include "reel-cbor.h"
#include "reel-cose.h"
#include "reel-jumbf.h"

#define DIGITAL_SOURCE_TYPE \
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
#define REEL_GENERATION_LABEL "io.github.reelstudio.generation"

typedef struct
{
  char       *label;
  GByteArray *box;        /* the assertion's whole superbox */
} Assertion;

/* A manifest of an ingredient, carried into the new store before the new manifest. */
typedef struct
{
  char   *label;
  GBytes *box;
} Prior;

static void
prior_free (Prior *prior)
{
  g_free (prior->label);
  g_bytes_unref (prior->box);
  g_free (prior);
}

static void
assertion_free (Assertion *assertion)
{
  g_free (assertion->label);
  g_byte_array_unref (assertion->box);
  g_free (assertion);
}

static Assertion *
assertion_new (const char *label,
               ReelCbor   *content)
{
  Assertion *assertion = g_new0 (Assertion, 1);
  g_autoptr(GBytes) bytes = reel_cbor_encode (content);
  gsize start;

  assertion->label = g_strdup (label);
  assertion->box = g_byte_array_new ();
  start = reel_jumbf_begin_superbox (assertion->box, "cbor", label);
  reel_jumbf_add_content (assertion->box, "cbor", g_bytes_get_data (bytes, NULL),
                          g_bytes_get_size (bytes));
  reel_jumbf_end_box (assertion->box, start);
  return assertion;
}

/* { url, hash }: the hash covers the assertion's superbox without its 8-byte header. */
static ReelCbor *
hashed_uri (const Assertion *assertion)
{
  g_autoptr(ReelCbor) uri = reel_cbor_new_map ();
  g_autofree char *url = g_strdup_printf ("self#jumbf=c2pa.assertions/%s", assertion->label);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  g_checksum_update (checksum, assertion->box->data + 8, assertion->box->len - 8);
  g_checksum_get_digest (checksum, digest, &digest_length);
  reel_cbor_map_set_text (uri, "url", reel_cbor_new_text (url));
  reel_cbor_map_set_text (uri, "hash", reel_cbor_new_bytes (digest, digest_length));
  return g_steal_pointer (&uri);
}

static const char *
action_name (ReelC2paActionKind kind)
{
  switch (kind)
    {
    case REEL_C2PA_ACTION_CREATED: return "c2pa.created";
    case REEL_C2PA_ACTION_OPENED:  return "c2pa.opened";
    case REEL_C2PA_ACTION_EDITED:  return "c2pa.edited";
    case REEL_C2PA_ACTION_PLACED:  return "c2pa.placed";
    default: g_assert_not_reached ();
    }
}

static const char *
relationship_name (ReelC2paRelationship relationship)
{
  switch (relationship)
    {
    case REEL_C2PA_RELATIONSHIP_INPUT_TO:     return "inputTo";
    case REEL_C2PA_RELATIONSHIP_PARENT_OF:    return "parentOf";
    case REEL_C2PA_RELATIONSHIP_COMPONENT_OF: return "componentOf";
    default: g_assert_not_reached ();
    }
}

static ReelCbor *
software_agent (void)
{
  g_autoptr(ReelCbor) agent = reel_cbor_new_map ();

  reel_cbor_map_set_text (agent, "name", reel_cbor_new_text ("Reel"));
  reel_cbor_map_set_text (agent, "version", reel_cbor_new_text (PACKAGE_VERSION));
  return g_steal_pointer (&agent);
}

/* Every assertion of the manifest, the hard binding last. */
static ReelCbor *
hashed_box_uri (const char   *url,
                const guint8 *box,
                gsize         box_length)
{
  g_autoptr(ReelCbor) uri = reel_cbor_new_map ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  g_checksum_update (checksum, box + 8, (gssize) (box_length - 8));
  g_checksum_get_digest (checksum, digest, &digest_length);
  reel_cbor_map_set_text (uri, "url", reel_cbor_new_text (url));
  reel_cbor_map_set_text (uri, "hash", reel_cbor_new_bytes (digest, digest_length));
  return g_steal_pointer (&uri);
}

static ReelCbor *
status_list (const ReelC2paReport *report,
             gboolean              failures)
{
  g_autoptr(ReelCbor) list = reel_cbor_new_array ();

  for (guint i = 0; i < report->statuses->len; i++)
    {
      const ReelC2paStatus *status = report->statuses->pdata[i];
      ReelCbor *entry;

      if (status->failure != failures)
        continue;
      entry = reel_cbor_new_map ();
      reel_cbor_map_set_text (entry, "code", reel_cbor_new_text (status->code));
      if (status->url != NULL)
        reel_cbor_map_set_text (entry, "url", reel_cbor_new_text (status->url));
      reel_cbor_map_set_text (entry, "explanation", reel_cbor_new_text (status->explanation));
      reel_cbor_array_add (list, entry);
    }
  return g_steal_pointer (&list);
}

/* Carries an ingredient's manifests into this store (once each) and points the ingredient
 * assertion at its active manifest and signature, with what validating it found. */
static gboolean
add_ingredient_provenance (const ReelC2paIngredient *ingredient,
                           ReelCbor                 *map,
                           GPtrArray                *prior,
                           GError                  **error)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (ingredient->manifest_store, &length);
  g_autoptr(ReelJumbfBox) store = reel_jumbf_parse (data, length, error);
  g_autoptr(ReelC2paReport) report = NULL;
  g_autoptr(ReelCbor) results = reel_cbor_new_map ();
  g_autoptr(ReelCbor) active_results = reel_cbor_new_map ();
  g_autofree char *manifest_url = NULL;
  g_autofree char *signature_url = NULL;
  ReelJumbfBox *active = NULL, *signature;

  if (store == NULL)
    {
      g_prefix_error (error, "The manifest store of ingredient “%s” is unreadable: ",
                      ingredient->title);
      return FALSE;
    }
  report = reel_c2pa_verify_bytes (NULL, 0, data, length, NULL, error);
  if (report == NULL)
    {
      g_prefix_error (error, "The manifest of ingredient “%s” is unreadable: ",
                      ingredient->title);
      return FALSE;
    }
  for (guint i = 0; i < store->children->len; i++)
    {
      ReelJumbfBox *child = store->children->pdata[i];
      gboolean seen = FALSE;

      if (child->label == NULL || (!reel_jumbf_has_type (child, "c2ma")
                                   && !reel_jumbf_has_type (child, "c2um")))
        continue;
      active = child;
      for (guint k = 0; k < prior->len && !seen; k++)
        seen = g_str_equal (((Prior *) prior->pdata[k])->label, child->label);
      if (!seen)
        {
          Prior *copy = g_new0 (Prior, 1);

          copy->label = g_strdup (child->label);
          copy->box = g_bytes_new (child->box, child->box_length);
          g_ptr_array_add (prior, copy);
        }
    }
  signature = reel_jumbf_find_child (active, "c2pa.signature");
  g_assert (active != NULL && signature != NULL);  /* the validator above requires both */

  manifest_url = g_strdup_printf ("self#jumbf=/c2pa/%s", active->label);
  signature_url = g_strdup_printf ("self#jumbf=/c2pa/%s/c2pa.signature", active->label);
  reel_cbor_map_set_text (map, "activeManifest",
                          hashed_box_uri (manifest_url, active->box, active->box_length));
  reel_cbor_map_set_text (map, "claimSignature",
                          hashed_box_uri (signature_url, signature->box, signature->box_length));
  reel_cbor_map_set_text (active_results, "success", status_list (report, FALSE));
  reel_cbor_map_set_text (active_results, "informational", reel_cbor_new_array ());
  reel_cbor_map_set_text (active_results, "failure", status_list (report, TRUE));
  reel_cbor_map_set_text (results, "activeManifest", g_steal_pointer (&active_results));
  reel_cbor_map_set_text (map, "validationResults", g_steal_pointer (&results));
  return TRUE;
}

static GPtrArray *
build_assertions (const ReelC2paManifestDesc *desc,
                  const char                 *binding_label,
                  ReelCbor                   *binding,
                  GPtrArray                  *prior,
                  GError                    **error)
{
  g_autoptr(GPtrArray) assertions = g_ptr_array_new_with_free_func ((GDestroyNotify) assertion_free);
  g_autoptr(GPtrArray) ingredients = g_ptr_array_new ();
  g_autoptr(ReelCbor) actions_map = reel_cbor_new_map ();
  g_autoptr(ReelCbor) actions = reel_cbor_new_array ();
  g_autoptr(ReelCbor) generation = reel_cbor_new_map ();
  g_autoptr(ReelCbor) training = reel_cbor_new_map ();
  ReelCbor *entries;
  static const char *const uses[] = {
    "cawg.ai_generative_training", "cawg.ai_inference", "cawg.ai_training", "cawg.data_mining",
  };

  if (desc->n_actions == 0 || desc->actions[0].kind == REEL_C2PA_ACTION_EDITED
      || desc->actions[0].kind == REEL_C2PA_ACTION_PLACED)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                   "A C2PA manifest's first action must be c2pa.created or c2pa.opened");
      return NULL;
    }

  for (gsize i = 0; i < desc->n_ingredients; i++)
    {
      const ReelC2paIngredient *ingredient = &desc->ingredients[i];
      g_autoptr(ReelCbor) map = reel_cbor_new_map ();
      g_autofree char *label = i == 0 ? g_strdup ("c2pa.ingredient.v3")
                                      : g_strdup_printf ("c2pa.ingredient.v3__%" G_GSIZE_FORMAT,
                                                         i);
      Assertion *assertion;

      reel_cbor_map_set_text (map, "dc:title", reel_cbor_new_text (ingredient->title));
      reel_cbor_map_set_text (map, "dc:format", reel_cbor_new_text (ingredient->format));
      reel_cbor_map_set_text (map, "relationship",
                              reel_cbor_new_text (relationship_name (ingredient->relationship)));
      /* Reel's media store is content-addressed, so the content hash is the instance id. */
      if (ingredient->sha256 != NULL)
        {
          g_autofree char *iid = g_strdup_printf ("urn:reel:sha256:%s", ingredient->sha256);

          reel_cbor_map_set_text (map, "instanceID", reel_cbor_new_text (iid));
        }
      if (ingredient->manifest_store != NULL
          && !add_ingredient_provenance (ingredient, map, prior, error))
        return NULL;
      assertion = assertion_new (label, map);
      g_ptr_array_add (assertions, assertion);
      g_ptr_array_add (ingredients, assertion);
    }

  for (gsize i = 0; i < desc->n_actions; i++)
    {
      const ReelC2paAction *action = &desc->actions[i];
      g_autoptr(ReelCbor) map = reel_cbor_new_map ();

      reel_cbor_map_set_text (map, "action", reel_cbor_new_text (action_name (action->kind)));
      if (action->ai_generated)
        reel_cbor_map_set_text (map, "digitalSourceType",
                                reel_cbor_new_text (DIGITAL_SOURCE_TYPE));
      reel_cbor_map_set_text (map, "softwareAgent", software_agent ());
      if (action->description != NULL)
        reel_cbor_map_set_text (map, "description", reel_cbor_new_text (action->description));
      if (action->ingredient >= 0)
        {
          g_autoptr(ReelCbor) parameters = reel_cbor_new_map ();
          g_autoptr(ReelCbor) refs = reel_cbor_new_array ();

          if ((guint) action->ingredient >= ingredients->len)
            {
              g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                           "Action %" G_GSIZE_FORMAT " names ingredient %d, but there are only %u",
                           i, action->ingredient, ingredients->len);
              return NULL;
            }
          reel_cbor_array_add (refs, hashed_uri (ingredients->pdata[action->ingredient]));
          reel_cbor_map_set_text (parameters, "ingredients", g_steal_pointer (&refs));
          reel_cbor_map_set_text (map, "parameters", g_steal_pointer (&parameters));
        }
      reel_cbor_array_add (actions, g_steal_pointer (&map));
    }
  reel_cbor_map_set_text (actions_map, "actions", g_steal_pointer (&actions));
  g_ptr_array_insert (assertions, 0, assertion_new ("c2pa.actions.v2", actions_map));

  if (desc->model_name != NULL || desc->n_parameters > 0)
    {
      g_autoptr(ReelCbor) parameters = reel_cbor_new_map ();

      if (desc->model_name != NULL)
        {
          g_autoptr(ReelCbor) model = reel_cbor_new_map ();

          reel_cbor_map_set_text (model, "name", reel_cbor_new_text (desc->model_name));
          if (desc->model_sha256 != NULL)
            reel_cbor_map_set_text (model, "sha256", reel_cbor_new_text (desc->model_sha256));
          reel_cbor_map_set_text (generation, "model", g_steal_pointer (&model));
        }
      for (gsize i = 0; i < desc->n_parameters; i++)
        reel_cbor_map_set_text (parameters, desc->parameters[i].name,
                                reel_cbor_new_text (desc->parameters[i].value));
      reel_cbor_map_set_text (generation, "parameters", g_steal_pointer (&parameters));
      g_ptr_array_add (assertions, assertion_new (REEL_GENERATION_LABEL, generation));
    }

  /* CAWG training and data mining: the generated media may not be used to train models. */
  entries = reel_cbor_new_map ();
  for (guint i = 0; i < G_N_ELEMENTS (uses); i++)
    {
      ReelCbor *entry = reel_cbor_new_map ();

      reel_cbor_map_set_text (entry, "use", reel_cbor_new_text ("notAllowed"));
      reel_cbor_map_set_text (entries, uses[i], entry);
    }
  reel_cbor_map_set_text (training, "entries", entries);
  g_ptr_array_add (assertions, assertion_new ("cawg.training-mining", training));

  g_ptr_array_add (assertions, assertion_new (binding_label, binding));
  return g_steal_pointer (&assertions);
}

typedef struct
{
  char *manifest_label;
  char *instance_id;
} Ids;

/* The whole manifest store for one signed manifest. */
static GByteArray *
build_store (const ReelC2paManifestDesc *desc,
             const Ids                  *ids,
             ReelC2paIdentity           *identity,
             const char                 *binding_label,
             ReelCbor                   *binding,
             GError                    **error)
{
  g_autoptr(GPtrArray) prior = g_ptr_array_new_with_free_func ((GDestroyNotify) prior_free);
  g_autoptr(GPtrArray) assertions = build_assertions (desc, binding_label, binding, prior,
                                                      error);
  g_autoptr(ReelCbor) claim = reel_cbor_new_map ();
  g_autoptr(ReelCbor) created = reel_cbor_new_array ();
  g_autoptr(GBytes) claim_bytes = NULL;
  g_autoptr(GBytes) cose = NULL;
  g_autoptr(GByteArray) store = g_byte_array_new ();
  g_autofree char *signature_url = NULL;
  gsize store_start, manifest_start, box_start;

  if (assertions == NULL)
    return NULL;
  for (guint i = 0; i < assertions->len; i++)
    reel_cbor_array_add (created, hashed_uri (assertions->pdata[i]));

  signature_url = g_strdup_printf ("self#jumbf=/c2pa/%s/c2pa.signature", ids->manifest_label);
  reel_cbor_map_set_text (claim, "instanceID", reel_cbor_new_text (ids->instance_id));
  reel_cbor_map_set_text (claim, "claim_generator_info", software_agent ());
  reel_cbor_map_set_text (claim, "signature", reel_cbor_new_text (signature_url));
  reel_cbor_map_set_text (claim, "created_assertions", g_steal_pointer (&created));
  if (desc->title != NULL)
    reel_cbor_map_set_text (claim, "dc:title", reel_cbor_new_text (desc->title));
  reel_cbor_map_set_text (claim, "alg", reel_cbor_new_text ("sha256"));
  claim_bytes = reel_cbor_encode (claim);

  cose = reel_cose_sign_es256 (identity->key, identity->chain, claim_bytes, error);
  if (cose == NULL)
    return NULL;

  store_start = reel_jumbf_begin_superbox (store, "c2pa", "c2pa");
  /* The active manifest is the last one; ingredients' manifests come before it. */
  for (guint i = 0; i < prior->len; i++)
    {
      gsize n;
      const guint8 *data = g_bytes_get_data (((Prior *) prior->pdata[i])->box, &n);

      g_byte_array_append (store, data, (guint) n);
    }
  manifest_start = reel_jumbf_begin_superbox (store, "c2ma", ids->manifest_label);
  box_start = reel_jumbf_begin_superbox (store, "c2as", "c2pa.assertions");
  for (guint i = 0; i < assertions->len; i++)
    {
      Assertion *assertion = assertions->pdata[i];

      g_byte_array_append (store, assertion->box->data, assertion->box->len);
    }
  reel_jumbf_end_box (store, box_start);
  box_start = reel_jumbf_begin_superbox (store, "c2cl", "c2pa.claim.v2");
  reel_jumbf_add_content (store, "cbor", g_bytes_get_data (claim_bytes, NULL),
                          g_bytes_get_size (claim_bytes));
  reel_jumbf_end_box (store, box_start);
  box_start = reel_jumbf_begin_superbox (store, "c2cs", "c2pa.signature");
  reel_jumbf_add_content (store, "cbor", g_bytes_get_data (cose, NULL), g_bytes_get_size (cose));
  reel_jumbf_end_box (store, box_start);
  reel_jumbf_end_box (store, manifest_start);
  reel_jumbf_end_box (store, store_start);
  return g_steal_pointer (&store);
}

char *
reel_c2pa_manifest_label_new (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("urn:c2pa:%s", uuid);
}

/* The uuid part of a manifest label, which may go on with ":generator:version" (C2PA 2.1, 8.3),
 * or NULL when there is none. */
static const char *
label_uuid (const char *manifest_label)
{
  g_autofree char *uuid = NULL;

  if (manifest_label == NULL || !g_str_has_prefix (manifest_label, "urn:c2pa:"))
    return NULL;
  uuid = g_strndup (manifest_label + strlen ("urn:c2pa:"), 36);
  if (!g_uuid_string_is_valid (uuid))
    return NULL;
  if (manifest_label[strlen ("urn:c2pa:") + 36] != '\0'
      && manifest_label[strlen ("urn:c2pa:") + 36] != ':')
    return NULL;
  return manifest_label + strlen ("urn:c2pa:");
}

char *
reel_c2pa_short_id (const char *manifest_label)
{
  const char *uuid = label_uuid (manifest_label);

  return uuid != NULL ? g_ascii_strdown (uuid, 8) : NULL;
}

static gboolean
ids_init (Ids                        *ids,
          const ReelC2paManifestDesc *desc,
          GError                    **error)
{
  g_autofree char *instance = g_uuid_string_random ();

  if (desc->manifest_label != NULL && label_uuid (desc->manifest_label) == NULL)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                   "Cannot sign with the manifest label \"%s\": a label is \"urn:c2pa:\" "
                   "followed by a uuid; leave it unset to get a fresh one",
                   desc->manifest_label);
      return FALSE;
    }
  ids->manifest_label = desc->manifest_label != NULL ? g_strdup (desc->manifest_label)
                                                     : reel_c2pa_manifest_label_new ();
  ids->instance_id = g_strdup_printf ("xmp:iid:%s", instance);
  return TRUE;
}

static void
ids_clear (Ids *ids)
{
  g_free (ids->manifest_label);
  g_free (ids->instance_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ids, ids_clear)

static ReelCbor *
bmff_binding (const guint8 *hash)
{
  g_autoptr(ReelCbor) binding = reel_cbor_new_map ();
  g_autoptr(ReelCbor) exclusions = reel_cbor_new_array ();
  ReelCbor *uuid = reel_cbor_new_map ();
  ReelCbor *data = reel_cbor_new_array ();
  ReelCbor *entry = reel_cbor_new_map ();
  ReelCbor *simple;

  /* The exclusions the reference implementation writes: our own uuid box (matched by its user
   * type at offset 8), ftyp, and mfra. */
  reel_cbor_map_set_text (entry, "offset", reel_cbor_new_uint (8));
  reel_cbor_map_set_text (entry, "value", reel_cbor_new_bytes (reel_bmff_c2pa_uuid, 16));
  reel_cbor_array_add (data, entry);
  reel_cbor_map_set_text (uuid, "xpath", reel_cbor_new_text ("/uuid"));
  reel_cbor_map_set_text (uuid, "data", data);
  reel_cbor_array_add (exclusions, uuid);
  simple = reel_cbor_new_map ();
  reel_cbor_map_set_text (simple, "xpath", reel_cbor_new_text ("/ftyp"));
  reel_cbor_array_add (exclusions, simple);
  simple = reel_cbor_new_map ();
  reel_cbor_map_set_text (simple, "xpath", reel_cbor_new_text ("/mfra"));
  reel_cbor_array_add (exclusions, simple);

  reel_cbor_map_set_text (binding, "exclusions", g_steal_pointer (&exclusions));
  reel_cbor_map_set_text (binding, "alg", reel_cbor_new_text ("sha256"));
  reel_cbor_map_set_text (binding, "hash", reel_cbor_new_bytes (hash, 32));
  reel_cbor_map_set_text (binding, "name", reel_cbor_new_text ("jumbf manifest"));
  return g_steal_pointer (&binding);
}

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, 4);
}

#define UUID_BOX_HEADER (8 + 16 + 4 + 9 + 8)

gboolean
reel_c2pa_sign_mp4_file (const char                 *in,
                         const char                 *out,
                         const ReelC2paManifestDesc *desc,
                         ReelC2paIdentity           *identity,
                         GError                    **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(GByteArray) store = NULL;
  g_autoptr(GByteArray) final_store = NULL;
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GByteArray) digest = g_byte_array_new ();
  g_autoptr(ReelCbor) binding = NULL;
  g_auto(Ids) ids = { 0 };
  const guint8 *data;
  gsize length, store_at = 0;
  guint64 uuid_size;
  static const guint8 zero_hash[32] = { 0 };

  g_return_val_if_fail (in != NULL && out != NULL && desc != NULL && identity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mapped = g_mapped_file_new (in, FALSE, error);
  if (mapped == NULL)
    return FALSE;
  data = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  if (length < 8 || memcmp (data + 4, "ftyp", 4) != 0)
    {
      g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                   "Cannot sign %s: it does not start with an ftyp box, so it is not an MP4 "
                   "file; other formats get a .c2pa sidecar", in);
      return FALSE;
    }
  boxes = reel_bmff_list_boxes (data, length, 0, error);
  if (boxes == NULL)
    {
      g_prefix_error (error, "Cannot sign %s: ", in);
      return FALSE;
    }
  for (guint i = 0; i < boxes->len; i++)
    {
      const ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);

      if (strcmp (box->type, "moof") == 0)
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                       "Cannot sign %s: it is a fragmented MP4, whose fragments carry absolute "
                       "offsets; export a non-fragmented MP4", in);
          return FALSE;
        }
      if (reel_bmff_is_c2pa_box (box))
        {
          g_set_error (error, REEL_PROVENANCE_ERROR, REEL_PROVENANCE_ERROR_UNSUPPORTED,
                       "Cannot sign %s: it already carries a C2PA manifest; sign the file that "
                       "had none", in);
          return FALSE;
        }
    }

  /* Pass 1: a store with a zero hash fixes the uuid box's size, which the hash covers. */
  if (!ids_init (&ids, desc, error))
    return FALSE;
  binding = bmff_binding (zero_hash);
  store = build_store (desc, &ids, identity, "c2pa.hash.bmff.v3", binding, error);
  if (store == NULL)
    return FALSE;
  g_clear_pointer (&binding, reel_cbor_free);
  uuid_size = UUID_BOX_HEADER + store->len;

  for (guint i = 0; i < boxes->len; i++)
    {
      const ReelBmffBox *box = &g_array_index (boxes, ReelBmffBox, i);
      gsize at = output->len;

      g_byte_array_append (output, data + box->offset, (guint) box->size);
      if (strcmp (box->type, "moov") == 0
          && !reel_bmff_shift_chunk_offsets (output->data + at, (gsize) box->size, uuid_size,
                                             error))
        {
          g_prefix_error (error, "Cannot sign %s: ", in);
          return FALSE;
        }
      if (i == 0)
        {
          put_be32 (output, (guint32) uuid_size);
          g_byte_array_append (output, (const guint8 *) "uuid", 4);
          g_byte_array_append (output, reel_bmff_c2pa_uuid, 16);
          put_be32 (output, 0);
          g_byte_array_append (output, (const guint8 *) "manifest", 9);
          put_be32 (output, 0);
          put_be32 (output, 0);
          store_at = output->len;
          g_byte_array_append (output, store->data, store->len);
        }
    }

  /* Pass 2: hash the final layout and write the real store into the reserved space. */
  binding = bmff_binding (zero_hash);
  if (!reel_bmff_hash (output->data, output->len, reel_cbor_map_get (binding, "exclusions"),
                       "sha256", TRUE, digest, error))
    return FALSE;
  g_clear_pointer (&binding, reel_cbor_free);
  binding = bmff_binding (digest->data);
  final_store = build_store (desc, &ids, identity, "c2pa.hash.bmff.v3", binding, error);
  if (final_store == NULL)
    return FALSE;
  /* ES256 signatures are always 64 raw bytes, so the store cannot change size. */
  g_assert (final_store->len == store->len);
  memcpy (output->data + store_at, final_store->data, final_store->len);

  return g_file_set_contents (out, (const char *) output->data, output->len, error);
}

gboolean
reel_c2pa_sign_sidecar (const char                 *asset,
                        const char                 *sidecar,
                        const ReelC2paManifestDesc *desc,
                        ReelC2paIdentity           *identity,
                        GError                    **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(ReelCbor) binding = reel_cbor_new_map ();
  g_autoptr(GByteArray) store = NULL;
  g_auto(Ids) ids = { 0 };
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  g_return_val_if_fail (asset != NULL && sidecar != NULL && desc != NULL, FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mapped = g_mapped_file_new (asset, FALSE, error);
  if (mapped == NULL)
    return FALSE;
  g_checksum_update (checksum, (const guint8 *) g_mapped_file_get_contents (mapped),
                     (gssize) g_mapped_file_get_length (mapped));
  g_checksum_get_digest (checksum, digest, &digest_length);

  /* The sidecar binds the asset's bytes as they are: nothing is excluded. */
  reel_cbor_map_set_text (binding, "alg", reel_cbor_new_text ("sha256"));
  reel_cbor_map_set_text (binding, "hash", reel_cbor_new_bytes (digest, digest_length));
  reel_cbor_map_set_text (binding, "name", reel_cbor_new_text ("jumbf manifest"));
  reel_cbor_map_set_text (binding, "pad", reel_cbor_new_bytes ("", 0));
  if (!ids_init (&ids, desc, error))
    return FALSE;
  store = build_store (desc, &ids, identity, "c2pa.hash.data", binding, error);
  if (store == NULL)
    return FALSE;
  return g_file_set_contents (sidecar, (const char *) store->data, store->len, error);
}

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A likeness consent record: the person who appears in a shot's start image agreed to its use.
 * It says who appears (`subject`), who granted the consent (the person, or a parent or
 * guardian), when, for what purpose, and which start image (a media name) it covers, so a
 * changed start image needs a new record. Immutable and reference counted, so that a shot's
 * "consent" property can be undone like any other value. Stored in project.json as a shot's
 * `consent` object (app/PROJECT-FORMAT.md). */

#define REEL_TYPE_CONSENT (reel_consent_get_type ())

typedef struct _ReelConsent ReelConsent;

GType        reel_consent_get_type        (void) G_GNUC_CONST;

/* Every string is required and non-empty; `granted` is any time zone. */
ReelConsent *reel_consent_new             (const char  *subject,
                                           const char  *granted_by,
                                           GDateTime   *granted,
                                           const char  *purpose,
                                           const char  *start_image);
ReelConsent *reel_consent_ref             (ReelConsent *self);
void         reel_consent_unref           (ReelConsent *self);

const char  *reel_consent_get_subject     (ReelConsent *self);
const char  *reel_consent_get_granted_by  (ReelConsent *self);
GDateTime   *reel_consent_get_granted     (ReelConsent *self);
const char  *reel_consent_get_purpose     (ReelConsent *self);
const char  *reel_consent_get_start_image (ReelConsent *self);

gboolean     reel_consent_equal           (ReelConsent *a,
                                           ReelConsent *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelConsent, reel_consent_unref)

G_END_DECLS

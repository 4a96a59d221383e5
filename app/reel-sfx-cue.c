#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-sfx-cue.h"
#include "reel-project-private.h"

struct _ReelSfxCue
{
  GObject     parent_instance;

  char       *description;
  double      offset;

  /* Owned references */
  JsonObject *extra;
};

G_DEFINE_FINAL_TYPE (ReelSfxCue, reel_sfx_cue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  PROP_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_sfx_cue_finalize (GObject *object)
{
  ReelSfxCue *self = (ReelSfxCue *) object;

  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (reel_sfx_cue_parent_class)->finalize (object);
}

static void
reel_sfx_cue_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ReelSfxCue *self = REEL_SFX_CUE (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_OFFSET:
      g_value_set_double (value, self->offset);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_sfx_cue_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ReelSfxCue *self = REEL_SFX_CUE (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      reel_sfx_cue_set_description (self, g_value_get_string (value));
      break;
    case PROP_OFFSET:
      reel_sfx_cue_set_offset (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_sfx_cue_class_init (ReelSfxCueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reel_sfx_cue_finalize;
  object_class->get_property = reel_sfx_cue_get_property;
  object_class->set_property = reel_sfx_cue_set_property;

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFSET] =
    g_param_spec_double ("offset", NULL, NULL, 0.0, REEL_CUE_TIME_MAX, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_sfx_cue_init (ReelSfxCue *self)
{
  self->description = g_strdup ("");
}

ReelSfxCue *
reel_sfx_cue_new (const char *description,
                  double      offset)
{
  ReelSfxCue *self = g_object_new (REEL_TYPE_SFX_CUE, NULL);

  reel_sfx_cue_set_description (self, description);
  reel_sfx_cue_set_offset (self, offset);

  return self;
}

ReelSfxCue *
reel_sfx_cue_copy (ReelSfxCue *self)
{
  ReelSfxCue *copy;

  g_return_val_if_fail (REEL_IS_SFX_CUE (self), NULL);

  copy = reel_sfx_cue_new (self->description, self->offset);
  copy->extra = reel_json_object_copy (self->extra);

  return copy;
}

const char *
reel_sfx_cue_get_description (ReelSfxCue *self)
{
  g_return_val_if_fail (REEL_IS_SFX_CUE (self), NULL);

  return self->description;
}

void
reel_sfx_cue_set_description (ReelSfxCue *self,
                              const char *description)
{
  g_return_if_fail (REEL_IS_SFX_CUE (self));

  if (reel_set_string_nonnull (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

double
reel_sfx_cue_get_offset (ReelSfxCue *self)
{
  g_return_val_if_fail (REEL_IS_SFX_CUE (self), 0.0);

  return self->offset;
}

void
reel_sfx_cue_set_offset (ReelSfxCue *self,
                         double      offset)
{
  g_return_if_fail (REEL_IS_SFX_CUE (self));

  offset = reel_clamp_double (offset, 0.0, REEL_CUE_TIME_MAX);
  if (self->offset == offset)
    return;

  self->offset = offset;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFSET]);
}

JsonObject *
reel_sfx_cue_get_extra (ReelSfxCue *self)
{
  g_return_val_if_fail (REEL_IS_SFX_CUE (self), NULL);

  return self->extra;
}

void
reel_sfx_cue_set_extra (ReelSfxCue *self,
                        JsonObject *extra)
{
  g_return_if_fail (REEL_IS_SFX_CUE (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

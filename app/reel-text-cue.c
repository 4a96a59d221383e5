#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-text-cue.h"
#include "reel-project-private.h"

struct _ReelTextCue
{
  GObject           parent_instance;

  char             *text;
  double            start;
  double            end;
  ReelTextPosition  position;
  ReelTextStyle     style;

  /* Owned references */
  JsonObject       *extra;
};

G_DEFINE_FINAL_TYPE (ReelTextCue, reel_text_cue, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_START,
  PROP_END,
  PROP_POSITION,
  PROP_STYLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
reel_text_cue_finalize (GObject *object)
{
  ReelTextCue *self = (ReelTextCue *) object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (reel_text_cue_parent_class)->finalize (object);
}

static void
reel_text_cue_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ReelTextCue *self = REEL_TEXT_CUE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_START:
      g_value_set_double (value, self->start);
      break;
    case PROP_END:
      g_value_set_double (value, self->end);
      break;
    case PROP_POSITION:
      g_value_set_enum (value, self->position);
      break;
    case PROP_STYLE:
      g_value_set_enum (value, self->style);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_text_cue_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ReelTextCue *self = REEL_TEXT_CUE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      reel_text_cue_set_text (self, g_value_get_string (value));
      break;
    case PROP_START:
      reel_text_cue_set_start (self, g_value_get_double (value));
      break;
    case PROP_END:
      reel_text_cue_set_end (self, g_value_get_double (value));
      break;
    case PROP_POSITION:
      reel_text_cue_set_position (self, g_value_get_enum (value));
      break;
    case PROP_STYLE:
      reel_text_cue_set_style (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
reel_text_cue_class_init (ReelTextCueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = reel_text_cue_finalize;
  object_class->get_property = reel_text_cue_get_property;
  object_class->set_property = reel_text_cue_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_START] =
    g_param_spec_double ("start", NULL, NULL, 0.0, REEL_CUE_TIME_MAX, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_END] =
    g_param_spec_double ("end", NULL, NULL, 0.0, REEL_CUE_TIME_MAX, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POSITION] =
    g_param_spec_enum ("position", NULL, NULL,
                       REEL_TYPE_TEXT_POSITION, REEL_TEXT_POSITION_BOTTOM,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STYLE] =
    g_param_spec_enum ("style", NULL, NULL,
                       REEL_TYPE_TEXT_STYLE, REEL_TEXT_STYLE_PLAIN,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
reel_text_cue_init (ReelTextCue *self)
{
  self->text = g_strdup ("");
  self->position = REEL_TEXT_POSITION_BOTTOM;
  self->style = REEL_TEXT_STYLE_PLAIN;
}

ReelTextCue *
reel_text_cue_new (const char *text,
                   double      start,
                   double      end)
{
  ReelTextCue *self = g_object_new (REEL_TYPE_TEXT_CUE, NULL);

  reel_text_cue_set_text (self, text);
  /* End first: setting start afterwards could otherwise drag a later end down to it. */
  reel_text_cue_set_end (self, end);
  reel_text_cue_set_start (self, start);

  return self;
}

ReelTextCue *
reel_text_cue_copy (ReelTextCue *self)
{
  ReelTextCue *copy;

  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), NULL);

  copy = reel_text_cue_new (self->text, self->start, self->end);
  copy->position = self->position;
  copy->style = self->style;
  copy->extra = reel_json_object_copy (self->extra);

  return copy;
}

const char *
reel_text_cue_get_text (ReelTextCue *self)
{
  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), NULL);

  return self->text;
}

void
reel_text_cue_set_text (ReelTextCue *self,
                        const char  *text)
{
  g_return_if_fail (REEL_IS_TEXT_CUE (self));

  if (reel_set_string_nonnull (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

double
reel_text_cue_get_start (ReelTextCue *self)
{
  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), 0.0);

  return self->start;
}

void
reel_text_cue_set_start (ReelTextCue *self,
                         double       start)
{
  g_return_if_fail (REEL_IS_TEXT_CUE (self));

  start = reel_clamp_double (start, 0.0, REEL_CUE_TIME_MAX);
  if (self->start == start)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  self->start = start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);

  /* Moving the start past the end drags the end along, so a cue never runs backwards. */
  if (self->end < start)
    {
      self->end = start;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

double
reel_text_cue_get_end (ReelTextCue *self)
{
  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), 0.0);

  return self->end;
}

void
reel_text_cue_set_end (ReelTextCue *self,
                       double       end)
{
  g_return_if_fail (REEL_IS_TEXT_CUE (self));

  end = reel_clamp_double (end, self->start, REEL_CUE_TIME_MAX);
  if (self->end == end)
    return;

  self->end = end;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
}

ReelTextPosition
reel_text_cue_get_position (ReelTextCue *self)
{
  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), REEL_TEXT_POSITION_BOTTOM);

  return self->position;
}

void
reel_text_cue_set_position (ReelTextCue      *self,
                            ReelTextPosition  position)
{
  g_return_if_fail (REEL_IS_TEXT_CUE (self));
  g_return_if_fail (position <= REEL_TEXT_POSITION_BOTTOM);

  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

ReelTextStyle
reel_text_cue_get_style (ReelTextCue *self)
{
  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), REEL_TEXT_STYLE_PLAIN);

  return self->style;
}

void
reel_text_cue_set_style (ReelTextCue   *self,
                         ReelTextStyle  style)
{
  g_return_if_fail (REEL_IS_TEXT_CUE (self));
  g_return_if_fail (style <= REEL_TEXT_STYLE_KINETIC);

  if (self->style == style)
    return;

  self->style = style;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STYLE]);
}

JsonObject *
reel_text_cue_get_extra (ReelTextCue *self)
{
  g_return_val_if_fail (REEL_IS_TEXT_CUE (self), NULL);

  return self->extra;
}

void
reel_text_cue_set_extra (ReelTextCue *self,
                         JsonObject  *extra)
{
  g_return_if_fail (REEL_IS_TEXT_CUE (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

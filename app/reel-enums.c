#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <glib/gi18n.h>

#include "reel-enums.h"
#include "reel-enum-types.h"

static const struct
{
  const char *string;
  double      ratio;
} aspects[] = {
  [REEL_ASPECT_16X9] = { "16:9", 16.0 / 9.0 },
  [REEL_ASPECT_9X16] = { "9:16", 9.0 / 16.0 },
  [REEL_ASPECT_1X1]  = { "1:1",  1.0 },
};

const char *
reel_aspect_to_string (ReelAspect aspect)
{
  g_return_val_if_fail ((guint) aspect < G_N_ELEMENTS (aspects), NULL);

  return aspects[aspect].string;
}

gboolean
reel_aspect_from_string (const char *string,
                         ReelAspect *out_aspect)
{
  g_return_val_if_fail (out_aspect != NULL, FALSE);

  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    if (g_str_equal (string, aspects[i].string))
      {
        *out_aspect = (ReelAspect) i;
        return TRUE;
      }

  return FALSE;
}

double
reel_aspect_get_ratio (ReelAspect aspect)
{
  g_return_val_if_fail ((guint) aspect < G_N_ELEMENTS (aspects), 1.0);

  return aspects[aspect].ratio;
}

const char *
reel_aspect_to_label (ReelAspect aspect)
{
  switch (aspect)
    {
    case REEL_ASPECT_16X9:
      return _("16:9 (landscape)");
    case REEL_ASPECT_9X16:
      return _("9:16 (portrait)");
    case REEL_ASPECT_1X1:
      return _("1:1 (square)");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
reel_camera_move_to_label (ReelCameraMove move)
{
  switch (move)
    {
    case REEL_CAMERA_MOVE_STATIC:
      return C_("camera move", "Static");
    case REEL_CAMERA_MOVE_PAN_LEFT:
      return C_("camera move", "Pan left");
    case REEL_CAMERA_MOVE_PAN_RIGHT:
      return C_("camera move", "Pan right");
    case REEL_CAMERA_MOVE_TILT_UP:
      return C_("camera move", "Tilt up");
    case REEL_CAMERA_MOVE_TILT_DOWN:
      return C_("camera move", "Tilt down");
    case REEL_CAMERA_MOVE_DOLLY_IN:
      return C_("camera move", "Dolly in");
    case REEL_CAMERA_MOVE_DOLLY_OUT:
      return C_("camera move", "Dolly out");
    case REEL_CAMERA_MOVE_ZOOM_IN:
      return C_("camera move", "Zoom in");
    case REEL_CAMERA_MOVE_ZOOM_OUT:
      return C_("camera move", "Zoom out");
    case REEL_CAMERA_MOVE_ORBIT_LEFT:
      return C_("camera move", "Orbit left");
    case REEL_CAMERA_MOVE_ORBIT_RIGHT:
      return C_("camera move", "Orbit right");
    case REEL_CAMERA_MOVE_HANDHELD:
      return C_("camera move", "Handheld");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
reel_text_position_to_label (ReelTextPosition position)
{
  switch (position)
    {
    case REEL_TEXT_POSITION_TOP:
      return C_("text position", "Top");
    case REEL_TEXT_POSITION_CENTER:
      return C_("text position", "Center");
    case REEL_TEXT_POSITION_BOTTOM:
      return C_("text position", "Bottom");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
reel_text_style_to_label (ReelTextStyle style)
{
  switch (style)
    {
    case REEL_TEXT_STYLE_PLAIN:
      return C_("text style", "Plain");
    case REEL_TEXT_STYLE_TITLE:
      return C_("text style", "Title");
    case REEL_TEXT_STYLE_LOWER_THIRD:
      return C_("text style", "Lower third");
    case REEL_TEXT_STYLE_KINETIC:
      return C_("text style", "Kinetic");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
reel_enum_to_nick (GType enum_type,
                   int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value (klass, value);

  /* Nicks live in static storage registered with the type, so they outlive the class ref. */
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

gboolean
reel_enum_from_nick (GType       enum_type,
                     const char *nick,
                     int        *out_value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value == NULL)
    return FALSE;

  *out_value = enum_value->value;
  return TRUE;
}

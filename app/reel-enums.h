#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Ranges of the document model's numbers. Setters clamp to them (NaN becomes the minimum) and
 * the property specs carry them, so a spin button can read its bounds from the GParamSpec. */
#define REEL_SHOT_DURATION_MIN      0.5   /* seconds */
#define REEL_SHOT_DURATION_MAX     20.0
#define REEL_SHOT_DURATION_DEFAULT  4.0
#define REEL_CAMERA_SPEED_MIN       0.0   /* 1 = normal speed, 0 = the move is held still */
#define REEL_CAMERA_SPEED_MAX       2.0
#define REEL_LENS_MM_MIN            8.0   /* full-frame equivalent focal length */
#define REEL_LENS_MM_MAX          300.0
#define REEL_LENS_MM_DEFAULT       35.0
#define REEL_FPS_MIN                8
#define REEL_FPS_MAX               60
#define REEL_FPS_DEFAULT           24
#define REEL_SEED_MAX        G_MAXUINT32  /* seeds are 32-bit so every sampler accepts them */
#define REEL_MUSIC_INTENSITY_MIN    0.0
#define REEL_MUSIC_INTENSITY_MAX    1.0
/* Cue times (dialogue/SFX offsets, text start/end) in seconds from the start of the shot.
 * Bounded by the longest shot; a cue past its own shot's end is allowed (the shot may grow). */
#define REEL_CUE_TIME_MAX          REEL_SHOT_DURATION_MAX

/* The enums of the document model. glib-mkenums registers them as GTypes (reel-enum-types.h);
 * each value's nick is also its spelling in project.json, except ReelAspect whose JSON spelling
 * ("16:9") cannot be a nick: use reel_aspect_to_string()/reel_aspect_from_string() for it. */

typedef enum
{
  REEL_ASPECT_16X9,
  REEL_ASPECT_9X16,
  REEL_ASPECT_1X1,
} ReelAspect;

typedef enum
{
  REEL_CAMERA_MOVE_STATIC,
  REEL_CAMERA_MOVE_PAN_LEFT,
  REEL_CAMERA_MOVE_PAN_RIGHT,
  REEL_CAMERA_MOVE_TILT_UP,
  REEL_CAMERA_MOVE_TILT_DOWN,
  REEL_CAMERA_MOVE_DOLLY_IN,
  REEL_CAMERA_MOVE_DOLLY_OUT,
  REEL_CAMERA_MOVE_ZOOM_IN,
  REEL_CAMERA_MOVE_ZOOM_OUT,
  REEL_CAMERA_MOVE_ORBIT_LEFT,
  REEL_CAMERA_MOVE_ORBIT_RIGHT,
  REEL_CAMERA_MOVE_HANDHELD,
} ReelCameraMove;

typedef enum
{
  REEL_TEXT_POSITION_TOP,
  REEL_TEXT_POSITION_CENTER,
  REEL_TEXT_POSITION_BOTTOM,
} ReelTextPosition;

typedef enum
{
  REEL_TEXT_STYLE_PLAIN,
  REEL_TEXT_STYLE_TITLE,
  REEL_TEXT_STYLE_LOWER_THIRD,
  REEL_TEXT_STYLE_KINETIC,
} ReelTextStyle;

/* "16:9", "9:16", "1:1": the JSON spelling and the display string. */
const char  *reel_aspect_to_string      (ReelAspect        aspect);
gboolean     reel_aspect_from_string    (const char       *string,
                                         ReelAspect       *out_aspect);
/* Width divided by height, e.g. 16/9. */
double       reel_aspect_get_ratio      (ReelAspect        aspect);

/* Translated labels for menus and drop-downs ("Dolly in", "Lower third"). */
const char  *reel_aspect_to_label        (ReelAspect       aspect);
const char  *reel_camera_move_to_label   (ReelCameraMove   move);
const char  *reel_text_position_to_label (ReelTextPosition position);
const char  *reel_text_style_to_label    (ReelTextStyle    style);

/* Nick <-> value for any registered enum, for JSON: reel_enum_to_nick (REEL_TYPE_CAMERA_MOVE,
 * REEL_CAMERA_MOVE_DOLLY_IN) is "dolly-in". to_nick returns NULL for a value outside the enum;
 * from_nick returns FALSE for an unknown nick and leaves *out_value alone. */
const char  *reel_enum_to_nick           (GType            enum_type,
                                          int              value);
gboolean     reel_enum_from_nick         (GType            enum_type,
                                          const char      *nick,
                                          int             *out_value);

G_END_DECLS

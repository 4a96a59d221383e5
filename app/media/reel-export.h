#pragma once

#include <gio/gio.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Writing the cut (or one take) to a video file.
 *
 * The file is encoded at REEL_SEQUENCE_FPS with GStreamer encoding profiles: MP4 (H.264 High
 * 4:2:0 + AAC-LC, one moov at the front: non-fragmented, faststart) or WebM (VP9 + Opus). Every
 * frame carries the moving "AI-generated" watermark and the shots' text cues. The result is
 * signed with a C2PA manifest: embedded in an MP4, a FILE.c2pa sidecar beside a WebM.
 * Captions (dialogue lines) go beside the file as FILE.vtt and FILE.srt when there are any.
 *
 * The video is encoded to a hidden temporary file in the output's folder, which only becomes
 * the output (by rename) once it is complete and signed: a failed or cancelled export leaves
 * no file under the output's name and removes its temporary files. */

typedef enum
{
  REEL_EXPORT_FORMAT_MP4,
  REEL_EXPORT_FORMAT_WEBM,
} ReelExportFormat;

typedef enum
{
  REEL_EXPORT_CAPTIONS_SIDECAR,   /* .vtt and .srt beside the file */
  REEL_EXPORT_CAPTIONS_BURN,      /* drawn into the picture, and the files beside it too */
  REEL_EXPORT_CAPTIONS_NONE,
} ReelExportCaptions;

typedef struct
{
  ReelExportFormat   format;
  int                width;         /* <= 1920; the height follows the aspect; 0: 1280 */
  int                shot;          /* project position of the one shot to export, or -1 */
  const char        *take_id;       /* with shot: that take instead of the selected one */
  ReelExportCaptions captions;
  const char        *manifest_label; /* the manifest's "urn:c2pa:<uuid>", whose first 8 hex
                                      * digits the mark shows; NULL: a fresh one */
  gboolean           sign;          /* write the C2PA manifest (what reel export does) */
} ReelExportOptions;

#define REEL_EXPORT_OPTIONS_INIT \
  { REEL_EXPORT_FORMAT_MP4, 1280, -1, NULL, REEL_EXPORT_CAPTIONS_SIDECAR, NULL, TRUE }

/* Called on the caller's main context, about ten times a second. Times in nanoseconds. */
typedef void (*ReelExportProgressFunc) (gint64   position,
                                        gint64   duration,
                                        gpointer user_data);

/* "mp4" or "webm" from @path's extension; FALSE when it is neither. */
gboolean reel_export_format_from_path (const char               *path,
                                       ReelExportFormat         *out_format);

/* Builds the cut on the calling thread (it reads @project), then encodes in GStreamer's
 * threads; progress and completion come on the thread-default main context. Cancelling
 * @cancellable stops the encoder and fails with G_IO_ERROR_CANCELLED. */
void     reel_export_async            (ReelProject              *project,
                                       const char               *output_path,
                                       const ReelExportOptions  *options,
                                       GCancellable             *cancellable,
                                       ReelExportProgressFunc    progress,
                                       gpointer                  progress_data,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data);
gboolean reel_export_finish           (ReelProject              *project,
                                       GAsyncResult             *result,
                                       GError                  **error);

/* The same, blocking, for the command line: runs its own main context until done. */
gboolean reel_export_sync             (ReelProject              *project,
                                       const char               *output_path,
                                       const ReelExportOptions  *options,
                                       GCancellable             *cancellable,
                                       ReelExportProgressFunc    progress,
                                       gpointer                  progress_data,
                                       GError                  **error);

/* FILE.vtt / FILE.srt / FILE.c2pa for an output FILE.mp4: the extension replaced. */
char    *reel_export_sibling_path     (const char               *output_path,
                                       const char               *extension);

G_END_DECLS

#pragma once

/* The CPU implementation of ReelBackend: tensors in main memory, each op run as it is called
 * by the functions of reel-cpu-ops.h. It cannot fail to start, so it is the backend of last
 * resort as well as the reference the Vulkan backend is tested against. */

#include "reel-backend.h"

G_BEGIN_DECLS

ReelBackend *reel_cpu_backend_new (void);

G_END_DECLS

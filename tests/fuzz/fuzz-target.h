#pragma once

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point; fuzz-driver.c calls the same function on a corpus so that the
 * corpus runs in every build, with or without clang. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the SSE4.2 CRC32 instruction (which computes CRC-32C).
int ccrc32c_hardware_available(void);

/// Extends a raw (pre-inverted) CRC-32C state `crc` over `length` bytes with the CPU's
/// CRC32 instruction. Call only when ccrc32c_hardware_available() returns 1.
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length);

#endif
